"""`tanggap roster …`: the duty roster (jadwal piket) of the comms team and each agency."""

from __future__ import annotations

import getpass
from datetime import date

import typer

from console.cli.app import app, bad_argument, echo, friendly_errors, print_json

roster_app = typer.Typer(help="Duty roster (jadwal piket): weekly shifts in WIB and one-off shifts.",
                         no_args_is_help=True)
app.add_typer(roster_app, name="roster")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
AS_HELP = "the admin the change is audited as; without it, the operating-system user"


def _who(as_user: str | None):
    from console.services.admin import Operator
    from console.services.auth import principal_for
    from store.db import read_session
    if not as_user:
        return Operator(f"shell:{getpass.getuser()}"[:64])
    with read_session() as session:
        return principal_for(session, as_user)


@roster_app.command("list")
@friendly_errors
def list_(team: str | None = typer.Option(None, help="one team: KOMUNIKASI or an agency code"),
          json_out: bool = typer.Option(False, "--json", help="machine-readable output"),
          as_user: str | None = typer.Option(None, "--as", help=AS_HELP)) -> None:
    """Each team's shifts, who is on duty now, and the hours of the week nobody is.

    Example: tanggap roster list --team DINKES
    """
    from console.services import people
    from store.roster import hhmm
    found = people.team_rosters(_who(as_user), team=team.upper() if team else None)
    if json_out:
        print_json([{"team": r.team, "on_duty_now": r.on_duty_now,
                     "shifts": [{"id": s.id, "user": s.username, "weekday": s.weekday,
                                 "date": s.on_date.isoformat() if s.on_date else None,
                                 "start": hhmm(s.start_minute), "end": hhmm(s.end_minute)} for s in r.shifts],
                     "gaps": [_gap(a, b) for a, b in r.gaps]} for r in found])
        return
    for r in found:
        if not r.shifts:
            continue
        echo(f"{r.team}: on duty now {', '.join(r.on_duty_now) or 'NOBODY'}")
        for s in r.shifts:
            when = s.on_date.isoformat() if s.on_date else DAYS[s.weekday or 0]
            echo(f"  #{s.id} {when} {hhmm(s.start_minute)}-{hhmm(s.end_minute)} WIB {s.username}")
        for a, b in r.gaps:
            echo(f"  gap: {_gap(a, b)}")


def _gap(start: int, end: int) -> str:
    from store.roster import DAY, hhmm
    return f"{DAYS[start // DAY % 7]} {hhmm(start % DAY)} - {DAYS[end // DAY % 7]} {hhmm(end % DAY)} WIB"


@roster_app.command("add")
@friendly_errors
def add(team: str, username: str,
        start: str = typer.Option(..., help="start, HH:MM WIB"),
        end: str = typer.Option(..., help="end, HH:MM WIB (at or before the start: the next day)"),
        day: str | None = typer.Option(None, help="weekly: mon, tue, wed, thu, fri, sat or sun"),
        on: str | None = typer.Option(None, help="one-off: a date, YYYY-MM-DD (replaces the weekly shifts "
                                      "while it lasts)"),
        as_user: str | None = typer.Option(None, "--as", help=AS_HELP)) -> None:
    """Add a shift: weekly on a day, or one-off on a date.

    Example: tanggap roster add KOMUNIKASI ani --day sun --start 16:00 --end 00:00
    """
    from console.services import people
    if (day is None) == (on is None):
        raise bad_argument("--day/--on", "give a weekly --day or a one-off --on date, one of them")
    weekday = on_date = None
    if day is not None:
        if day.lower() not in DAYS:
            raise bad_argument("--day", f"use one of {', '.join(DAYS)}")
        weekday = DAYS.index(day.lower())
    else:
        try:
            on_date = date.fromisoformat(on or "")
        except ValueError:
            raise bad_argument("--on", "a date as YYYY-MM-DD") from None
    shift = people.add_shift(_who(as_user), team, username, start, end, weekday=weekday, on_date=on_date)
    echo(f"added shift #{shift.id} for {shift.username} ({shift.team})")


@roster_app.command("remove")
@friendly_errors
def remove(shift_id: int = typer.Argument(..., min=1),
           as_user: str | None = typer.Option(None, "--as", help=AS_HELP)) -> None:
    """Remove a shift by the number `roster list` shows.

    Example: tanggap roster remove 12
    """
    from console.services import people
    people.remove_shift(_who(as_user), shift_id)
    echo(f"removed shift #{shift_id}")
