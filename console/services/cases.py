"""Case reads and actions, with the permission rules applied before anything is read or
written. Each function opens its own session: pages and commands never hold one."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import select

from console.services import labels, policy, privacy
from console.services.auth import Principal, refresh_principal
from console.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from console.services.policy import Action
from store import cases as store_cases
from store import queries
from store.cases import CaseError, CaseNotFound, ConflictError
from store.db import read_session, write_session
from store.routing import record_reroute
from store.sla import ResponseKindError, ResponseTimeError
from store.tables import Agency, Case, CaseEvent, CaseSupport, StaffUser
from store.types import utcnow


@dataclass(frozen=True)
class MentionView:
    """One message of a case as this user may see it (numbers masked unless they call back)."""
    id: int
    platform: str
    external_id: str
    author: str | None
    text: str
    created_at: datetime
    permalink: str | None


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    mentions: list[MentionView]
    timeline: list[CaseEvent]
    supporting: list[str]
    assignee: StaffUser | None
    changed_by: str = ""  # display name of whoever changed the case last ("" for the system)
    allowed: frozenset[Action] = frozenset()  # what this user may do to this case (the page offers these)


def _listing(principal: Principal, flt: queries.CaseFilter) -> tuple[str | None, queries.CaseFilter]:
    scope = policy.list_scope(principal, Action.READ)
    return scope.agency, replace(flt, hide_restricted=scope.hide_restricted)


def triage(principal: Principal, flt: queries.CaseFilter, after: tuple | None = None,
           size: int = queries.PAGE_SIZE) -> queries.Page:
    with read_session() as session:
        principal = refresh_principal(session, principal)
        agency, flt = _listing(principal, flt)
        if agency is not None:
            return queries.agency_page(session, agency, flt, after, size)
        return queries.triage_page(session, flt, after, size)


def agency_queue(principal: Principal, agency_code: str | None = None,
                 flt: queries.CaseFilter | None = None, after: tuple | None = None,
                 size: int = queries.PAGE_SIZE) -> queries.Page:
    with read_session() as session:
        principal = refresh_principal(session, principal)
        scope, flt = _listing(principal, flt or queries.CaseFilter())
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
        facts = policy.facts(session, case)
        policy.require(principal, Action.READ, facts)
        assignee = session.get(StaffUser, case.assignee_id) if case.assignee_id else None
        changer = session.get(StaffUser, case.updated_by) if case.updated_by else None
        mentions = [MentionView(id=m.id, platform=m.platform, external_id=m.external_id, created_at=m.created_at,
                                permalink=m.permalink, text=privacy.text_for(principal, facts, m.text) or "",
                                author=privacy.author_for(principal, facts, m.author_handle or m.author_name))
                    for m in queries.case_mentions(session, case_id)]
        return CaseDetail(case=case, mentions=mentions, timeline=queries.case_timeline(session, case_id),
                          supporting=sorted(facts.supporting), assignee=assignee,
                          changed_by=changer.display_name if changer else "",
                          allowed=frozenset(a for a in Action if policy.allowed(principal, a, facts)))


def list_cases(principal: Principal, flt: queries.CaseFilter, limit: int = 100) -> list[Case]:
    return triage(principal, flt, size=limit).rows


def _act(principal: Principal, case_id: int, needs: Action, action):
    """Run one case action in a write transaction after the policy allows it."""
    try:
        with write_session() as session:
            principal = refresh_principal(session, principal)
            case = session.get(Case, case_id)
            if case is None:
                raise NotFound(f"case {case_id} not found")
            policy.require(principal, needs, policy.facts(session, case))
            return action(session, principal, case)
    except CaseNotFound as exc:
        raise NotFound(str(exc)) from exc
    except ConflictError as exc:
        raise Conflict(str(exc), exc.case_id, exc.changed_by, exc.changed_at, exc.version) from exc
    except (CaseError, ResponseTimeError, ResponseKindError) as exc:
        raise ServiceError.of(exc) from exc


def assign(principal: Principal, case_id: int, expected_version: int | None, *, agency_code: str,
           assignee: str | None = None, supporting: list[str] | None = None, note: str | None = None) -> Case:
    """Set the lead agency, the assignee and the supporting units (``None``: keep them as they
    are). Changing the lead agency or the supporting units is a hand-over (the comms team's
    job); a lead agency may only choose the assignee among its own staff."""
    def action(session, who: Principal, case: Case):
        current = sorted(session.exec(select(CaseSupport.agency_code).where(CaseSupport.case_id == case.id)).all())
        wanted = current if supporting is None else sorted(set(supporting) - {agency_code})
        if agency_code != case.lead_agency_code or wanted != current:
            policy.require(who, Action.HAND_OVER, policy.facts(session, case))
        lead = session.get(Agency, agency_code)
        if lead is not None and lead.kind == "kecamatan":
            raise ServiceError(f"{agency_code} is a kecamatan office: it can support a case, not lead it",
                               "lead_is_kecamatan", agency=agency_code)
        assignee_id = None
        if assignee:
            user = session.exec(select(StaffUser).where(StaffUser.username == assignee)).first()
            if user is None or not user.active:
                raise ServiceError(f"no active staff member {assignee!r}", "staff_inactive", user=assignee)
            if not policy.may_be_assignee(user, agency_code):
                raise ServiceError(f"{assignee} cannot take cases of {agency_code}", "staff_other_agency",
                                   user=assignee, works_for=user.agency_code or "-", agency=agency_code)
            assignee_id = user.id
        # A routed case handed elsewhere: the model's category was wrong (store.routing).
        record_reroute(session, case.id, agency_code, who.id)
        return store_cases.assign(session, case.id, expected_version, who.actor, agency_code=agency_code,
                                  assignee_id=assignee_id, supporting=wanted, note=note)
    return _act(principal, case_id, Action.ASSIGN, action)


def respond(principal: Principal, case_id: int, expected_version: int | None, *, text: str,
            channel: str, kind: str | None = None, happened_at: datetime | None = None) -> Case:
    """Log a response; ``kind`` None takes the channel's default (store.sla.default_kind)."""
    return _act(principal, case_id, Action.RESPOND, lambda s, who, case: store_cases.log_response(
        s, case.id, expected_version, who.actor, text=text, channel=channel, kind=kind,
        happened_at=happened_at, now=utcnow()))


