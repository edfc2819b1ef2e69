"""Staff accounts: argon2 password hashes, login with lockout after repeated failures."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from store.errors import ExplainedError
from store.settings import get_settings
from store.tables import Agency, StaffUser
from store.types import utcnow
from store.vocabulary import AGENCY_ROLES, ROLES

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8


class UserError(ExplainedError):
    """A user cannot be created or changed as asked; the message says why."""


class LoginError(Exception):
    """Login refused. The message never says whether the username exists."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(session: Session, username: str, display_name: str, role: str, password: str,
                agency_code: str | None = None) -> StaffUser:
    username = username.strip().lower()
    if not username or not username.replace("_", "").replace(".", "").isalnum():
        raise UserError(f"username {username!r} may hold only letters, digits, '.' and '_'", "username_chars")
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if role in AGENCY_ROLES and not agency_code:
        raise UserError(f"role {role} needs --agency (the agency whose queue they work)", "role_needs_agency")
    if agency_code and session.get(Agency, agency_code) is None:
        raise UserError(f"unknown agency {agency_code!r}", "unknown_agency", agency=agency_code)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must be at least {MIN_PASSWORD_LENGTH} characters", "password_short",
                        n=MIN_PASSWORD_LENGTH)
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise UserError(f"user {username!r} exists already", "user_exists", user=username)
    user = StaffUser(username=username, display_name=display_name or username, role=role,
                     agency_code=agency_code, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: StaffUser, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"password must be at least {MIN_PASSWORD_LENGTH} characters", "password_short",
                        n=MIN_PASSWORD_LENGTH)
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)


def authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> StaffUser:
    """Check a password. After ``login_max_failures`` wrong tries the account is locked for
    ``login_lockout_minutes``; a locked account is refused even with the right password."""
    settings = get_settings()
    now = now or utcnow()
    user = session.exec(select(StaffUser).where(StaffUser.username == username.strip().lower())).first()
    if user is None or not user.active:
        _hasher.hash(password)  # same cost as a real check, so timing doesn't reveal usernames
        raise LoginError("wrong username or password")
    if user.locked_until and user.locked_until > now:
        raise LoginError(f"account locked after repeated failures; try again after "
                         f"{int((user.locked_until - now).total_seconds() // 60) + 1} minutes")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= settings.login_max_failures:
            user.locked_until = now + timedelta(minutes=settings.login_lockout_minutes)
            user.failed_logins = 0
        session.add(user)
        raise LoginError("wrong username or password") from None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    session.add(user)
    return user
