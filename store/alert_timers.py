"""The timed rules, run by the worker's timers job: a case at risk (a quarter of its
handling target left and nobody has answered the citizen yet) and a case breached (its
handling due time passed without a handling response).

Each alert is queued once (the outbox's unique key) and carries the instant its rule came
due, so a worker that was down across a deadline still sends it after the restart, saying
how late it is. Both run on open cases only; the SQL narrows to cases near or past their
due time and to cases the rule has not alerted yet, and Python takes the exact quarter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, select
from sqlmodel import Session, col

from store.alert_rules import CaseParties, load_rules
from store.alerts import queue
from store.incidents import group_incidents
from store.tables import Alert, Case


@dataclass(frozen=True)
class TimerResult:
    at_risk: int = 0
    breached: int = 0
    incident: int = 0


def at_risk_from(opened_at: datetime, due_at: datetime, percent_left: int) -> datetime:
    """When a case has ``percent_left`` % of its handling target left."""
    return due_at - (due_at - opened_at) * percent_left / 100


def run_timers(session: Session, now: datetime) -> TimerResult:
    rules = load_rules(session)
    at_risk = breached = 0
    rule = rules["breached"]
    if rule.enabled:
        for case_id, lead, assignee, due_at in session.execute(
                _not_alerted("breached", Case.id, Case.lead_agency_code, Case.assignee_id, Case.due_at)
                .where(col(Case.first_handling_at).is_(None), col(Case.due_at) <= now)).all():
            breached += queue(session, rule, CaseParties(case_id, lead, assignee), now, due_at=due_at)
    rule = rules["at_risk"]
    if rule.enabled:
        percent = rule.threshold or 25
        # Every target is at most this long, so a case whose quarter has come is due within it.
        horizon = now + timedelta(days=30) * percent / 100
        for case_id, lead, assignee, opened_at, due_at in session.execute(
                _not_alerted("at_risk", Case.id, Case.lead_agency_code, Case.assignee_id, Case.opened_at,
                             Case.due_at)
                .where(col(Case.first_response_at).is_(None), col(Case.due_at) > now,
                       col(Case.due_at) <= horizon)).all():
            fires = at_risk_from(opened_at, due_at, percent)
            if fires <= now:
                at_risk += queue(session, rule, CaseParties(case_id, lead, assignee), now, due_at=fires)
    return TimerResult(at_risk, breached, group_incidents(session, rules["incident"], now))


def _not_alerted(rule: str, *columns):
    return (select(*(col(c) for c in columns)).where(col(Case.is_open))
            .where(~exists().where(and_(col(Alert.case_id) == col(Case.id), col(Alert.rule) == rule))))
