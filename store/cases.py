"""Writes to cases: open, attach a mention, assign, respond, resolve, reopen, close, re-tag.

Every change goes through ``_update`` which checks the version the caller saw (optimistic
locking), keeps the derived columns in step, and appends the CaseEvent. A second writer
gets a ConflictError saying who changed the case and when; nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, select

from store import sla
from store.alerts import on_case_events
from store.errors import ExplainedError
from store.settings import get_settings
from store.sla import SlaPolicy, Targets, check_response_time, minutes_between, policy_from
from store.tables import (
    Agency,
    Case,
    CaseEvent,
    CaseSupport,
    Mention,
    SlaTarget,
    StaffUser,
    TagFeedback,
)
from store.types import utcnow
from store.vocabulary import (
    CASE_STATUSES,
    OPEN_STATUSES,
    RESPONSE_CHANNELS,
    UNTAGGED_RANK,
    URGENCY_RANK,
)

# Categories whose cases are restricted as soon as they are tagged so (by the model, a rule or
# a person): children's cases (UU 35/2014 on child protection, UU 27/2022 on personal data).
RESTRICTED_CATEGORIES = frozenset({"perlindungan_anak"})
SUMMARY_CHARS = 280


class CaseError(ExplainedError):
    """A change that cannot be made; the message says why, in words staff understand."""


class CaseNotFound(CaseError):
    pass


class ConflictError(CaseError):
    def __init__(self, case_id: int, changed_by: str, changed_at: datetime, version: int):
        self.case_id, self.changed_by, self.changed_at, self.version = case_id, changed_by, changed_at, version
        super().__init__(
            f"case {case_id} was changed by {changed_by} at {changed_at.isoformat()} "
            f"while you were working on it (now version {version}); reload it and try again")


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a staff user, or a system source such as 'system:facebook'."""
    id: int | None
    label: str


@dataclass(frozen=True)
class CaseTags:
    category: str | None = None
    urgency: str | None = None
    category_confidence: float | None = None
    urgency_confidence: float | None = None
    model_version: str | None = None
    needs_review: bool = False
    kecamatan_code: str | None = None
    desa: str | None = None
    # Why the urgency is not the model's own (a danger rule raised it, or the over/negation
    # layer lowered it), in words for staff; kept in the case's "opened" event.
    urgency_reason: dict | None = None
    topic: str | None = None  # classifier.topics: a finer route inside the category
    mention_id: int | None = None  # the message tagged (set by intake, for the timeline)


def load_policy(session: Session) -> SlaPolicy:
    """The handling clock's policy: settings, then the admin's overrides."""
    settings = get_settings()
    overrides = {row.scope: row.minutes for row in session.exec(select(SlaTarget)).all()}
    return policy_from(settings.sla_target_minutes, settings.sla_target_minutes_by_urgency, overrides)


def load_targets(session: Session) -> Targets:
    """Both clocks' policies; the acknowledgement target is a setting only."""
    settings = get_settings()
    return Targets(handling=load_policy(session),
                   acknowledgement=policy_from(settings.ack_target_minutes, settings.ack_target_minutes_by_urgency))


def derived_values(status: str, urgency: str | None, lead_agency_code: str | None, opened_at: datetime,
                   due_at: datetime, ack_due_at: datetime, first_response_at: datetime | None,
                   first_handling_at: datetime | None, resolved_at: datetime | None) -> dict[str, Any]:
    return {
        "is_open": status in OPEN_STATUSES,
        "queue_rank": 0 if lead_agency_code is None else 1,
        "urgency_rank": URGENCY_RANK.get(urgency or "", UNTAGGED_RANK),
        "resolution_minutes": minutes_between(opened_at, resolved_at) if resolved_at else None,
        **sla.clock_columns(opened_at, due_at, ack_due_at, first_response_at, first_handling_at),
    }


def get_case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise CaseNotFound(f"case {case_id} does not exist")
    return case


