"""Administration: staff accounts, agencies and category routing (SLA targets:
sla_targets.py). Admin only.

Every change is written as an AdminEvent in the same transaction as the change itself (so
there is no change without its audit row, nor the other way round) and logged on the
``tanggap.audit`` logger. A change that changes nothing (same role, same route…) leaves no
event.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from console.services import labels, policy
from console.services.auth import Principal, refresh_principal
from console.services.errors import NotFound, ServiceError
from console.services.policy import Action
from store import logins
from store.db import read_session, write_session
from store.tables import AdminEvent, Agency, CategoryRoute, StaffUser
from store.types import utcnow
from store.users import UserError, create_user, end_login_sessions, set_password
from store.vocabulary import ROLES

audit = logging.getLogger("tanggap.audit")
AUDIT_LIMIT_MAX = 1000
# Fields that must never reach the audit trail, whatever a caller passes.
SECRET_FIELDS = frozenset({"password", "password_hash"})


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    display_name: str
    role: str
    agency_code: str | None
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


@dataclass(frozen=True)
class Operator:
    """Someone acting from the server's shell: no staff account, so no id."""
    username: str
    id: None = None


@dataclass(frozen=True)
class AdminEventRow:
    id: int
    logged_at: datetime
    actor_label: str
    action: str
    target: str
    old_value: Any
    new_value: Any


def require_admin(session: Session, principal: Principal) -> Principal:
    principal = refresh_principal(session, principal)
    policy.require(principal, Action.ADMINISTER)
    return principal


