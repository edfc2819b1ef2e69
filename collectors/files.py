"""CSV and JSONL import (exports from LAPOR!, a WhatsApp group, a spreadsheet …).

Each row is validated through normalize.from_import_row; a bad row goes to the rejects
file with its line number and reason while the good rows are imported. Rows are stored
through the same store step as the collectors, so importing a file twice imports nothing
new and imported mentions open (or join) cases like any other. Columns: README.md here.

A hostile or broken file never stops an import half-way: bytes that are not UTF-8 (read
with ``surrogateescape``, so the rest of the file still decodes), a cell too big for the
csv module, JSON nested too deep, a lone surrogate, a row the database refuses — each is
one rejected row with its line number and reason. The rejects file is itself formula-safe.
"""

from __future__ import annotations

import csv
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError

from collectors.errors import PayloadError
from collectors.ingest import store_batch
from collectors.mention import Mention
from collectors.normalize import from_import_row
from collectors.plausible import SURROGATE
from store.db import get_engine, write_session
from store.formulas import neutralise
from store.maintenance import refresh_statistics
from store.settings import get_settings

log = logging.getLogger(__name__)
CHUNK = 500
SOURCE = "import"
# Big enough to read any cell up to the row limit and say what is wrong with it (normalize
# refuses fields over 64 KB); a cell past this is reported as unreadable, never a crash.
CSV_FIELD_LIMIT = 16 * 1024 * 1024
_UNDECODABLE = re.compile(r"[\udc80-\udcff]")  # what surrogateescape makes of a byte that is not UTF-8
# What one row can make the database refuse (a value it cannot hold); a lost connection or a
# missing table is not about the row and stops the import.
ROW_ERRORS = (DataError, IntegrityError, ValueError)
REJECT_CONTENT_MAX = 32_000  # a spreadsheet cell holds 32,767 characters; the rejects file must open


class ImportFileError(Exception):
    """The file cannot be imported at all (missing, unknown format, no header)."""


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects_path: Path | None = None


def _not_utf8(text: str) -> ValueError | None:
    found = _UNDECODABLE.search(text)
    if found is None:
        return None
    byte = ord(found.group()) - 0xDC00
    return ValueError(f"is not UTF-8 text (byte 0x{byte:02X} at character {found.start() + 1}); "
                      "save the file as UTF-8")


def _csv_rows(path: Path) -> Iterator[tuple[int, Any, str]]:
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)
    with path.open(newline="", encoding="utf-8-sig", errors="surrogateescape") as fh:
        try:
            reader = csv.DictReader(fh)
            header = reader.fieldnames
        except csv.Error as exc:
            raise ImportFileError(f"{path}: the header row is unreadable ({exc})") from None
        if not header:
            raise ImportFileError(f"{path}: no header row (expected columns such as text, created_at)")
        if _not_utf8(",".join(header)):
            raise ImportFileError(f"{path}: the header row is not UTF-8 text; save the file as UTF-8")
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # e.g. a cell past CSV_FIELD_LIMIT; the reader goes on at the next line
                yield line, ValueError(f"unreadable CSV row ({exc})"), ""
                continue
            content = json.dumps(row, ensure_ascii=False)
            if None in row:  # more cells than header columns
                yield line, ValueError(f"{len(row[None])} cells more than the header has"), content
            elif any(v is None for v in row.values()):
                yield line, ValueError("fewer cells than the header has"), content
            else:
                yield line, _not_utf8(content) or row, content


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Any, str]]:
    with path.open(encoding="utf-8-sig", errors="surrogateescape") as fh:
        for number, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            content = text.rstrip("\r\n")
            try:
                yield number, _not_utf8(content) or json.loads(text), content
            except json.JSONDecodeError as exc:
                yield number, ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})"), content
            except RecursionError:
                yield number, ValueError("JSON nested too deeply"), content


def _rows(path: Path) -> Iterator[tuple[int, Any, str]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".jsonl", ".ndjson", ".json"):
        return _jsonl_rows(path)
    raise ImportFileError(f"{path}: unknown file type {suffix!r}; use .csv or .jsonl")


def import_file(path: Path, rejects_path: Path | None = None, default_platform: str = "import") -> ImportReport:
    """Import a CSV or JSONL file of mentions; rejected rows go to ``rejects_path`` (a CSV of
    line, reason, content) when given. Returns the counts."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    zone = get_settings().zone
    report = ImportReport()
    rejects: list[tuple[int, str, str]] = []
    chunk: list[tuple[int, str, Mention]] = []
    for line, row, content in _rows(path):
        report.read += 1
        try:
            if isinstance(row, Exception):
                raise row
            chunk.append((line, content, from_import_row(row, default_platform=default_platform, zone=zone)))
        except (PayloadError, ValueError) as exc:
            reason = f"{exc.field} {exc.reason}" if isinstance(exc, PayloadError) else str(exc)
            rejects.append((line, reason, content))
            continue
        if len(chunk) >= CHUNK:
            _store(chunk, report, rejects)
            chunk = []
    _store(chunk, report, rejects)
    rejects.sort()
    if report.imported:
        # A bulk intake can change the tables' shape enough to change plans (module store.maintenance).
        refresh_statistics(get_engine())
    report.rejected = len(rejects)
    if rejects_path is not None and rejects:
        rejects_path = Path(rejects_path)
        _write_rejects(rejects_path, rejects)
        report.rejects_path = rejects_path
    log.info("imported %s: %s", path, report)
    return report


def _store(chunk: list[tuple[int, str, Mention]], report: ImportReport, rejects: list) -> None:
    """One transaction per chunk; should the database refuse it, row by row, so that one row
    it cannot hold (whatever slipped past validation) is rejected and its neighbours stored."""
    if not chunk:
        return
    try:
        _write([m for _, _, m in chunk], report)
    except ROW_ERRORS:
        for line, content, mention in chunk:
            try:
                _write([mention], report)
            except ROW_ERRORS as exc:
                first_line = str(getattr(exc, "orig", None) or exc).splitlines()[0]
                rejects.append((line, f"the database refused it: {first_line}", content))


def _write(mentions: list[Mention], report: ImportReport) -> None:
    with write_session() as session:
        result = store_batch(session, mentions, SOURCE)
    report.imported += result.inserted
    report.duplicates += result.duplicates


def _write_rejects(path: Path, rejects: list[tuple[int, str, str]]) -> None:
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
