"""`tanggap feedback import|list|stats`: the team's labelled history, kept as feedback for retraining."""

from __future__ import annotations

from pathlib import Path

import typer

from collectors.dates import DATE_FORMATS
from console.cli.app import CommandError, app, bad_argument, echo, friendly_errors, one_of, print_json
from console.cli.terminal import safe

feedback_app = typer.Typer(help="Labelled messages for retraining: import the team's history, list, count.",
                           no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("import")
@friendly_errors
def import_(file: Path = typer.Argument(..., help="a .xlsx, .csv or .jsonl file with text and category columns"),
            source: str | None = typer.Option(None, "--source",
                                              help="what the rows are, e.g. \"aduan 2025\" (default: the file's "
                                                   "name; a source column overrides it per row)"),
            rejects: Path | None = typer.Option(None, "--rejects",
                                                help="where rejected rows go (default: FILE.rejects.csv)"),
            sheet: str | None = typer.Option(None, "--sheet", help="the workbook's sheet (default: the first)"),
            delimiter: str | None = typer.Option(None, "--delimiter", callback=one_of((",", ";", "\t")),
                                                 help="CSV cell separator: , or ; or a tab (default: detected)"),
            date_format: str | None = typer.Option(None, "--date-format", callback=one_of(DATE_FORMATS),
                                                   help="DD/MM/YYYY or MM/DD/YYYY when the file's dates "
                                                        "could be either")) -> None:
    """Import labelled complaints (text, category, optional urgency, created_at, platform, source)
    as feedback for `tanggap train --with-feedback`.

    Categories and urgencies are ids or Indonesian labels ("Kemiskinan & Bansos", "Tinggi");
    anything else is rejected, never guessed. A row without urgency trains the category head
    only. Bad rows go to the rejects file with line and reason. Importing the same file again
    stores nothing new (a row whose label changed in the file is updated).

    Example: tanggap feedback import aduan-2025.xlsx --source "aduan 2025"
    """
    from collectors.feedback_import import import_feedback
    from collectors.readers import ImportFileError
    if not file.is_file():
        raise bad_argument("FILE", f"{file} is not a file")
    rejects = rejects or file.with_name(file.name + ".rejects.csv")
    try:
        report = import_feedback(file, source=source, rejects_path=rejects, date_format=date_format,
                                 sheet=sheet, delimiter=delimiter)
    except (ImportFileError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    echo(report.counts())
    if report.rejects_path:
        echo(f"rejected rows: {report.rejects_path}")


@feedback_app.command("list")
@friendly_errors
def list_rows(source: str | None = typer.Option(None, "--source", help="only this source"),
              limit: int = typer.Option(50, min=1, max=10_000, help="at most this many rows"),
              as_json: bool = typer.Option(False, "--json")) -> None:
    """The newest feedback rows: source, labels and text (phone numbers masked; children's
    cases' text withheld).

    Example: tanggap feedback list --source "aduan 2025" --limit 20
    """
    from console.services.feedback import latest
    rows = latest(source, limit)
    if as_json:
        print_json([row.__dict__ for row in rows])
        return
    for r in rows:
        echo(f"{r.id:<7} {safe(r.source, one_line=True)[:20]:<20} {r.category:<18} {r.urgency or '-':<7} "
             f"{safe(r.text, one_line=True)[:70]}")


@feedback_app.command("stats")
@friendly_errors
def stats(as_json: bool = typer.Option(False, "--json")) -> None:
    """Feedback rows per source and category (and how many carry an urgency).

    Example: tanggap feedback stats
    """
    from console.services.feedback import counts
    rows = counts()
    if as_json:
        print_json([row.__dict__ for row in rows])
        return
    if not rows:
        echo("no feedback yet: re-tag cases, or `tanggap feedback import FILE`")
    for r in rows:
        echo(f"{safe(r.source, one_line=True)[:30]:<30} {r.category:<18} {r.rows:>7} rows  "
             f"{r.with_urgency:>7} with urgency")
    if rows:
        echo(f"{'total':<30} {'':<18} {sum(r.rows for r in rows):>7} rows  "
             f"{sum(r.with_urgency for r in rows):>7} with urgency")
