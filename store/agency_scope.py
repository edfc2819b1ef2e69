"""The "lead or supporting unit" condition, written so each database keeps to the agency index.

``lead_agency_code = :a OR id IN (SELECT case_id FROM casesupport WHERE agency_code = :a)``
suits SQLite, which answers it by searching two indexes (the agency index and the primary
key) and merging. PostgreSQL's planner does not: with an IN-subquery inside an OR it walks
the triage index over every open case and filters (6–12 ms at 1M cases). There an agency
page is two keyed reads merged in order (UNION ALL, each arm LIMITed, a Merge Append):
the agency's own open cases straight from ``ix_case_agency_queue`` in due order, and the
open cases it supports, matched by ``id = ANY(ARRAY(…))`` from ``ix_casesupport_agency``.

On both databases, most supporting units sit on long-closed cases (15 % of a million cases
have one or two), and checking each of those for "open" costs a table read apiece (20–30 ms
for 5,000). When only open cases are wanted the supporting ids are therefore read from the
lowest open case id up (one step of ``ix_case_open_id``): every open case lies there, and
old closed ones do not. An old case left open only widens that range back towards the
unbounded cost.
"""

from __future__ import annotations

from sqlalchemy import any_, func, or_, select, union_all
from sqlalchemy.sql.expression import ColumnElement, Select

from store.tables import Case, CaseSupport

_open_case = Case.__table__.alias("open_case")


def _supporting_ids(agency_code: str, open_only: bool) -> Select:
    ids = select(CaseSupport.case_id).where(CaseSupport.agency_code == agency_code)
    if open_only:
        lowest_open = select(func.min(_open_case.c.id)).where(_open_case.c.is_open.is_(True)).scalar_subquery()
        ids = ids.where(CaseSupport.case_id >= lowest_open)
    return ids


def _in_supporting(agency_code: str, open_only: bool) -> ColumnElement[bool]:
    # func.array renders ARRAY((SELECT …)), PostgreSQL's array constructor from a query.
    return Case.id == any_(func.array(_supporting_ids(agency_code, open_only).scalar_subquery()))


def supported_or_led(agency_code: str, open_only: bool = False) -> ColumnElement[bool]:
    """The same cases in the portable form: SQLite's plan, and reads that scan a date range
    anyway (statistics), where the agency's cases count as in its queue and exports."""
    return or_(Case.lead_agency_code == agency_code, Case.id.in_(_supporting_ids(agency_code, open_only)))


def lead_or_supporting(agency_code: str, dialect: str, open_only: bool) -> ColumnElement[bool]:
    """Cases whose lead agency is ``agency_code`` or on which it is a supporting unit
    (``open_only``: the other conditions ask for open cases only)."""
    if dialect == "postgresql":
        return or_(Case.lead_agency_code == agency_code, _in_supporting(agency_code, open_only))
    return supported_or_led(agency_code, open_only)


def postgres_agency_page(conditions: list, agency_code: str, open_only: bool, order: tuple, limit) -> Select:
    """One page of an agency's cases on PostgreSQL as two ordered keyed reads merged (see
    the module docstring). ``conditions`` are the filter's others, keyset cursor included."""
    lead = (select(Case.__table__).where(*conditions, Case.lead_agency_code == agency_code)
            .order_by(*order).limit(limit))
    supported = (select(Case.__table__)
                 .where(*conditions, Case.lead_agency_code.is_distinct_from(agency_code),
                        _in_supporting(agency_code, open_only))
                 .order_by(*order).limit(limit))
    both = union_all(lead, supported).subquery("agency_cases")
    return select(both).order_by(*(both.c[column.key] for column in order)).limit(limit)
