"""Response-time statistics for the Statistik page, exports and `tanggap stats`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from console.services import policy
from console.services.auth import Principal, refresh_principal
from console.services.errors import BadInput
from console.services.policy import Action
from store import stats as store_stats
from store.db import read_session
from store.settings import get_settings
from store.types import utcnow


def day_range(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Local (WIB) calendar days → UTC half-open range [start 00:00, end+1 00:00). A range
    whose last day is before its first is an error, never an empty answer."""
    if start and end and end < start:
        raise BadInput(f"the last day {end.isoformat()} is before the first day {start.isoformat()}",
                       "reversed_range", start=start.isoformat(), end=end.isoformat())
    zone = get_settings().zone
    lo = datetime.combine(start, time.min, zone) if start else None
    hi = datetime.combine(end + timedelta(days=1), time.min, zone) if end else None
    return lo, hi


@dataclass(frozen=True)
class Scope:
    """What one statistics request may read: the UTC range of the WIB days asked for and the
    agency (an agency head's own, whatever was asked)."""
    start: datetime | None
    end: datetime | None
    agency: str | None
    hide_restricted: bool = False


@contextmanager
def _scoped(principal: Principal, start: date | None, end: date | None,
            agency: str | None) -> Iterator[tuple[Session, Scope]]:
    with read_session() as session:
        principal = refresh_principal(session, principal)
        allowed = policy.list_scope(principal, Action.STATS)
        yield session, Scope(*day_range(start, end), allowed.agency or agency, allowed.hide_restricted)


def response_stats(principal: Principal, start: date | None = None, end: date | None = None,
                   group_by: str | None = None, agency: str | None = None,
                   now: datetime | None = None) -> list[store_stats.StatRow]:
    with _scoped(principal, start, end, agency) as (session, scope):
        return store_stats.response_stats(session, now or utcnow(), get_settings().zone, start=scope.start,
                                          end=scope.end, group_by=group_by, agency=scope.agency,
                                          hide_restricted=scope.hide_restricted)


def response_tables(principal: Principal, groupings: tuple[str, ...], start: date | None = None,
                    end: date | None = None, agency: str | None = None,
                    now: datetime | None = None) -> dict[str | None, list[store_stats.StatRow]]:
    """The overall row (key None) and a table per grouping, read together (Statistik page)."""
    with _scoped(principal, start, end, agency) as (session, scope):
        return store_stats.response_tables(session, now or utcnow(), get_settings().zone, groupings,
                                           start=scope.start, end=scope.end, agency=scope.agency,
                                           hide_restricted=scope.hide_restricted)


def heatmap(principal: Principal, start: date | None = None, end: date | None = None,
            agency: str | None = None) -> list[tuple[int, int, int]]:
    with _scoped(principal, start, end, agency) as (session, scope):
        return store_stats.heatmap(session, get_settings().zone, start=scope.start, end=scope.end,
                                   agency=scope.agency, hide_restricted=scope.hide_restricted)
