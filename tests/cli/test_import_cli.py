"""`tanggap import`: one command and no flags beyond the file; --dry-run stores nothing."""

from __future__ import annotations

from typer.testing import CliRunner

from console.cli import app
from tests.collectors.test_import_chats_and_threads import CHAT_ID
from tests.collectors.test_import_formats import lapor_workbook, mentions


def test_a_workbook_imports_with_one_command_and_says_how_it_was_read(db, tmp_path):
    result = CliRunner().invoke(app, ["import", str(lapor_workbook(tmp_path / "lapor.xlsx"))])
    assert result.exit_code == 0, result.output
    assert "read 4, imported 3, duplicates 0, rejected 1" in result.output
    assert "read as XLSX, sheet 'Laporan', dates Excel date, DD/MM/YYYY" in result.output
    assert f"rejected rows: {tmp_path / 'lapor.xlsx.rejects.csv'}" in result.output


def test_dry_run_shows_the_mapping_and_first_rows_and_stores_nothing(db, tmp_path):
    result = CliRunner().invoke(app, ["import", str(lapor_workbook(tmp_path / "lapor.xlsx")), "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "dry run: nothing stored"
    assert lines[1].startswith("columns: No. Tiket → external_id; Tanggal Laporan → created_at; Isi Laporan → text")
    assert lines[2] == "20/11/2026 08:15 import 081234565678: Jalan berlubang di Genteng"
    assert "read 4, valid 3, rejected 1" in result.output
    assert f"rejected rows: {tmp_path / 'lapor.xlsx.rejects.csv'}" in result.output  # still written
    assert mentions() == {}


def test_a_whatsapp_chat_with_its_owner(db, tmp_path):
    chat = tmp_path / "chat.txt"
    chat.write_text(CHAT_ID, encoding="utf-8")
    result = CliRunner().invoke(app, ["import", str(chat), "--own", "Humas Banyuwangi"])
    assert result.exit_code == 0, result.output
    assert "read 4, imported 3, duplicates 0, rejected 0, responses 1" in result.output
    assert "read as WhatsApp chat, encoding UTF-8, dates DD/MM/YYYY" in result.output


def test_a_bad_date_format_option_is_a_usage_error(db, tmp_path):
    result = CliRunner().invoke(app, ["import", str(tmp_path / "x.csv"), "--date-format", "YYYY/DD/MM"])
    assert result.exit_code == 2
    assert "DD/MM/YYYY" in result.output
