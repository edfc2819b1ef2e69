"""`tanggap stats`: response-time statistics."""

from datetime import date, datetime

import typer

from console.cli.app import app, echo, friendly_errors, one_of, print_json
from console.cli.terminal import safe
from store.stats import GROUPINGS


@app.command("stats")
@friendly_errors
def stats(date_from: datetime | None = typer.Option(None, "--from", formats=["%Y-%m-%d"],
                                                     help="first day (WIB)"),
          date_to: datetime | None = typer.Option(None, "--to", formats=["%Y-%m-%d"], help="last day (WIB)"),
          by: str | None = typer.Option(None, callback=one_of(GROUPINGS),
                                        help="agency, category, platform, urgency, week, kecamatan"),
          as_user: str = typer.Option(..., "--as", help="run with this user's permissions (required)"),
          as_json: bool = typer.Option(False, "--json")) -> None:
    """Both clocks: share handled within target (the SOP's), median and p90 minutes to the
    first handling, breaches; and the same for acknowledgement (ack%, ack median, ack p90).

    Example: tanggap stats --from 2026-11-01 --to 2026-11-30 --by agency --json --as ani
    """
    from console.services.auth import principal_for
    from console.services.stats import response_stats
    from store.db import read_session
    with read_session() as session:
        principal = principal_for(session, as_user)
    rows = response_stats(principal, _day(date_from), _day(date_to), group_by=by)
    if as_json:
        print_json([r.as_dict() for r in rows])
        return
    echo(f"{'group':<22}{'cases':>8}{'within%':>9}{'median':>8}{'p90':>8}{'breaches':>10}"
         f"{'ack%':>8}{'ack med':>9}{'ack p90':>9}")
    for r in rows:
        echo(f"{safe(str(r.group), one_line=True):<22}{r.cases:>8}{_pct(r.pct_within_target):>9}"
             f"{_m(r.median_minutes):>8}{_m(r.p90_minutes):>8}{r.breaches:>10}"
             f"{_pct(r.pct_acknowledged_within_target):>8}{_m(r.ack_median_minutes):>9}{_m(r.ack_p90_minutes):>9}")


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _m(value: int | None) -> str:
    return "" if value is None else str(value)
