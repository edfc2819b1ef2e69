"""File import: CSV and JSONL, rejects with line numbers, re-import imports nothing new."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import select

from collectors.files import import_file
from store.db import read_session
from store.tables import Case, Mention
from store.vocabulary import PLATFORMS

CSV_TEXT = """text,created_at,author,author_name,platform,external_id
Jalan berlubang di Genteng,2026-11-29 08:00,budi_bwi,Budi,twitter,111
"multi
line text",2026-11-29T09:00:00+07:00,,,,
tanpa waktu,,x,,,
Lampu mati,2026-11-29T09:30:00Z,081234565678,,sms,
salah platform,2026-11-29T09:30:00Z,x,,myspace,
"""


def test_csv_import_rejects_bad_rows_with_line_numbers(db, tmp_path):
    source = tmp_path / "lapor.csv"
    source.write_text(CSV_TEXT)
    report = import_file(source, tmp_path / "rejects.csv")
    assert (report.read, report.imported, report.duplicates, report.rejected) == (5, 3, 0, 2)
    with (tmp_path / "rejects.csv").open() as fh:
        rejects = list(csv.DictReader(fh))
    assert [(r["line"], r["reason"]) for r in rejects] == [
        ("5", "created_at is missing"), ("7", f"platform must be one of {', '.join(PLATFORMS)}, got 'myspace'")]
    with read_session() as s:
        rows = {m.text: m for m in s.exec(select(Mention)).all()}
    assert rows["Jalan berlubang di Genteng"].created_at == datetime(2026, 11, 29, 1, 0, tzinfo=UTC)  # naive = WIB
    assert rows["Jalan berlubang di Genteng"].external_id == "111"
    assert rows["multi\nline text"].platform == "import"
    assert rows["multi\nline text"].external_id.startswith("sha256:")
    assert rows["Lampu mati"].author_id == "+6281234565678" and rows["Lampu mati"].thread_key == "sms:+6281234565678"

    again = import_file(source, tmp_path / "rejects2.csv")
    assert (again.imported, again.duplicates, again.rejected) == (0, 3, 2)
    with read_session() as s:
        assert len(s.exec(select(Case)).all()) == 3


def test_jsonl_import_with_default_platform(db, tmp_path):
    source = tmp_path / "wa.jsonl"
    lines = [json.dumps({"text": "Sampah belum diangkut", "created_at": "2026-11-29T07:00:00+07:00",
                         "author": "0812 1111 2222", "thread_key": "wa-grup-1"}),
             "{not json",
             json.dumps({"text": "masih belum", "created_at": "2026-11-29T08:00:00+07:00",
                         "author": "0812 1111 2222", "thread_key": "wa-grup-1"}),
             json.dumps(["a list"])]
    source.write_text("\n".join(lines) + "\n")
    report = import_file(source, tmp_path / "rejects.csv", default_platform="sms")
    assert (report.read, report.imported, report.rejected) == (4, 2, 2)
    assert report.rejects_path == tmp_path / "rejects.csv"
    rejects = list(csv.DictReader((tmp_path / "rejects.csv").open()))
    assert [r["line"] for r in rejects] == ["2", "4"] and rejects[0]["content"] == "{not json"
    with read_session() as s:
        [case] = s.exec(select(Case)).all()
    assert case.mention_count == 2 and case.platform == "sms"


def test_readme_documents_every_import_column():
    readme = (Path(__file__).parents[2] / "collectors" / "README.md").read_text()
    for column in ("text", "created_at", "author", "author_name", "platform", "external_id", "thread_key",
                   "permalink", "in_reply_to"):
        assert f"`{column}`" in readme
