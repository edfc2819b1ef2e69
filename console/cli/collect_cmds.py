"""`tanggap collect` and `tanggap import`: run the collectors, import a file of mentions."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from collectors.dates import DATE_FORMATS
from collectors.sources import SOURCE_NAMES
from console.cli.app import CommandError, app, bad_argument, echo, friendly_errors, one_of, require_schema
from console.services.imports import preview_line
from store.vocabulary import PLATFORMS

PLATFORM_OPTION = typer.Option("import", "--platform", callback=one_of(PLATFORMS),
                               help="platform of rows without a platform column: twitter, facebook, sms, import")


@app.command("collect")
@friendly_errors
def collect(once: bool = typer.Option(False, "--once", help="run each source once, then exit"),
            loop: bool = typer.Option(False, "--loop", help="keep collecting on each source's interval"),
            source: list[str] = typer.Option([], "--source", callback=one_of(SOURCE_NAMES),
                                             help="twitter (runs twitter-own with it), twitter-own, twitter-search, "
                                                  "facebook or sms (repeatable; default: every configured source)"),
            verbose: bool = typer.Option(False, "--verbose", "-v", help="log each request")) -> None:
    """Fetch new mentions from X, the Facebook Page and the SMS centre into cases.

    A source without settings is skipped with a note; naming it with --source is an
    error that lists the missing settings. SIGTERM finishes the current batch, then exits.

    Example: tanggap collect --once --source twitter
    """
    from collectors.errors import MissingSettings
    from collectors.poller import Poller
    from collectors.sources import build_sources
    from store.redaction import configure_logging
    from store.settings import get_settings
    if once == loop:
        raise bad_argument("--once/--loop", "say either --once or --loop")
    # Redaction sits on the handlers, so -v may show every request but never a token.
    configure_logging(logging.DEBUG if verbose else logging.INFO)
    require_schema()  # the poller records a failing source and carries on; a missing schema is not that
    try:
        sources, notes = build_sources(get_settings(), source or None)
    except (MissingSettings, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    for note in notes:
        echo(note)
    if not sources:
        raise CommandError("no source is configured (see collectors/README.md for the settings)")
    poller = Poller(sources)
    poller.install_signal_handlers()
    if once:
        failed = False
        for summary in poller.run_once():
            echo(summary.line())
            failed = failed or (summary.status not in ("ok",) and summary.skipped is None)
        if failed:
            raise typer.Exit(1)
        return
    poller.run_forever(on_summary=lambda s: echo(s.line()))


@app.command("import")
@friendly_errors
def import_(file: Path = typer.Argument(..., help="a .xlsx, .csv or .jsonl file, or a WhatsApp chat export (.txt)"),
            rejects: Path | None = typer.Option(None, "--rejects",
                                                help="where rejected rows go (default: FILE.rejects.csv)"),
            platform: str = PLATFORM_OPTION,
            sheet: str | None = typer.Option(None, "--sheet", help="the workbook's sheet (default: the first)"),
            delimiter: str | None = typer.Option(None, "--delimiter", callback=one_of((",", ";", "\t")),
                                                 help="CSV cell separator: , or ; or a tab (default: detected)"),
            date_format: str | None = typer.Option(None, "--date-format", callback=one_of(DATE_FORMATS),
                                                   help="DD/MM/YYYY or MM/DD/YYYY when the file's dates "
                                                        "could be either"),
            column_map: str | None = typer.Option(None, "--map",
                                                  help='columns the alias table does not know: '
                                                       '"Isi Laporan=text,Tgl=created_at"'),
            own: str | None = typer.Option(None, "--own",
                                           help="WhatsApp chat: the name of the chat's owner, whose messages "
                                                "are responses"),
            dry_run: bool = typer.Option(False, "--dry-run",
                                         help="show the column mapping and the first ten rows; store nothing")) -> None:
    """Import mentions from a file: LAPOR! export, a kecamatan's workbook, a WhatsApp chat.

    Formats: .xlsx, .csv (comma or semicolon; UTF-8 or Windows-1252), .jsonl, and a WhatsApp
    "Export chat" .txt. Column names in Indonesian or English (README: collectors). Bad rows
    go to the rejects file with line number and reason; the good rows are imported.
    Importing the same file again imports nothing new.

    Example: tanggap import laporan.xlsx --dry-run
    """
    from collectors.files import ImportFileError, ImportOptions, import_file
    if not file.is_file():
        raise bad_argument("FILE", f"{file} is not a file")
    rejects = rejects or file.with_name(file.name + ".rejects.csv")
    options = ImportOptions(default_platform=platform, delimiter=delimiter, sheet=sheet, date_format=date_format,
                            column_map=column_map, own=own, dry_run=dry_run)
    try:
        report = import_file(file, rejects, options=options)
    except ImportFileError as exc:
        raise CommandError(str(exc)) from exc
    if dry_run:
        echo("dry run: nothing stored")
        echo("columns: " + ("; ".join(report.columns) or "(WhatsApp chat)"))
        for mention in report.preview:
            echo(preview_line(mention))
        echo(f"read {report.read}, valid {report.valid}, rejected {report.rejected}")
    else:
        echo(report.counts() + (f", responses {report.responses}" if report.responses else ""))
    echo(f"read as {report.how_read()}")
    if report.rejects_path:
        echo(f"rejected rows: {report.rejects_path}")
