"""Response-time statistics for both clocks (store.sla), computed in SQL.

For each clock, counts come from one GROUP BY. Median and p90 come from a histogram of
whole minutes per group (GROUP BY group, minutes), so the database sends at most a few
thousand rows however many cases there are; the percentile is then exact at minute
resolution (nearest-rank: the smallest value with at least p% of values at or below it).
Which case is met, missed or breached is the SQL store.sla.clock_sql builds from the same
definitions as the case page. Cases closed as not actionable are left out: they never
needed a response.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, select, text
from sqlmodel import Session

from store.agency_scope import supported_or_led
from store.localtime import local_hour, local_week, local_weekday
from store.settings import get_settings
from store.sla import ACKNOWLEDGEMENT, CLOCKS, HANDLING, clock_sql
from store.tables import Case

GROUPINGS = ("agency", "category", "platform", "urgency", "week", "kecamatan")
PLAIN_GROUPINGS = ("agency", "category", "platform", "urgency", "kecamatan")  # columns, not expressions


@dataclass(frozen=True)
class StatRow:
    """One group's figures. The unprefixed ones are the handling clock's (the SOP's, which the
    league table ranks by); ack_* are the acknowledgement clock's."""
    group: str | None
    cases: int
    handled: int
    met: int
    missed: int
    breached_open: int  # open, not handled and past due
    pct_within_target: float | None  # met / (met + missed + breached_open): % handled within target
    median_minutes: int | None
    p90_minutes: int | None
    acknowledged: int = 0
    ack_met: int = 0
    ack_missed: int = 0
    ack_breached_open: int = 0  # open, no response of any kind and past the acknowledgement due time
    pct_acknowledged_within_target: float | None = None
    ack_median_minutes: int | None = None
    ack_p90_minutes: int | None = None

    @property
    def breaches(self) -> int:
        return self.missed + self.breached_open

    @property
    def ack_breaches(self) -> int:
        return self.ack_missed + self.ack_breached_open

    def as_dict(self) -> dict:
        return {**asdict(self), "breaches": self.breaches, "ack_breaches": self.ack_breaches}


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


def _scope(start: datetime | None, end: datetime | None, agency: str | None, hide_restricted: bool = False) -> list:
    cond = [Case.status != "closed_no_action"]
    if start:
        cond.append(Case.opened_at >= start)
    if end:
        cond.append(Case.opened_at < end)
    if agency:
        cond.append(supported_or_led(agency))
    if hide_restricted:
        cond.append(Case.restricted.is_(False))
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
                   agency: str | None = None, hide_restricted: bool = False) -> list[StatRow]:
    dialect = session.get_bind().dialect.name
    use_statistics_settings(session)
    group = _group_expr(group_by, zone, dialect).label("g")
    # A constant group ('all') stays out of GROUP BY: SQLite would otherwise sort instead
    # of reading the index in order.
    tallies = {}
    for clock in CLOCKS:
        tallies[clock] = tally = _Tally()
        for g, minutes, n, met, late in session.execute(_histogram([group], [group] if group_by else [],
                                                                   start, end, agency, now, clock,
                                                                   hide_restricted)):
            tally.add(g, minutes, n, met, late)
    return _rows(tallies)


def response_tables(session: Session, now: datetime, zone: ZoneInfo, groupings: tuple[str, ...], *,
                    start: datetime | None = None, end: datetime | None = None,
                    agency: str | None = None, hide_restricted: bool = False) -> dict[str | None, list[StatRow]]:
    """The overall row (key None) and one table per grouping, as response_stats gives them.

    The plain-column groupings (agency, category, platform, urgency, kecamatan) come from one
    pass over the range, grouped by all of them at once and added up here: over a long range
    each separate pass costs a scan and a sort of every case in it. Week is a pass of its own.
    """
    use_statistics_settings(session)
    columns = [g for g in groupings if g in PLAIN_GROUPINGS]
    exprs = [_group_expr(g, zone, session.get_bind().dialect.name).label(g) for g in columns]
    tallies = {g: {clock: _Tally() for clock in CLOCKS} for g in (None, *columns)}
    for clock in CLOCKS:
        for *keys, minutes, n, met, late in session.execute(_histogram(exprs, exprs, start, end, agency, now,
                                                                       clock, hide_restricted)):
            tallies[None][clock].add("all", minutes, n, met, late)
            for g, key in zip(columns, keys, strict=True):
                tallies[g][clock].add(key, minutes, n, met, late)
    tables: dict[str | None, list[StatRow]] = {g: _rows(by_clock) for g, by_clock in tallies.items()}
    for g in groupings:
        if g not in tables:
            tables[g] = response_stats(session, now, zone, start=start, end=end, group_by=g, agency=agency,
                                       hide_restricted=hide_restricted)
    return tables


