"""`tanggap export`: the page's permissions and neutralisation, for scheduled reports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl
from typer.testing import CliRunner

from console.cli import app
from console.services import export
from store.types import utcnow
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


def rows_of(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_export_cases_csv_writes_every_case(db, make_user, make_case, tmp_path):
    make_user("ani", "komunikasi")
    ids = [make_case(f"jalan rusak {i}", created_at=utcnow() - timedelta(hours=i + 1)).id for i in range(3)]
    out = tmp_path / "kasus.csv"
    result = run("export", "--what", "cases", "--format", "csv", "--out", str(out), "--as", "ani")
    assert result.exit_code == 0, result.output
    assert "wrote 3 cases" in result.output
    assert [int(r["case_id"]) for r in rows_of(out)] == ids
    assert not (tmp_path / "kasus.csv.partial").exists()


def test_export_neutralises_formulas_like_the_page(db, make_user, make_case, tmp_path):
    make_user("ani", "komunikasi")
    make_case("=cmd|' /C calc'!A0", created_at=utcnow() - timedelta(hours=1))
    out = tmp_path / "kasus.xlsx"
    assert run("export", "--what", "cases", "--format", "xlsx", "--out", str(out), "--as", "ani").exit_code == 0
    ws = openpyxl.load_workbook(out).worksheets[0]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("summary") + 1)
    assert cell.value == "=cmd|' /C calc'!A0" and cell.data_type == "s"  # a text cell: shown, never run


def test_agency_head_cannot_export_other_agency_through_the_cli(two_agencies, tmp_path):
    _, _, _, health = two_agencies
    out = tmp_path / "pubm.csv"
    result = run("export", "--what", "cases", "--format", "csv", "--agency", "PUBM", "--out", str(out),
                 "--as", "kadinkes")
    assert result.exit_code == 0, result.output
    assert [int(r["case_id"]) for r in rows_of(out)] == [health.id]
    assert "may export DINKES only" in result.output
    stats = tmp_path / "stats.csv"
    assert run("export", "--what", "stats", "--format", "csv", "--agency", "PUBM", "--out", str(stats),
               "--as", "kadinkes").exit_code == 0
    assert {r["group"] for r in rows_of(stats) if r["section"] == "agency"} == {"DINKES"}


def test_viewer_is_refused_and_no_file_is_left(db, make_user, make_case, tmp_path):
    make_user("pemantau", "viewer")
    make_case("lampu mati")
    out = tmp_path / "kasus.csv"
    result = run("export", "--what", "cases", "--format", "csv", "--out", str(out), "--as", "pemantau")
    assert result.exit_code == 1 and "may not export" in result.output
    assert list(tmp_path.glob("kasus.csv*")) == []


def test_stats_xlsx_has_one_sheet_per_table(db, make_user, make_case, tmp_path):
    make_user("ani", "komunikasi")
    make_case("anak demam", created_at=utcnow() - timedelta(hours=1), category="kesehatan", urgency="tinggi")
    out = tmp_path / "statistik.xlsx"
    result = run("export", "--what", "stats", "--format", "xlsx", "--from", "2020-01-01", "--out", str(out),
                 "--as", "ani")
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out).sheetnames == [t for _, t in export.STAT_SECTIONS]


def test_bad_options_and_unknown_user_fail_with_one_clear_line(db, make_user, tmp_path):
    make_user("ani", "komunikasi")
    out = str(tmp_path / "x.csv")
    cases = [  # (arguments, exit code: 2 for a bad argument, 1 for a refusal, message)
        (("--format", "pdf", "--as", "ani"), 2, "'--format': 'pdf' is not one of csv, xlsx"),  # unknown format
        (("--what", "users", "--as", "ani"), 2, "'--what': 'users' is not one of cases, stats"),  # unknown export
        (("--from", "2026-11-30", "--to", "2026-11-01", "--as", "ani"), 2,
         "the last day 2026-11-01 is before the first day 2026-11-30"),  # reversed range
        (("--as", "nobody"), 1, "no active user 'nobody'"),  # unknown --as
    ]
    for args, code, message in cases:
        result = run("export", "--out", out, *args)
        assert result.exit_code == code and message in result.output, (args, result.output)
        assert len(result.output.strip().splitlines()) == 1


def test_export_help_has_an_example():
    result = run("export", "--help")
    assert result.exit_code == 0 and "Example: tanggap export" in result.output
