"""Password login: a lockout that holds under parallel tries, and the same answer, in about the
same time, whether or not the name is an account.

A try goes in three steps:
1. In one short write transaction, count the try for the attempted name with a single
   INSERT … ON CONFLICT DO UPDATE … RETURNING, so N parallel tries get the numbers 1…N and no
   update is lost. The try that reaches ``login_max_failures`` also sets the lock (it is lifted
   again if that very try turns out right). The account is read in the same transaction.
2. Outside any transaction, check the password with argon2: against the account's hash if
   this try is within the limit and the account may log in, otherwise against a dummy hash
   of the same cost. The check is kept out of the transaction so SQLite's single write lock
   is never held for the ~0.1 s it takes.
3. Only on success, a second transaction clears the count and stamps the login.

Tries are counted per normalised name, account or not (LoginAttempt), so an unknown name
shows "locked" after the same number of failures as a real one. A name's count starts again
when its lock ends, after a success, or after FORGET_AFTER without any try.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, literal, null, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, select

from store.db import write_session
from store.passwords import hash_password, needs_rehash, verify
from store.settings import get_settings
from store.tables import LoginAttempt, StaffUser
from store.types import UTCDateTime, utcnow

FORGET_AFTER = timedelta(days=1)


class LoginError(Exception):
    """Login refused. Says only "wrong username or password", or that the name is locked
    (``locked_minutes``): never whether an account with that name exists."""

    def __init__(self, locked_minutes: int | None = None):
        super().__init__(f"too many failed logins; try again in {locked_minutes} minutes" if locked_minutes
                         else "wrong username or password")
        self.locked_minutes = locked_minutes


def normalise(username: str) -> str:
    return username.strip().lower()


def name_key(username: str) -> str:
    return hashlib.sha256(normalise(username).encode()).hexdigest()


def authenticate(username: str, password: str, now: datetime | None = None) -> StaffUser:
    """The account, when the password is right and the name not locked; else LoginError."""
    settings = get_settings()
    now = now or utcnow()
    lock_end = now + timedelta(minutes=settings.login_lockout_minutes)
    key = name_key(username)
    with write_session() as session:
        attempts, locked_until = _count_try(session, key, now, lock_end, settings.login_max_failures)
        user = session.exec(select(StaffUser).where(StaffUser.username == normalise(username))).first()
    within_limit = attempts <= settings.login_max_failures
    may_log_in = within_limit and user is not None and user.active
    if verify(user.password_hash if may_log_in else None, password):
        with write_session() as session:
            return _succeeded(session, key, user, password, now)
    if within_limit:
        raise LoginError()
    # Capped: a parallel try that took its clock reading a moment later may have set the lock.
    seconds = min(((locked_until or lock_end) - now).total_seconds(), settings.login_lockout_minutes * 60)
    raise LoginError(locked_minutes=max(1, math.ceil(seconds / 60)))


def _count_try(session: Session, key: str, now: datetime, lock_end: datetime,
               max_failures: int) -> tuple[int, datetime | None]:
    """Count one try for the name, atomically; (tries so far, locked until)."""
    table = LoginAttempt.__table__
    c = table.c
    start_over = or_(c.locked_until <= now, and_(c.locked_until.is_(None), c.last_attempt_at <= now - FORGET_AFTER))
    attempts = case((start_over, 1), else_=c.attempts + 1)
    locks_now = literal(lock_end, UTCDateTime())
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(table).values(name_sha256=key, attempts=1, last_attempt_at=now,
                                     locked_until=lock_end if max_failures <= 1 else None)
    statement = statement.on_conflict_do_update(index_elements=[c.name_sha256], set_={
        "attempts": attempts,
        "locked_until": case((start_over, locks_now if max_failures <= 1 else null()),
                             (and_(c.locked_until.is_(None), c.attempts + 1 >= max_failures), locks_now),
                             else_=c.locked_until),
        "last_attempt_at": now,
    }).returning(c.attempts, c.locked_until)
    row = session.execute(statement).one()
    return row.attempts, row.locked_until


def _succeeded(session: Session, key: str, user: StaffUser, password: str, now: datetime) -> StaffUser:
    session.execute(update(LoginAttempt).where(LoginAttempt.name_sha256 == key)
                    .values(attempts=0, locked_until=None, last_attempt_at=now))
    # Names nobody has tried for a while (mostly typos and probes) are of no more use.
    session.execute(delete(LoginAttempt).where(LoginAttempt.last_attempt_at < now - FORGET_AFTER,
                                               or_(LoginAttempt.locked_until.is_(None),
                                                   LoginAttempt.locked_until < now)))
    user = session.get(StaffUser, user.id)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    session.add(user)
    return user


def clear_failures(session: Session, username: str) -> bool:
    """Forget a name's failed tries (a new password lifts a lockout); whether it was locked."""
    row = session.get(LoginAttempt, name_key(username))
    if row is None:
        return False
    locked = row.locked_until is not None and row.locked_until > utcnow()
    session.delete(row)
    return locked


def locked_until(session: Session, username: str, now: datetime | None = None) -> datetime | None:
    """When the name's lock ends, or None when it is not locked."""
    row = session.get(LoginAttempt, name_key(username))
    now = now or utcnow()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return None
    return row.locked_until
