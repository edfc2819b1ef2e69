"""How stored mentions become cases: open new cases and attach follow-ups, in bulk.

The collectors hand over a whole batch at once; cases, mention links and timeline events
are written with executemany (one statement per kind, not per mention), which is what lets
ingestion keep up with a flood of mentions after a disaster.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from store.alerts import on_case_events
from store.cases import RESTRICTED_CATEGORIES, SUMMARY_CHARS, Actor, CaseTags, derived_values, move_due
from store.routing import ROUTER, Route, RoutingTable
from store.sla import Targets, due_after_earlier_mention
from store.tables import Case, CaseEvent, CaseSupport, Mention
from store.types import utcnow

# The "routed" event's old value for a case born assigned: what store.cases.assign records.
UNASSIGNED = {"lead_agency": None, "assignee": None, "supporting": []}


@dataclass(frozen=True)
class StoredMention:
    """What intake needs of a stored mention row."""
    id: int
    platform: str
    text: str
    created_at: datetime
    author: str | None

    @classmethod
    def of(cls, mention, id: int | None = None) -> StoredMention:
        """From a stored Mention row, or from a collector's Mention with the id it got."""
        return cls(id=mention.id if id is None else id, platform=mention.platform, text=mention.text,
                   created_at=mention.created_at,
                   author=mention.author_handle or mention.author_name or mention.author_id)


def open_cases(session: Session, items: Sequence[tuple[StoredMention, CaseTags | None]], targets: Targets,
               actor: Actor, table: RoutingTable | None = None) -> list[int]:
    """One new case per mention; returns the case ids in the order given. With a routing
    table, a case the model is sure enough of is born assigned to its agency, with a
    "routed" event by system:router after its "opened" one (store.routing)."""
    if not items:
        return []
    now = utcnow()
    values = []
    routes: list[Route | None] = []
    for m, tags in items:
        tags = tags or CaseTags()
        tagged = tags.category is not None
        due = targets.due_times(m.created_at, tags.urgency)
        route = table.route(tags, tags.kecamatan_code) if table is not None else None
        routes.append(route)
        lead = route.agency if route else None
        status = "assigned" if route else "new"
        values.append(dict(
            status=status, category=tags.category, urgency=tags.urgency,
            category_confidence=tags.category_confidence, urgency_confidence=tags.urgency_confidence,
            model_version=tags.model_version, tagged_by="model" if tagged else None,
            needs_review=tags.needs_review or not tagged, restricted=tags.category in RESTRICTED_CATEGORIES,
            kecamatan_code=tags.kecamatan_code, desa=tags.desa,
            lead_agency_code=lead, assignee_id=None, platform=m.platform, summary=m.text[:SUMMARY_CHARS],
            author=m.author, mention_count=1, opened_at=m.created_at, last_mention_at=m.created_at, **due,
            first_response_at=None, first_handling_at=None, resolved_at=None, version=1, updated_at=now,
            updated_by=None, **derived_values(status, tags.urgency, lead, m.created_at, due["due_at"],
                                              due["ack_due_at"], None, None, None)))
    ids = list(session.scalars(insert(Case).returning(Case.id, sort_by_parameter_order=True), values))
    _link(session, [(case_id, m.id) for (m, _), case_id in zip(items, ids, strict=True)])
    events = [_event(case_id, actor, "opened", _opened(m, tags or CaseTags()), m.created_at, now)
              for (m, tags), case_id in zip(items, ids, strict=True)]
    if table is not None:
        routed = [(case_id, m, tags, route) for (m, tags), case_id, route in zip(items, ids, routes, strict=True)
                  if route is not None and tags is not None]
        events += [_event(case_id, ROUTER, "routed", {"lead_agency": route.agency, "assignee": None,
                                                       "supporting": list(route.supporting),
                                                       **table.why(replace(tags, mention_id=m.id), route)},
                          max(now, m.created_at), now, old=UNASSIGNED)
                   for case_id, m, tags, route in routed]
        supports = [{"case_id": case_id, "agency_code": code}
                    for case_id, _, _, route in routed for code in route.supporting]
        if supports:
            session.execute(insert(CaseSupport.__table__), supports)
    session.execute(insert(CaseEvent.__table__), events)
    on_case_events(session, [(e["case_id"], e["action"], e["new_value"]) for e in events], now)
    return ids


