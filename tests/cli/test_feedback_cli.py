"""`tanggap feedback import|list|stats`: the team's labelled history stored as feedback,
validated like the mention import, idempotent, category-only rows kept without urgency."""

import csv
import json

import pytest
from openpyxl import Workbook
from sqlmodel import select
from typer.testing import CliRunner

from console.cli import app
from store.db import read_session
from store.tables import TagFeedback

runner = CliRunner()

ROWS = [  # text, category (id or Indonesian label), urgency, created_at
    ("Mohon bantuan, nama kami tidak masuk data MBR padahal rumah tidak layak huni", "Kemiskinan & Bansos",
     "tinggi", "05/11/2025 08.30"),
    ("Pohon trembesi di depan SDN 2 Genteng miring hampir roboh", "lingkungan", "Tinggi", "29/11/2025 17:00"),
    ("Kapan pendaftaran PIP dibuka?", "pendidikan", "", "3 Desember 2025"),
]


def run(*args):
    return runner.invoke(app, list(args))


def _csv(path, rows, header=("Isi Laporan", "Kategori", "Urgensi", "Tanggal")):
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _stored():
    with read_session() as s:
        return sorted(s.exec(select(TagFeedback)).all(), key=lambda r: r.id)


def test_csv_with_indonesian_headers_and_labels_is_stored_with_its_source(db, tmp_path):
    result = run("feedback", "import", str(_csv(tmp_path / "aduan-2025.csv", ROWS)))
    assert result.exit_code == 0, result.output
    assert "read 3, new 3, updated 0, unchanged 0, rejected 0 (1 valid rows have no urgency" in result.output
    rows = _stored()
    assert [(r.category, r.urgency, r.source, r.case_id) for r in rows] == [
        ("kemiskinan", "tinggi", "aduan-2025.csv", None), ("lingkungan", "tinggi", "aduan-2025.csv", None),
        ("pendidikan", None, "aduan-2025.csv", None)]
    # 05/11 is settled as 5 November by the 29/11 further down (WIB → UTC)
    assert rows[0].message_at.isoformat() == "2025-11-05T01:30:00+00:00"


def test_second_import_stores_nothing_new_and_a_changed_label_is_updated(db, tmp_path):
    path = _csv(tmp_path / "aduan.csv", ROWS)
    run("feedback", "import", str(path), "--source", "aduan 2025")
    again = run("feedback", "import", str(path), "--source", "aduan 2025")
    assert "new 0, updated 0, unchanged 3" in again.output
    _csv(path, [(ROWS[2][0], "pendidikan", "sedang", ROWS[2][3])])
    changed = run("feedback", "import", str(path), "--source", "aduan 2025")
    assert "new 0, updated 1, unchanged 0" in changed.output
    assert len(_stored()) == 3 and _stored()[2].urgency == "sedang"


def test_bad_rows_go_to_the_rejects_file_with_line_and_reason(db, tmp_path):
    rows = [ROWS[0], ("Bantuan sembako belum datang", "sembako", "", ""),   # unknown category: not guessed
            ("Lampu jalan mati", "infrastruktur", "darurat", ""),          # unknown urgency
            ("", "infrastruktur", "", ""),                                   # no text
            ("Air PDAM keruh", "", "", ""),                                  # no category
            ("Jalan rusak", "infrastruktur", "sedang", "31/02/2025")]        # not a real date
    path = _csv(tmp_path / "campur.csv", rows)
    result = run("feedback", "import", str(path), "--rejects", str(tmp_path / "tolak.csv"))
    assert result.exit_code == 0 and "new 1" in result.output and "rejected 5" in result.output
    with (tmp_path / "tolak.csv").open(encoding="utf-8") as fh:
        rejects = list(csv.DictReader(fh))
    assert [(r["line"], r["reason"].split(";")[0].split(" (")[0]) for r in rejects] == [
        ("3", "unknown category 'sembako'"), ("4", "unknown urgency 'darurat'"), ("5", "text is empty"),
        ("6", "category is empty"), ("7", "created_at is not a real time: '31/02/2025'")]


def test_jsonl_and_xlsx_read_like_the_mention_import(db, tmp_path):
    jsonl = tmp_path / "koreksi.jsonl"
    jsonl.write_text("\n".join([
        json.dumps({"text": "anak hilang sejak kemarin di pasar Rogojampi", "category": "perlindungan_anak",
                    "urgency": "kritis", "created_at": "2025-10-01T09:00+07:00", "platform": "sms",
                    "source": "koreksi staf"}),
        "{not json"]) + "\n", encoding="utf-8")
    result = run("feedback", "import", str(jsonl))
    assert "new 1" in result.output and "rejected 1" in result.output
    book = Workbook()
    sheet = book.active
    sheet.append(["Laporan", "Kategori", "Urgensi"])
    sheet.append(["KTP-el saya belum jadi 3 bulan", "Adminduk & Perizinan", "sedang"])
    book.save(tmp_path / "lapor.xlsx")
    assert "new 1" in run("feedback", "import", str(tmp_path / "lapor.xlsx")).output
    assert {(r.source, r.platform, r.category) for r in _stored()} == {
        ("koreksi staf", "sms", "perlindungan_anak"), ("lapor.xlsx", None, "adminduk")}


def test_a_file_without_a_category_column_or_with_undecidable_dates_is_refused(db, tmp_path):
    result = run("feedback", "import", str(_csv(tmp_path / "a.csv", [("x",)], header=("text",))))
    assert result.exit_code == 1 and "no column for category" in result.output
    path = _csv(tmp_path / "b.csv", [("Jalan rusak", "infrastruktur", "sedang", "05/11/2025")])
    result = run("feedback", "import", str(path))
    assert result.exit_code == 1 and "--date-format" in result.output
    assert run("feedback", "import", str(path), "--date-format", "DD/MM/YYYY").exit_code == 0


def test_stats_counts_per_source_and_category_and_list_masks_and_withholds(db, tmp_path, make_user, make_case):
    run("feedback", "import", str(_csv(tmp_path / "aduan.csv", ROWS)), "--source", "aduan 2025")
    make_user("ani", "komunikasi")
    case = make_case(text="anak saya dipukuli ayah tirinya, hubungi 0812-3456-7890", category="ketertiban",
                     urgency="sedang")
    run("case", "retag", str(case.id), "--category", "perlindungan_anak", "--urgency", "kritis", "--as", "ani")
    stats = json.loads(run("feedback", "stats", "--json").output)
    assert [(s["source"], s["category"], s["rows"], s["with_urgency"]) for s in stats] == [
        ("aduan 2025", "kemiskinan", 1, 1), ("aduan 2025", "lingkungan", 1, 1), ("aduan 2025", "pendidikan", 1, 0),
        ("console", "perlindungan_anak", 1, 1)]
    listed = json.loads(run("feedback", "list", "--json").output)
    assert listed[0]["text"] == "[dilindungi]" and listed[0]["case_id"] == case.id
    shown = run("feedback", "list", "--source", "aduan 2025").output
    assert "MBR" in shown and "[dilindungi]" not in shown


def test_list_masks_phone_numbers(db, tmp_path):
    run("feedback", "import", str(_csv(tmp_path / "a.csv", [("Jalan rusak, hubungi 081234567890", "infrastruktur",
                                                               "sedang", "")])))
    assert "081234567890" not in run("feedback", "list").output


@pytest.mark.parametrize("args", [("feedback", "list", "--limit", "0"), ("feedback", "import", "nope.csv")])
def test_bad_arguments_exit_2(db, args):
    assert run(*args).exit_code == 2
