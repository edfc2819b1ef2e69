"""`tanggap export`: cases or statistics as CSV or XLSX, for scheduled reports."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from console.cli.app import app, bad_argument, echo, friendly_errors, one_of
from console.services.export import FORMATS, WHATS


@app.command("export")
@friendly_errors
def export(what: str = typer.Option("cases", "--what", callback=one_of(WHATS),
                                    help="cases (one row per case) or stats (tables)"),
           fmt: str = typer.Option("csv", "--format", callback=one_of(FORMATS), help="csv or xlsx"),
           date_from: datetime | None = typer.Option(None, "--from", formats=["%Y-%m-%d"],
                                                     help="first day a case opened (WIB)"),
           date_to: datetime | None = typer.Option(None, "--to", formats=["%Y-%m-%d"],
                                                   help="last day a case opened (WIB), inclusive"),
           agency: str | None = typer.Option(None, "--agency", help="only this agency's cases (e.g. DINKES)"),
           out: Path = typer.Option(..., "--out", help="file to write (overwritten; readable by you only)"),
           as_user: str = typer.Option(..., "--as", help="export with this user's permissions")) -> None:
    """Export cases or response-time statistics, with the console's permissions: admin and
    komunikasi export everything, an agency head only the cases their agency leads or
    supports, a viewer nothing. Times are WIB, durations in minutes; phone numbers are shown
    in full only to admins, a case's assignee and its lead agency (masked for everyone else);
    cells that would run as spreadsheet formulas are neutralised.

    Example: tanggap export --what stats --format xlsx --from 2026-11-01 --to 2026-11-30 --out nov.xlsx --as ani
    """
    from console.services import export as service
    from console.services.auth import principal_for
    from store.db import read_session

    if out.is_dir():
        raise bad_argument("--out", f"{out} is a folder; give a file name such as {out / 'laporan.csv'}")
    if not out.parent.is_dir():
        raise bad_argument("--out", f"folder {out.parent} does not exist")
    start, end = _day(date_from), _day(date_to)
    with read_session() as session:
        principal = principal_for(session, as_user)
    agency = agency.strip().upper() if agency else None
    partial = _private_side_file(out)
    try:
        if what == "cases":
            result = service.export_cases(principal, service.case_filter(start, end, agency), fmt, partial)
        else:
            result = service.export_stats(principal, fmt, partial, start=start, end=end, agency=agency)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    if agency and result.agency != agency:
        echo(f"note: {principal.username} may export {result.agency} only; exported {result.agency}", err=True)
    noun = "cases" if what == "cases" else "statistics rows"
    echo(f"wrote {result.rows} {noun} to {out}")


def _private_side_file(out: Path) -> Path:
    """An empty file next to ``out``, mode 0600 (the export holds citizens' reports), that the
    export is written to and then moved into place, so a failed run never leaves half a report."""
    from console.services.export_files import new_private_file
    try:
        return new_private_file(out.parent, prefix=f".{out.name}.", suffix=".partial")
    except OSError as exc:
        raise bad_argument("--out", f"cannot write in {out.parent} ({exc.strerror})") from exc


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None
