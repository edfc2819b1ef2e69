"""Files as staff make them: an Excel workbook with Indonesian headers and Excel dates, a
LAPOR!-style export, a semicolon CSV in Windows-1252, ambiguous dates, JSON faults."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlmodel import select

from collectors.files import ImportFileError, ImportOptions, import_file
from store.db import read_session
from store.tables import Mention


def mentions() -> dict[str, Mention]:
    with read_session() as s:
        return {m.text: m for m in s.exec(select(Mention)).all()}


def rejects_of(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def lapor_workbook(path: Path) -> Path:
    """A LAPOR!-style export as Excel saves it: the header, real date cells, an Excel serial
    in a cell without a date format, a blank row, a date typed as text, a second sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Laporan"
    sheet.append(["No. Tiket", "Tanggal Laporan", "Isi Laporan", "Kategori", "Status", "Nama", "Nomor"])
    sheet.append(["LPR-001", datetime(2026, 11, 20, 8, 15), "Jalan berlubang di Genteng", "Infrastruktur",
                  "Diproses", "Budi", "081234565678"])
    sheet.append(["LPR-002", 46345.375, "Lampu PJU mati di Rogojampi", "Infrastruktur", "Baru", "Ani", None])
    sheet.append([None, None, None, None, None, None, None])  # a blank row between blocks
    sheet.append(["LPR-003", "19/11/2026 07:30", "Sampah menumpuk di pasar", "Lingkungan", "Selesai", "Citra", None])
    sheet.append(["LPR-004", "kemarin", "tanpa tanggal yang benar", "Lainnya", "Baru", "Dodi", None])
    book.create_sheet("Ringkasan").append(["Total", 4])
    book.save(path)
    return path


def test_a_lapor_workbook_with_indonesian_headers_and_excel_dates_imports(db, tmp_path):
    report = import_file(lapor_workbook(tmp_path / "lapor.xlsx"), tmp_path / "r.csv")
    assert (report.read, report.imported, report.duplicates, report.rejected) == (4, 3, 0, 1)
    assert report.format == "XLSX" and report.sheet == "Laporan"
    assert report.date_formats == ["Excel date", "DD/MM/YYYY"]
    assert report.columns == ["No. Tiket → external_id", "Tanggal Laporan → created_at", "Isi Laporan → text",
                              "Nomor → author", "Nama → author_name"]
    rows = mentions()
    first = rows["Jalan berlubang di Genteng"]
    assert first.external_id == "LPR-001" and first.created_at == datetime(2026, 11, 20, 1, 15, tzinfo=UTC)
    assert first.author_id == "081234565678" and first.author_name == "Budi"
    assert first.raw["Kategori"] == "Infrastruktur" and first.raw["Status"] == "Diproses"
    assert rows["Lampu PJU mati di Rogojampi"].created_at == datetime(2026, 11, 19, 2, 0, tzinfo=UTC)  # serial, WIB
    assert rows["Sampah menumpuk di pasar"].created_at == datetime(2026, 11, 19, 0, 30, tzinfo=UTC)
    [reject] = rejects_of(tmp_path / "r.csv")
    assert reject["line"] == "6"  # the Excel row number (row 5 is blank)
    assert reject["reason"].startswith("created_at (column 'Tanggal Laporan') is not an ISO 8601 time")


def test_another_sheet_by_name_and_a_missing_sheet(db, tmp_path):
    path = lapor_workbook(tmp_path / "lapor.xlsx")
    with pytest.raises(ImportFileError, match="no column for text or created_at"):
        import_file(path, options=ImportOptions(sheet="Ringkasan"))
    with pytest.raises(ImportFileError, match="no sheet 'Juni' \\(sheets: Laporan, Ringkasan\\)"):
        import_file(path, options=ImportOptions(sheet="Juni"))


def test_a_file_that_is_not_a_workbook_is_refused(db, tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ImportFileError, match="not a readable Excel workbook"):
        import_file(tmp_path / "x.xlsx")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFileError, match=r"save as \.xlsx"):
        import_file(tmp_path / "old.xls")


