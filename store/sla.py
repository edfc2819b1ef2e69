"""The SLA clock: the one place where the SOP's response rules live. Pure functions.

The clock runs from the first mention's platform time (``opened_at``) to the first
logged response, in calendar time: the SOP counts nights and Sundays. Targets come from
settings and admin overrides, per urgency, never from a constant.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from store.errors import ExplainedError

AT_RISK_FRACTION = 0.25  # "at risk" once less than a quarter of the target is left


class SlaState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"  # still unanswered, past due
    MET = "met"
    MISSED = "missed"  # answered, but after due


class ResponseTimeError(ExplainedError, ValueError):
    """A response time that cannot be true (before the case opened, or in the future)."""


@dataclass(frozen=True)
class SlaPolicy:
    default_minutes: int = 240
    by_urgency: Mapping[str, int] = field(default_factory=dict)

    def target(self, urgency: str | None) -> timedelta:
        minutes = self.by_urgency.get(urgency, self.default_minutes) if urgency else self.default_minutes
        return timedelta(minutes=minutes)

    def due_at(self, opened_at: datetime, urgency: str | None) -> datetime:
        return opened_at + self.target(urgency)


def policy_from(default_minutes: int, by_urgency: Mapping[str, int],
                overrides: Mapping[str, int] | None = None) -> SlaPolicy:
    """Settings first, then the admin's overrides ('default' or an urgency id)."""
    overrides = dict(overrides or {})
    merged = dict(by_urgency)
    merged.update({k: v for k, v in overrides.items() if k != "default"})
    return SlaPolicy(default_minutes=overrides.get("default", default_minutes), by_urgency=merged)


def sla_state(opened_at: datetime, due_at: datetime, first_response_at: datetime | None,
              now: datetime) -> SlaState:
    if first_response_at is not None:
        return SlaState.MET if first_response_at <= due_at else SlaState.MISSED
    if now > due_at:
        return SlaState.BREACHED
    if due_at - now < (due_at - opened_at) * AT_RISK_FRACTION:
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes (floor): statistics and exports count durations in minutes."""
    return int((end - start).total_seconds() // 60)


def check_response_time(happened_at: datetime, opened_at: datetime, now: datetime) -> None:
    """A response may be logged afterwards (a field visit), but never before the case
    opened nor in the future."""
    if happened_at.tzinfo is None:
        raise ResponseTimeError("response time must carry a time zone (e.g. 2026-11-29T14:05+07:00)")
    if happened_at < opened_at:
        raise ResponseTimeError(
            f"response time {happened_at.isoformat()} is before the case opened "
            f"({opened_at.isoformat()})", "response_before_open", at=happened_at, opened=opened_at)
    # A minute of grace for clocks that disagree between a phone and the server.
    if happened_at > now + timedelta(minutes=1):
        raise ResponseTimeError(f"response time {happened_at.isoformat()} is in the future", "response_in_future",
                                at=happened_at)


def format_remaining(delta: timedelta, hour_mark: str = "j") -> str:
    """'2j 05m' left, or '-0j 40m' overdue (hours and minutes; 'j' is Indonesian 'jam', the
    English console passes 'h')."""
    sign = "-" if delta.total_seconds() < 0 else ""
    total = abs(int(delta.total_seconds())) // 60
    return f"{sign}{total // 60}{hour_mark} {total % 60:02d}m"


def to_local(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    return value.astimezone(zone) if value is not None else None


def format_local(value: datetime | None, zone: ZoneInfo, with_seconds: bool = False) -> str:
    """'29/11/2026 18:41 WIB' — how every time is shown to staff."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    pattern = "%d/%m/%Y %H:%M:%S %Z" if with_seconds else "%d/%m/%Y %H:%M %Z"
    return local.strftime(pattern)
