"""Response-time statistics, computed in SQL.

Counts come from one GROUP BY. Median and p90 first-response time come from a histogram
of whole minutes per group (GROUP BY group, minutes), so the database sends at most a few
thousand rows however many cases there are; the percentile is then exact at minute
resolution (nearest-rank: the smallest value with at least p% of values at or below it).
Cases closed as not actionable are left out: they never needed a response.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, select, text
from sqlmodel import Session

from store.localtime import local_hour, local_week, local_weekday
from store.settings import get_settings
from store.tables import Case

GROUPINGS = ("agency", "category", "platform", "urgency", "week", "kecamatan")
PLAIN_GROUPINGS = ("agency", "category", "platform", "urgency", "kecamatan")  # columns, not expressions


@dataclass(frozen=True)
class StatRow:
    group: str | None
    cases: int
    responded: int
    met: int
    missed: int
    breached_open: int  # open, unanswered and past due
    pct_within_target: float | None  # met / (met + missed + breached_open)
    median_minutes: int | None
    p90_minutes: int | None

    @property
    def breaches(self) -> int:
        return self.missed + self.breached_open

    def as_dict(self) -> dict:
        return {**asdict(self), "breaches": self.breaches}


def _group_expr(group_by: str | None, zone: ZoneInfo, dialect: str):
    match group_by:
        case None:
            return literal("all")
        case "agency":
            return Case.lead_agency_code
        case "category":
            return Case.category
        case "platform":
            return Case.platform
        case "urgency":
            return Case.urgency
        case "kecamatan":
            return Case.kecamatan_code
        case "week":
            return local_week(Case.opened_at, zone, dialect)
    raise ValueError(f"unknown grouping {group_by!r}; use one of {', '.join(GROUPINGS)}")


def _scope(start: datetime | None, end: datetime | None, agency: str | None) -> list:
    cond = [Case.status != "closed_no_action"]
    if start:
        cond.append(Case.opened_at >= start)
    if end:
        cond.append(Case.opened_at < end)
    if agency:
        cond.append(Case.lead_agency_code == agency)
    return cond


def use_statistics_settings(session: Session) -> None:
    """PostgreSQL: give this transaction's grouping sorts and hashes TANGGAP_STATS_WORK_MEM_MB.

    At the default 4 MB the grouped tables of 30 days spill to disk (213 ms → 68 ms with
    32 MB at 1M cases). SET LOCAL ends with the transaction, so queue reads on the same
    pooled connection keep the server's setting."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f"SET LOCAL work_mem = '{int(get_settings().stats_work_mem_mb)}MB'"))


def response_stats(session: Session, now: datetime, zone: ZoneInfo, *, start: datetime | None = None,
                   end: datetime | None = None, group_by: str | None = None,
                   agency: str | None = None) -> list[StatRow]:
    dialect = session.get_bind().dialect.name
    use_statistics_settings(session)
    group = _group_expr(group_by, zone, dialect).label("g")
    # A constant group ('all') stays out of GROUP BY: SQLite would otherwise sort instead
    # of reading the index in order.
    tally = _Tally()
    for g, minutes, n, met, late in session.execute(_histogram([group], [group] if group_by else [],
                                                               start, end, agency, now)):
        tally.add(g, minutes, n, met, late)
    return tally.rows()