def assign(session: Session, case_id: int, expected_version: int | None, actor: Actor, *,
           agency_code: str, assignee_id: int | None = None,
           supporting: list[str] | None = None, note: str | None = None,
           now: datetime | None = None, action: str = "assigned", why: dict | None = None,
           extra_values: dict[str, Any] | None = None) -> Case:
    """``action``, ``why`` and ``extra_values``: the router's assignment is written as "routed"
    with the category, probability and threshold that decided it, and the probability is
    stored in the same write (store.routing)."""
    case = get_case(session, case_id)
    if not case.is_open:
        raise CaseError(f"case {case_id} is {case.status}; reopen it before assigning", "assign_not_open",
                        status=case.status)
    if session.get(Agency, agency_code) is None:
        raise CaseError(f"unknown agency {agency_code!r}", "unknown_agency", agency=agency_code)
    if assignee_id is not None:
        user = session.get(StaffUser, assignee_id)
        if user is None or not user.active:
            raise CaseError(f"unknown or inactive staff member id {assignee_id}", "unknown_staff")
    supporting = sorted(set(supporting or []) - {agency_code})
    for code in supporting:
        if session.get(Agency, code) is None:
            raise CaseError(f"unknown supporting unit {code!r}", "unknown_agency", agency=code)
    old_support = sorted(session.exec(select(CaseSupport.agency_code).where(
        CaseSupport.case_id == case_id)).all())
    old = {"lead_agency": case.lead_agency_code, "assignee": case.assignee_id, "supporting": old_support}
    new = {"lead_agency": agency_code, "assignee": assignee_id, "supporting": supporting, **(why or {})}
    status = "assigned" if case.status == "new" else case.status
    _update(session, case, expected_version, actor, action, old, new, note, now=now,
            status=status, lead_agency_code=agency_code, assignee_id=assignee_id, **(extra_values or {}))
    for code in set(old_support) - set(supporting):
        session.delete(session.get(CaseSupport, (case_id, code)))
    for code in set(supporting) - set(old_support):
        session.add(CaseSupport(case_id=case_id, agency_code=code))
    return get_case(session, case_id)


def add_support(session: Session, case_id: int, agency_code: str, actor: Actor, *,
                now: datetime | None = None) -> bool:
    """A supporting unit the system adds (a message to a camat's WhatsApp line puts that
    kecamatan office on its case), through the same write as every change. No expected
    version, like move_due. False when the unit is already on the case."""
    case = get_case(session, case_id)
    if session.get(Agency, agency_code) is None:
        raise CaseError(f"unknown supporting unit {agency_code!r}", "unknown_agency", agency=agency_code)
    old_support = sorted(session.exec(select(CaseSupport.agency_code).where(CaseSupport.case_id == case_id)).all())
    if agency_code == case.lead_agency_code or agency_code in old_support:
        return False
    _update(session, case, None, actor, "support_added", {"supporting": old_support},
            {"supporting": sorted([*old_support, agency_code])}, None, now=now)
    session.add(CaseSupport(case_id=case_id, agency_code=agency_code))
    return True


def log_response(session: Session, case_id: int, expected_version: int | None, actor: Actor, *,
                 text: str, channel: str, kind: str | None = None, happened_at: datetime | None = None,
                 now: datetime | None = None, external_ref: str | None = None) -> Case:
    """Log a response of a kind (default: the channel's, store.sla.default_kind). Any kind stops
    the acknowledgement clock, a handling one the handling clock; a backdated one can be first.
    ``external_ref`` names the platform post that is the response ('twitter:<id>'), unique."""
    now = now or utcnow()
    happened_at = happened_at or now
    if channel not in RESPONSE_CHANNELS:
        raise CaseError(f"unknown response channel {channel!r}; use one of {', '.join(RESPONSE_CHANNELS)}",
                        "response_channel", channel=channel)
    kind = kind or sla.default_kind(channel)
    sla.check_kind(kind)
    if not text.strip():
        raise CaseError("the response text is empty", "response_empty")
    case = get_case(session, case_id)
    if case.status not in OPEN_STATUSES:
        # A resolved or closed case is over for the clocks and the statistics: reopen it first.
        raise CaseError(f"case {case_id} is {case.status}; reopen it before logging a response",
                        "respond_not_open", status=case.status)
    check_response_time(happened_at, case.opened_at, now)
    earlier = [(at, k) for at, k in ((case.first_response_at, sla.ACKNOWLEDGEMENT),
                                     (case.first_handling_at, sla.HANDLING)) if at is not None]
    status = "responded" if case.status in ("new", "assigned") else case.status
    _update(session, case, expected_version, actor, "responded",
            {"status": case.status}, {"status": status, "kind": kind}, None,
            now=now, status=status, **sla.first_times([*earlier, (happened_at, kind)]),
            event_extra={"response_text": text, "response_channel": channel, "response_kind": kind,
                         "happened_at": happened_at, "external_ref": external_ref})
    return get_case(session, case_id)


