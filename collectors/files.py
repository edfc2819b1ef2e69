"""File import: CSV, XLSX, JSONL and WhatsApp chat exports (LAPOR!, a kecamatan's sheet …).

Reading is collectors.readers / collectors.whatsapp, column names collectors.columns, times
collectors.dates; each row is then validated through normalize.from_import_row. A bad row
goes to the rejects file with its line number and reason while the good rows are imported.
Rows are stored through the same store step as the collectors, so importing a file twice
imports nothing new and imported mentions open (or join) cases like any other.

A hostile or broken file never stops an import half-way: bytes the file's encoding cannot
decode, a cell too big for the csv module, JSON nested too deep, a lone surrogate, a row the
database refuses — each is one rejected row with its line number and reason. The rejects
file is itself formula-safe.

Threads: a row whose ``in_reply_to`` names a row later in the file waits until the end of the
file, so the message it answers is stored first and the store step joins it to that case.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, time
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError

from collectors.columns import ColumnError, ColumnMap, map_columns, parse_map
from collectors.dates import DATE_FORMATS, DateError, DateOrder, is_ambiguous, parse_time
from collectors.errors import PayloadError
from collectors.ingest import store_batch
from collectors.mention import Mention
from collectors.normalize import from_import_row
from collectors.plausible import SURROGATE
from collectors.readers import ENCODINGS, FileInfo, ImportFileError, csv_rows, jsonl_rows
from collectors.whatsapp import chat_rows, looks_like_chat
from collectors.xlsx_reader import xlsx_rows
from store.db import get_engine, write_session
from store.formulas import neutralise
from store.maintenance import refresh_statistics
from store.settings import get_settings

__all__ = ["ImportFileError", "ImportOptions", "ImportReport", "import_file"]
log = logging.getLogger(__name__)
CHUNK = 500
SOURCE = "import"
# Big enough to read any cell up to the row limit and say what is wrong with it (normalize
# refuses fields over 64 KB); a cell past this is reported as unreadable, never a crash.
CSV_FIELD_LIMIT = 16 * 1024 * 1024
# What one row can make the database refuse (a value it cannot hold); a lost connection or a
# missing table is not about the row and stops the import.
ROW_ERRORS = (DataError, IntegrityError, ValueError)
REJECT_CONTENT_MAX = 32_000  # a spreadsheet cell holds 32,767 characters; the rejects file must open
PENDING_MAX = 50_000  # rows held while the file's day/month order is unknown
PREVIEW = 10
_UNDECODABLE = re.compile(r"[\udc80-\udcff]")  # what surrogateescape makes of a byte it cannot decode
REQUIRED = ("text", "created_at")


@dataclass
class ImportOptions:
    default_platform: str = "import"
    delimiter: str | None = None
    sheet: str | None = None
    date_format: str | None = None  # DD/MM/YYYY or MM/DD/YYYY
    column_map: str | None = None  # "Isi Laporan=text,Tgl=created_at"
    own: str | None = None  # the WhatsApp chat owner's name: their messages are responses
    dry_run: bool = False


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    responses: int = 0
    rejects_path: Path | None = None
    format: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    date_formats: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    preview: list[Mention] = field(default_factory=list)  # the first parsed rows (dry run)
    valid: int = 0  # rows that passed validation (stored or, in a dry run, would be)

    def counts(self) -> str:
        return (f"read {self.read}, imported {self.imported}, duplicates {self.duplicates}, "
                f"rejected {self.rejected}")

    def how_read(self) -> str:
        parts = [self.format]
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.encoding:
            parts.append(f"encoding {ENCODINGS.get(self.encoding, self.encoding)}")
        if self.delimiter:
            parts.append("delimiter " + ("tab" if self.delimiter == "\t" else repr(self.delimiter)))
        parts.append("dates " + (", ".join(self.date_formats) or "none read"))
        return ", ".join(parts)


def import_file(path: Path, rejects_path: Path | None = None, default_platform: str = "import",
                options: ImportOptions | None = None) -> ImportReport:
    """Import a file of mentions; rejected rows go to ``rejects_path`` (a CSV of line, reason,
    content) when given. With ``options.dry_run`` nothing is stored. Returns the counts."""
    path = Path(path)
    options = options or ImportOptions(default_platform=default_platform)
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    if options.date_format is not None and options.date_format.upper() not in DATE_FORMATS:
        raise ImportFileError(f"--date-format {options.date_format!r}: use {' or '.join(DATE_FORMATS)}")
    run = _Run(path, options)
    run.go()
    report = run.report
    run.rejects.sort()
    report.rejected = len(run.rejects)
    if rejects_path is not None and run.rejects:
        write_rejects(Path(rejects_path), run.rejects)
        report.rejects_path = Path(rejects_path)
    if report.imported:
        # A bulk intake can change the tables' shape enough to change plans (module store.maintenance).
        refresh_statistics(get_engine())
    log.info("imported %s: %s (%s)", path, report.counts(), report.how_read())
    return report


class _Run:
    """One import: rows in, mentions stored chunk by chunk, rejects collected."""

    def __init__(self, path: Path, options: ImportOptions) -> None:
        self.path, self.options = path, options
        self.zone = get_settings().zone
        self.report = ImportReport()
        self.order = DateOrder(fixed=options.date_format.upper() if options.date_format else None)
        self.rejects: list[tuple[int, str, str]] = []
        self.chunk: list[tuple[int, str, Mention]] = []
        self.later: list[tuple[int, str, Mention]] = []  # replies to rows not seen yet
        self.pending: list[tuple[int, Any, str, ColumnMap | None]] = []  # waiting for the day/month order
        self.seen: set[str] = set()
        self.own_channel = "platform_reply"

    def go(self) -> None:
        columns, rows = self._open()
        for line, row, content in rows:
            self.report.read += 1
            if isinstance(row, Exception):
                self.rejects.append((line, str(row), content))
                continue
            colmap = columns or self._row_columns(row)
            if isinstance(colmap, ColumnError):
                self.rejects.append((line, str(colmap), content))
                continue
            value = row.get(colmap.column_of("created_at") or "created_at") if isinstance(row, dict) else None
            if self.order.order is None and isinstance(value, str):
                self.order.settle(value)
                if self.order.order is None and (self.pending or is_ambiguous(value)):
                    self.pending.append((line, row, content, colmap))
                    if len(self.pending) > PENDING_MAX:
                        self._undecided()
                    continue
            if self.pending and self.order.order is not None:
                self._flush_pending()
            self._row(line, row, content, colmap)
        if self.pending:
            self._undecided()
        self._store(self.chunk)
        self._store(sorted(self.later, key=lambda item: item[2].created_at))
        self.report.date_formats = list(self.order.forms)

    def _open(self) -> tuple[ColumnMap | None, Iterator]:
        suffix, info = self.path.suffix.lower(), FileInfo(format="")
        info.delimiter, info.sheet = self.options.delimiter, self.options.sheet
        if suffix == ".csv":
            info.format = "CSV"
            header, rows = csv_rows(self.path, info, CSV_FIELD_LIMIT)
        elif suffix in (".xlsx", ".xlsm"):
            info.format = "XLSX"
            header, rows = xlsx_rows(self.path, info)
        elif suffix in (".jsonl", ".ndjson", ".json"):
            info.format, header, rows = "JSONL", None, jsonl_rows(self.path, info)
        elif suffix == ".txt":
            if not looks_like_chat(self.path):
                raise ImportFileError(f"{self.path}: not a WhatsApp chat export (its lines start like "
                                      "'29/11/26 18.41 - Nama: …')")
            info.format, header, rows = "WhatsApp chat", None, chat_rows(self.path, self.order, self.options.own)
            info.encoding, self.own_channel = "utf-8", "whatsapp"
        elif suffix == ".xls":
            raise ImportFileError(f"{self.path}: old Excel format (.xls); open it and save as .xlsx")
        else:
            raise ImportFileError(f"{self.path}: unknown file type {suffix!r}; use .xlsx, .csv, .jsonl or a "
                                  "WhatsApp chat export (.txt)")
        self.report.format, self.report.sheet = info.format, info.sheet
        self.report.delimiter = info.delimiter if info.format == "CSV" else None
        self.report.encoding = info.encoding
        if header is None:
            return None, self._noting_encoding(rows, info)
        try:
            columns = map_columns(header, parse_map(self.options.column_map))
        except ColumnError as exc:
            raise ImportFileError(f"{self.path}: {exc}") from None
        missing = [name for name in REQUIRED if columns.column_of(name) is None]
        if missing:
            raise ImportFileError(f"{self.path}: no column for {' or '.join(missing)} (columns: {', '.join(header)}); "
                                  "name it with --map \"COLUMN=text\" (README: accepted column names)")
        self.report.columns = columns.describe()
        return columns, rows

    def _noting_encoding(self, rows: Iterator, info: FileInfo) -> Iterator:
        for item in rows:  # the encoding is known once reading has begun
            self.report.encoding = info.encoding
            yield item

    def _row_columns(self, row: Any) -> ColumnMap | ColumnError:
        if not isinstance(row, dict):
            return ColumnMap({})  # from_import_row says what it is instead
        try:
            columns = map_columns([str(k) for k in row], parse_map(self.options.column_map))
        except ColumnError as exc:
            return exc
        if not self.report.columns:
            self.report.columns = columns.describe()
        return columns

    def _row(self, line: int, row: Any, content: str, columns: ColumnMap) -> None:
        try:
            mapped = columns.apply(row) if isinstance(row, dict) else row
            is_own = bool(mapped.pop("is_own", False)) if isinstance(mapped, dict) else False
            if isinstance(mapped, dict):
                mapped = self._with_time(mapped, columns)
            mention = from_import_row(mapped, default_platform=self.options.default_platform, zone=self.zone)
        except PayloadError as exc:
            column = columns.column_of(exc.field)
            where = f" (column {column!r})" if column and column != exc.field else ""
            self.rejects.append((line, f"{exc.field}{where} {exc.reason}", content))
            return
        except ValueError as exc:
            self.rejects.append((line, str(exc), content))
            return
        if is_own:
            mention = replace(mention, is_own=True)
        self.report.valid += 1
        if len(self.report.preview) < PREVIEW:
            self.report.preview.append(mention)
        if mention.in_reply_to and mention.in_reply_to not in self.seen:
            self.later.append((line, content, mention))
        else:
            self.chunk.append((line, content, mention))
        self.seen.add(mention.external_id)
        if len(self.chunk) >= CHUNK:
            self._store(self.chunk)
            self.chunk = []

    def _with_time(self, row: dict, columns: ColumnMap) -> dict:
        value = row.get("created_at")
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        if (isinstance(value, str) and value.strip()) or isinstance(value, date) \
                or (numeric and self.report.format == "XLSX"):  # a number is an Excel serial only in Excel
            try:
                row["created_at"] = parse_time(value, self.order).isoformat()
            except DateError as exc:
                column = columns.column_of("created_at")
                where = f" (column {column!r})" if column and column != "created_at" else ""
                raise ValueError(f"created_at{where} {exc}") from None
        # the row is kept as the mention's raw (JSON): other Excel date cells as text
        return {k: v.isoformat() if isinstance(v, date | time) else v for k, v in row.items()}

    def _flush_pending(self) -> None:
        held, self.pending = self.pending, []
        for line, row, content, columns in held:
            self._row(line, row, content, columns)

    def _undecided(self) -> None:
        example = next(row.get(c.column_of("created_at") or "created_at") for _, row, _, c in self.pending)
        message = (f"dates such as {example!r} could be day/month or month/day; say which with "
                   f"--date-format DD/MM/YYYY or --date-format MM/DD/YYYY")
        if self.report.imported == 0 and not self.chunk and not self.report.valid:
            raise ImportFileError(f"{self.path}: {message}")
        for line, _, content, _ in self.pending:
            self.rejects.append((line, f"created_at {message}", content))
        self.pending = []

    def _store(self, chunk: list[tuple[int, str, Mention]]) -> None:
        """One transaction per chunk; should the database refuse it, row by row, so that one row
        it cannot hold (whatever slipped past validation) is rejected and its neighbours stored."""
        if not chunk or self.options.dry_run:
            return
        try:
            self._write([m for _, _, m in chunk])
        except ROW_ERRORS:
            for line, content, mention in chunk:
                try:
                    self._write([mention])
                except ROW_ERRORS as exc:
                    first_line = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                    self.rejects.append((line, f"the database refused it: {first_line}", content))

    def _write(self, mentions: list[Mention]) -> None:
        with write_session() as session:
            result = store_batch(session, mentions, SOURCE, own_channel=self.own_channel)
        self.report.imported += result.inserted
        self.report.duplicates += result.duplicates
        self.report.responses += result.responses


def write_rejects(path: Path, rejects: list[tuple[int, str, str]]) -> None:
    """line, reason, content: text cells through the exports' formula guard, and whatever
    could not be decoded shown as escapes (\\xE9, \\ud83d), so the file is UTF-8 and inert."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["line", "reason", "content"])
        for line, reason, content in rejects:
            if len(content) > REJECT_CONTENT_MAX:
                content = content[:REJECT_CONTENT_MAX] + f" … [cut: {len(content):,} characters]"
            writer.writerow([line, neutralise(_printable(reason)), neutralise(_printable(content))])


def _printable(text: str) -> str:
    text = _UNDECODABLE.sub(lambda m: f"\\x{ord(m.group()) - 0xDC00:02X}", text)
    return SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
