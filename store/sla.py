"""The SLA clocks: the one place where the SOP's response rules live. Pure functions, plus the
SQL conditions statistics need, built from the same definitions.

Two clocks run from the first mention's platform time (``opened_at``), in calendar time (the
SOP counts nights and Sundays):

- the *handling* clock, the SOP's: help given, a visit made, a complete answer. It stops at
  the first response of kind ``handling``; its due time is ``Case.due_at``.
- the *acknowledgement* clock: someone told the citizen the report arrived. It stops at the
  first response of either kind (``Case.first_response_at``); its due time is ``ack_due_at``.

Targets come from settings and (for handling) the admin's overrides, per urgency, never from
a constant. Each clock is on track, at risk, breached (open, not stopped, past due), met
(stopped by its due time, the due second included) or missed (stopped after it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import and_

from store.errors import ExplainedError

AT_RISK_FRACTION = 0.25  # "at risk" once less than a quarter of the target is left

# Response kinds: the vocabulary lives here until store/vocabulary.py exists.
ACKNOWLEDGEMENT = "acknowledgement"  # received, forwarded, asked for details, team on the way
HANDLING = "handling"  # help given, visit made, problem fixed, a complete answer to a question
RESPONSE_KINDS = (ACKNOWLEDGEMENT, HANDLING)
# The kind a response gets when staff do not choose one; also how the 0006 migration classified
# the responses logged before kinds existed.
KIND_BY_CHANNEL = {"field_visit": HANDLING, "phone": HANDLING,
                   "platform_reply": ACKNOWLEDGEMENT, "whatsapp": ACKNOWLEDGEMENT}
CLOCKS = (HANDLING, ACKNOWLEDGEMENT)


class SlaState(StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"  # not stopped, past due
    MET = "met"
    MISSED = "missed"  # stopped, but after due


class ResponseTimeError(ExplainedError, ValueError):
    """A response time that cannot be true (before the case opened, or in the future)."""


class ResponseKindError(ExplainedError, ValueError):
    """A response kind that does not exist."""


@dataclass(frozen=True)
class SlaPolicy:
    default_minutes: int = 240
    by_urgency: Mapping[str, int] = field(default_factory=dict)

    def target(self, urgency: str | None) -> timedelta:
        minutes = self.by_urgency.get(urgency, self.default_minutes) if urgency else self.default_minutes
        return timedelta(minutes=minutes)

    def due_at(self, opened_at: datetime, urgency: str | None) -> datetime:
        return opened_at + self.target(urgency)


@dataclass(frozen=True)
class Targets:
    """Both clocks' policies: handling from settings and admin overrides, acknowledgement from
    settings only."""
    handling: SlaPolicy
    acknowledgement: SlaPolicy

    def due_times(self, opened_at: datetime, urgency: str | None) -> dict[str, datetime]:
        """The case columns holding both due times of a case opened at ``opened_at``."""
        return {"due_at": self.handling.due_at(opened_at, urgency),
                "ack_due_at": self.acknowledgement.due_at(opened_at, urgency)}


def policy_from(default_minutes: int, by_urgency: Mapping[str, int],
                overrides: Mapping[str, int] | None = None) -> SlaPolicy:
    """Settings first, then the admin's overrides ('default' or an urgency id)."""
    overrides = dict(overrides or {})
    merged = dict(by_urgency)
    merged.update({k: v for k, v in overrides.items() if k != "default"})
    return SlaPolicy(default_minutes=overrides.get("default", default_minutes), by_urgency=merged)


def sla_state(opened_at: datetime, due_at: datetime, stopped_at: datetime | None, now: datetime) -> SlaState:
    """One clock's state: stopped → met or missed; running → breached, at risk or on track."""
    if stopped_at is not None:
        return SlaState.MET if stopped_at <= due_at else SlaState.MISSED
    if now > due_at:
        return SlaState.BREACHED
    if due_at - now < (due_at - opened_at) * AT_RISK_FRACTION:
        return SlaState.AT_RISK
    return SlaState.ON_TRACK


@dataclass(frozen=True)
class Clock:
    """One clock of one case, as every screen, export and alert reads it."""
    name: str  # HANDLING or ACKNOWLEDGEMENT
    state: SlaState
    due_at: datetime
    stopped_at: datetime | None
    minutes: int | None  # whole minutes from opened_at to stopped_at

    @property
    def running(self) -> bool:
        return self.stopped_at is None


@dataclass(frozen=True)
class Clocks:
    handling: Clock
    acknowledgement: Clock


