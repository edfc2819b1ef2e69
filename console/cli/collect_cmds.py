"""`tanggap collect` and `tanggap import`: run the collectors, import a file of mentions."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from collectors.sources import SOURCE_NAMES
from console.cli.app import CommandError, app, bad_argument, echo, friendly_errors, one_of, require_schema
from store.vocabulary import PLATFORMS

PLATFORM_OPTION = typer.Option("import", "--platform", callback=one_of(PLATFORMS),
                               help="platform of rows without a platform column: twitter, facebook, sms, import")


@app.command("collect")
@friendly_errors
def collect(once: bool = typer.Option(False, "--once", help="run each source once, then exit"),
            loop: bool = typer.Option(False, "--loop", help="keep collecting on each source's interval"),
            source: list[str] = typer.Option([], "--source", callback=one_of(SOURCE_NAMES),
                                             help="twitter, twitter-search, facebook or sms (repeatable; "
                                                  "default: every configured source)"),
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
def import_(file: Path = typer.Argument(..., help="a .csv or .jsonl file of mentions"),
            rejects: Path | None = typer.Option(None, "--rejects",
                                                help="where rejected rows go (default: FILE.rejects.csv)"),
            platform: str = PLATFORM_OPTION) -> None:
    """Import mentions from a CSV or JSONL file (LAPOR! export, WhatsApp group, spreadsheet).

    Bad rows go to the rejects file with line number and reason; the good rows are
    imported. Importing the same file again imports nothing new.

    Example: tanggap import laporan.csv --platform sms --rejects ditolak.csv
    """
    from collectors.files import ImportFileError, import_file
    if not file.is_file():
        raise bad_argument("FILE", f"{file} is not a file")
    rejects = rejects or file.with_name(file.name + ".rejects.csv")
    try:
        report = import_file(file, rejects, default_platform=platform)
    except ImportFileError as exc:
        raise CommandError(str(exc)) from exc
    echo(f"read {report.read}, imported {report.imported}, duplicates {report.duplicates}, "
               f"rejected {report.rejected}")
    if report.rejects_path:
        echo(f"rejected rows: {report.rejects_path}")
