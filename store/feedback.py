"""Labelled examples for retraining (TagFeedback): staff re-tags and imported history.

An imported row is identified by its source and its text (``row_key``): importing the same
file again stores nothing new, and a row whose label was corrected in the file since is
updated in place (the latest label wins, as with a case re-tagged twice).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from store.tables import TagFeedback
from store.types import utcnow


@dataclass(frozen=True)
class LabelledRow:
    """One labelled message to keep as feedback; ``urgency`` None trains the category head only."""
    text: str
    category: str
    urgency: str | None
    source: str
    platform: str | None = None
    message_at: datetime | None = None


@dataclass
class StoreCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class SourceCount:
    source: str
    category: str
    rows: int
    with_urgency: int


def row_key(source: str, text: str) -> str:
    """The same message from the same source is one row, whatever its spacing or case."""
    normalised = " ".join(text.split()).lower()
    return hashlib.sha256(f"{source}\n{normalised}".encode()).hexdigest()


def store_rows(session: Session, rows: Sequence[LabelledRow], now: datetime | None = None) -> StoreCounts:
    """Insert new rows, update the labels of rows whose label changed, count the rest."""
    counts = StoreCounts()
    by_key = {row_key(r.source, r.text): r for r in rows}  # a text twice in one file: the later row wins
    counts.unchanged += len(rows) - len(by_key)
    if not by_key:
        return counts
    stored = {f.row_key: f for f in session.execute(
        select(TagFeedback).where(col(TagFeedback.row_key).in_(list(by_key)))).scalars()}
    new = []
    for key, row in by_key.items():
        old = stored.get(key)
        if old is None:
            new.append({"text": row.text, "category": row.category, "urgency": row.urgency, "source": row.source,
                        "platform": row.platform, "message_at": row.message_at, "row_key": key,
                        "created_at": now or utcnow()})
        elif (old.category, old.urgency) != (row.category, row.urgency):
            old.category, old.urgency = row.category, row.urgency
            counts.updated += 1
        else:
            counts.unchanged += 1
    if new:
        table = TagFeedback.__table__  # type: ignore[attr-defined]  # SQLModel sets it on table classes
        insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
        # A concurrent import of the same file may have stored a row meanwhile: it is not new.
        stmt = insert(table).on_conflict_do_nothing(index_elements=["row_key"]).returning(table.c.id)
        inserted = len(session.connection().execute(stmt, new).all())
        counts.inserted += inserted
        counts.unchanged += len(new) - inserted
    session.flush()
    return counts


def source_counts(session: Session) -> list[SourceCount]:
    """Rows per source and category (and how many of them carry an urgency)."""
    rows = session.execute(
        select(col(TagFeedback.source), col(TagFeedback.category), func.count(), func.count(col(TagFeedback.urgency)))
        .group_by(col(TagFeedback.source), col(TagFeedback.category))
        .order_by(col(TagFeedback.source), col(TagFeedback.category))).all()
    return [SourceCount(source, category, n, with_urgency) for source, category, n, with_urgency in rows]


def latest_rows(session: Session, source: str | None = None, limit: int = 50) -> list[TagFeedback]:
    """The newest feedback rows first (optionally of one source)."""
    query = select(TagFeedback).order_by(col(TagFeedback.id).desc()).limit(limit)
    if source is not None:
        query = query.where(col(TagFeedback.source) == source)
    return list(session.execute(query).scalars())


def training_rows(session: Session) -> list[TagFeedback]:
    """Every row, oldest first by when the citizen wrote it (else when it was stored): the
    order in which the promotion gate holds out the newest feedback."""
    when = func.coalesce(col(TagFeedback.message_at), col(TagFeedback.created_at))
    return list(session.execute(select(TagFeedback).order_by(when, col(TagFeedback.id))).scalars())


def count_rows(session: Session, after_id: int = 0) -> int:
    """How many rows have an id above ``after_id`` (new since a training run)."""
    return session.execute(select(func.count()).select_from(TagFeedback)
                           .where(col(TagFeedback.id) > after_id)).scalar_one()
