"""Sends the alert outbox (store/alerts.py), one pass at a time; the worker's ``alerts`` job.

A row goes pending → claimed → (sending →) sent, or back to pending with a backoff, or
failed after the last try. Claims are short transactions (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several workers share the rows; SQLite has one writer at a time anyway).

Crash safety follows the channel. Telegram and email cannot tell a second copy from a first,
so the row is committed as ``sending`` before the message goes and ``sent`` after it: a
worker killed in between leaves a ``sending`` row, which is marked failed with "outcome
unknown" after the lease instead of being sent again (one message, never two). The console
list and Gammu's outbox (CreatorID) are idempotent, so their rows skip ``sending``: a claimed
row a dead worker left is simply sent again after the lease. A claim nobody finished (a
crash before sending) goes back to pending after the lease.

A channel that is down is left alone for the rest of the pass (its claimed rows go back to
pending without spending a try); the other channels go on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, update
from sqlmodel import Session, col, select

from console.services.alert_channels import Channel, ChannelDown, Recipient, Undeliverable
from console.services.alert_message import message_for
from store.db import read_session, write_session
from store.tables import Alert, Case, StaffUser

log = logging.getLogger("tanggap.alerts")
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(seconds=30)
BATCH = 200


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    retried: int = 0
    recovered: int = 0
    down: tuple[str, ...] = ()


def send_pending(now: datetime, channels: dict[str, Channel], batch: int = BATCH) -> SendResult:
    result = SendResult()
    result.recovered = recover_stale(now, channels)
    down = []
    for name, channel in channels.items():
        ids = claim(name, now, batch)
        if ids and not _send_batch(channel, ids, now, result):
            down.append(name)
    result.failed += fail_unconfigured(now, channels)
    result.down = tuple(down)
    return result


def _send_batch(channel: Channel, ids: list[int], now: datetime, result: SendResult) -> bool:
    """Send one channel's claimed rows in order; False when the channel went down. Each
    write also records the previous row's outcome, so a row costs one commit, not two."""
    payloads = _payloads(ids, now)
    done: list[tuple[int, str, str | None]] = []  # outcomes not written yet
    for position, alert_id in enumerate(ids):
        if not channel.idempotent:
            _record(done, sending=alert_id, now=now)
            done = []
        to, subject, text = payloads[alert_id]
        try:
            channel.send(alert_id, to, subject, text)
        except ChannelDown as exc:
            _record(done, now=now)
            _retry_or_fail(alert_id, str(exc), now, result)
            release(ids[position + 1:])
            log.warning("alerts: channel %s is down (%s); the other channels go on", channel.name, exc)
            return False
        except Undeliverable as exc:
            done.append((alert_id, "failed", str(exc)))
            result.failed += 1
        else:
            done.append((alert_id, "sent", None))
            result.sent += 1
    _record(done, now=now)
    return True


def claim(channel: str, now: datetime, batch: int) -> list[int]:
    with write_session() as session:
        ids: list[int] = list(session.scalars(
            select(col(Alert.id)).where(col(Alert.state) == "pending", col(Alert.channel) == channel,
                                        col(Alert.next_try_at) <= now)
            .order_by(col(Alert.id)).limit(batch).with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(Alert).where(col(Alert.id).in_(ids))
                            .values(state="claimed", claimed_at=now, attempts=col(Alert.attempts) + 1))
        return ids


def release(ids: list[int]) -> None:
    """Claimed rows of a channel that went down: back to pending, the try not counted."""
    if ids:
        with write_session() as session:
            session.execute(update(Alert).where(col(Alert.id).in_(ids), col(Alert.state) == "claimed")
                            .values(state="pending", claimed_at=None, attempts=col(Alert.attempts) - 1))


def _payloads(ids: list[int], now: datetime) -> dict[int, tuple[Recipient, str, str]]:
    """Each claimed row's recipient and message, composed in one read."""
    found = {}
    with read_session() as session:
        for alert, case, user in session.exec(
                select(Alert, Case, StaffUser).join(Case, col(Case.id) == col(Alert.case_id))
                .join(StaffUser, col(StaffUser.id) == col(Alert.recipient_id)).where(col(Alert.id).in_(ids))).all():
            message = message_for(session, alert, case, user, now)
            found[cast(int, alert.id)] = (Recipient(user.username, user.mobile, user.email, user.telegram_chat_id),
                                          message.subject, message.text)
    return found


def _record(done: list[tuple[int, str, str | None]], *, now: datetime, sending: int | None = None) -> None:
    """Write the outcomes of sent rows and, before a send that cannot be repeated, mark
    that row ``sending`` (in the same commit)."""
    if not done and sending is None:
        return
    with write_session() as session:
        for alert_id, state, error in done:
            session.execute(update(Alert).where(col(Alert.id) == alert_id).values(
                state=state, sent_at=now if state == "sent" else None, last_error=error, claimed_at=None))
        if sending is not None:
            session.execute(update(Alert).where(col(Alert.id) == sending, col(Alert.state) == "claimed")
                            .values(state="sending"))


def _retry_or_fail(alert_id: int, error: str, now: datetime, result: SendResult) -> None:
    with write_session() as session:
        alert = session.get(Alert, alert_id)
        if alert is None:
            return
        if alert.attempts >= MAX_ATTEMPTS:
            alert.state = "failed"
            result.failed += 1
        else:
            alert.state, alert.next_try_at = "pending", now + FIRST_RETRY * 2 ** (alert.attempts - 1)
            result.retried += 1
        alert.last_error, alert.claimed_at = error, None
        session.add(alert)


def recover_stale(now: datetime, channels: dict[str, Channel]) -> int:
    """Rows a dead worker left past the lease: claims back to pending; ``sending`` rows of a
    channel that cannot take a second copy to failed (delivered or not, nobody knows)."""
    stale = now - LEASE
    with write_session() as session:
        back = _changed(session, update(Alert).where(col(Alert.state) == "claimed", col(Alert.claimed_at) < stale)
                               .values(state="pending", claimed_at=None))
        unknown = _changed(session, update(Alert).where(col(Alert.state) == "sending", col(Alert.claimed_at) < stale)
                                  .values(state="failed", claimed_at=None,
                                          last_error="the worker stopped while sending: delivered or not is "
                                                     "unknown, so it is not sent again"))
    if back or unknown:
        log.warning("alerts: %d interrupted claims back to pending, %d of unknown outcome marked failed",
                    back, unknown)
    return back + unknown


def fail_unconfigured(now: datetime, channels: dict[str, Channel]) -> int:
    """Rows for a channel whose setting was removed since they were queued."""
    with write_session() as session:
        return _changed(session, update(Alert).where(col(Alert.state) == "pending",
                                                     col(Alert.channel).not_in(list(channels)))
                        .values(state="failed", last_error="channel not configured"))


def _changed(session: Session, statement) -> int:
    """Rows an UPDATE changed."""
    return cast(CursorResult, session.execute(statement)).rowcount
