"""Who is asking (Principal) and login. What each role may do is decided in policy.py."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from console.services.errors import NotFound, PermissionDenied
from store.cases import Actor
from store.logins import LoginError, authenticate
from store.tables import StaffUser


class LoginRefused(PermissionDenied):
    """Wrong credentials, or (locked_minutes set) a name locked after repeated failures; the
    same for names with and without an account."""

    def __init__(self, message: str, locked_minutes: int | None = None):
        super().__init__(message)
        self.locked_minutes = locked_minutes


@dataclass(frozen=True)
class Principal:
    id: int
    username: str
    display_name: str
    role: str
    agency_code: str | None

    @property
    def actor(self) -> Actor:
        return Actor(id=self.id, label=self.username)


def principal_of(user: StaffUser) -> Principal:
    return Principal(id=user.id, username=user.username, display_name=user.display_name,
                     role=user.role, agency_code=user.agency_code)


def login(username: str, password: str) -> Principal:
    """Check a password (store/logins.py: tries counted atomically per name, the same answer
    and cost for unknown, locked and wrong)."""
    try:
        user = authenticate(username, password)
    except LoginError as exc:
        raise LoginRefused(str(exc), exc.locked_minutes) from None
    return principal_of(user)


def principal_for(session: Session, username: str) -> Principal:
    """The CLI's --as USERNAME: the named active user, audited as that user."""
    user = session.exec(select(StaffUser).where(StaffUser.username == username.strip().lower())).first()
    if user is None or not user.active:
        raise NotFound(f"no active user {username!r} (create one with `tanggap user add`)")
    return principal_of(user)


def refresh_principal(session: Session, principal: Principal) -> Principal:
    """Re-read the user: a deactivated account or a changed role takes effect at once."""
    user = session.get(StaffUser, principal.id)
    if user is None or not user.active:
        raise PermissionDenied("this account is no longer active")
    return principal_of(user)