def _opened(m: StoredMention, tags: CaseTags) -> dict:
    """The "opened" event's payload; the urgency's reason only when there is one."""
    payload = {"mention": m.id, "category": tags.category, "urgency": tags.urgency}
    if tags.urgency_reason is not None:
        payload["urgency_reason"] = tags.urgency_reason
    return payload


def attach_mentions(session: Session, items: Sequence[tuple[int, StoredMention]], targets: Targets,
                    actor: Actor) -> None:
    """Follow-ups join open cases: (case id, mention). An earlier mention arriving late moves
    opened_at (and both due times) back, since the clocks start at the first mention; that
    rare move goes through the case-write path (store.cases.move_due), audited."""
    if not items:
        return
    now = utcnow()
    _link(session, [(case_id, m.id) for case_id, m in items])
    by_case: dict[int, list[StoredMention]] = {}
    for case_id, m in items:
        by_case.setdefault(case_id, []).append(m)
    cases = {c.id: c for c in session.execute(
        select(Case.id, Case.urgency, Case.opened_at, Case.last_mention_at, Case.mention_count)
        .where(Case.id.in_(list(by_case)))).all()}
    changes, moved = [], []
    for case_id, mentions in by_case.items():
        case = cases[case_id]
        earliest = min(mentions, key=lambda m: m.created_at)
        changes.append({"id": case_id, "mention_count": case.mention_count + len(mentions),
                        "last_mention_at": max([case.last_mention_at] + [m.created_at for m in mentions])})
        if earliest.created_at < case.opened_at:
            moved.append((case_id, earliest, due_after_earlier_mention(targets, earliest.created_at, case.urgency)))
    # Rows with the same keys go in one executemany.
    table = Case.__table__
    for keys in {tuple(sorted(v)) for v in changes}:
        stmt = (update(table).where(table.c.id == bindparam("case_id"))
                .values({k: bindparam(f"new_{k}") for k in keys if k != "id"}))
        session.execute(stmt, [{"case_id": v["id"], **{f"new_{k}": v[k] for k in keys if k != "id"}}
                               for v in changes if tuple(sorted(v)) == keys])
    events = [_event(case_id, actor, "mention_added", {"mention": m.id}, m.created_at, now) for case_id, m in items]
    session.execute(insert(CaseEvent.__table__), events)
    on_case_events(session, [(e["case_id"], e["action"], e["new_value"]) for e in events], now)
    for case_id, earliest, due in moved:
        move_due(session, case_id, actor, opened_at=earliest.created_at, now=now, summary=earliest.text[:SUMMARY_CHARS],
                 author=earliest.author, **due)


def open_case(session: Session, mention: Mention, tags: CaseTags | None, targets: Targets, actor: Actor) -> Case:
    """A new case for one stored mention (the import of a single row, tests)."""
    session.flush()
    [case_id] = open_cases(session, [(StoredMention.of(mention), tags)], targets, actor)
    session.expire(mention)
    return session.get(Case, case_id)


def attach_mention(session: Session, case_id: int, mention: Mention, targets: Targets, actor: Actor) -> None:
    """A follow-up for one stored mention (the import of a single row, tests)."""
    session.flush()
    attach_mentions(session, [(case_id, StoredMention.of(mention))], targets, actor)
    session.expire(mention)


def _link(session: Session, pairs: list[tuple[int, int]]) -> None:
    """Point mentions at their cases: (case id, mention id), one executemany."""
    table = Mention.__table__
    session.execute(update(table).where(table.c.id == bindparam("mention_id")).values(case_id=bindparam("cid")),
                    [{"mention_id": mention_id, "cid": case_id} for case_id, mention_id in pairs])


def _event(case_id: int, actor: Actor, action: str, new: dict, happened_at: datetime, now: datetime,
           old: dict | None = None) -> dict:
    return {"case_id": case_id, "actor_id": actor.id, "actor_label": actor.label, "action": action,
            "old_value": old, "new_value": new, "note": None, "response_text": None, "response_channel": None,
            "happened_at": happened_at, "logged_at": now}
