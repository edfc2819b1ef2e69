"""Read queries as plain functions: triage queue, agency queue, case timeline, export rows.

Queues use keyset pagination on the same columns as their indexes, so page 1 and page
10,000 cost the same and nothing loads every case.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Integer, Row, and_, bindparam, literal_column, select, tuple_
from sqlmodel import Session

from store.agency_scope import lead_or_supporting, postgres_agency_page
from store.tables import Case, CaseEvent, CaseSupport, Mention, StaffUser
from store.vocabulary import OPEN_STATUSES

PAGE_SIZE = 25


@dataclass(frozen=True)
class CaseFilter:
    platforms: Sequence[str] = ()
    categories: Sequence[str] = ()
    urgencies: Sequence[str] = ()
    kecamatan: Sequence[str] = ()
    statuses: Sequence[str] = ()  # empty: open cases
    agency: str | None = None
    text: str | None = None
    untagged: bool = False
    opened_from: datetime | None = None
    opened_to: datetime | None = None
    hide_restricted: bool = False  # for users who may not read restricted cases (policy.list_scope)

    def __post_init__(self):
        # Tuples, so that a filter is hashable and its page statement can be reused.
        for name in ("platforms", "categories", "urgencies", "kecamatan", "statuses"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def open_only(self) -> bool:
        return not self.statuses or set(self.statuses) <= set(OPEN_STATUSES)

    def conditions(self, dialect: str) -> list:
        """The WHERE conditions, as the database named by ``dialect`` plans them best."""
        cond = _status_conditions(list(self.statuses))
        if self.platforms:
            cond.append(Case.platform.in_(self.platforms))
        if self.categories:
            cond.append(Case.category.in_(self.categories))
        if self.untagged:
            cond.append(Case.category.is_(None))
        if self.urgencies:
            cond.append(Case.urgency.in_(self.urgencies))
        if self.kecamatan:
            cond.append(Case.kecamatan_code.in_(self.kecamatan))
        if self.agency:
            cond.append(lead_or_supporting(self.agency, dialect, self.open_only))
        if self.hide_restricted:
            cond.append(Case.restricted.is_(False))
        if self.text:
            cond.append(Case.summary.ilike(f"%{_escape_like(self.text)}%", escape="\\"))
        if self.opened_from:
            cond.append(Case.opened_at >= self.opened_from)
        if self.opened_to:
            cond.append(Case.opened_at < self.opened_to)
        return cond


def _status_conditions(statuses: list[str]) -> list:
    if not statuses or set(statuses) == set(OPEN_STATUSES):
        return [Case.is_open.is_(True)]
    if set(statuses) <= set(OPEN_STATUSES):
        return [Case.is_open.is_(True), Case.status.in_(statuses)]
    return [Case.status.in_(statuses)]


@dataclass(frozen=True)
class Page:
    # Read-only rows of the case table, read like a Case (row.id, row.due_at …). Plain rows,
    # not ORM objects: a queue page is only shown, and building and then discarding 26
    # tracked objects cost three times the query itself.
    rows: list[Row]
    next_cursor: tuple | None


CASE_COLUMNS = Case.__table__
TRIAGE_ORDER = (Case.queue_rank, Case.urgency_rank, Case.due_at, Case.id)
AGENCY_ORDER = (Case.due_at, Case.id)  # overdue first = earliest due first


def triage_page(session: Session, flt: CaseFilter, after: tuple | None = None,
                size: int = PAGE_SIZE) -> Page:
    """Open cases, unassigned first, by urgency, then due time."""
    return _page(session, flt, TRIAGE_ORDER, after, size)


def agency_page(session: Session, agency_code: str, flt: CaseFilter | None = None,
                after: tuple | None = None, size: int = PAGE_SIZE) -> Page:
    """One agency's cases (lead or supporting unit), overdue first."""
    base = flt or CaseFilter()
    flt = CaseFilter(**{**base.__dict__, "agency": agency_code})
    return _page(session, flt, AGENCY_ORDER, after, size)


