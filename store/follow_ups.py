"""What a tagged follow-up does to its case: every message counts, not only the first.

A thread that opens "pak mau lapor" and goes on "anak saya kejang2 sudah tidak sadar" is
about a child in danger, not a greeting. When new mentions join a case (collectors.ingest
tags them in the same classifier call as the new cases), the case is brought up to date:

- **Urgency** is the highest of its messages: a follow-up more urgent than the case raises it
  (``urgency_raised``); a less or equally urgent one changes nothing. So a case staff lowered
  stays lowered until a message more urgent than their choice arrives. A rise moves each
  running clock's due time earlier when the new urgency's target gives an earlier time, never
  later (store.sla.due_after_rise).
- **Category**, while the case is still the system's to decide (no lead agency, or only the
  router's with nobody acting on it since) and staff have not re-tagged it, is the category
  of its most confident message (``category_changed``), and the case is routed again by it. The most confident
  message rather than the thread's joined text: the model was trained and calibrated on single
  messages, so a greeting glued to a report is outside what its probabilities mean, and the
  per-message tags are already there (no second classifier pass on the ingest path).
- **Place**: a case with no kecamatan takes the first one a follow-up names (``place_found``).
- **Routing**: such a case whose category now reaches the routing threshold is routed
  (store.routing); a routed case whose category changed goes to the new category's agency,
  and one whose place was found gets that kecamatan's office as supporting unit.

Each change is a case write by ``system:tagger`` (the routing by ``system:router``) through
store.cases._update, with old and new values in the timeline. Cases are read in one query per
batch; only those that change are written one by one (rare next to plain follow-ups).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from store.cases import RESTRICTED_CATEGORIES, Actor, CaseTags, _update, get_case
from store.routing import RoutingTable, add_office, route_case
from store.sla import Targets, due_after_rise
from store.tables import Case, CaseEvent
from store.vocabulary import URGENCY_RANK

TAGGER = Actor(None, "system:tagger")


def _rank(urgency: str | None) -> int:
    return URGENCY_RANK.get(urgency or "", len(URGENCY_RANK))


def most_urgent(tags: Sequence[CaseTags]) -> CaseTags | None:
    tagged = [t for t in tags if t.urgency is not None]
    return min(tagged, key=lambda t: _rank(t.urgency)) if tagged else None


def most_confident(tags: Sequence[CaseTags]) -> CaseTags | None:
    tagged = [t for t in tags if t.category is not None and t.category_confidence is not None]
    return max(tagged, key=lambda t: t.category_confidence or 0.0) if tagged else None


def apply_follow_ups(session: Session, follow_ups: Mapping[int, Sequence[CaseTags | None]], targets: Targets,
                     table: RoutingTable | None, now: datetime) -> None:
    """Bring each case up to date with the tags of the mentions that just joined it."""
    tagged = {case_id: [t for t in tags if t is not None] for case_id, tags in follow_ups.items()}
    tagged = {case_id: tags for case_id, tags in tagged.items() if tags}
    if not tagged:
        return
    columns = (Case.id, Case.is_open, Case.status, Case.urgency, Case.category, Case.category_confidence,
               Case.tagged_by, Case.lead_agency_code, Case.assignee_id, Case.kecamatan_code)
    states = session.execute(select(*map(col, columns)).where(col(Case.id).in_(list(tagged)))).all()
    for state in states:
        if state.is_open:
            _update_case(session, state, tagged[state.id], targets, table, now)


def _update_case(session: Session, state: Any, tags: list[CaseTags], targets: Targets,
                 table: RoutingTable | None, now: datetime) -> None:
    top = most_urgent(tags)
    if top is not None and _rank(top.urgency) < _rank(state.urgency):
        raise_urgency(session, state.id, top, targets, now)
    category = state.category
    best = most_confident(tags)
    surer = (state.tagged_by != "staff" and best is not None and best.category != state.category
             and (best.category_confidence or 0.0) > (state.category_confidence or 0.0))
    placed = next((t for t in tags if t.kecamatan_code), None) if state.kecamatan_code is None else None
    # Still the system's to decide: no agency yet, or only the router's, untouched since (read
    # only when a surer category or a place asks for it: most follow-ups join cases staff work on).
    systems = state.lead_agency_code is None or ((surer or placed is not None) and routed_untouched(session, state))
    if systems and surer and best is not None:
        change_category(session, state.id, best, now)
        category = best.category
    if placed is not None:
        case = get_case(session, state.id)
        _update(session, case, None, TAGGER, "place_found", {"kecamatan": None, "desa": case.desa},
                {"kecamatan": placed.kecamatan_code, "desa": placed.desa, "mention": placed.mention_id}, None,
                now=now, kecamatan_code=placed.kecamatan_code, desa=placed.desa or case.desa)
    if systems and table is not None:
        # The most confident message of the case's category decides, with its probability.
        same = most_confident([t for t in tags if t.category == category])
        if same is not None:
            # The case keeps the higher probability of its category (the opener's may be it).
            kept = state.category_confidence if category == state.category else None
            confidence = max(same.category_confidence or 0.0, kept or 0.0)
            route_case(session, table, state.id, same, now=now, category_confidence=confidence)
    if systems and table is not None and placed is not None and placed.kecamatan_code:
        add_office(session, table, state.id, placed.kecamatan_code, now)


def routed_untouched(session: Session, state: Any) -> bool:
    """The case's agency is the router's and nobody has acted on it since: no assignee, no
    response (status still "assigned"), and its last assignment is the router's. A greeting
    the model was sure of ("pak mau lapor") must not pin the case to the wrong agency when the
    report itself follows."""
    if state.assignee_id is not None or state.status != "assigned":
        return False
    last = session.execute(select(col(CaseEvent.action)).where(
        col(CaseEvent.case_id) == state.id, col(CaseEvent.action).in_(("assigned", "routed")))
        .order_by(col(CaseEvent.id).desc()).limit(1)).scalar()
    return last == "routed"


def raise_urgency(session: Session, case_id: int, tag: CaseTags, targets: Targets, now: datetime) -> None:
    case = get_case(session, case_id)
    due = due_after_rise(targets, case.opened_at, tag.urgency, case.due_at, case.ack_due_at,
                         case.first_response_at, case.first_handling_at)
    old: dict[str, Any] = {"urgency": case.urgency, **{k: getattr(case, k) for k in due}}
    new: dict[str, Any] = {"urgency": tag.urgency, **due, "mention": tag.mention_id}
    if tag.urgency_reason is not None:
        new["urgency_reason"] = tag.urgency_reason
    values: dict[str, Any] = {"urgency": tag.urgency, "urgency_confidence": tag.urgency_confidence,
                              "needs_review": case.needs_review or tag.needs_review, **due}
    _update(session, case, None, TAGGER, "urgency_raised", old, new, None, now=now, **values)


def change_category(session: Session, case_id: int, tag: CaseTags, now: datetime) -> None:
    case = get_case(session, case_id)
    old = {"category": case.category, "confidence": case.category_confidence}
    new = {"category": tag.category, "confidence": tag.category_confidence, "mention": tag.mention_id}
    values: dict[str, Any] = {"category": tag.category, "category_confidence": tag.category_confidence,
                              "model_version": tag.model_version, "tagged_by": "model"}
    if tag.category in RESTRICTED_CATEGORIES and not case.restricted:
        values["restricted"] = new["restricted"] = True
    _update(session, case, None, TAGGER, "category_changed", old, new, None, now=now, **values)
