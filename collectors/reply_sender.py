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
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

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
from store.errors import ExplainedError
from store.redaction import configured_secrets, redact
from store.replies import Outgoing
from store.reply_responses import Sent, StaleBatch, mark_sent_many
from store.settings import SettingsError, load_settings

log = logging.getLogger(__name__)
MAX_UNKNOWN_OUTCOMES = 8  # tries whose outcome was unknown (5xx, timeouts) before the reply fails
BACKOFF_FIRST, BACKOFF_MAX = timedelta(seconds=30), timedelta(minutes=15)
SMS_CHECK = timedelta(seconds=30)  # how soon to ask Gammu again about a queued SMS
# Platform calls in flight at once per worker: each waits mostly on the network.
PARALLEL = 8


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


@dataclass(frozen=True)
class Outcome:
    """What became of one reply on the platform, before it is recorded."""
    kind: str  # sent, failed, later
    posted: Posted | None = None
    code: str = ""
    detail: str = ""
    retry_at: datetime | None = None
    maybe_posted: bool = True


def _sent(reply: Outgoing, outcome: Outcome) -> Sent | None:
    """The reply as the bulk record takes it, if the platform has it with its time."""
    posted = outcome.posted
    if outcome.kind != "sent" or posted is None or posted.at is None:
        return None
    return Sent(reply.id, posted.platform_id, posted.at)


class ReplySender:
    """Posts up to ``batch`` replies a pass, ``parallel`` platform calls at a time, and records
    the pass's outcomes in one transaction (one per reply if that one fails, e.g. on a case
    a person changed at the same moment): until then each reply stays ``sending``, so a
    crash in between costs a look-up, never a second post."""

    def __init__(self, settings, channels: dict[str, ReplyChannel] | None = None, worker: str | None = None,
                 batch: int = 50, parallel: int = PARALLEL):
        self.settings, self.worker, self.batch, self.parallel = settings, worker or worker_name(), batch, parallel
        self.channels: dict[str, ReplyChannel] = dict(channels or {})
        self.stale = False  # a token was refused: read the settings again before the next channel

    def run_once(self, now: datetime) -> PassResult:
        with write_session() as session:
            claimed = replies.claim(session, self.worker, now, self.batch)
        if not claimed:
            return PassResult()
        for platform in {reply.platform for reply in claimed}:  # built once, before the threads share it
            self._channel_or_none(platform)
        with ThreadPoolExecutor(max_workers=min(self.parallel, len(claimed))) as pool:
            outcomes = list(pool.map(lambda reply: self._attempt(reply, now), claimed))
        return self._record_all(list(zip(claimed, outcomes, strict=True)), now)

    def _channel_or_none(self, platform: str) -> ReplyChannel | None:
        if platform not in self.channels and self.stale:
            with suppress(SettingsError):
                self.settings, self.stale = load_settings(), False
        if platform not in self.channels:
            try:
                self.channels[platform] = channel_for(platform, self.settings)
            except (MissingSettings, ReplyRefused):
                return None
        return self.channels[platform]

    def _forget_channel(self, platform: str) -> None:
        """A refused token: the platform's next reply builds its channel from the settings read
        afresh (environment, secrets folder), so a replaced token works without a restart."""
        self.channels.pop(platform, None)
        self.stale = True

    def _attempt(self, reply: Outgoing, now: datetime) -> Outcome:
        """Look for the reply first if it may be there already, else post it. No database."""
        try:
            channel = self._channel_or_none(reply.platform) or channel_for(reply.platform, self.settings)
            posted = channel.find(reply) if reply.recovering else None
            return Outcome("sent", posted or channel.post(reply))
        except RateLimited as exc:  # refused before anything was posted, or the look-up was
            at = exc.retry_at or now + BACKOFF_FIRST * reply.attempts
            return Outcome("later", retry_at=max(at, now), maybe_posted=reply.recovering)
        except TemporarilyUnavailable as exc:
            if reply.attempts >= MAX_UNKNOWN_OUTCOMES:
                return Outcome("failed", code="unavailable", detail=f"{exc} (after {reply.attempts} tries)")
            return Outcome("later", retry_at=now + min(BACKOFF_FIRST * 2 ** (reply.attempts - 1), BACKOFF_MAX))
        except AuthFailed as exc:
            self._forget_channel(reply.platform)
            return Outcome("failed", code="token", detail=str(exc))
        except MissingSettings as exc:
            return Outcome("failed", code="not_configured", detail=str(exc))
        except ReplyRefused as exc:
            return Outcome("failed", code=exc.code, detail=exc.detail or str(exc))
        except CollectorError as exc:
            return Outcome("failed", code="refused", detail=str(exc))

    def _record_all(self, done: list[tuple[Outgoing, Outcome]], now: datetime) -> PassResult:
        result = PassResult()
        sent = {reply.id: item for reply, outcome in done if (item := _sent(reply, outcome))}
        counted: list[str | None] = []
        try:
            with write_session() as session:
                mark_sent_many(session, self.worker, list(sent.values()), now)
                counted = [self._record(session, reply, outcome, now) for reply, outcome in done
                           if reply.id not in sent]
                counted += ["sent"] * len(sent)
        except (SQLAlchemyError, ExplainedError, StaleBatch) as exc:
            log.info("recording %d replies together failed (%s); one by one", len(done), type(exc).__name__)
            counted = []
            for reply, outcome in done:
                try:
                    with write_session() as session:
                        counted.append(self._record(session, reply, outcome, now))
                except (SQLAlchemyError, ExplainedError) as one:  # left sending: looked up after its lease
                    log.warning("reply %s could not be recorded: %s", reply.id, one)
        for name in counted:
            if name:
                setattr(result, name, getattr(result, name) + 1)
        return result

    def _record(self, session: Session, reply: Outgoing, outcome: Outcome, now: datetime) -> str | None:
        """Record one outcome; None when another sender has taken the reply over meanwhile."""
        if outcome.kind == "failed":
            detail = redact(outcome.detail, configured_secrets())
            log.warning("reply %s on case %s failed: %s", reply.id, reply.case_id, detail)
            return "failed" if replies.mark_failed(session, reply.id, self.worker, outcome.code, detail,
                                                   now=now) else None
        posted = outcome.posted
        if outcome.kind == "later" or posted is None or posted.at is None:
            # Rate limited, an unknown outcome, or an SMS in the modem's queue: ask again soon.
            at = outcome.retry_at or now + SMS_CHECK
            return "waiting" if replies.retry_later(session, reply.id, self.worker, at,
                                                    maybe_posted=outcome.maybe_posted,
                                                    platform_id=posted.platform_id if posted else None) else None
        return "sent" if replies.mark_sent(session, reply.id, self.worker, posted.platform_id, posted.at,
                                           now=now) else None