def test_a_semicolon_csv_in_windows_1252_imports_without_flags(db, tmp_path):
    source = tmp_path / "kecamatan.csv"
    text = ("Tanggal;Pengirim;Isi;Kanal\r\n"
            "29/11/2026 10:00;0812-1111-2222;Jembatan di Kalibaru rusak – mohon dicek;sms\r\n"
            "28/11/2026 09:15;Pak Suyitno;Kafé tutup jalan “sembarangan”;import\r\n")
    source.write_bytes(text.encode("cp1252"))
    report = import_file(source, tmp_path / "r.csv")
    assert (report.read, report.imported, report.rejected) == (2, 2, 0)
    assert (report.encoding, report.delimiter, report.date_formats) == ("cp1252", ";", ["DD/MM/YYYY"])
    assert "encoding Windows-1252, delimiter ';', dates DD/MM/YYYY" in report.how_read()
    rows = mentions()
    sms = rows["Jembatan di Kalibaru rusak – mohon dicek"]
    assert sms.platform == "sms" and sms.author_id == "+6281211112222"
    assert sms.created_at == datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
    assert "Kafé tutup jalan “sembarangan”" in rows


@pytest.mark.parametrize(("data", "encoding"), [
    ("text,created_at\nKafé,2026-11-20 08:00\n".encode(), "utf-8"),
    (b"\xef\xbb\xbf" + "text,created_at\nKafé,2026-11-20 08:00\n".encode(), "utf-8-sig"),  # Excel's UTF-8 CSV
    ("text,created_at\nKafé,2026-11-20 08:00\n".encode("cp1252"), "cp1252"),
])
def test_the_encoding_is_detected_per_file(db, tmp_path, data, encoding):
    (tmp_path / "f.csv").write_bytes(data)
    report = import_file(tmp_path / "f.csv")
    assert (report.imported, report.encoding) == (1, encoding)
    assert "Kafé" in mentions()


def test_the_delimiter_can_be_given(db, tmp_path):
    # as many commas as semicolons in the header: detection takes the comma, --delimiter says ;
    (tmp_path / "f.csv").write_text("teks;waktu;catatan, lain, lagi\nhalo;2026-11-20 08:00;a, b, c\n")
    with pytest.raises(ImportFileError, match="no column for text or created_at"):
        import_file(tmp_path / "f.csv")
    report = import_file(tmp_path / "f.csv", options=ImportOptions(delimiter=";"))
    assert (report.imported, report.delimiter) == (1, ";")
    assert mentions()["halo"].raw["catatan, lain, lagi"] == "a, b, c"


