"""People who act: staff contacts and channels, and the duty roster (jadwal piket).

Contacts: an admin edits anyone's, and each user their own (the channels they choose).
The roster is the admins'. Every change is audited like the other admin changes
(console/services/admin.py). ``who`` is a Principal or, for the shell's CLI without
``--as``, an admin.Operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from console.services import policy
from console.services.admin import Operator, audit, record, require_admin
from console.services.auth import Principal, refresh_principal
from console.services.errors import NotFound, ServiceError
from console.services.policy import Action
from store import roster
from store.contacts import ContactError, checked, chosen_channels
from store.db import read_session, write_session
from store.tables import StaffUser
from store.types import utcnow


@dataclass(frozen=True)
class ContactRow:
    username: str
    mobile: str | None
    email: str | None
    telegram_chat_id: str | None
    channels: tuple[str, ...]


@dataclass(frozen=True)
class TeamRoster:
    team: str
    shifts: list[roster.Shift]
    on_duty_now: list[str]  # usernames
    gaps: list[tuple[int, int]]  # minutes of the week nobody's weekly shift covers


def _authorise(session: Session, who: Principal | Operator, user: StaffUser | None = None) -> Principal | Operator:
    if isinstance(who, Operator):
        return who
    who = refresh_principal(session, who)
    if user is not None and user.id == who.id:
        return who  # one's own contacts and channels
    policy.require(who, Action.ADMINISTER)
    return who


def _user(session: Session, username: str) -> StaffUser:
    user = session.exec(select(StaffUser).where(StaffUser.username == username.strip().lower())).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def _row(user: StaffUser) -> ContactRow:
    return ContactRow(user.username, user.mobile, user.email, user.telegram_chat_id,
                      chosen_channels(user.alert_channels))


def contacts(who: Principal | Operator, username: str) -> ContactRow:
    with read_session() as session:
        user = _user(session, username)
        _authorise(session, who, user)
        return _row(user)


def set_contacts(who: Principal | Operator, username: str, *, mobile: str | None, email: str | None,
                 telegram_chat_id: str | None, channels: list[str] | str | None) -> ContactRow:
    """Replace a user's contacts and chosen channels (every value as given; None clears)."""
    try:
        found = checked(mobile, email, telegram_chat_id, channels)
    except ContactError as exc:
        raise ServiceError.of(exc) from exc
    with write_session() as session:
        user = _user(session, username)
        actor = _authorise(session, who, user)
        old = _row(user)
        user.mobile, user.email, user.telegram_chat_id = found.mobile, found.email, found.telegram_chat_id
        user.alert_channels = found.stored_channels()
        session.add(user)
        new = _row(user)
        if new != old:
            # The mobile number is written to the audit trail only as whether it is set.
            record(session, actor, "user_contacts_changed", user.username, _audited(old), _audited(new))
        audit.info("user_contacts by=%s user=%s channels=%s", actor.username, user.username, new.channels)
        return new


def _audited(row: ContactRow) -> dict:
    return {"mobile": "set" if row.mobile else None, "email": row.email, "telegram_chat_id": row.telegram_chat_id,
            "channels": ",".join(row.channels)}


# --- duty roster -------------------------------------------------------------------------

def team_rosters(principal: Principal | Operator, now: datetime | None = None,
                 team: str | None = None) -> list[TeamRoster]:
    now = now or utcnow()
    with read_session() as session:
        if isinstance(principal, Principal):
            require_admin(session, principal)
        names = dict(session.exec(select(StaffUser.id, StaffUser.username)).all())
        found = []
        for name in roster.teams(session):
            if team and name != team:
                continue
            team_shifts = roster.shifts(session, name)
            found.append(TeamRoster(name, team_shifts, [names[u] for u in roster.on_duty(session, name, now)],
                                    roster.weekly_gaps(team_shifts)))
        return found


def add_shift(who: Principal | Operator, team: str, username: str, start: str, end: str, *,
              weekday: int | None = None, on_date: date | None = None) -> roster.Shift:
    try:
        with write_session() as session:
            actor = _authorise(session, who)
            user = _user(session, username)
            shift = roster.add_shift(session, team.strip().upper(), user, start, end, weekday=weekday,
                                     on_date=on_date)
            record(session, actor, "roster_shift_added", shift.team, None, _shift_audit(shift, user.username))
            audit.info("roster_add by=%s team=%s user=%s", actor.username, shift.team, user.username)
            [row] = [s for s in roster.shifts(session, shift.team) if s.id == shift.id]
            return row
    except roster.RosterError as exc:
        raise ServiceError.of(exc) from exc


def remove_shift(who: Principal | Operator, shift_id: int) -> None:
    try:
        with write_session() as session:
            actor = _authorise(session, who)
            shift = roster.remove_shift(session, shift_id)
            user = session.get(StaffUser, shift.user_id)
            record(session, actor, "roster_shift_removed", shift.team,
                   _shift_audit(shift, user.username if user else str(shift.user_id)), None)
            audit.info("roster_remove by=%s team=%s shift=%s", actor.username, shift.team, shift_id)
    except roster.RosterError as exc:
        raise ServiceError.of(exc) from exc


def _shift_audit(shift, username: str) -> dict:
    return {"user": username, "weekday": shift.weekday, "on_date": shift.on_date,
            "start": roster.hhmm(shift.start_minute), "end": roster.hhmm(shift.end_minute)}