def _page(session: Session, flt: CaseFilter, order: tuple, after: tuple | None, size: int) -> Page:
    stmt = _page_statement(flt, order, after is not None, size, session.get_bind().dialect.name)
    cursor = {f"after_{i}": value for i, value in enumerate(after or ())}
    rows = session.connection().execute(stmt, cursor).all()
    more = len(rows) > size
    rows = rows[:size]
    next_cursor = tuple(getattr(rows[-1], c.key) for c in order) if more else None
    return Page(rows=rows, next_cursor=next_cursor)


@lru_cache(maxsize=256)
def _page_statement(flt: CaseFilter, order: tuple, keyset: bool, size: int, dialect: str):
    """The page query for one filter, built once: building a statement and its cache key
    costs as much as running it on an index. The keyset cursor is bound at execution."""
    # The LIMIT is written into the SQL, not bound: PostgreSQL plans a prepared statement once
    # for any parameters (a generic plan) and, not knowing the limit, picks one three times
    # slower for the triage page.
    limit = literal_column(str(int(size) + 1), Integer)
    after = []
    if keyset:
        cursor = [bindparam(f"after_{i}", type_=column.type) for i, column in enumerate(order)]
        after.append(tuple_(*order) > tuple_(*cursor))
    if flt.agency and dialect == "postgresql":
        others = replace(flt, agency=None).conditions(dialect)
        return postgres_agency_page(others + after, flt.agency, flt.open_only, order, limit)
    return select(CASE_COLUMNS).where(and_(*flt.conditions(dialect), *after)).order_by(*order).limit(limit)


def case_mentions(session: Session, case_id: int) -> list[Mention]:
    return list(session.exec(select(Mention).where(Mention.case_id == case_id)
                             .order_by(Mention.created_at, Mention.id)).scalars())


def case_timeline(session: Session, case_id: int) -> list[CaseEvent]:
    return list(session.exec(select(CaseEvent).where(CaseEvent.case_id == case_id)
                             .order_by(CaseEvent.happened_at, CaseEvent.id)).scalars())


def case_supporting_units(session: Session, case_id: int) -> list[str]:
    return list(session.exec(select(CaseSupport.agency_code).where(CaseSupport.case_id == case_id)
                             .order_by(CaseSupport.agency_code)).scalars())


EXPORT_COLUMNS = ("id", "status", "platform", "category", "urgency", "tagged_by", "lead_agency_code",
                  "assignee", "assignee_id", "restricted", "kecamatan_code", "opened_at", "due_at", "ack_due_at",
                  "first_response_at", "first_handling_at", "resolved_at", "first_response_minutes",
                  "handling_minutes", "resolution_minutes", "mention_count", "author", "summary")


def export_rows(session: Session, flt: CaseFilter, batch: int = 2000) -> Iterator[dict]:
    """Every case matching the filter, streamed in id order with a server-side cursor."""
    stmt = (select(Case.id, Case.status, Case.platform, Case.category, Case.urgency, Case.tagged_by,
                   Case.lead_agency_code, StaffUser.username, Case.assignee_id, Case.restricted,
                   Case.kecamatan_code, Case.opened_at, Case.due_at, Case.ack_due_at, Case.first_response_at,
                   Case.first_handling_at, Case.resolved_at, Case.first_response_minutes, Case.handling_minutes,
                   Case.resolution_minutes, Case.mention_count, Case.author, Case.summary)
            .outerjoin(StaffUser, StaffUser.id == Case.assignee_id)
            .where(and_(*flt.conditions(session.get_bind().dialect.name))).order_by(Case.id)
            .execution_options(yield_per=batch, stream_results=True))
    for row in session.execute(stmt):
        yield dict(zip(EXPORT_COLUMNS, row, strict=True))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