def test_ambiguous_dates_refuse_the_file_naming_date_format(db, tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("teks,tanggal\nbanjir,05/11/2026 08:00\nlongsor,03/11/2026 09:00\n")
    with pytest.raises(ImportFileError, match="could be day/month or month/day; say which with --date-format"):
        import_file(source)
    assert mentions() == {}
    report = import_file(source, options=ImportOptions(date_format="MM/DD/YYYY"))
    assert report.imported == 2 and report.date_formats == ["MM/DD/YYYY"]
    assert mentions()["banjir"].created_at == datetime(2026, 5, 11, 1, 0, tzinfo=UTC)


def test_ambiguous_dates_wait_for_a_later_date_that_settles_the_order(db, tmp_path):
    source = tmp_path / "a.csv"
    source.write_text("teks,tanggal\nbanjir,05/11/2026 08:00\nlongsor,23/11/2026 09:00\n")
    assert import_file(source).imported == 2
    assert mentions()["banjir"].created_at == datetime(2026, 11, 5, 1, 0, tzinfo=UTC)


def test_column_map_names_any_other_column(db, tmp_path):
    source = tmp_path / "m.csv"
    source.write_text("Uraian Singkat,Tgl Kejadian,Kategori\nPohon tumbang,20/11/2026 08:00,bencana\n")
    with pytest.raises(ImportFileError, match="no column for text"):
        import_file(source)
    report = import_file(source, options=ImportOptions(column_map="Uraian Singkat=text,tgl kejadian=created_at"))
    assert report.imported == 1 and "Pohon tumbang" in mentions()
    with pytest.raises(ImportFileError, match="'nope' is not a field"):
        import_file(source, options=ImportOptions(column_map="Uraian Singkat=nope"))
    with pytest.raises(ImportFileError, match="names column 'judul', which the file does not have"):
        import_file(source, options=ImportOptions(column_map="Judul=text"))


def test_two_columns_meaning_one_field_are_refused(db, tmp_path):
    (tmp_path / "d.csv").write_text("teks,pesan,waktu\na,b,2026-11-20 08:00\n")
    with pytest.raises(ImportFileError, match="columns 'teks' and 'pesan' both mean text"):
        import_file(tmp_path / "d.csv")


def test_a_bad_json_line_is_reported_at_its_real_column(db, tmp_path):
    line = '{"text": "jalan rusak", "created_at" "2026-11-20T08:00:00+07:00"}'
    (tmp_path / "f.jsonl").write_text(json.dumps({"teks": "baik", "waktu": "20/11/2026 08:00"}) + "\n" + line + "\n")
    report = import_file(tmp_path / "f.jsonl", tmp_path / "r.csv")
    assert (report.imported, report.rejected) == (1, 1)
    [reject] = rejects_of(tmp_path / "r.csv")
    assert (reject["line"], reject["reason"]) == ("2", "not valid JSON (Expecting ':' delimiter at column 38)")


def test_a_tab_separated_file_is_detected(db, tmp_path):
    (tmp_path / "t.csv").write_text("isi\ttanggal\tsumber\nbanjir di Muncar\t20/11/2026 08:00\tsms\n")
    report = import_file(tmp_path / "t.csv")
    assert (report.imported, report.delimiter) == (1, "\t")
    assert "delimiter tab" in report.how_read()


def test_a_date_against_the_files_settled_order_is_a_rejected_row(db, tmp_path):
    (tmp_path / "o.csv").write_text("teks,tanggal\nbanjir,23/11/2026 08:00\nlongsor,11/24/2026 09:00\n")
    report = import_file(tmp_path / "o.csv", tmp_path / "r.csv")
    assert (report.imported, report.rejected) == (1, 1)
    [reject] = rejects_of(tmp_path / "r.csv")
    assert (reject["line"], reject["reason"]) == (
        "3", "created_at (column 'tanggal') '11/24/2026 09:00' is not a DD/MM/YYYY date (the file's dates are "
             "DD/MM/YYYY)")


def test_the_hardening_holds_for_workbooks_too(db, tmp_path):
    """A cell over 64 KB, a time in the future, a formula-like text on a refused row: each one
    rejected row with its Excel row number; the rejects file stays inert."""
    book = Workbook()
    sheet = book.active
    sheet.append(["teks", "waktu", "catatan"])
    sheet.append(["baik", datetime(2026, 11, 20, 8), None])
    # openpyxl cuts a cell to Excel's 32,767 characters: four-byte characters make it over 64 KB
    sheet.append(["🙂" * 20_000, datetime(2026, 11, 20, 8), None])
    sheet.append(["dari masa depan", datetime(2099, 1, 1), None])
    sheet.append(["=HYPERLINK(\"http://evil.example\")", "bukan tanggal", None])
    sheet.append(["sel lebih", datetime(2026, 11, 20, 9), None, "di luar kepala kolom"])
    book.save(tmp_path / "h.xlsx")
    report = import_file(tmp_path / "h.xlsx", tmp_path / "r.csv")
    assert (report.read, report.imported, report.rejected) == (5, 1, 4)
    rejects = rejects_of(tmp_path / "r.csv")
    assert [r["line"] for r in rejects] == ["3", "4", "5", "6"]
    assert rejects[0]["reason"] == "text (column 'teks') is over 64 KB (80,000 bytes of text)"
    assert rejects[1]["reason"].startswith("created_at (column 'waktu') is ")
    assert "in the future" in rejects[1]["reason"]
    assert rejects[2]["content"].startswith("{") and not rejects[2]["reason"].startswith("=")
    assert rejects[3]["reason"] == "1 cells right of the last header column"
