"""The two file formats of the exports, with formula neutralisation built in.

- CSV: UTF-8 with a byte-order mark, so Excel reads Indonesian and Javanese text.
- XLSX: xlsxwriter in constant_memory mode (each row is flushed to disk as it is written),
  text always through write_string: a string cell, which a spreadsheet never runs as a
  formula, so it is written as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from store.formulas import neutralise

XLSX_MAX_ROWS = 1_048_576  # Excel's limit per sheet, header included


# --- writers ----------------------------------------------------------------------------

def write_csv(out: Path | str | BinaryIO, columns: Sequence[str], rows: Iterable[list],
               neutralised: bool = False) -> int:
    """UTF-8 with a byte-order mark, so Excel reads Indonesian and Javanese text correctly.
    ``neutralised``: the rows' text cells went through neutralise() already."""
    count = 0
    with _text_stream(out) as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        if not neutralised:
            rows = ([neutralise(v) if isinstance(v, str) else v for v in row] for row in rows)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


class _text_stream:
    """A text stream over a path or a binary file; the caller's binary file is left open."""

    def __init__(self, out: Path | str | BinaryIO):
        self._out = out

    def __enter__(self) -> io.TextIOBase:
        if isinstance(self._out, str | Path):
            self._fh = open(self._out, "w", encoding="utf-8-sig", newline="")
        else:
            self._fh = io.TextIOWrapper(self._out, encoding="utf-8-sig", newline="")
        return self._fh

    def __exit__(self, *exc: object) -> None:
        if isinstance(self._out, str | Path):
            self._fh.close()
        else:
            self._fh.flush()
            self._fh.detach()


def write_xlsx_sheets(out: Path | str | BinaryIO,
                       sheets: Sequence[tuple[str, Sequence[str], Iterable[list], Sequence[str]]]) -> int:
    """One worksheet per (title, columns, rows, datetime columns). Rows are written in order
    and flushed as they go (constant_memory); a sheet that reaches Excel's row limit
    continues on a new sheet with the same header."""
    import xlsxwriter

    target = str(out) if isinstance(out, str | Path) else out
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    bold = workbook.add_format({"bold": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    count = 0
    try:
        for title, columns, rows, datetime_columns in sheets:
            date_idx = {i for i, c in enumerate(columns) if c in datetime_columns}
            part = 1
            sheet, r = _new_sheet(workbook, title, columns, bold, date_idx), 1
            for row in rows:
                if r >= XLSX_MAX_ROWS:
                    part += 1
                    sheet, r = _new_sheet(workbook, f"{title} ({part})", columns, bold, date_idx), 1
                _write_xlsx_row(sheet, r, row, when)
                r += 1
                count += 1
    finally:
        workbook.close()
    return count


def _new_sheet(workbook, title: str, columns: Sequence[str], bold, date_idx: set[int]):
    sheet = workbook.add_worksheet(title[:31])
    for i, name in enumerate(columns):
        sheet.write_string(0, i, name, bold)
        if i in date_idx:
            sheet.set_column(i, i, 19)
    sheet.freeze_panes(1, 0)
    return sheet


def _write_xlsx_row(sheet, r: int, row: Sequence[Any], when) -> None:
    for c, value in enumerate(row):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            sheet.write_string(r, c, value)
        elif isinstance(value, datetime):
            sheet.write_datetime(r, c, value, when)
        elif isinstance(value, bool):
            sheet.write_boolean(r, c, value)
        elif isinstance(value, int | float):
            sheet.write_number(r, c, value)
        else:
            sheet.write_string(r, c, str(value))

