"""The reply sender: posts approved replies from the outbox (store/replies.py), never twice.

One pass: claim due replies and commit (they are ``sending`` from now on), then for each,
look for it on the platform first if it was ``sending`` already (a sender died, or the last
outcome was unknown), post it if it is not there, and record what happened in its own
transaction: sent (and the case's response), failed with the platform's words, or try again
later. A crash at any point leaves the reply ``sending``; the next claim after its lease
finds it on the platform instead of posting it again.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from collectors.errors import (
    AuthFailed,
    CollectorError,
    MissingSettings,
    RateLimited,
    ReplyRefused,
    TemporarilyUnavailable,
)
from collectors.reply_channel import Posted, ReplyChannel
from store import replies
from store.db import write_session
from store.redaction import configured_secrets, redact
from store.replies import Outgoing

log = logging.getLogger(__name__)
MAX_UNKNOWN_OUTCOMES = 8  # tries whose outcome was unknown (5xx, timeouts) before the reply fails
BACKOFF_FIRST, BACKOFF_MAX = timedelta(seconds=30), timedelta(minutes=15)
SMS_CHECK = timedelta(seconds=30)  # how soon to ask Gammu again about a queued SMS


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class PassResult:
    sent: int = 0
    failed: int = 0
    waiting: int = 0  # tried again later (rate limited, unknown outcome, SMS in the modem's queue)


def channel_for(platform: str, settings) -> ReplyChannel:
    """The platform's adapter, built from the settings (MissingSettings names what is unset)."""
    from collectors.facebook_replies import FacebookReplies
    from collectors.sms_replies import SmsReplies
    from collectors.x_replies import XReplies
    builders: dict[str, Callable[[Any], ReplyChannel]] = {
        "twitter": XReplies.from_settings, "facebook": FacebookReplies.from_settings, "sms": SmsReplies.from_settings}
    if platform not in builders:
        raise ReplyRefused("not_postable", f"Tanggap cannot post on {platform}")
    return builders[platform](settings)


class ReplySender:
    def __init__(self, settings, channels: dict[str, ReplyChannel] | None = None, worker: str | None = None,
                 batch: int = 50):
        self.settings, self.worker, self.batch = settings, worker or worker_name(), batch
        self.channels: dict[str, ReplyChannel] = dict(channels or {})

    def run_once(self, now: datetime) -> PassResult:
        result = PassResult()
        with write_session() as session:
            claimed = replies.claim(session, self.worker, now, self.batch)
        for reply in claimed:
            outcome = self._send(reply, now)
            setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def _channel(self, platform: str) -> ReplyChannel:
        if platform not in self.channels:
            self.channels[platform] = channel_for(platform, self.settings)
        return self.channels[platform]

    def _send(self, reply: Outgoing, now: datetime) -> str:
        try:
            channel = self._channel(reply.platform)
            posted = channel.find(reply) if reply.recovering else None
            if posted is None:
                posted = channel.post(reply)
        except RateLimited as exc:  # refused before anything was posted, or the look-up was
            at = exc.retry_at or now + BACKOFF_FIRST * reply.attempts
            return self._later(reply, max(at, now), maybe_posted=reply.recovering)
        except TemporarilyUnavailable as exc:
            if reply.attempts >= MAX_UNKNOWN_OUTCOMES:
                return self._fail(reply, "unavailable", f"{exc} (after {reply.attempts} tries)", now)
            return self._later(reply, now + min(BACKOFF_FIRST * 2 ** (reply.attempts - 1), BACKOFF_MAX),
                               maybe_posted=True)
        except AuthFailed as exc:
            return self._fail(reply, "token", str(exc), now)
        except MissingSettings as exc:
            return self._fail(reply, "not_configured", str(exc), now)
        except ReplyRefused as exc:
            return self._fail(reply, exc.code, exc.detail or str(exc), now)
        except CollectorError as exc:
            return self._fail(reply, "refused", str(exc), now)
        return self._record(reply, posted, now)

    def _record(self, reply: Outgoing, posted: Posted, now: datetime) -> str:
        if posted.at is None:  # an SMS in the modem's queue: ask again soon
            return self._later(reply, now + SMS_CHECK, maybe_posted=True, platform_id=posted.platform_id)
        with write_session() as session:
            replies.mark_sent(session, reply.id, self.worker, posted.platform_id, posted.at, now=now)
        return "sent"

    def _later(self, reply: Outgoing, at: datetime, *, maybe_posted: bool, platform_id: str | None = None) -> str:
        with write_session() as session:
            replies.retry_later(session, reply.id, self.worker, at, maybe_posted=maybe_posted,
                                platform_id=platform_id)
        return "waiting"

    def _fail(self, reply: Outgoing, code: str, detail: str, now: datetime) -> str:
        detail = redact(detail, configured_secrets())
        log.warning("reply %s on case %s failed: %s", reply.id, reply.case_id, detail)
        with write_session() as session:
            replies.mark_failed(session, reply.id, self.worker, code, detail, now=now)
        return "failed"
