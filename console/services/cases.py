"""Case reads and actions, with the permission rules applied before anything is read or
written. Each function opens its own session: pages and commands never hold one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from console.services import labels
from console.services.auth import (
    Principal,
    agency_scope,
    refresh_principal,
    require_case_access,
    require_role,
    require_write,
)
from console.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from store import cases as store_cases
from store import queries
from store.cases import CaseError, CaseNotFound, ConflictError
from store.db import read_session, write_session
from store.sla import ResponseKindError, ResponseTimeError
from store.tables import Case, CaseEvent, Mention, StaffUser
from store.types import utcnow

MANAGE_ROLES = ("admin", "komunikasi")


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    mentions: list[Mention]
    timeline: list[CaseEvent]
    supporting: list[str]
    assignee: StaffUser | None
    changed_by: str = ""  # display name of whoever changed the case last ("" for the system)


def triage(principal: Principal, flt: queries.CaseFilter, after: tuple | None = None,
           size: int = queries.PAGE_SIZE) -> queries.Page:
    with read_session() as session:
        principal = refresh_principal(session, principal)
        scope = agency_scope(principal)
        if scope is not None:
            return queries.agency_page(session, scope, flt, after, size)
        return queries.triage_page(session, flt, after, size)


def agency_queue(principal: Principal, agency_code: str | None = None,
                 flt: queries.CaseFilter | None = None, after: tuple | None = None,
                 size: int = queries.PAGE_SIZE) -> queries.Page:
    with read_session() as session:
        principal = refresh_principal(session, principal)
        scope = agency_scope(principal)
        agency_code = scope or agency_code
        if not agency_code:
            raise ServiceError("choose an agency", "choose_agency")
        return queries.agency_page(session, agency_code, flt, after, size)


def case_detail(principal: Principal, case_id: int) -> CaseDetail:
    with read_session() as session:
        principal = refresh_principal(session, principal)
        case = session.get(Case, case_id)
        if case is None:
            raise NotFound(f"case {case_id} not found")
        require_case_access(session, principal, case)
        assignee = session.get(StaffUser, case.assignee_id) if case.assignee_id else None
        changer = session.get(StaffUser, case.updated_by) if case.updated_by else None
        return CaseDetail(case=case, mentions=queries.case_mentions(session, case_id),
                          timeline=queries.case_timeline(session, case_id),
                          supporting=queries.case_supporting_units(session, case_id), assignee=assignee,
                          changed_by=changer.display_name if changer else "")


def list_cases(principal: Principal, flt: queries.CaseFilter, limit: int = 100) -> list[Case]:
    return triage(principal, flt, size=limit).rows


def _act(principal: Principal, case_id: int, action):
    """Run one case action in a write transaction after the permission checks."""
    try:
        with write_session() as session:
            principal = refresh_principal(session, principal)
            require_write(principal)
            case = session.get(Case, case_id)
            if case is None:
                raise NotFound(f"case {case_id} not found")
            require_case_access(session, principal, case)
            return action(session, principal, case)
    except CaseNotFound as exc:
        raise NotFound(str(exc)) from exc
    except ConflictError as exc:
        raise Conflict(str(exc), exc.case_id, exc.changed_by, exc.changed_at, exc.version) from exc
    except (CaseError, ResponseTimeError, ResponseKindError) as exc:
        raise ServiceError.of(exc) from exc


def assign(principal: Principal, case_id: int, expected_version: int | None, *, agency_code: str,
           assignee: str | None = None, supporting: list[str] | None = None, note: str | None = None) -> Case:
    def action(session, who: Principal, case: Case):
        if who.role == "kepala_dinas" and agency_code != who.agency_code:
            raise PermissionDenied("an agency head can assign only within their own agency")
        assignee_id = None
        if assignee:
            user = session.exec(select(StaffUser).where(StaffUser.username == assignee)).first()
            if user is None or not user.active:
                raise ServiceError(f"no active staff member {assignee!r}", "staff_inactive", user=assignee)
            if user.agency_code and user.agency_code != agency_code:
                raise ServiceError(f"{assignee} works for {user.agency_code}, not {agency_code}", "staff_other_agency",
                                   user=assignee, works_for=user.agency_code, agency=agency_code)
            assignee_id = user.id
        return store_cases.assign(session, case.id, expected_version, who.actor, agency_code=agency_code,
                                  assignee_id=assignee_id, supporting=supporting, note=note)
    return _act(principal, case_id, action)


def respond(principal: Principal, case_id: int, expected_version: int | None, *, text: str,
            channel: str, kind: str | None = None, happened_at: datetime | None = None) -> Case:
    """Log a response; ``kind`` None takes the channel's default (store.sla.default_kind)."""
    return _act(principal, case_id, lambda s, who, case: store_cases.log_response(
        s, case.id, expected_version, who.actor, text=text, channel=channel, kind=kind,
        happened_at=happened_at, now=utcnow()))


def change_response_kind(principal: Principal, case_id: int, expected_version: int | None, *, event_id: int,
                         kind: str) -> Case:
    """Correct a response's kind (audited on the case's timeline); whoever may respond may."""
    return _act(principal, case_id, lambda s, who, case: store_cases.change_response_kind(
        s, case.id, expected_version, who.actor, event_id=event_id, kind=kind, now=utcnow()))


def resolve(principal: Principal, case_id: int, expected_version: int | None,
            note: str | None = None) -> Case:
    return _act(principal, case_id, lambda s, who, case: store_cases.resolve(
        s, case.id, expected_version, who.actor, note=note))


def reopen(principal: Principal, case_id: int, expected_version: int | None,
           note: str | None = None) -> Case:
    return _act(principal, case_id, lambda s, who, case: store_cases.reopen(
        s, case.id, expected_version, who.actor, note=note))


def close_no_action(principal: Principal, case_id: int, expected_version: int | None,
                    note: str | None = None) -> Case:
    def action(session, who: Principal, case: Case):
        require_role(who, *MANAGE_ROLES)
        return store_cases.close_no_action(session, case.id, expected_version, who.actor, note=note)
    return _act(principal, case_id, action)


@dataclass(frozen=True)
class BulkResult:
    closed: list[int]
    failed: dict[int, ServiceError]  # case id → why it was not closed (already closed, not found …)


def bulk_close(principal: Principal, case_ids: list[int], note: str) -> BulkResult:
    """Close many cases as not actionable (spam, greetings). The role is checked once up
    front, so a read-only user changes nothing; a case that cannot be closed (someone
    closed it meanwhile) is reported and the others still close."""
    with read_session() as session:
        require_role(refresh_principal(session, principal), *MANAGE_ROLES)
    closed, failed = [], {}
    for case_id in case_ids:
        try:
            close_no_action(principal, case_id, None, note=note)
            closed.append(case_id)
        except PermissionDenied:
            raise
        except ServiceError as exc:
            failed[case_id] = exc
    return BulkResult(closed=closed, failed=failed)


def retag(principal: Principal, case_id: int, expected_version: int | None, *, category: str,
          urgency: str, kecamatan_code: str | None = None) -> Case:
    if category not in labels.categories() or urgency not in labels.urgencies():
        raise ServiceError(f"unknown category/urgency {category}/{urgency}")

    def action(session, who: Principal, case: Case):
        return store_cases.retag(session, case.id, expected_version, who.actor, category=category,
                                 urgency=urgency, targets=store_cases.load_targets(session),
                                 kecamatan_code=kecamatan_code)
    return _act(principal, case_id, action)


def can_manage(principal: Principal) -> bool:
    """Whether to offer triage actions (bulk close) in the UI; the actions check again."""
    return principal.role in MANAGE_ROLES
