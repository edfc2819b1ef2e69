"""A large workbook is parsed in a second process while the importer stores what it has: the
rows are the same as read in-process, errors still name the file, and the reader process
never outlives the import."""

from __future__ import annotations

import multiprocessing

import pytest
from openpyxl import Workbook

from collectors import xlsx_reader
from collectors.files import import_file
from collectors.readers import FileInfo, ImportFileError
from collectors.xlsx_reader import xlsx_rows
from tests.collectors.test_import_formats import lapor_workbook


def _read(path, parallel: bool, sheet: str | None = None):
    info = FileInfo(format="XLSX", sheet=sheet)
    header, rows = xlsx_rows(path, info, parallel=parallel)
    return header, [(line, str(row) if isinstance(row, Exception) else row, content) for line, row, content in rows], \
        info.sheet


def test_the_child_process_reads_exactly_what_this_process_reads(tmp_path):
    book = lapor_workbook(tmp_path / "lapor.xlsx")
    assert _read(book, parallel=True) == _read(book, parallel=False)
    assert _read(book, parallel=True, sheet="Ringkasan") == _read(book, parallel=False, sheet="Ringkasan")


def test_many_rows_arrive_in_order_across_batches(tmp_path):
    path = tmp_path / "big.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Laporan")
    sheet.append(["Isi Laporan", "Tanggal"])
    for n in range(xlsx_reader.BATCH * 2 + 7):
        sheet.append([f"laporan {n}", "29/11/2026 08:00"])
    book.save(path)
    _, rows, _ = _read(path, parallel=True)
    assert [line for line, _, _ in rows] == list(range(2, xlsx_reader.BATCH * 2 + 9))


def test_errors_from_the_child_name_the_file(tmp_path):
    book = lapor_workbook(tmp_path / "lapor.xlsx")
    with pytest.raises(ImportFileError, match=r"lapor.xlsx: no sheet 'Nope' \(sheets: Laporan, Ringkasan\)"):
        xlsx_rows(book, FileInfo(format="XLSX", sheet="Nope"), parallel=True)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ImportFileError, match=r"broken\.xlsx: not a readable Excel workbook"):
        xlsx_rows(broken, FileInfo(format="XLSX"), parallel=True)
    assert multiprocessing.active_children() == []


def test_an_importer_that_stops_early_stops_the_reader(tmp_path):
    _, rows = xlsx_rows(lapor_workbook(tmp_path / "lapor.xlsx"), FileInfo(format="XLSX"), parallel=True)
    next(rows)
    rows.close()  # what happens when the import fails half-way
    assert multiprocessing.active_children() == []


def test_a_large_workbook_imports_through_the_child_process(db, tmp_path, monkeypatch):
    monkeypatch.setattr(xlsx_reader, "PARALLEL_FROM_BYTES", 0)  # every workbook counts as large
    started = []
    real = xlsx_reader._read_in_child
    monkeypatch.setattr(xlsx_reader, "_read_in_child", lambda *a: started.append(1) or real(*a))
    report = import_file(lapor_workbook(tmp_path / "lapor.xlsx"), tmp_path / "r.csv")
    assert started and (report.read, report.imported, report.rejected) == (4, 3, 1)
    assert report.sheet == "Laporan"
