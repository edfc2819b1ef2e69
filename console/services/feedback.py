"""Feedback as the CLI shows it: the newest rows (phone numbers masked, children's text
withheld) and the counts per source and category."""

from __future__ import annotations

from dataclasses import dataclass

from console.services import privacy
from store import feedback
from store.cases import RESTRICTED_CATEGORIES
from store.db import read_session

WITHHELD = "[dilindungi]"


@dataclass(frozen=True)
class FeedbackView:
    id: int
    source: str
    category: str
    urgency: str | None
    case_id: int | None
    text: str


def latest(source: str | None = None, limit: int = 50) -> list[FeedbackView]:
    with read_session() as session:
        rows = feedback.latest_rows(session, source, limit)
    return [FeedbackView(id=r.id or 0, source=r.source, category=r.category, urgency=r.urgency, case_id=r.case_id,
                         text=WITHHELD if r.category in RESTRICTED_CATEGORIES else privacy.mask_phones(r.text) or "")
            for r in rows]


def counts() -> list[feedback.SourceCount]:
    with read_session() as session:
        return feedback.source_counts(session)
