"""Staff accounts: creation, new passwords (which meet the policy in store/passwords.py and
end the account's login sessions). Logging in is store/logins.py."""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, select

from store.errors import ExplainedError
from store.logins import clear_failures
from store.passwords import PasswordPolicyError, check_policy, hash_password
from store.tables import Agency, LoginSession, StaffUser
from store.types import utcnow
from store.vocabulary import AGENCY_ROLES, ROLES


class UserError(ExplainedError):
    """A user cannot be created or changed as asked; the message says why."""


def _check_policy(password: str) -> None:
    try:
        check_policy(password)
    except PasswordPolicyError as exc:
        raise UserError(str(exc), exc.code, **exc.fields) from None


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
    _check_policy(password)
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise UserError(f"user {username!r} exists already", "user_exists", user=username)
    user = StaffUser(username=username, display_name=display_name or username, role=role,
                     agency_code=agency_code, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, user: StaffUser, password: str) -> bool:
    """A new password: lifts a lockout and ends every login session the user has (whoever
    knew the old password is out). Returns whether the account was locked."""
    _check_policy(password)
    user.password_hash = hash_password(password)
    session.add(user)
    end_login_sessions(session, user.id)
    return clear_failures(session, user.username)


def end_login_sessions(session: Session, user_id: int) -> None:
    """End every live login session of the user: a reload then asks for the password again."""
    session.execute(update(LoginSession).where(LoginSession.user_id == user_id, LoginSession.ended_at.is_(None))
                    .values(ended_at=utcnow()))
