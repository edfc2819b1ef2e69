"""`tanggap import`: import a file of mentions."""

from __future__ import annotations

from pathlib import Path

import typer

from collectors.dates import DATE_FORMATS
from console.cli.app import CommandError, app, bad_argument, echo, friendly_errors, one_of
from console.services.imports import preview_line
from store.vocabulary import PLATFORMS

PLATFORM_OPTION = typer.Option("import", "--platform", callback=one_of(PLATFORMS),
                               help="platform of rows without a platform column: "
                                    "twitter, facebook, sms, whatsapp, import")


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
