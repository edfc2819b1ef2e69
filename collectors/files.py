"""CSV and JSONL import (exports from LAPOR!, a WhatsApp group, a spreadsheet …).

Each row is validated through normalize.from_import_row; a bad row goes to the rejects
file with its line number and reason while the good rows are imported. Rows are stored
through the same store step as the collectors, so importing a file twice imports nothing
new and imported mentions open (or join) cases like any other. Columns: README.md here.
"""

from __future__ import annotations

import csv
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collectors.errors import PayloadError
from collectors.ingest import store_batch
from collectors.mention import Mention
from collectors.normalize import from_import_row
from store.db import get_engine, write_session
from store.maintenance import refresh_statistics
from store.settings import get_settings

log = logging.getLogger(__name__)
CHUNK = 500
SOURCE = "import"


class ImportFileError(Exception):
    """The file cannot be imported at all (missing, unknown format, no header)."""


@dataclass
class ImportReport:
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects_path: Path | None = None


def _csv_rows(path: Path) -> Iterator[tuple[int, Any, str]]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames:
            raise ImportFileError(f"{path}: no header row (expected columns such as text, created_at)")
        line = reader.line_num + 1
        for row in reader:
            content = json.dumps(row, ensure_ascii=False)
            if None in row:  # more cells than header columns
                yield line, ValueError(f"{len(row[None])} cells more than the header has"), content
            elif any(v is None for v in row.values()):
                yield line, ValueError("fewer cells than the header has"), content
            else:
                yield line, row, content
            line = reader.line_num + 1


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Any, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        for number, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            try:
                yield number, json.loads(text), text.rstrip("\r\n")
            except json.JSONDecodeError as exc:
                yield number, ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})"), text.rstrip("\r\n")


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
    chunk: list[Mention] = []
    for line, row, content in _rows(path):
        report.read += 1
        try:
            if isinstance(row, Exception):
                raise row
            chunk.append(from_import_row(row, default_platform=default_platform, zone=zone))
        except (PayloadError, ValueError) as exc:
            reason = f"{exc.field} {exc.reason}" if isinstance(exc, PayloadError) else str(exc)
            rejects.append((line, reason, content))
            continue
        if len(chunk) >= CHUNK:
            _store(chunk, report)
            chunk = []
    _store(chunk, report)
    if report.imported:
        # A bulk intake can change the tables' shape enough to change plans (module store.maintenance).
        refresh_statistics(get_engine())
    report.rejected = len(rejects)
    if rejects_path is not None and rejects:
        rejects_path = Path(rejects_path)
        with rejects_path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["line", "reason", "content"])
            writer.writerows(rejects)
        report.rejects_path = rejects_path
    log.info("imported %s: %s", path, report)
    return report


def _store(chunk: list[Mention], report: ImportReport) -> None:
    if not chunk:
        return
    with write_session() as session:
        result = store_batch(session, chunk, SOURCE)
    report.imported += result.inserted
    report.duplicates += result.duplicates
