"""SLA targets: the admin's overrides of the settings' targets, globally and per urgency.
A change moves the handling due time of every open case not yet handled (store.sla decides
which), each through the case-write path with a 'due_changed' event, and is audited like
every administration change. Admin only."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from console.services import labels
from console.services.admin import audit, record, require_admin
from console.services.auth import Principal
from console.services.errors import ServiceError
from store import cases as store_cases
from store.db import read_session, write_session
from store.sla import SlaPolicy, due_after_target_change
from store.tables import Case, SlaTarget
from store.types import utcnow

RECOMPUTE_BATCH = 1000


@dataclass(frozen=True)
class SlaTargets:
    default_minutes: int
    by_urgency: dict[str, int]  # effective target per urgency id
    overridden: set[str]  # scopes the admin has set (the rest come from settings)


def sla_targets(principal: Principal) -> SlaTargets:
    with read_session() as session:
        require_admin(session, principal)
        return _targets(session)


def _targets(session: Session) -> SlaTargets:
    policy = store_cases.load_policy(session)
    overridden = set(session.exec(select(SlaTarget.scope)).all())
    return SlaTargets(default_minutes=policy.default_minutes,
                      by_urgency={u: int(policy.target(u).total_seconds() // 60) for u in labels.urgencies()},
                      overridden=overridden)


def set_sla_target(principal: Principal, scope: str, minutes: int | None) -> int:
    """Set (or, with None, drop) the target for 'default' or one urgency, then move the handling
    due time of every open case not yet handled that the change applies to. Handled cases keep
    theirs: they were met or missed under the old target. Returns how many cases moved."""
    if scope != "default" and scope not in labels.urgencies():
        raise ServiceError(f"unknown SLA scope {scope!r}; use 'default' or an urgency")
    if minutes is not None and not 1 <= minutes <= 60 * 24 * 30:
        raise ServiceError("an SLA target must be between 1 minute and 30 days", "sla_range")
    with write_session() as session:
        who = require_admin(session, principal)
        row = session.get(SlaTarget, scope)
        old = row.minutes if row else None
        if minutes is None:
            if row is not None:
                session.delete(row)
        else:
            row = row or SlaTarget(scope=scope, minutes=minutes)
            row.minutes, row.updated_by, row.updated_at = minutes, who.id, utcnow()
            session.add(row)
        session.flush()
        moved = recompute_due(session, store_cases.load_policy(session), who)
        if old != minutes:  # None: no admin target, the settings' value applies
            record(session, who, "sla_target_changed", scope, {"minutes": old}, {"minutes": minutes})
        audit.info("sla_target by=%s scope=%s from=%s to=%s moved=%d", who.username, scope, old, minutes, moved)
        return moved


def recompute_due(session: Session, policy: SlaPolicy, who: Principal) -> int:
    """Move the handling due time of the cases store.sla.due_after_target_change says move
    (open, handling clock still running), in id batches (never every case in memory), each
    through the case-write path with its 'due_changed' event."""
    moved, last_id, now = 0, 0, utcnow()
    while True:
        rows = session.execute(
            select(Case.id, Case.opened_at, Case.urgency, Case.is_open, Case.first_handling_at, Case.due_at)
            .where(Case.is_open.is_(True), Case.first_handling_at.is_(None), Case.id > last_id)
            .order_by(Case.id).limit(RECOMPUTE_BATCH)).all()
        if not rows:
            return moved
        last_id = rows[-1].id
        for r in rows:
            new = due_after_target_change(policy, r.opened_at, r.urgency, r.is_open, r.first_handling_at, r.due_at)
            if new is not None:
                store_cases.move_due(session, r.id, who.actor, due_at=new, now=now)
                moved += 1
