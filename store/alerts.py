"""The alert outbox: rows written in the same transaction as the case event that causes
them, one per (case, rule, recipient, channel), never twice (the unique key and
``ON CONFLICT DO NOTHING``), sent later by the worker (console/services/alert_sender.py).

Both event writers (store/cases.py, one event per change, and store/intake.py, events in
bulk) call ``on_case_events`` with what they wrote, so an alert fires whoever wrote the event:
staff, the collectors, the tagger or the router. It has to stay cheap for intake: an
``opened`` event of a case that is not urgent costs one dict lookup and no query.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from store.alert_rules import NEW_CASE_RULES, CaseParties, Rule, load_rules, recipients
from store.contacts import chosen_channels
from store.settings import get_settings
from store.tables import Alert, Case, StaffUser

# Events after which a case may newly be urgent, or have new people to tell (a lead agency).
TRIGGERS = frozenset({"opened", "assigned", "routed", "urgency_raised", "retagged", "reopened"})
STATES = ("pending", "claimed", "sending", "sent", "failed")


def on_case_events(session: Session, events: Iterable[tuple[int, str, Any]], now: datetime) -> int:
    """The hook: (case id, action, the event's new value) of each event just added. Returns
    how many alert rows were queued."""
    cases: dict[int, tuple[str, ...] | None] = {}
    for case_id, action, new in events:
        if action not in TRIGGERS:
            continue
        if action == "opened" and (not isinstance(new, dict) or new.get("urgency") not in NEW_CASE_RULES):
            continue  # intake already says the urgency: most new cases stop here, without a query
        supporting = new.get("supporting") if isinstance(new, dict) else None
        cases[case_id] = tuple(supporting) if isinstance(supporting, list) else None
    return queue_new_case_alerts(session, cases, now) if cases else 0


def queue_new_case_alerts(session: Session, cases: dict[int, tuple[str, ...] | None], now: datetime) -> int:
    """``cases``: case id → its supporting units when the event says them."""
    rows = session.execute(select(col(Case.id), col(Case.urgency), col(Case.lead_agency_code),
                                  col(Case.assignee_id), col(Case.is_open)).where(col(Case.id).in_(list(cases)))).all()
    urgent = [r for r in rows if r.is_open and r.urgency in NEW_CASE_RULES]
    if not urgent:
        return 0
    rules = load_rules(session)
    queued = 0
    for r in urgent:
        rule = rules[NEW_CASE_RULES[r.urgency]]
        if rule.enabled:
            parties = CaseParties(r.id, r.lead_agency_code, r.assignee_id, cases[r.id])
            queued += queue(session, rule, parties, now, due_at=now)
    return queued


def queue(session: Session, rule: Rule, case: CaseParties, now: datetime, *, due_at: datetime) -> int:
    """Queue ``rule``'s alert about ``case`` to each of its recipients on each of their
    channels (the in-console list always, the others where chosen and configured)."""
    people = recipients(session, rule, case, now)
    if not people:
        return 0
    configured = configured_channels()
    users = session.execute(select(col(StaffUser.id), col(StaffUser.alert_channels))
                            .where(col(StaffUser.id).in_(people))).all()
    values = [{"case_id": case.id, "rule": rule.name, "recipient_id": uid, "channel": channel, "state": "pending",
               "attempts": 0, "due_at": due_at, "created_at": now, "next_try_at": now}
              for uid, stored in users
              for channel in ("console", *(c for c in chosen_channels(stored) if c in configured))]
    return insert_alerts(session, values)


def configured_channels() -> frozenset[str]:
    settings = get_settings()
    return frozenset(name for name, ready in (("email", settings.smtp_url), ("telegram", settings.telegram_bot_token),
                                              ("sms", settings.sms_gammu_url)) if ready)


def insert_alerts(session: Session, values: list[dict]) -> int:
    """Insert the rows not queued yet (by their unique key); how many were new."""
    if not values:
        return 0
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    table = Alert.__table__  # type: ignore[attr-defined]  # SQLModel's types do not declare __table__
    stmt = (insert(table).on_conflict_do_nothing(index_elements=["case_id", "rule", "recipient_id", "channel"])
            .returning(table.c.id))
    return len(session.execute(stmt, values).all())
