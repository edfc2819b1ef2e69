"""WhatsApp's customer-service window: a free-form reply may be sent only within 24 hours of
the citizen's last message; after that, only an approved template (Meta refuses anything
else with error 131047). The window is counted from the last inbound WhatsApp message on
the case, whichever of our lines it came in on.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import func, select
from sqlmodel import Session, col

from store.tables import Mention

SERVICE_WINDOW = timedelta(hours=24)
ReplyMode = Literal["free_form", "template"]


def window_closes_at(last_inbound: datetime | None) -> datetime | None:
    """When free-form replies stop being allowed; None when the citizen never wrote on WhatsApp."""
    return None if last_inbound is None else last_inbound + SERVICE_WINDOW


def reply_mode(last_inbound: datetime | None, now: datetime) -> ReplyMode:
    """What may be sent now: free-form inside the window (its last instant included), else a template."""
    closes = window_closes_at(last_inbound)
    return "free_form" if closes is not None and now <= closes else "template"


def last_inbound_at(session: Session, case_id: int) -> datetime | None:
    """The time of the case's last WhatsApp message from the citizen."""
    return session.execute(select(func.max(col(Mention.created_at))).where(
        col(Mention.case_id) == case_id, col(Mention.platform) == "whatsapp")).scalar_one()