def change_response_kind(principal: Principal, case_id: int, expected_version: int | None, *, event_id: int,
                         kind: str) -> Case:
    """Correct a response's kind (audited on the case's timeline); whoever may respond may."""
    return _act(principal, case_id, Action.RESPOND, lambda s, who, case: store_cases.change_response_kind(
        s, case.id, expected_version, who.actor, event_id=event_id, kind=kind, now=utcnow()))


def resolve(principal: Principal, case_id: int, expected_version: int | None,
            note: str | None = None) -> Case:
    return _act(principal, case_id, Action.RESOLVE, lambda s, who, case: store_cases.resolve(
        s, case.id, expected_version, who.actor, note=note))


def reopen(principal: Principal, case_id: int, expected_version: int | None,
           note: str | None = None) -> Case:
    return _act(principal, case_id, Action.RESOLVE, lambda s, who, case: store_cases.reopen(
        s, case.id, expected_version, who.actor, note=note))


def close_no_action(principal: Principal, case_id: int, expected_version: int | None,
                    note: str | None = None) -> Case:
    return _act(principal, case_id, Action.CLOSE, lambda s, who, case: store_cases.close_no_action(
        s, case.id, expected_version, who.actor, note=note))


@dataclass(frozen=True)
class BulkResult:
    closed: list[int]
    failed: dict[int, ServiceError]  # case id → why it was not closed (already closed, not found …)


def bulk_close(principal: Principal, case_ids: list[int], note: str) -> BulkResult:
    """Close many cases as not actionable (spam, greetings). The role is checked once up
    front, so a read-only user changes nothing; a case that cannot be closed (someone
    closed it meanwhile) is reported and the others still close."""
    with read_session() as session:
        policy.require(refresh_principal(session, principal), Action.CLOSE)
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


def retag(principal: Principal, case_id: int, expected_version: int | None, *, category: str | None,
          urgency: str | None, kecamatan_code: str | None = None) -> Case:
    """Correct the model's tags (kept as feedback for retraining); ``None`` keeps that tag as it
    is, which an untagged case does not have."""
    if (category is not None and category not in labels.categories()) or \
            (urgency is not None and urgency not in labels.urgencies()):
        raise ServiceError(f"unknown category/urgency {category}/{urgency}")

    def action(session, who: Principal, case: Case):
        new_category, new_urgency = category or case.category, urgency or case.urgency
        if new_category is None or new_urgency is None:
            raise ServiceError(f"case {case.id} has no {'category' if new_category is None else 'urgency'} "
                               "yet: give both", "retag_untagged")
        return store_cases.retag(session, case.id, expected_version, who.actor, category=new_category,
                                 urgency=new_urgency, targets=store_cases.load_targets(session),
                                 kecamatan_code=kecamatan_code)
    return _act(principal, case_id, Action.RETAG, action)


def set_restricted(principal: Principal, case_id: int, expected_version: int | None, restricted: bool,
                   note: str | None = None) -> Case:
    """Mark a case restricted (children, domestic violence …) or lift the mark; audited."""
    return _act(principal, case_id, Action.RESTRICT, lambda s, who, case: store_cases.set_restricted(
        s, case.id, expected_version, who.actor, restricted=restricted, note=note))


def can_manage(principal: Principal) -> bool:
    """Whether to offer triage actions (bulk close) in the UI; the actions check again."""
    return policy.may(principal, Action.CLOSE)
