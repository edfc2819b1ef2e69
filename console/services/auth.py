"""Who is asking (Principal), login, and the permission rules for every role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from console.services.errors import NotFound, PermissionDenied
from store.cases import Actor
from store.logins import LoginError, authenticate
from store.tables import Case, CaseSupport, StaffUser

WRITE_ROLES = ("admin", "komunikasi", "kepala_dinas")
ALL_CASES_ROLES = ("admin", "komunikasi", "viewer")

# The console's menu per role. This only decides what is shown: every service call checks
# the role again, because a page missing from the menu is not security.
PAGES_BY_ROLE: dict[str, tuple[str, ...]] = {
    "admin": ("triage", "case", "agency", "stats", "export", "admin"),
    "komunikasi": ("triage", "case", "agency", "stats", "export"),
    "kepala_dinas": ("agency", "case", "stats", "export"),
    "viewer": ("triage", "case", "agency", "stats"),
}


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

    @property
    def sees_all_cases(self) -> bool:
        return self.role in ALL_CASES_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


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


def visible_pages(role: str) -> tuple[str, ...]:
    return PAGES_BY_ROLE.get(role, ())


def can_write(principal: Principal) -> bool:
    return principal.role in WRITE_ROLES


def require_role(principal: Principal, *roles: str) -> None:
    if principal.role not in roles:
        raise PermissionDenied(f"role {principal.role} may not do this (needs {' or '.join(roles)})")


def agency_scope(principal: Principal) -> str | None:
    """The only agency whose cases this principal may see, or None for all."""
    if principal.sees_all_cases:
        return None
    if principal.role == "kepala_dinas" and principal.agency_code:
        return principal.agency_code
    raise PermissionDenied(f"role {principal.role} has no case access")


def require_case_access(session: Session, principal: Principal, case: Case) -> None:
    scope = agency_scope(principal)
    if scope is None or case.lead_agency_code == scope:
        return
    support = session.get(CaseSupport, (case.id, scope))
    if support is None:
        # Same answer as a missing case: an agency head learns nothing about other agencies' cases.
        raise NotFound(f"case {case.id} not found")


def require_write(principal: Principal) -> None:
    if principal.role not in WRITE_ROLES:
        raise PermissionDenied(f"role {principal.role} is read-only")