def _histogram(selected: list, keys: list, start: datetime | None, end: datetime | None, agency: str | None,
               now: datetime, clock: str, hide_restricted: bool = False):
    """Per group and whole minute of one clock: how many cases, how many met, and (in the
    still-running NULL-minutes bucket) how many are open past due. Minute-resolution
    histograms keep what the database sends small however many cases there are."""
    columns = clock_sql(Case, clock)
    late_open = case((columns.breached_open(Case.is_open, now), 1), else_=0)
    return (select(*selected, columns.minutes, func.count(), func.sum(columns.met), func.sum(late_open))
            .where(and_(*_scope(start, end, agency, hide_restricted))).group_by(*keys, columns.minutes))


def _rows(by_clock: dict) -> list[StatRow]:
    """Both clocks' figures of each group in one StatRow."""
    handling, ack = by_clock[HANDLING].figures(), by_clock[ACKNOWLEDGEMENT].figures()
    rows = []
    for g, (cases, h) in handling.items():
        # Both passes read the same cases; a case written between them only lacks ack figures.
        a = ack.get(g, (0, _Tally.EMPTY))[1]
        rows.append(StatRow(
            group=g, cases=cases, handled=h["stopped"], met=h["met"], missed=h["missed"],
            breached_open=h["breached_open"], pct_within_target=h["pct"], median_minutes=h["median"],
            p90_minutes=h["p90"], acknowledged=a["stopped"], ack_met=a["met"], ack_missed=a["missed"],
            ack_breached_open=a["breached_open"], pct_acknowledged_within_target=a["pct"],
            ack_median_minutes=a["median"], ack_p90_minutes=a["p90"]))
    return sorted(rows, key=lambda r: (r.group is None, str(r.group)))


class _Tally:
    """One clock's histogram rows added up per group, then turned into figures."""
    EMPTY: ClassVar[dict] = {"stopped": 0, "met": 0, "missed": 0, "breached_open": 0,
                             "pct": None, "median": None, "p90": None}

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

    def figures(self) -> dict:
        """group → (cases, this clock's figures)."""
        out = {}
        for g, (cases, stopped, met) in self.totals.items():
            missed, late = stopped - met, self.breached.get(g, 0)
            judged = met + missed + late
            hist = sorted(self.buckets[g].items()) if g in self.buckets else []
            out[g] = (cases, {"stopped": stopped, "met": met, "missed": missed, "breached_open": late,
                              "pct": round(100.0 * met / judged, 1) if judged else None,
                              "median": percentile(hist, 50), "p90": percentile(hist, 90)})
        return out


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
            end: datetime | None = None, agency: str | None = None,
            hide_restricted: bool = False) -> list[tuple[int, int, int]]:
    """(weekday 0=Monday, hour, cases opened) in the display time zone."""
    use_statistics_settings(session)
    stmt = heatmap_statement(zone, session.get_bind().dialect.name, start=start, end=end, agency=agency,
                             hide_restricted=hide_restricted)
    return [(int(w), int(h), int(n)) for w, h, n in session.execute(stmt)]


def heatmap_statement(zone: ZoneInfo, dialect: str, *, start: datetime | None = None,
                      end: datetime | None = None, agency: str | None = None, hide_restricted: bool = False):
    weekday = local_weekday(Case.opened_at, zone, dialect).label("wd")
    hour = local_hour(Case.opened_at, zone, dialect).label("hr")
    return (select(weekday, hour, func.count()).where(and_(*_scope(start, end, agency, hide_restricted)))
            .group_by(weekday, hour).order_by(weekday, hour))
