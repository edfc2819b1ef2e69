"""Reading the rows of an import file, whatever its format: CSV, JSONL (XLSX: collectors.xlsx_reader).

Each reader yields ``(line, row or the error that row is, content)``: ``line`` is what staff
find in their editor or spreadsheet (the header is line 1 of a CSV, an Excel row is its row
number), ``content`` the row as text for the rejects file. A broken row is an error value,
never an exception, so one bad row never stops the file (collectors.files).

The encoding of a CSV is decided per file: UTF-8 (with or without BOM) when its bytes are
UTF-8, or when they hold UTF-8 characters beside a few bytes that are not (those rows are
rejected, the rest read); Windows-1252 (what Excel on Windows writes with "CSV") when the
non-ASCII bytes are no UTF-8 at all. JSONL is UTF-8 (as JSON is by definition).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Row = tuple[int, Any, str]
DELIMITERS = (",", ";", "\t")
ENCODINGS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}
_UNDECODABLE = re.compile(r"[\udc80-\udcff]")  # what surrogateescape makes of a byte it cannot decode
_UTF8_CHAR = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_SCAN = 1 << 20


class ImportFileError(Exception):
    """The file cannot be imported at all (missing, unknown format, no header)."""


@dataclass
class FileInfo:
    format: str
    encoding: str | None = None  # the codec name; ENCODINGS says it in words
    delimiter: str | None = None
    sheet: str | None = None


def not_decodable(text: str, encoding: str) -> ValueError | None:
    found = _UNDECODABLE.search(text)
    if found is None:
        return None
    byte = ord(found.group()) - 0xDC00
    name = ENCODINGS.get(encoding, encoding).replace(" with BOM", "")
    return ValueError(f"is not {name} text (byte 0x{byte:02X} at character {found.start() + 1}); "
                      "save the file as UTF-8")


def detect_encoding(path: Path) -> str:
    with path.open("rb") as fh:
        if fh.read(3) == codecs.BOM_UTF8:
            return "utf-8-sig"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        clean, utf8_chars, tail = True, False, b""
        while chunk := fh.read(_SCAN):
            utf8_chars = utf8_chars or _UTF8_CHAR.search(tail + chunk) is not None
            tail = chunk[-3:]
            if clean:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    clean = False
            if not clean and utf8_chars:
                break
    return "utf-8" if clean or utf8_chars else "cp1252"


def _delimiter(first_line: str) -> str:
    counts = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def csv_rows(path: Path, info: FileInfo, field_limit: int) -> tuple[list[str], Iterator[Row]]:
    if csv.field_size_limit() < field_limit:
        csv.field_size_limit(field_limit)
    info.encoding = info.encoding or detect_encoding(path)
    fh = path.open(newline="", encoding=info.encoding, errors="surrogateescape")
    try:
        first = fh.readline()
        info.delimiter = info.delimiter or _delimiter(first)
        fh.seek(0)
        reader = csv.DictReader(fh, delimiter=info.delimiter)
        header = reader.fieldnames
    except csv.Error as exc:
        fh.close()
        raise ImportFileError(f"{path}: the header row is unreadable ({exc})") from None
    if not header:
        fh.close()
        raise ImportFileError(f"{path}: no header row (expected columns such as text, created_at)")
    if not_decodable(",".join(header), info.encoding):
        fh.close()
        raise ImportFileError(f"{path}: the header row is not {ENCODINGS[info.encoding]} text; save the file as UTF-8")
    return list(header), _csv_body(fh, reader, info.encoding)


def _csv_body(fh: io.TextIOBase, reader: csv.DictReader, encoding: str) -> Iterator[Row]:
    with fh:
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # e.g. a cell past the field limit; the reader goes on at the next line
                yield line, ValueError(f"unreadable CSV row ({exc})"), ""
                continue
            content = json.dumps(row, ensure_ascii=False)
            if None in row:  # more cells than header columns
                yield line, ValueError(f"{len(row[None])} cells more than the header has"), content
            elif any(v is None for v in row.values()):
                yield line, ValueError("fewer cells than the header has"), content
            else:
                yield line, not_decodable(content, encoding) or row, content


def jsonl_rows(path: Path, info: FileInfo) -> Iterator[Row]:
    info.encoding = "utf-8"
    with path.open(encoding="utf-8-sig", errors="surrogateescape") as fh:
        for number, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            content = text.rstrip("\r\n")
            try:
                yield number, not_decodable(content, "utf-8") or json.loads(text), content
            except json.JSONDecodeError as exc:
                yield number, ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})"), content
            except RecursionError:
                yield number, ValueError("JSON nested too deeply"), content