def _user(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def _row(session: Session, u: StaffUser) -> UserRow:
    return UserRow(u.id, u.username, u.display_name, u.role, u.agency_code, u.active,
                   logins.locked_until(session, u.username), u.last_login_at)


def record(session: Session, who: Principal | Operator, action: str, target: str,
            old: dict[str, Any] | None, new: dict[str, Any] | None) -> None:
    """Add the AdminEvent of a change to the session that makes the change."""
    for values in (old, new):
        if values and SECRET_FIELDS & set(values):
            raise ValueError(f"refusing to write {sorted(SECRET_FIELDS & set(values))} to the audit trail")
    session.add(AdminEvent(actor_id=who.id, actor_label=who.username, action=action, target=target,
                           old_value=old, new_value=new, logged_at=utcnow()))


# --- staff accounts ---------------------------------------------------------------------

def list_users(principal: Principal) -> list[UserRow]:
    with read_session() as session:
        require_admin(session, principal)
        return [_row(session, u) for u in session.exec(select(StaffUser).order_by(StaffUser.username)).all()]


def add_user(principal: Principal, username: str, display_name: str, role: str, password: str,
             agency_code: str | None = None) -> UserRow:
    return _add_user(lambda session: require_admin(session, principal), username, display_name, role, password,
                     agency_code)


def add_user_from_shell(operator: str, username: str, display_name: str, role: str, password: str,
                        agency_code: str | None = None) -> UserRow:
    """`tanggap user add` without --as: whoever has shell access to the server is trusted as an
    admin (it is how the first admin is made). Audited like the console's add-user, with the
    operating-system user as the actor ("shell:<name>", no staff account)."""
    label = f"shell:{operator}"[:64]
    return _add_user(lambda _session: Operator(label), username, display_name, role, password, agency_code)


def _add_user(who_is, username: str, display_name: str, role: str, password: str,
              agency_code: str | None) -> UserRow:
    try:
        with write_session() as session:
            who = who_is(session)
            user = create_user(session, username, display_name, role, password, agency_code or None)
            record(session, who, "user_added", user.username, None,
                    {"display_name": user.display_name, "role": user.role, "agency_code": user.agency_code,
                     "active": user.active})
            audit.info("user_added by=%s user=%s role=%s agency=%s", who.username, user.username, role, agency_code)
            return _row(session, user)
    except UserError as exc:
        raise ServiceError.of(exc) from exc


def set_active(principal: Principal, user_id: int, active: bool) -> UserRow:
    with write_session() as session:
        who = require_admin(session, principal)
        if user_id == who.id and not active:
            raise ServiceError("you cannot deactivate your own account", "deactivate_self")
        user = _user(session, user_id)
        if user.active != active:
            record(session, who, "user_activated" if active else "user_deactivated", user.username,
                    {"active": user.active}, {"active": active})
        user.active = active
        session.add(user)
        if not active:
            end_login_sessions(session, user.id)
        audit.info("user_%s by=%s user=%s", "activated" if active else "deactivated", who.username, user.username)
        return _row(session, user)


def reset_password(principal: Principal, user_id: int, password: str) -> UserRow:
    """A new password, which also lifts a lockout and ends the user's login sessions."""
    try:
        with write_session() as session:
            who = require_admin(session, principal)
            user = _user(session, user_id)
            was_locked = set_password(session, user, password)
            # Only the fact of the reset (and whether it lifted a lockout): never the password or hash.
            record(session, who, "password_reset", user.username, None, {"lockout_lifted": was_locked})
            audit.info("password_reset by=%s user=%s", who.username, user.username)
            return _row(session, user)
    except UserError as exc:
        raise ServiceError.of(exc) from exc


def set_role(principal: Principal, user_id: int, role: str, agency_code: str | None) -> UserRow:
    if role not in ROLES:
        raise ServiceError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if policy.is_agency_role(role) and not agency_code:
        raise ServiceError("an agency head needs an agency", "role_needs_agency")
    with write_session() as session:
        who = require_admin(session, principal)
        if user_id == who.id and not policy.grants(role, Action.ADMINISTER):
            raise ServiceError("you cannot take the admin role from your own account", "demote_self")
        if agency_code and session.get(Agency, agency_code) is None:
            raise ServiceError(f"unknown agency {agency_code!r}", "unknown_agency", agency=agency_code)
        user = _user(session, user_id)
        old = (user.role, user.agency_code)
        user.role, user.agency_code = role, agency_code or None
        session.add(user)
        if (user.role, user.agency_code) != old:
            # A new role is a new login: sessions opened under the old one do not resume.
            end_login_sessions(session, user.id)
            record(session, who, "user_role_changed", user.username, {"role": old[0], "agency_code": old[1]},
                    {"role": user.role, "agency_code": user.agency_code})
        audit.info("user_role by=%s user=%s from=%s to=%s", who.username, user.username, old,
                   (role, agency_code))
        return _row(session, user)


# --- agencies and routing ---------------------------------------------------------------

def list_agencies(principal: Principal) -> list[Agency]:
    with read_session() as session:
        require_admin(session, principal)
        return list(session.exec(select(Agency).order_by(Agency.kind, Agency.code)).all())


def save_agency(principal: Principal, code: str, name: str, kind: str = "dinas", active: bool = True) -> Agency:
    code = code.strip().upper()
    if not code or not code.replace("_", "").isalnum() or len(code) > 32:
        raise ServiceError("agency code: letters, digits and '_' only, at most 32 characters", "agency_code_chars")
    if not name.strip():
        raise ServiceError("agency name is empty", "agency_name_empty")
    if kind not in ("dinas", "badan", "kecamatan", "bagian"):
        raise ServiceError(f"unknown agency kind {kind!r}")
    with write_session() as session:
        who = require_admin(session, principal)
        existing = session.get(Agency, code)
        agency = existing or Agency(code=code, name=name)
        old = {"name": existing.name, "kind": existing.kind, "active": existing.active} if existing else None
        if not active and session.exec(select(CategoryRoute).where(CategoryRoute.agency_code == code)).first():
            raise ServiceError(f"{code} still receives a category; route that category elsewhere first",
                               "agency_still_routed", agency=code)
        agency.name, agency.kind, agency.active = name.strip(), kind, active
        session.add(agency)
        new = {"name": agency.name, "kind": agency.kind, "active": agency.active}
        if new != old:
            record(session, who, "agency_changed" if existing else "agency_added", code, old, new)
        audit.info("agency_saved by=%s code=%s active=%s", who.username, code, active)
        return agency


def list_routes(principal: Principal) -> dict[str, str | None]:
    """Every category id with its agency (None where no route is set)."""
    with read_session() as session:
        require_admin(session, principal)
        routes = {r.category: r.agency_code for r in session.exec(select(CategoryRoute)).all()}
    return {category: routes.get(category) for category in labels.categories()}


def set_route(principal: Principal, category: str, agency_code: str) -> None:
    if category not in labels.categories():
        raise ServiceError(f"unknown category {category!r}")
    with write_session() as session:
        who = require_admin(session, principal)
        agency = session.get(Agency, agency_code)
        if agency is None or not agency.active:
            raise ServiceError(f"unknown or inactive agency {agency_code!r}")
        existing = session.get(CategoryRoute, category)
        route = existing or CategoryRoute(category=category, agency_code=agency_code)
        old = existing.agency_code if existing else None
        route.agency_code = agency_code
        session.add(route)
        if old != agency_code:
            record(session, who, "routing_changed", category, {"agency_code": old}, {"agency_code": agency_code})
        audit.info("route_set by=%s category=%s from=%s to=%s", who.username, category, old, agency_code)


# --- audit trail -----------------------------------------------------------------------

def recent_admin_events(principal: Principal, limit: int = 200) -> list[AdminEventRow]:
    """The latest admin changes, newest first (at most AUDIT_LIMIT_MAX)."""
    limit = max(1, min(limit, AUDIT_LIMIT_MAX))
    with read_session() as session:
        require_admin(session, principal)
        events = session.exec(select(AdminEvent).order_by(AdminEvent.logged_at.desc(), AdminEvent.id.desc())
                              .limit(limit)).all()
        return [AdminEventRow(e.id, e.logged_at, e.actor_label, e.action, e.target, e.old_value, e.new_value)
                for e in events]