def change_response_kind(session: Session, case_id: int, expected_version: int | None, actor: Actor, *,
                         event_id: int, kind: str, now: datetime | None = None) -> Case:
    """Correct the kind of a logged response (e.g. a reply that was really a complete answer).
    The clocks are worked out again from every response; the change is on the timeline."""
    sla.check_kind(kind)
    case = get_case(session, case_id)
    response = session.get(CaseEvent, event_id)
    if response is None or response.case_id != case_id or response.action != "responded":
        raise CaseError(f"case {case_id} has no response {event_id}", "response_not_found", response=event_id)
    old_kind = response.response_kind
    if old_kind == kind:
        return case
    response.response_kind = kind
    session.flush()
    responses = session.exec(select(CaseEvent.happened_at, CaseEvent.response_kind).where(
        CaseEvent.case_id == case_id, CaseEvent.action == "responded")).all()
    _update(session, case, expected_version, actor, "response_kind_changed",
            {"response": event_id, "kind": old_kind}, {"response": event_id, "kind": kind}, None,
            now=now, **sla.first_times(responses))
    return get_case(session, case_id)


def resolve(session: Session, case_id: int, expected_version: int | None, actor: Actor,
            note: str | None = None, now: datetime | None = None) -> Case:
    now = now or utcnow()
    case = get_case(session, case_id)
    if case.status not in OPEN_STATUSES:
        raise CaseError(f"case {case_id} is already {case.status}", "case_already", status=case.status)
    if case.first_handling_at is None:
        # An acknowledgement is not help: the handling clock must stop before the case closes.
        raise CaseError(f"case {case_id} has no handling response yet; log the help given before resolving",
                        "resolve_unhandled")
    _update(session, case, expected_version, actor, "resolved", {"status": case.status},
            {"status": "resolved"}, note, now=now, status="resolved", resolved_at=now)
    return get_case(session, case_id)


def close_no_action(session: Session, case_id: int, expected_version: int | None, actor: Actor,
                    note: str | None = None) -> Case:
    case = get_case(session, case_id)
    if case.status not in OPEN_STATUSES:
        raise CaseError(f"case {case_id} is already {case.status}", "case_already", status=case.status)
    _update(session, case, expected_version, actor, "closed_no_action", {"status": case.status},
            {"status": "closed_no_action"}, note, status="closed_no_action")
    return get_case(session, case_id)


def reopen(session: Session, case_id: int, expected_version: int | None, actor: Actor,
           note: str | None = None) -> Case:
    """A reopened case keeps both first times: both clocks were met or missed already."""
    case = get_case(session, case_id)
    if case.status in OPEN_STATUSES:
        raise CaseError(f"case {case_id} is open already", "already_open")
    status = "responded" if case.first_response_at else ("assigned" if case.lead_agency_code else "new")
    _update(session, case, expected_version, actor, "reopened", {"status": case.status},
            {"status": status}, note, status=status, resolved_at=None)
    return get_case(session, case_id)


def retag(session: Session, case_id: int, expected_version: int | None, actor: Actor, *,
          category: str, urgency: str, targets: Targets, kecamatan_code: str | None = None) -> Case:
    """Staff correct the model; the correction is also kept as a training example."""
    case = get_case(session, case_id)
    old = {"category": case.category, "urgency": case.urgency, "kecamatan": case.kecamatan_code}
    new = {"category": category, "urgency": urgency, "kecamatan": kecamatan_code or case.kecamatan_code}
    values: dict[str, Any] = {"category": category, "urgency": urgency, "tagged_by": "staff",
                              "needs_review": False, "kecamatan_code": new["kecamatan"]}
    # The model's confidence belongs to the model's label: a label staff changed has none.
    if category != case.category:
        values["category_confidence"] = None
    if urgency != case.urgency:
        values["urgency_confidence"] = None
    values.update(sla.due_after_retag(targets, case.opened_at, urgency, case.first_response_at,
                                      case.first_handling_at))
    if category in RESTRICTED_CATEGORIES and not case.restricted:
        values["restricted"] = new["restricted"] = True
    _update(session, case, expected_version, actor, "retagged", old, new, None, **values)
    text = "\n".join(session.exec(select(Mention.text).where(Mention.case_id == case_id)
                                  .order_by(Mention.created_at)).all())
    session.add(TagFeedback(case_id=case_id, text=text, category=category, urgency=urgency,
                            model_category=old["category"], model_urgency=old["urgency"],
                            user_id=actor.id))
    return get_case(session, case_id)