def response_tables(session: Session, now: datetime, zone: ZoneInfo, groupings: tuple[str, ...], *,
                    start: datetime | None = None, end: datetime | None = None,
                    agency: str | None = None) -> dict[str | None, list[StatRow]]:
    """The overall row (key None) and one table per grouping, as response_stats gives them.

    The plain-column groupings (agency, category, platform, urgency, kecamatan) come from one
    pass over the range, grouped by all of them at once and added up here: over a long range
    each separate pass costs a scan and a sort of every case in it. Week is a pass of its own.
    """
    use_statistics_settings(session)
    columns = [g for g in groupings if g in PLAIN_GROUPINGS]
    exprs = [_group_expr(g, zone, session.get_bind().dialect.name).label(g) for g in columns]
    tallies = {g: _Tally() for g in (None, *columns)}
    for *keys, minutes, n, met, late in session.execute(_histogram(exprs, exprs, start, end, agency, now)):
        tallies[None].add("all", minutes, n, met, late)
        for g, key in zip(columns, keys, strict=True):
            tallies[g].add(key, minutes, n, met, late)
    tables: dict[str | None, list[StatRow]] = {g: tally.rows() for g, tally in tallies.items()}
    for g in groupings:
        if g not in tables:
            tables[g] = response_stats(session, now, zone, start=start, end=end, group_by=g, agency=agency)
    return tables


def _histogram(selected: list, keys: list, start: datetime | None, end: datetime | None, agency: str | None,
               now: datetime):
    """Per group and whole minute: how many cases, how many met, and (in the unanswered
    NULL-minutes bucket) how many are open past due. Minute-resolution histograms keep
    what the database sends small however many cases there are."""
    late_open = case((and_(Case.is_open.is_(True), Case.due_at < now), 1), else_=0)
    return (select(*selected, Case.first_response_minutes, func.count(), func.sum(Case.response_met),
                   func.sum(late_open))
            .where(and_(*_scope(start, end, agency))).group_by(*keys, Case.first_response_minutes))


class _Tally:
    """Histogram rows added up per group, then turned into StatRows."""

    def __init__(self):
        self.totals: dict = defaultdict(lambda: [0, 0, 0])  # cases, responded, met
        self.buckets: dict = defaultdict(lambda: defaultdict(int))  # minutes → cases
        self.breached: dict = defaultdict(int)

    def add(self, g, minutes: int | None, n: int, met: int | None, late: int | None) -> None:
        total = self.totals[g]
        total[0] += n
        if minutes is None:
            self.breached[g] += late or 0
        else:
            total[1] += n
            total[2] += met or 0
            self.buckets[g][minutes] += n

    def rows(self) -> list[StatRow]:
        rows = []
        for g, (cases, responded, met) in self.totals.items():
            missed, late = responded - met, self.breached.get(g, 0)
            judged = met + missed + late
            hist = sorted(self.buckets[g].items()) if g in self.buckets else []
            rows.append(StatRow(
                group=g, cases=cases, responded=responded, met=met, missed=missed, breached_open=late,
                pct_within_target=round(100.0 * met / judged, 1) if judged else None,
                median_minutes=percentile(hist, 50), p90_minutes=percentile(hist, 90)))
        return sorted(rows, key=lambda r: (r.group is None, str(r.group)))


def percentile(histogram: list[tuple[int, int]], p: float) -> int | None:
    """Nearest-rank percentile of a sorted (value, count) histogram."""
    total = sum(n for _, n in histogram)
    if not total:
        return None
    rank = max(1, math.ceil(p / 100.0 * total))
    seen = 0
    for value, n in histogram:
        seen += n
        if seen >= rank:
            return value
    return histogram[-1][0]


def heatmap(session: Session, zone: ZoneInfo, *, start: datetime | None = None,
            end: datetime | None = None, agency: str | None = None) -> list[tuple[int, int, int]]:
    """(weekday 0=Monday, hour, cases opened) in the display time zone."""
    use_statistics_settings(session)
    stmt = heatmap_statement(zone, session.get_bind().dialect.name, start=start, end=end, agency=agency)
    return [(int(w), int(h), int(n)) for w, h, n in session.execute(stmt)]


def heatmap_statement(zone: ZoneInfo, dialect: str, *, start: datetime | None = None,
                      end: datetime | None = None, agency: str | None = None):
    weekday = local_weekday(Case.opened_at, zone, dialect).label("wd")
    hour = local_hour(Case.opened_at, zone, dialect).label("hr")
    return (select(weekday, hour, func.count()).where(and_(*_scope(start, end, agency)))
            .group_by(weekday, hour).order_by(weekday, hour))
