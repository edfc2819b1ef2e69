"""The duty roster (jadwal piket): who is on duty for a team at a given instant, and the
hours of the week nobody is.

Shifts are WIB wall-clock times (``TANGGAP_DISPLAY_TIMEZONE``): weekly ones on a weekday, and
one-off ones on a date. A shift whose end is at or before its start runs past midnight into
the next day (Sunday's 22:00–06:00 ends on Monday morning). While a team has a one-off shift
running, that shift alone says who is on duty (a swap, a holiday cover); otherwise the
weekly shifts do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from store.errors import ExplainedError
from store.settings import get_settings
from store.tables import Agency, DutyShift, StaffUser
from store.vocabulary import COMMS_TEAM

DAY = 24 * 60
WEEK = 7 * DAY


class RosterError(ExplainedError):
    """A shift Tanggap cannot store; the message says why."""


@dataclass(frozen=True)
class Shift:
    id: int
    team: str
    user_id: int
    username: str
    weekday: int | None
    on_date: date | None
    start_minute: int
    end_minute: int

    def spans(self) -> list[tuple[datetime, datetime]]:
        """For a one-off shift: its one (start, end) in local wall time (naive)."""
        assert self.on_date is not None
        start = datetime.combine(self.on_date, datetime.min.time()) + timedelta(minutes=self.start_minute)
        return [(start, start + timedelta(minutes=self.length()))]

    def length(self) -> int:
        return (self.end_minute - self.start_minute) % DAY or DAY

    def covers_week_minute(self, minute: int) -> bool:
        """Whether a weekly shift covers this minute of the week (0 = Monday 00:00 WIB)."""
        assert self.weekday is not None
        start = self.weekday * DAY + self.start_minute
        return (minute - start) % WEEK < self.length()


def parse_hhmm(text: str) -> int:
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
    except ValueError:
        raise RosterError(f"time {text[:20]!r}: use HH:MM, e.g. 07:00", "roster_time") from None
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or hours * 60 + minutes > DAY:
        raise RosterError(f"time {text[:20]!r}: use HH:MM between 00:00 and 24:00", "roster_time")
    return (hours * 60 + minutes) % DAY


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def teams(session: Session) -> list[str]:
    """The comms team, then every active agency (its code is its team)."""
    codes = session.exec(select(Agency.code).where(Agency.active).order_by(Agency.code)).all()
    return [COMMS_TEAM, *codes]


def add_shift(session: Session, team: str, user: StaffUser, start: str, end: str, *,
              weekday: int | None = None, on_date: date | None = None) -> DutyShift:
    if (weekday is None) == (on_date is None):
        raise RosterError("a shift is weekly (a weekday) or one-off (a date), not both", "roster_when")
    if weekday is not None and not 0 <= weekday <= 6:
        raise RosterError(f"weekday {weekday}: 0 (Monday) to 6 (Sunday)", "roster_when")
    if team not in teams(session):
        raise RosterError(f"unknown team {team!r}", "roster_team", team=team)
    if not user.active:
        raise RosterError(f"{user.username} is not active", "roster_user", user=user.username)
    if (user.agency_code or COMMS_TEAM) != team:  # staff without an agency are the comms team
        raise RosterError(f"{user.username} does not work for {team}", "roster_user", user=user.username)
    assert user.id is not None
    shift = DutyShift(team=team, user_id=user.id, weekday=weekday,
                      on_date=on_date.isoformat() if on_date else None,
                      start_minute=parse_hhmm(start), end_minute=parse_hhmm(end))
    session.add(shift)
    session.flush()
    return shift


def shifts(session: Session, team: str | None = None) -> list[Shift]:
    query = select(DutyShift, StaffUser.username).join(StaffUser, col(StaffUser.id) == col(DutyShift.user_id))
    if team:
        query = query.where(DutyShift.team == team)
    rows = session.exec(query.order_by(col(DutyShift.team), col(DutyShift.on_date), col(DutyShift.weekday),
                                       col(DutyShift.start_minute), col(DutyShift.id))).all()
    return [Shift(s.id or 0, s.team, s.user_id, username, s.weekday,
                  date.fromisoformat(s.on_date) if s.on_date else None, s.start_minute, s.end_minute)
            for s, username in rows]


def on_duty(session: Session, team: str, at: datetime, zone: ZoneInfo | None = None) -> list[int]:
    """Ids of the active staff on duty for ``team`` at the instant ``at``."""
    local = at.astimezone(zone or get_settings().zone).replace(tzinfo=None)
    active = set(session.exec(select(StaffUser.id).where(StaffUser.active)).all())
    return [uid for uid in on_duty_in(shifts(session, team), local) if uid in active]


def on_duty_in(team_shifts: list[Shift], local: datetime) -> list[int]:
    """Who the shifts put on duty at a local wall-clock time: one-off shifts first."""
    one_off = [s.user_id for s in team_shifts if s.on_date is not None
               and any(start <= local < end for start, end in s.spans())]
    if one_off:
        return list(dict.fromkeys(one_off))
    minute = local.weekday() * DAY + local.hour * 60 + local.minute
    return list(dict.fromkeys(s.user_id for s in team_shifts if s.weekday is not None
                              and s.covers_week_minute(minute)))


def weekly_gaps(team_shifts: list[Shift]) -> list[tuple[int, int]]:
    """The stretches of the week (start, end minute; 0 = Monday 00:00 WIB) no weekly shift
    covers, merged across Sunday night into Monday."""
    weekly = [s for s in team_shifts if s.weekday is not None]
    covered = [any(s.covers_week_minute(m) for s in weekly) for m in range(WEEK)]
    gaps: list[tuple[int, int]] = []
    minute = 0
    while minute < WEEK:
        if covered[minute]:
            minute += 1
            continue
        start = minute
        while minute < WEEK and not covered[minute]:
            minute += 1
        gaps.append((start, minute))
    if len(gaps) > 1 and gaps[0][0] == 0 and gaps[-1][1] == WEEK:
        gaps = [(gaps[-1][0], gaps[0][1] + WEEK), *gaps[1:-1]]
    return gaps


def remove_shift(session: Session, shift_id: int) -> DutyShift:
    shift = session.get(DutyShift, shift_id)
    if shift is None:
        raise RosterError(f"no shift {shift_id}", "roster_no_shift", shift=shift_id)
    session.delete(shift)
    return shift