def clocks(case: Any, now: datetime) -> Clocks:
    """Both clocks of a case (a Case or a queue row: anything with opened_at, due_at,
    ack_due_at, first_response_at and first_handling_at)."""
    def clock(name: str, due: datetime, stopped: datetime | None) -> Clock:
        return Clock(name, sla_state(case.opened_at, due, stopped, now), due, stopped,
                     minutes_between(case.opened_at, stopped) if stopped else None)
    return Clocks(handling=clock(HANDLING, case.due_at, case.first_handling_at),
                  acknowledgement=clock(ACKNOWLEDGEMENT, case.ack_due_at, case.first_response_at))


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes (floor): statistics and exports count durations in minutes."""
    return int((end - start).total_seconds() // 60)


def met_flag(stopped_at: datetime | None, due_at: datetime) -> int | None:
    """1 stopped by the due time, 0 late, None still running (the stored *_met columns)."""
    return None if stopped_at is None else int(stopped_at <= due_at)


def clock_columns(opened_at: datetime, due_at: datetime, ack_due_at: datetime,
                  first_response_at: datetime | None, first_handling_at: datetime | None) -> dict[str, Any]:
    """The derived columns statistics read, for both clocks."""
    return {
        "response_met": met_flag(first_response_at, ack_due_at),
        "first_response_minutes": minutes_between(opened_at, first_response_at) if first_response_at else None,
        "handling_met": met_flag(first_handling_at, due_at),
        "handling_minutes": minutes_between(opened_at, first_handling_at) if first_handling_at else None,
    }


# --- what moves a due time ---------------------------------------------------------------

def due_after_retag(targets: Targets, opened_at: datetime, urgency: str | None,
                    first_response_at: datetime | None, first_handling_at: datetime | None) -> dict[str, datetime]:
    """A new urgency gives each clock that is still running the new urgency's target; a clock
    that stopped keeps the due time it was judged against."""
    due = targets.due_times(opened_at, urgency)
    if first_handling_at is not None:
        due.pop("due_at")
    if first_response_at is not None:
        due.pop("ack_due_at")
    return due


def due_after_rise(targets: Targets, opened_at: datetime, urgency: str | None, due_at: datetime,
                   ack_due_at: datetime, first_response_at: datetime | None,
                   first_handling_at: datetime | None) -> dict[str, datetime]:
    """A follow-up raised the urgency: each clock still running gets the new urgency's due time
    when that is earlier than its own, never a later one (the citizen was promised the earlier
    time; a rise must not buy the staff more). Only the due times that move are returned."""
    new = targets.due_times(opened_at, urgency)
    running = {"due_at": (first_handling_at is None, due_at), "ack_due_at": (first_response_at is None, ack_due_at)}
    return {k: new[k] for k, (runs, current) in running.items() if runs and new[k] < current}


def due_after_target_change(policy: SlaPolicy, opened_at: datetime, urgency: str | None, is_open: bool,
                            first_handling_at: datetime | None, due_at: datetime) -> datetime | None:
    """The new handling due time after the admin changed a target, or None if it stays.

    Decided deliberately: an open case whose handling clock still runs gets the new target
    (the SOP's target is what staff work to now); a case already handled, or closed, keeps the
    due time it was judged against. The acknowledgement target is a setting, read when a case
    opens: a changed setting applies to cases opened afterwards."""
    if not is_open or first_handling_at is not None:
        return None
    new = policy.due_at(opened_at, urgency)
    return None if new == due_at else new


def due_after_earlier_mention(targets: Targets, opened_at: datetime, urgency: str | None) -> dict[str, datetime]:
    """A mention older than the case (delivered late) moves the start back, and both due
    times with it: the clocks start at the first mention."""
    return targets.due_times(opened_at, urgency)


# --- responses ------------------------------------------------------------------------------

def default_kind(channel: str, template_kind: str | None = None) -> str:
    """The kind a response gets when staff do not say: a reply template's own kind first
    (templates will name theirs), else the channel's."""
    if template_kind is not None:
        check_kind(template_kind)
        return template_kind
    return KIND_BY_CHANNEL.get(channel, ACKNOWLEDGEMENT)


def check_kind(kind: str) -> None:
    if kind not in RESPONSE_KINDS:
        raise ResponseKindError(f"unknown response kind {kind!r}; use one of {', '.join(RESPONSE_KINDS)}",
                                "response_kind", kind=kind)


def first_times(responses: Iterable[tuple[datetime, str]]) -> dict[str, datetime | None]:
    """Where the clocks stopped, from every response of a case as (when it happened, kind):
    the acknowledgement clock at the earliest response, the handling clock at the earliest
    handling one. A backdated field visit can be the first."""
    responses = list(responses)
    handled = [at for at, kind in responses if kind == HANDLING]
    return {"first_response_at": min((at for at, _ in responses), default=None),
            "first_handling_at": min(handled, default=None)}


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


# --- the same rules as SQL, for statistics ------------------------------------------------

@dataclass(frozen=True)
class ClockSql:
    """One clock's columns on the case table, for statistics in SQL."""
    name: str
    due: Any
    minutes: Any
    met: Any

    def breached_open(self, is_open: Any, now: datetime):
        """Open, not stopped and past due: sla_state's BREACHED (now > due). "Not stopped" is
        read from the minutes column, NULL exactly when the stop time is (clock_columns keeps
        them together), so that the statistics indexes cover the condition."""
        return and_(is_open.is_(True), self.minutes.is_(None), self.due < now)


def clock_sql(case_table: Any, name: str) -> ClockSql:
    """The columns of one clock on the case table (store.tables.Case)."""
    if name == HANDLING:
        return ClockSql(name, case_table.due_at, case_table.handling_minutes, case_table.handling_met)
    if name == ACKNOWLEDGEMENT:
        return ClockSql(name, case_table.ack_due_at, case_table.first_response_minutes, case_table.response_met)
    raise ValueError(f"unknown clock {name!r}; use one of {', '.join(CLOCKS)}")
