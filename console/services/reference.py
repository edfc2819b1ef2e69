"""Reference reads the pages need for their choices: agencies, kecamatan, routing, staff."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import or_, select

from console.services import policy
from console.services.auth import Principal, refresh_principal
from store.db import read_session
from store.tables import Agency, CategoryRoute, Kecamatan, StaffUser


@dataclass(frozen=True)
class Choice:
    code: str
    name: str


def agencies(kind: str | None = None, exclude_kind: str | None = None, active_only: bool = True) -> list[Choice]:
    with read_session() as session:
        stmt = select(Agency).order_by(Agency.kind, Agency.code)
        if active_only:
            stmt = stmt.where(Agency.active.is_(True))
        if kind:
            stmt = stmt.where(Agency.kind == kind)
        if exclude_kind:
            stmt = stmt.where(Agency.kind != exclude_kind)
        return [Choice(a.code, a.name) for a in session.exec(stmt).all()]


def kecamatan() -> list[Choice]:
    with read_session() as session:
        return [Choice(k.code, k.name) for k in session.exec(select(Kecamatan).order_by(Kecamatan.name)).all()]


def kecamatan_office(kecamatan_code: str | None) -> str | None:
    """The agency code of a kecamatan's office (a natural supporting unit)."""
    if not kecamatan_code:
        return None
    with read_session() as session:
        kec = session.get(Kecamatan, kecamatan_code)
        return kec.agency_code if kec else None


def route_for(category: str | None) -> str | None:
    """The routing table's agency for a category, used to preselect the lead agency."""
    if not category:
        return None
    with read_session() as session:
        route = session.get(CategoryRoute, category)
        return route.agency_code if route else None


def staff_for(principal: Principal, agency_code: str | None) -> list[Choice]:
    """Who a case of this agency can be given to (policy.may_be_assignee): the agency's own
    active staff first, then the communications team. An agency user sees only their agency's."""
    with read_session() as session:
        principal = refresh_principal(session, principal)
        if policy.is_agency_role(principal.role):
            agency_code = principal.agency_code
        stmt = select(StaffUser).where(StaffUser.active.is_(True), StaffUser.role.in_(policy.assignable_roles()))
        if agency_code:
            stmt = stmt.where(or_(StaffUser.agency_code == agency_code, StaffUser.agency_code.is_(None)))
        users = [u for u in session.exec(stmt.order_by(StaffUser.username)).all()
                 if policy.may_be_assignee(u, agency_code)
                 and (not policy.is_agency_role(principal.role) or u.agency_code == agency_code)]
        users.sort(key=lambda u: u.agency_code is None)  # the lead agency's own people first
        return [Choice(u.username, u.display_name) for u in users]
