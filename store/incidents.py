"""Incidents: a burst of cases of one category in one kecamatan (floods and fires arrive
as many reports at once) grouped into one incident and announced once, by the timers job.

The rule's number (``incident`` threshold, 3 by default) of cases opened within the window
(TANGGAP_INCIDENT_WINDOW_MINUTES, 60) makes an incident; later cases of the same category
and kecamatan opened within the window of its latest case join it without a new
announcement. The announcement is an alert about the incident's first case (the outbox's
unique key keeps it to one per recipient and channel) to the comms officer on duty and the
agency the routing table gives the category (its officer on duty and its head).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session, col

from store.alert_rules import CaseParties, Rule
from store.alerts import queue
from store.settings import get_settings
from store.tables import Case, CategoryRoute, Incident, IncidentCase

LOOK_BACK = timedelta(hours=24)  # a worker down for longer misses older bursts


@dataclass(frozen=True)
class Opened:
    id: int
    category: str
    kecamatan_code: str
    opened_at: datetime


def group_incidents(session: Session, rule: Rule, now: datetime) -> int:
    """Group the last day's open, not yet grouped cases; returns the alerts queued."""
    window = timedelta(minutes=get_settings().incident_window_minutes)
    size = rule.threshold or 3
    grouped = select(col(IncidentCase.case_id))
    rows = session.execute(
        select(col(Case.id), col(Case.category), col(Case.kecamatan_code), col(Case.opened_at))
        .where(col(Case.is_open), col(Case.opened_at) >= now - LOOK_BACK, col(Case.opened_at) <= now,
               col(Case.category).is_not(None), col(Case.kecamatan_code).is_not(None),
               col(Case.id).not_in(grouped))
        .order_by(col(Case.category), col(Case.kecamatan_code), col(Case.opened_at), col(Case.id))).all()
    places: dict[tuple[str, str], list[Opened]] = {}
    for r in rows:
        places.setdefault((r.category, r.kecamatan_code), []).append(Opened(*r))
    queued = 0
    for (category, kecamatan), cases in places.items():
        queued += _group_place(session, rule, category, kecamatan, cases, window, size, now)
    return queued


def _group_place(session: Session, rule: Rule, category: str, kecamatan: str, cases: list[Opened],
                 window: timedelta, size: int, now: datetime) -> int:
    incident = session.scalars(select(Incident).where(
        col(Incident.category) == category, col(Incident.kecamatan_code) == kecamatan,
        col(Incident.last_at) >= cases[0].opened_at - window).order_by(col(Incident.last_at).desc())).first()
    if incident is not None:
        joining = [c for c in cases if c.opened_at - incident.last_at <= window]
        _add(session, incident, joining)
        return 0
    for start in range(len(cases) - size + 1):  # the first run of `size` cases within the window
        if cases[start + size - 1].opened_at - cases[start].opened_at <= window:
            burst = [c for c in cases[start:] if c.opened_at - cases[start].opened_at <= window]
            return _announce(session, rule, category, kecamatan, burst, now)
    return 0


def _add(session: Session, incident: Incident, cases: list[Opened]) -> None:
    assert incident.id is not None  # flushed
    for c in cases:
        session.add(IncidentCase(incident_id=incident.id, case_id=c.id))
        incident.last_at = max(incident.last_at, c.opened_at)
    incident.case_count += len(cases)
    session.add(incident)


def _announce(session: Session, rule: Rule, category: str, kecamatan: str, burst: list[Opened],
              now: datetime) -> int:
    first = burst[0]
    incident = Incident(category=category, kecamatan_code=kecamatan, first_at=first.opened_at,
                        last_at=first.opened_at, case_count=0, announced_case_id=first.id, created_at=now)
    session.add(incident)
    session.flush()
    _add(session, incident, burst)
    if not rule.enabled:
        return 0
    route = session.get(CategoryRoute, category)
    lead = session.get(Case, first.id)
    agency = (lead.lead_agency_code if lead else None) or (route.agency_code if route else None)
    return queue(session, rule, CaseParties(first.id, agency, None), now, due_at=now)
