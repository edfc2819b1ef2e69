"""Routing at intake: a case whose category the model is sure enough of goes straight to the
agency the routing table names, with the kecamatan office of the place found as supporting
unit, instead of waiting in triage for a person.

- The threshold is the admin's (an ``AdminSetting`` row, set on the Admin page or with
  ``tanggap routing threshold``), else the active model's, chosen by cross-validation on the
  training data so that routed cases are right at least 95 % of the time (its model card).
  No threshold (no model, no admin value): nothing is routed.
- The route: a topic route when the message names a topic of its category that another agency
  handles (``TopicRoute``: street lights → DISHUB), else the category's (``CategoryRoute``).
  An inactive agency, or a kecamatan office (it can support, not lead), routes nothing.
- Every routing is a case write by ``system:router`` ("routed" in the timeline, with the
  category, its probability and the threshold); comms can re-route (a re-route of a routed
  case is kept as feedback for the model: store.cases.assign's caller, console/services).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from store.cases import Actor, CaseTags, assign
from store.tables import (
    AdminSetting,
    Agency,
    Case,
    CaseEvent,
    CaseSupport,
    CategoryRoute,
    Kecamatan,
    Mention,
    TagFeedback,
    TopicRoute,
)

ROUTER = Actor(None, "system:router")
THRESHOLD_SETTING = "routing_threshold"


@dataclass(frozen=True)
class Route:
    agency: str
    supporting: tuple[str, ...]
    topic: str | None  # the topic route used, None for the category's own


@dataclass(frozen=True)
class RoutingTable:
    """The routing table and the kecamatan offices, read once per batch of mentions."""
    threshold: float | None
    categories: dict[str, str]  # category → agency
    topics: dict[str, tuple[str, str, str | None]]  # topic → (category, agency, supporting unit)
    offices: dict[str, str]  # kecamatan code → its office (an agency code)
    leads: frozenset[str]  # agencies that may lead a case: active, not a kecamatan office

    def route(self, tags: CaseTags | None, kecamatan_code: str | None) -> Route | None:
        """Where a case with these tags goes, or None: it stays in triage."""
        if (tags is None or tags.category is None or self.threshold is None
                or tags.category_confidence is None or tags.category_confidence < self.threshold):
            return None
        topic = self.topics.get(tags.topic or "")
        agency: str | None
        if topic is not None and topic[0] == tags.category and topic[1] in self.leads:
            agency, support, used = topic[1], topic[2], tags.topic
        else:
            agency, support, used = self.categories.get(tags.category), None, None
        if agency is None or agency not in self.leads:
            return None
        office = self.offices.get(kecamatan_code or "")
        supporting = tuple(sorted({code for code in (support, office) if code and code != agency}))
        return Route(agency, supporting, used)

    def why(self, tags: CaseTags, route: Route) -> dict[str, Any]:
        """What the timeline's "routed" entry records besides the agencies."""
        return {"category": tags.category, "probability": tags.category_confidence, "threshold": self.threshold,
                "topic": route.topic, "mention": tags.mention_id}


def admin_threshold(session: Session) -> float | None:
    value = session.connection().execute(
        select(col(AdminSetting.value)).where(col(AdminSetting.name) == THRESHOLD_SETTING)).scalar()
    return None if value is None else float(value)


def routing_table(session: Session, model_threshold: float | None) -> RoutingTable:
    """The table as it stands; ``model_threshold`` is the active model's (the default). Read
    for every batch of mentions (an admin's change applies to the next batch), with plain
    statements: five small tables, a few milliseconds."""
    conn = session.connection()
    admin = admin_threshold(session)
    agencies = conn.execute(select(col(Agency.code), col(Agency.active), col(Agency.kind))).all()
    topics = conn.execute(select(col(TopicRoute.topic), col(TopicRoute.category), col(TopicRoute.agency_code),
                                 col(TopicRoute.support_agency_code))).all()
    return RoutingTable(
        threshold=admin if admin is not None else model_threshold,
        categories=dict(conn.execute(select(col(CategoryRoute.category), col(CategoryRoute.agency_code))).all()),
        topics={topic: (category, agency, support) for topic, category, agency, support in topics},
        offices={code: office for code, office in conn.execute(select(col(Kecamatan.code),
                                                                      col(Kecamatan.agency_code))).all() if office},
        leads=frozenset(code for code, active, kind in agencies if active and kind != "kecamatan"))


