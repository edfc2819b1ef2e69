"""Reading an Excel workbook's rows for the importer (see collectors.readers for the row shape).

openpyxl's read-only mode parses the sheet's XML as it goes, so memory stays flat whatever
the number of rows. Parsing is about half the work of an import, so a large workbook is
parsed in a second process while this one validates and stores the rows it has already
received: the two overlap on a machine with two cores. The child sends rows in batches
through a pipe, which blocks it when this side falls behind (memory stays bounded). It is
started with "spawn": forking the console's threaded server is not safe.
"""

from __future__ import annotations

import json
import multiprocessing
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from collectors.readers import FileInfo, ImportFileError, Row

PARALLEL_FROM_BYTES = 1_000_000  # below this (about 25,000 rows) starting a process costs more than it saves
BATCH = 500


def xlsx_rows(path: Path, info: FileInfo, parallel: bool | None = None) -> tuple[list[str], Iterator[Row]]:
    """The header and the rows of the first sheet (or ``info.sheet``)."""
    if parallel is None:
        parallel = path.stat().st_size >= PARALLEL_FROM_BYTES
    return _read_in_child(path, info) if parallel else _read_here(path, info)


def _read_here(path: Path, info: FileInfo) -> tuple[list[str], Iterator[Row]]:
    """The first sheet (or ``info.sheet``), streamed: openpyxl's read-only mode parses the
    sheet's XML as it goes, so memory stays flat whatever the number of rows."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]  # no types; stubs would be one more dev dependency
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(f"{path}: not a readable Excel workbook ({exc}); save it as .xlsx") from None
    if info.sheet is not None and info.sheet not in book.sheetnames:
        book.close()
        raise ImportFileError(f"{path}: no sheet {info.sheet!r} (sheets: {', '.join(book.sheetnames)})")
    sheet = book[info.sheet] if info.sheet is not None else book.worksheets[0]
    info.sheet = sheet.title
    rows = sheet.iter_rows(values_only=True)
    for number, cells in enumerate(rows, start=1):
        if any(c not in (None, "") for c in cells):
            header = [_header_cell(c, i) for i, c in enumerate(cells)]
            while header and header[-1] == "":
                header.pop()
            return header, _xlsx_body(book, rows, header, number)
    book.close()
    raise ImportFileError(f"{path}: sheet {info.sheet!r} is empty (expected a header row)")


def _header_cell(value: Any, index: int) -> str:
    return "" if value is None else str(value).strip()


def _xlsx_body(book, rows: Iterator[tuple], header: list[str], header_line: int) -> Iterator[Row]:
    width = len(header)
    try:
        for number, cells in enumerate(rows, start=header_line + 1):
            if not any(c not in (None, "") for c in cells):
                continue  # blank rows between blocks are common in hand-kept sheets
            extra = [c for c in cells[width:] if c not in (None, "")]
            row = {h: cell_value(c) for h, c in zip(header, cells, strict=False) if h}
            content = json.dumps(row, ensure_ascii=False, default=str)
            if extra:
                yield number, ValueError(f"{len(extra)} cells right of the last header column"), content
            else:
                yield number, row, content
    finally:
        book.close()


def cell_value(value: Any) -> Any:
    """Excel cells as the importer's rows hold them: text, whole numbers as text (a phone or
    ticket number), dates kept as dates (collectors.dates reads them), other numbers as is."""
    if value is None or isinstance(value, str | datetime | date | time):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _child(path: Path, sheet: str | None, conn) -> None:
    """The second process: reads the workbook and sends ("header", …), ("rows", […])…,
    ("done",), or ("error", message) and stops."""
    try:
        info = FileInfo(format="XLSX", sheet=sheet)
        header, rows = _read_here(path, info)
        conn.send(("header", header, info.sheet))
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                conn.send(("rows", batch))
                batch = []
        conn.send(("rows", batch))
        conn.send(("done",))
    except ImportFileError as exc:
        conn.send(("error", str(exc)))
    except BrokenPipeError:
        pass  # the importer stopped reading (it failed or was stopped): nothing more to do
    except Exception as exc:  # noqa: BLE001  (whatever openpyxl raises on a damaged sheet is the importer's error)
        conn.send(("error", f"{path}: not a readable Excel workbook ({exc}); save it as .xlsx"))
    finally:
        conn.close()


def _read_in_child(path: Path, info: FileInfo) -> tuple[list[str], Iterator[Row]]:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(path, info.sheet, sender), daemon=True,
                              name="tanggap-xlsx-reader")
    process.start()
    sender.close()  # only the child writes; its end closing is how a crash shows here
    try:
        first = _receive(receiver, process, path)
        if first[0] == "error":
            raise ImportFileError(first[1])
    except BaseException:
        _stop(receiver, process)
        raise
    _, header, info.sheet = first
    return header, _rows_from(receiver, process, path)


def _rows_from(receiver, process, path: Path) -> Iterator[Row]:
    try:
        while True:
            message = _receive(receiver, process, path)
            if message[0] == "rows":
                yield from message[1]
            elif message[0] == "done":
                return
            else:
                raise ImportFileError(message[1])
    finally:
        _stop(receiver, process)


def _receive(receiver, process, path: Path) -> tuple:
    try:
        return receiver.recv()
    except EOFError:
        process.join(timeout=5)
        raise ImportFileError(f"{path}: the workbook reader stopped unexpectedly "
                              f"(exit code {process.exitcode})") from None


def _stop(receiver, process) -> None:
    receiver.close()
    process.join(timeout=5)
    if process.is_alive():
        process.kill()
        process.join()
