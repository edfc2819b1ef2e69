"""The in-console alert list of each user (a badge in the sidebar, a toast for a new
``kritis``): the outbox's ``console`` rows addressed to them, newest first, each text
composed as the other channels compose it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import func, update
from sqlmodel import col, select

from console.services.alert_message import message_for
from console.services.auth import Principal, refresh_principal
from store.db import read_session, write_session
from store.tables import Alert, Case, StaffUser
from store.types import utcnow

LIMIT = 50


@dataclass(frozen=True)
class AlertItem:
    id: int
    case_id: int
    rule: str
    urgency: str | None
    created_at: datetime
    read: bool
    subject: str
    text: str


def my_alerts(principal: Principal, limit: int = LIMIT) -> list[AlertItem]:
    with read_session() as session:
        principal = refresh_principal(session, principal)
        user = session.get(StaffUser, principal.id)
        assert user is not None  # refresh_principal found it
        rows = session.exec(select(Alert, Case).join(Case, col(Case.id) == col(Alert.case_id))
                            .where(col(Alert.recipient_id) == principal.id, col(Alert.channel) == "console")
                            .order_by(col(Alert.id).desc()).limit(max(1, min(limit, 500)))).all()
        items = []
        for alert, case in rows:
            message = message_for(session, alert, case, user, alert.sent_at or alert.created_at)
            items.append(AlertItem(cast(int, alert.id), cast(int, case.id), alert.rule, case.urgency,
                                   alert.created_at, alert.read_at is not None, message.subject, message.text))
        return items


def unread_count(principal: Principal) -> int:
    with read_session() as session:
        return session.exec(select(func.count()).select_from(Alert).where(
            col(Alert.recipient_id) == principal.id, col(Alert.channel) == "console",
            col(Alert.read_at).is_(None))).one()


def mark_read(principal: Principal) -> None:
    with write_session() as session:
        session.execute(update(Alert).where(col(Alert.recipient_id) == principal.id, col(Alert.channel) == "console",
                                            col(Alert.read_at).is_(None)).values(read_at=utcnow()))
