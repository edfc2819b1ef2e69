"""Administration of alerts: the rules (who gets each, on or off, the at-risk share) and the
outbox's failed and waiting rows for the Admin page. Admin only; changes are audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlmodel import col, select

from console.services.admin import audit, record, require_admin
from console.services.auth import Principal
from console.services.errors import ServiceError
from store.alert_rules import DEFAULTS, Rule, RuleError, check_recipients, load_rules
from store.db import read_session, write_session
from store.tables import Alert, AlertRule, StaffUser
from store.types import utcnow

PROBLEM_ROWS = 200


@dataclass(frozen=True)
class ProblemAlert:
    id: int
    case_id: int
    rule: str
    username: str
    channel: str
    state: str
    attempts: int
    next_try_at: datetime
    last_error: str | None


def rules(principal: Principal) -> list[Rule]:
    with read_session() as session:
        require_admin(session, principal)
        return list(load_rules(session).values())


def set_rule(principal: Principal, name: str, *, enabled: bool, recipients: list[str],
             threshold: int | None = None) -> Rule:
    if name not in DEFAULTS:
        raise ServiceError(f"unknown alert rule {name!r}; use {', '.join(DEFAULTS)}", "alert_rule", rule=name)
    if threshold is not None and not 1 <= threshold <= 99:
        raise ServiceError("the at-risk share is a percentage of the target, 1–99", "alert_threshold")
    try:
        with write_session() as session:
            who = require_admin(session, principal)
            checked = check_recipients(session, recipients)
            old = load_rules(session)[name]
            row = session.get(AlertRule, name) or AlertRule(rule=name)
            row.enabled, row.recipients, row.threshold = enabled, list(checked), threshold
            row.updated_by, row.updated_at = who.id, utcnow()
            session.add(row)
            session.flush()
            new = load_rules(session)[name]
            if new != old:
                record(session, who, "alert_rule_changed", name, _audited(old), _audited(new))
            audit.info("alert_rule by=%s rule=%s enabled=%s", who.username, name, enabled)
            return new
    except RuleError as exc:
        raise ServiceError.of(exc) from exc


def _audited(rule: Rule) -> dict:
    return {"enabled": rule.enabled, "recipients": ",".join(rule.recipients), "threshold": rule.threshold}


def problem_alerts(principal: Principal, limit: int = PROBLEM_ROWS) -> list[ProblemAlert]:
    """Failed alerts and alerts waiting to be tried again, newest first."""
    with read_session() as session:
        require_admin(session, principal)
        waiting = (col(Alert.attempts) > 0) & (col(Alert.state) == "pending")
        rows = session.exec(select(Alert, col(StaffUser.username))
                            .join(StaffUser, col(StaffUser.id) == col(Alert.recipient_id))
                            .where((col(Alert.state) == "failed") | waiting)
                            .order_by(col(Alert.id).desc()).limit(limit)).all()
        return [ProblemAlert(cast(int, a.id), a.case_id, a.rule, username, a.channel, a.state, a.attempts,
                             a.next_try_at, a.last_error) for a, username in rows]