def set_restricted(session: Session, case_id: int, expected_version: int | None, actor: Actor, *,
                   restricted: bool, note: str | None = None) -> Case:
    """Mark a case restricted (e.g. domestic violence) or lift the mark; audited. A case in a
    restricted category stays restricted: re-tag it first if the tag was wrong."""
    case = get_case(session, case_id)
    if restricted == case.restricted:
        return case
    if not restricted and case.category in RESTRICTED_CATEGORIES:
        raise CaseError(f"case {case_id} is tagged {case.category} and stays restricted; correct the tag first",
                        "restricted_category", category=case.category)
    _update(session, case, expected_version, actor, "restricted" if restricted else "unrestricted",
            {"restricted": case.restricted}, {"restricted": restricted}, note, restricted=restricted)
    return get_case(session, case_id)


def move_due(session: Session, case_id: int, actor: Actor, *, due_at: datetime | None = None,
             opened_at: datetime | None = None, now: datetime | None = None, **values: Any) -> None:
    """A due time the system moves (a new SLA target, an earlier mention delivered late),
    through the same write as every change, with a 'due_changed' event. No expected
    version: the system's move does not wait for staff; their next write sees the new version."""
    case = get_case(session, case_id)
    changed = {k: v for k, v in (("due_at", due_at), ("opened_at", opened_at)) if v is not None}
    changed.update(values)
    old = {k: getattr(case, k) for k in changed if k in ("due_at", "ack_due_at", "opened_at")}
    new = {k: changed[k] for k in old}
    _update(session, case, None, actor, "due_changed", old, new, None, now=now, **changed)


def _update(session: Session, case: Case, expected_version: int | None, actor: Actor, action: str,
            old: Any, new: Any, note: str | None, event_extra: dict | None = None,
            now: datetime | None = None, **values: Any) -> None:
    if expected_version is not None and expected_version != case.version:
        raise _conflict(session, case)
    merged = {c: getattr(case, c) for c in ("status", "urgency", "lead_agency_code", "opened_at", "due_at",
                                            "ack_due_at", "first_response_at", "first_handling_at",
                                            "resolved_at")}
    merged.update({k: v for k, v in values.items() if k in merged})
    if merged["status"] not in CASE_STATUSES:
        raise CaseError(f"unknown status {merged['status']!r}")
    values.update(derived_values(**merged))
    now = now or utcnow()
    result = session.execute(
        update(Case).where(Case.id == case.id, Case.version == case.version)
        .values(version=case.version + 1, updated_at=now, updated_by=actor.id, **values))
    if result.rowcount != 1:
        session.expire(case)
        raise _conflict(session, case)
    extra = dict(event_extra or {})
    _event(session, case.id, actor, action, old, new, note=note,
           happened_at=extra.pop("happened_at", now), logged_at=now, **extra)
    session.expire(case)


def _conflict(session: Session, case: Case) -> ConflictError:
    session.refresh(case)
    who = "the system"
    if case.updated_by is not None:
        user = session.get(StaffUser, case.updated_by)
        who = user.display_name if user else f"user {case.updated_by}"
    return ConflictError(case.id, who, case.updated_at, case.version)


def record_event(session: Session, case_id: int, actor: Actor, action: str, old: Any = None, new: Any = None,
                 note: str | None = None, now: datetime | None = None) -> None:
    """An entry on a case's timeline that changes nothing on the case (e.g. a reply's state)."""
    _event(session, case_id, actor, action, old, new, note=note, happened_at=now, logged_at=now)


def _event(session: Session, case_id: int, actor: Actor, action: str, old: Any, new: Any,
           note: str | None = None, happened_at: datetime | None = None,
           logged_at: datetime | None = None, **extra: Any) -> None:
    logged_at = logged_at or utcnow()
    session.add(CaseEvent(case_id=case_id, actor_id=actor.id, actor_label=actor.label, action=action,
                          old_value=_jsonable(old), new_value=_jsonable(new), note=note,
                          happened_at=happened_at or utcnow(), logged_at=logged_at, **extra))
    # Alerts the event causes are queued in the same transaction (store/alerts.py).
    on_case_events(session, [(case_id, action, new)], logged_at)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value
