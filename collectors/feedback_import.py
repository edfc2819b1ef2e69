"""Importing the team's labelled history (``tanggap feedback import``): CSV, JSONL or XLSX.

Rows are read by the mention import's readers (collectors.readers: encodings, delimiters,
Excel cells), their columns named as there (collectors.columns: ``text``/``Isi Laporan``,
``created_at``/``Tanggal``, ``platform``/``Kanal``) plus ``category``/``Kategori``,
``urgency``/``Urgensi`` and ``source``/``Asal Data``, and their times read by
collectors.dates. Categories and urgencies are ids or Indonesian labels; anything else is
rejected, never guessed. A bad row goes to the rejects file with its line and reason while
the good rows are stored (store.feedback, idempotent).

The day/month order of numeric dates is settled by a first pass over the file (the first
date whose day is over 12), so no row waits; a file whose dates could all be either is
refused unless ``--date-format`` says which.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from classifier.taxonomy import resolve
from collectors.columns import ColumnError, key, map_columns
from collectors.dates import DATE_FORMATS, DateError, DateOrder, is_ambiguous, parse_time
from collectors.files import CSV_FIELD_LIMIT, write_rejects
from collectors.plausible import SURROGATE
from collectors.readers import FileInfo, ImportFileError, csv_rows, jsonl_rows
from collectors.xlsx_reader import xlsx_rows
from store.db import write_session
from store.feedback import LabelledRow, StoreCounts, store_rows
from store.settings import get_settings

CHUNK = 500
MAX_TEXT = 64 * 1024
MAX_NAME = 64
# Labelled-history columns beyond the mention import's (compared as collectors.columns.key does).
EXTRA_ALIASES = {
    "category": ("category", "kategori", "kategori laporan", "klasifikasi"),
    "urgency": ("urgency", "urgensi", "tingkat urgensi", "prioritas"),
    "source": ("source", "asal data", "asal"),
}
_BY_EXTRA = {key(alias): name for name, aliases in EXTRA_ALIASES.items() for alias in aliases}


@dataclass
class FeedbackReport:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    category_only: int = 0  # valid rows without urgency (they train the category head only)
    rejects_path: Path | None = None

    def counts(self) -> str:
        return (f"read {self.read}, new {self.inserted}, updated {self.updated}, unchanged {self.unchanged}, "
                f"rejected {self.rejected} ({self.category_only} valid rows have no urgency: category only)")


def import_feedback(path: Path, source: str | None = None, rejects_path: Path | None = None,
                    date_format: str | None = None, sheet: str | None = None,
                    delimiter: str | None = None) -> FeedbackReport:
    """Store the labelled rows of ``path`` as feedback of ``source`` (default: the file's
    name; a ``source`` column overrides it per row). Returns the counts."""
    path = Path(path)
    if not path.is_file():
        raise ImportFileError(f"{path}: no such file")
    if date_format is not None and date_format.upper() not in DATE_FORMATS:
        raise ImportFileError(f"--date-format {date_format!r}: use {' or '.join(DATE_FORMATS)}")
    default_source = _name(source or path.name, "source")
    order = DateOrder(fixed=date_format.upper() if date_format else None)
    if order.order is None:
        _settle_order(path, order, sheet, delimiter)
    report, rejects, chunk = FeedbackReport(), [], []
    zone = get_settings().zone
    for line, row, content in _mapped_rows(path, sheet, delimiter):
        report.read += 1
        try:
            labelled = _labelled(row, default_source, order, zone)
        except ValueError as exc:
            rejects.append((line, str(exc), content))
            continue
        report.category_only += labelled.urgency is None
        chunk.append(labelled)
        if len(chunk) >= CHUNK:
            _store(chunk, report)
            chunk = []
    _store(chunk, report)
    report.rejected = len(rejects)
    if rejects_path is not None and rejects:
        write_rejects(Path(rejects_path), rejects)
        report.rejects_path = Path(rejects_path)
    return report


def _store(chunk: list[LabelledRow], report: FeedbackReport) -> None:
    if not chunk:
        return
    with write_session() as session:
        counts: StoreCounts = store_rows(session, chunk)
    report.inserted += counts.inserted
    report.updated += counts.updated
    report.unchanged += counts.unchanged


def _mapped_rows(path: Path, sheet: str | None, delimiter: str | None) -> Iterator[tuple[int, Any, str]]:
    """(line, row with field names or the error it is, content) for every row of the file."""
    header, rows = _open(path, sheet, delimiter)
    fields = _fields(header) if header is not None else None
    if fields is not None:
        missing = [name for name in ("text", "category") if name not in fields.values()]
        if missing:
            raise ImportFileError(f"{path}: no column for {' or '.join(missing)} (columns: {', '.join(header or [])})")
    for line, row, content in rows:
        if isinstance(row, dict):
            names = fields if fields is not None else _fields([str(k) for k in row])
            row = names if isinstance(names, ColumnError) else {names[k]: v for k, v in row.items() if k in names}
        elif not isinstance(row, Exception):
            row = ValueError("a row must be a JSON object with \"text\" and \"category\"")
        yield line, row, content


def _open(path: Path, sheet: str | None, delimiter: str | None) -> tuple[list[str] | None, Iterator]:
    suffix, info = path.suffix.lower(), FileInfo(format="", sheet=sheet, delimiter=delimiter)
    if suffix == ".csv":
        return csv_rows(path, info, CSV_FIELD_LIMIT)
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_rows(path, info)
    if suffix in (".jsonl", ".ndjson", ".json"):
        return None, jsonl_rows(path, info)
    raise ImportFileError(f"{path}: unknown file type {suffix!r}; use .xlsx, .csv or .jsonl")


def _fields(header: list[str]) -> dict[str, str]:
    """column → field: the mention import's names for text, created_at and platform, plus ours."""
    try:
        mapped = map_columns(header).fields
    except ColumnError:
        mapped = {}  # e.g. two columns an author could be: not ours to care about
    fields = {column: name for column, name in mapped.items() if name in ("text", "created_at", "platform")}
    for column in header:
        name = _BY_EXTRA.get(key(column))
        if name is not None and column not in fields and name not in fields.values():
            fields[column] = name
    return fields