def route_case(session: Session, table: RoutingTable, case_id: int, tags: CaseTags,
               now: datetime | None = None, **tag_values: Any) -> bool:
    """Route one open case by ``tags`` (its category's best message); True when routed. The
    caller decides the case is still the system's to route (store.follow_ups). ``tag_values``:
    case columns written in the same change (the probability that decided it)."""
    case = session.get(Case, case_id)
    if case is None or not case.is_open or case.category != tags.category:
        return False
    route = table.route(tags, case.kecamatan_code)
    if route is None:
        return False
    supporting = set(route.supporting)
    if route.agency == case.lead_agency_code:
        # Same agency: only a supporting unit the route adds (the office of a place found
        # later) is news; the units already on the case stay.
        current = set(session.exec(select(CaseSupport.agency_code).where(CaseSupport.case_id == case_id)).all())
        if supporting <= current:
            return False
        supporting |= current
    assign(session, case_id, None, ROUTER, agency_code=route.agency, supporting=sorted(supporting),
           now=now, action="routed", why=table.why(tags, route), extra_values=tag_values)
    return True


def add_office(session: Session, table: RoutingTable, case_id: int, kecamatan_code: str,
               now: datetime | None = None) -> bool:
    """A routed case whose place was found later gets that kecamatan's office as supporting
    unit (the lead agency stays); True when added."""
    case = session.get(Case, case_id)
    office = table.offices.get(kecamatan_code)
    if case is None or case.lead_agency_code is None or office is None or office == case.lead_agency_code:
        return False
    current = set(session.exec(select(CaseSupport.agency_code).where(CaseSupport.case_id == case_id)).all())
    if office in current:
        return False
    assign(session, case_id, None, ROUTER, agency_code=case.lead_agency_code, supporting=sorted(current | {office}),
           now=now, action="routed", why={"kecamatan": kecamatan_code})
    return True


def agency_category(session: Session, agency_code: str) -> str | None:
    """The one category whose cases ``agency_code`` receives (its category route or topic
    routes), or None when it receives several or none: a re-route to it says which category
    the case really was only in the first case."""
    found = set(session.exec(select(CategoryRoute.category).where(CategoryRoute.agency_code == agency_code)).all())
    found |= set(session.exec(select(TopicRoute.category).where(TopicRoute.agency_code == agency_code)).all())
    return found.pop() if len(found) == 1 else None


def record_reroute(session: Session, case_id: int, agency_code: str, user_id: int | None) -> bool:
    """Staff hand a routed case to another agency: the router (the model's category) was wrong.
    Kept as a labelled example for retraining (TagFeedback, source "reroute") when the new
    agency receives one category only, which is then the label; True when kept."""
    case = session.get(Case, case_id)
    if case is None or case.lead_agency_code in (None, agency_code) or case.urgency is None:
        return False
    last = session.exec(select(CaseEvent.action).where(
        CaseEvent.case_id == case_id, col(CaseEvent.action).in_(("assigned", "routed")))
        .order_by(col(CaseEvent.id).desc()).limit(1)).first()
    category = agency_category(session, agency_code)
    if last != "routed" or category is None:
        return False
    text = "\n".join(session.exec(select(Mention.text).where(Mention.case_id == case_id)
                                  .order_by(col(Mention.created_at))).all())
    session.add(TagFeedback(case_id=case_id, source="reroute", text=text, category=category, urgency=case.urgency,
                            model_category=case.category, model_urgency=case.urgency, user_id=user_id))
    return True
