"""Browser login sessions: reloading the console must not log the user out.

Streamlit forgets its session state when the page is reloaded, so after a password login
the browser keeps a random token in a cookie and the console resumes from it. Only the
token's SHA-256 is stored. A session ends on logout, after the inactivity timeout (the
same one the console applies in the browser), when the account is deactivated, and when
the account gets a new password or a new role (store/users.end_login_sessions); an ended
session never comes back.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlmodel import select

from console.services.auth import Principal, principal_of
from store.db import read_session, write_session
from store.settings import get_settings
from store.tables import LoginSession, StaffUser
from store.types import utcnow

log = logging.getLogger(__name__)
# last_seen_at is written at most this often, not on every click.
TOUCH_EVERY = timedelta(minutes=1)
# Sessions over for this long are deleted when someone logs in (the audit of who logged in
# when is StaffUser.last_login_at and the log, not this table).
KEEP_ENDED = timedelta(days=30)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _timeout() -> timedelta:
    return timedelta(minutes=get_settings().session_timeout_minutes)


def start(principal: Principal) -> str:
    """A new session for a user who has just given their password; returns the token."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with write_session() as session:
        session.execute(delete(LoginSession).where(LoginSession.last_seen_at < now - KEEP_ENDED))
        session.add(LoginSession(token_sha256=_digest(token), user_id=principal.id, created_at=now,
                                 last_seen_at=now))
    log.info("login session started user=%s", principal.username)
    return token


def resume(token: str | None, now: datetime | None = None) -> Principal | None:
    """The user of a live session, counting this as activity; None when the token is
    unknown, ended, idle past the timeout, or its user is no longer active. Reads first: a
    login page loaded with a stale cookie must not queue for the write lock."""
    if not isinstance(token, str) or not token:
        return None
    now = now or utcnow()
    with read_session() as session:
        row = _find(session, token)
        user = session.get(StaffUser, row.user_id) if row is not None else None
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > _timeout() or user is None or not user.active:
        end(token, now)
        return None
    _touch(row, now)
    return principal_of(user)


def is_live(token: str, now: datetime | None = None) -> bool:
    """Whether the session is still on (not logged out elsewhere, not timed out), counting
    this as activity. Reads only, unless last_seen_at is due for an update."""
    now = now or utcnow()
    with read_session() as session:
        row = _find(session, token)
    if row is None or row.ended_at is not None or now - row.last_seen_at > _timeout():
        return False
    _touch(row, now)
    return True


def account(user_id: int) -> Principal | None:
    """The user as the database has them now (role and agency included), or None when the
    account is gone or inactive. The console asks on every run, so a changed role counts at
    once, without a new login."""
    with read_session() as session:
        user = session.get(StaffUser, user_id)
    return principal_of(user) if user is not None and user.active else None


def _find(session, token: str) -> LoginSession | None:
    return session.exec(select(LoginSession).where(LoginSession.token_sha256 == _digest(token))).first()


def _touch(row: LoginSession, now: datetime) -> None:
    if now - row.last_seen_at >= TOUCH_EVERY:
        with write_session() as session:
            session.execute(update(LoginSession).where(LoginSession.id == row.id, LoginSession.ended_at.is_(None))
                            .values(last_seen_at=now))


def end(token: str | None, now: datetime | None = None) -> None:
    if not token:
        return
    with write_session() as session:
        session.execute(update(LoginSession).where(LoginSession.token_sha256 == _digest(token),
                                                   LoginSession.ended_at.is_(None))
                        .values(ended_at=now or utcnow()))