def _settle_order(path: Path, order: DateOrder, sheet: str | None, delimiter: str | None) -> None:
    ambiguous = None
    for _line, row, _content in _mapped_rows(path, sheet, delimiter):
        value = row.get("created_at") if isinstance(row, dict) else None
        if isinstance(value, str):
            order.settle(value)
            if order.order is not None:
                return
            ambiguous = ambiguous or (value if is_ambiguous(value) else None)
    if ambiguous is not None:
        raise ImportFileError(f"{path}: dates such as {ambiguous!r} could be day/month or month/day; say which "
                              "with --date-format DD/MM/YYYY or --date-format MM/DD/YYYY")


def _labelled(row: Any, default_source: str, order: DateOrder, zone) -> LabelledRow:
    if isinstance(row, Exception):
        raise ValueError(str(row))
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("text is empty")
    if len(text) > MAX_TEXT or SURROGATE.search(text):
        raise ValueError("text is longer than 64 KB or holds characters that are not text")
    category = _label("category", row.get("category"))
    if category is None:
        raise ValueError("category is empty")
    urgency = _label("urgency", row.get("urgency"))
    platform = row.get("platform")
    return LabelledRow(text=text.strip(), category=category, urgency=urgency,
                       source=_name(row.get("source"), "source") if _filled(row.get("source")) else default_source,
                       platform=_name(platform, "platform") if _filled(platform) else None,
                       message_at=_time(row.get("created_at"), order, zone))


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _label(head: str, value: Any) -> str | None:
    if not _filled(value):
        return None
    try:
        return resolve(head, str(value))
    except KeyError as exc:
        raise ValueError(exc.args[0]) from None


def _name(value: Any, field: str) -> str:
    text = " ".join(str(value).split())
    if not text or len(text) > MAX_NAME:
        raise ValueError(f"{field} must be 1 to {MAX_NAME} characters")
    return text


def _time(value: Any, order: DateOrder, zone) -> datetime | None:
    if not _filled(value) or isinstance(value, bool):
        return None
    try:
        parsed = parse_time(value.strip() if isinstance(value, str) else value, order)
    except DateError as exc:
        raise ValueError(f"created_at {exc}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
