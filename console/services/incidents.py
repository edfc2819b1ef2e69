"""The Insiden view: bursts of cases of one category in one kecamatan (store/incidents.py),
newest first, each with its cases. For the users who read every case (the triage inbox's
readers); restricted cases are left out for those who may not read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from console.services import policy
from console.services.auth import Principal, refresh_principal
from console.services.policy import Action
from store.db import read_session
from store.tables import Case, Incident, IncidentCase, Kecamatan

LIMIT = 100


@dataclass(frozen=True)
class IncidentRow:
    id: int
    category: str
    kecamatan: str
    first_at: datetime
    last_at: datetime
    case_ids: list[int]


def list_incidents(principal: Principal, limit: int = LIMIT) -> list[IncidentRow]:
    with read_session() as session:
        principal = refresh_principal(session, principal)
        policy.require(principal, Action.LIST_ALL)
        hide_restricted = policy.list_scope(principal).hide_restricted
        names = dict(session.exec(select(Kecamatan.code, Kecamatan.name)).all())
        found = []
        for incident in session.exec(select(Incident).order_by(col(Incident.last_at).desc()).limit(limit)).all():
            query = (select(Case.id).join(IncidentCase, col(IncidentCase.case_id) == col(Case.id))
                     .where(IncidentCase.incident_id == incident.id).order_by(col(Case.opened_at)))
            if hide_restricted:
                query = query.where(col(Case.restricted).is_(False))
            case_ids = [i for i in session.exec(query).all() if i is not None]
            found.append(IncidentRow(incident.id or 0, incident.category,
                                     names.get(incident.kecamatan_code, incident.kecamatan_code),
                                     incident.first_at, incident.last_at, case_ids))
        return found
