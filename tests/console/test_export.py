"""Ekspor service: case rows (WIB times, minutes, SLA result), statistics tables, formula
neutralisation, phone masking and who may export what."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils.escape import unescape

from console.services import cases as case_service
from console.services import export, sheets
from console.services.errors import PermissionDenied
from store import cases as store_cases
from store.cases import Actor
from store.db import write_session
from store.tables import Agency
from store.types import utcnow
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

WIB = timedelta(hours=7)


def read_csv(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte-order mark for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def read_xlsx(path: Path, sheet: str | None = None) -> list[dict]:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    # openpyxl leaves Excel's escape of a carriage return ("_x000D_") as it is; Excel shows "\r".
    rows = [[unescape(v) if isinstance(v, str) else v for v in r] for r in ws.iter_rows(values_only=True)]
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def formula_cells(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.data_type == "f"]


def respond(case_id: int, at: datetime) -> None:
    with write_session() as s:
        store_cases.log_response(s, case_id, None, Actor(None, "test"), text="ditangani", channel="phone",
                                 happened_at=at)


@pytest.fixture
def now() -> datetime:
    return utcnow().replace(second=0, microsecond=0)


def test_case_export_has_wib_times_minutes_and_every_sla_result(db, make_user, make_case, now, tmp_path):
    admin = make_user("admin", "admin")
    day_ago = now - timedelta(days=1)
    met = make_case("jalan berlubang", created_at=day_ago, category="infrastruktur", urgency="sedang")
    respond(met.id, day_ago + timedelta(minutes=90, seconds=30))
    missed = make_case("sampah menumpuk", created_at=day_ago, category="lingkungan", urgency="sedang")
    respond(missed.id, day_ago + timedelta(minutes=300))
    breached = make_case("anak demam", created_at=now - timedelta(hours=5), category="kesehatan", urgency="tinggi")
    on_track = make_case("lampu mati", created_at=now - timedelta(minutes=30))
    at_risk = make_case("banjir", created_at=now - timedelta(hours=3, minutes=30))
    closed = make_case("promo pulsa", created_at=now - timedelta(hours=2))
    case_service.close_no_action(admin, closed.id, None)
    case_service.assign(admin, met.id, None, agency_code="PUBM")

    out = tmp_path / "kasus.csv"
    result = export.export_cases(admin, export.case_filter(), "csv", out, now=now)

    rows = {int(r["case_id"]): r for r in read_csv(out)}
    assert result.rows == 6 and set(rows) == {met.id, missed.id, breached.id, on_track.id, at_risk.id, closed.id}
    assert list(read_csv(out)[0]) == list(export.CASE_COLUMNS)
    assert {i: rows[i]["sla_result"] for i in rows} == {
        met.id: "met", missed.id: "missed", breached.id: "breached", on_track.id: "on_track",
        at_risk.id: "at_risk", closed.id: "closed"}
    row = rows[met.id]
    assert row["opened_at_wib"] == (day_ago + WIB).strftime("%Y-%m-%d %H:%M:%S")
    assert row["due_at_wib"] == (day_ago + WIB + timedelta(hours=4)).strftime("%Y-%m-%d %H:%M:%S")
    assert row["first_response_at_wib"] == (day_ago + WIB + timedelta(minutes=90, seconds=30)).strftime(
        "%Y-%m-%d %H:%M:%S")
    assert row["first_response_minutes"] == "90"  # whole minutes, floor
    assert rows[missed.id]["first_response_minutes"] == "300"
    assert (row["category"], row["category_label"], row["urgency"], row["urgency_label"]) == (
        "infrastruktur", "Infrastruktur", "sedang", "Sedang")
    assert (row["lead_agency"], row["lead_agency_name"], row["status"]) == ("PUBM", "Dinas PU Bina Marga", "responded")
    assert rows[on_track.id]["first_response_at_wib"] == "" and rows[on_track.id]["category"] == ""


def test_xlsx_times_are_excel_datetimes_in_wib(db, make_user, make_case, now, tmp_path):
    staff = make_user("ani", "komunikasi")
    opened = now - timedelta(hours=10)
    case = make_case("pohon tumbang", created_at=opened, category="bencana", urgency="tinggi")
    respond(case.id, opened + timedelta(minutes=45))
    out = tmp_path / "kasus.xlsx"
    export.export_cases(staff, export.case_filter(), "xlsx", out, now=now)
    (row,) = read_xlsx(out)
    assert row["opened_at_wib"] == (opened + WIB).replace(tzinfo=None)
    assert row["first_response_at_wib"] == (opened + WIB + timedelta(minutes=45)).replace(tzinfo=None)
    assert row["first_response_minutes"] == 45 and row["sla_result"] == "met"
    assert row["category_label"] == "Bencana" and row["resolved_at_wib"] is None


@pytest.mark.parametrize("first", [
    "=",   # formula
    "+",   # formula (and phone-like numbers)
    "-",   # formula
    "@",   # Lotus-style function call
    "\t",  # tab: some spreadsheets strip it and then evaluate what follows
    "\r",  # carriage return: same
])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cells_that_would_run_as_formulas_never_run(db, make_user, make_case, tmp_path, first, fmt):
    staff = make_user("ani", "komunikasi")
    payload = f"{first}HYPERLINK(\"http://evil.example\",\"klik\")"
    make_case(payload, author=f"{first}cmd|' /C calc'!A0", created_at=utcnow() - timedelta(hours=1))
    out = tmp_path / f"kasus.{fmt}"
    export.export_cases(staff, export.case_filter(), fmt, out)
    (row,) = read_csv(out) if fmt == "csv" else read_xlsx(out)
    quote = "'" if fmt == "csv" else ""  # an XLSX text cell never runs: written as it is, no visible quote
    assert row["summary"] == quote + payload
    assert row["author"] == quote + f"{first}cmd|' /C calc'!A0"
    if fmt == "xlsx":
        assert formula_cells(out) == []


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_agency_names_are_neutralised_in_statistics_too(db, make_user, make_case, tmp_path, fmt):
    admin = make_user("admin", "admin")
    with write_session() as s:
        s.get(Agency, "DINKES").name = "=1+1"
    case = make_case("anak demam", created_at=utcnow() - timedelta(hours=1), category="kesehatan", urgency="tinggi")
    case_service.assign(admin, case.id, None, agency_code="DINKES")
    out = tmp_path / f"statistik.{fmt}"
    export.export_stats(admin, fmt, out)
    rows = read_csv(out) if fmt == "csv" else read_xlsx(out, "Per Dinas")
    # CSV quotes it; XLSX keeps it as written in a text cell, which never runs
    assert [r["group_label"] for r in rows if r["group"] == "DINKES"] == ["'=1+1" if fmt == "csv" else "=1+1"]
    if fmt == "xlsx":
        assert formula_cells(out) == []


def test_phone_numbers_are_masked_for_staff_who_do_not_call_back(db, make_user, make_case, tmp_path):
    staff = make_user("ani", "komunikasi")
    admin = make_user("boss", "admin")
    sms = make_case("jalan rusak, hubungi 0812-3456-7890", platform="sms", author="+6281234567890",
                    created_at=utcnow() - timedelta(hours=1))
    hour_ago = utcnow() - timedelta(hours=1)
    numeric = make_case("tolong pak", platform="twitter", author="081234567890", created_at=hour_ago)
    handle = make_case("lampu mati", platform="twitter", author="warga_bwi", created_at=hour_ago)

    def export_as(who) -> dict[int, dict]:
        out = tmp_path / f"{who.username}.csv"
        export.export_cases(who, export.case_filter(), "csv", out)
        return {int(r["case_id"]): r for r in read_csv(out)}

    masked = export_as(staff)
    assert masked[sms.id]["author"] == "'+*********7890"  # the quote: it starts with '+'
    assert masked[sms.id]["summary"] == "jalan rusak, hubungi ****-****-7890"
    assert masked[numeric.id]["author"] == "********7890"
    assert masked[handle.id]["author"] == "warga_bwi"
    full = export_as(admin)
    assert full[sms.id]["author"] == "'+6281234567890"
    assert full[sms.id]["summary"] == "jalan rusak, hubungi 0812-3456-7890"
    assert full[numeric.id]["author"] == "081234567890"


def test_agency_head_cannot_export_other_agency(two_agencies, tmp_path):
    _, head, _, health = two_agencies
    out = tmp_path / "kasus.csv"
    result = export.export_cases(head, export.case_filter(agency="PUBM"), "csv", out)
    assert result.agency == "DINKES"
    assert [int(r["case_id"]) for r in read_csv(out)] == [health.id]

    stats_out = tmp_path / "statistik.csv"
    assert export.export_stats(head, "csv", stats_out, agency="BPBD").agency == "DINKES"
    by_agency = [r["group"] for r in read_csv(stats_out) if r["section"] == "agency"]
    assert by_agency == ["DINKES"]


@pytest.mark.parametrize("what", ["cases", "stats"])
def test_viewer_may_not_export(db, make_user, make_case, tmp_path, what):
    viewer = make_user("pemantau", "viewer")
    make_case("lampu mati")
    out = tmp_path / "x.csv"
    with pytest.raises(PermissionDenied):
        if what == "cases":
            export.export_cases(viewer, export.case_filter(), "csv", out)
        else:
            export.export_stats(viewer, "csv", out)
    assert not out.exists()


def test_date_range_is_wib_calendar_days(db, make_user, make_case, tmp_path):
    staff = make_user("ani", "komunikasi")
    late_evening = make_case("a", created_at=datetime(2026, 11, 20, 16, 30, tzinfo=UTC))  # 20 Nov 23:30 WIB
    next_morning = make_case("b", created_at=datetime(2026, 11, 20, 17, 10, tzinfo=UTC))  # 21 Nov 00:10 WIB
    make_case("c", created_at=datetime(2026, 11, 19, 16, 59, tzinfo=UTC))  # 19 Nov 23:59 WIB
    out = tmp_path / "kasus.csv"
    export.export_cases(staff, export.case_filter(start=date(2026, 11, 20), end=date(2026, 11, 20)), "csv", out)
    assert [int(r["case_id"]) for r in read_csv(out)] == [late_evening.id]
    export.export_cases(staff, export.case_filter(start=date(2026, 11, 21)), "csv", out)
    assert [int(r["case_id"]) for r in read_csv(out)] == [next_morning.id]


def test_statistics_export_has_every_table(db, make_user, make_case, tmp_path):
    staff = make_user("ani", "komunikasi")
    t = utcnow() - timedelta(days=1)
    a = make_case("anak demam", created_at=t, category="kesehatan", urgency="tinggi", platform="sms")
    b = make_case("jalan rusak", created_at=t, category="infrastruktur", urgency="sedang")
    case_service.assign(staff, a.id, None, agency_code="DINKES")
    respond(a.id, t + timedelta(minutes=30))
    respond(b.id, t + timedelta(minutes=500))

    csv_out = tmp_path / "statistik.csv"
    export.export_stats(staff, "csv", csv_out)
    rows = read_csv(csv_out)
    assert list(rows[0]) == list(export.STAT_COLUMNS)
    assert [s for s, _ in export.STAT_SECTIONS] == list(dict.fromkeys(r["section"] for r in rows))
    (overall,) = [r for r in rows if r["section"] == "overall"]
    assert (overall["cases"], overall["met"], overall["missed"], overall["pct_within_target"],
            overall["median_minutes"], overall["p90_minutes"]) == ("2", "1", "1", "50.0", "30", "500")
    assert {r["group"]: r["group_label"] for r in rows if r["section"] == "category"} == {
        "kesehatan": "Kesehatan", "infrastruktur": "Infrastruktur"}

    xlsx_out = tmp_path / "statistik.xlsx"
    export.export_stats(staff, "xlsx", xlsx_out)
    assert openpyxl.load_workbook(xlsx_out).sheetnames == [title for _, title in export.STAT_SECTIONS]
    platforms = {r["group"]: r["cases"] for r in read_xlsx(xlsx_out, "Per Platform")}
    assert platforms == {"sms": 1, "twitter": 1}


def test_xlsx_continues_on_a_new_sheet_at_the_row_limit(db, make_user, make_case, tmp_path, monkeypatch):
    monkeypatch.setattr(sheets, "XLSX_MAX_ROWS", 3)  # header + 2 rows per sheet
    staff = make_user("ani", "komunikasi")
    ids = [make_case(f"kasus {i}", created_at=utcnow() - timedelta(hours=1)).id for i in range(5)]
    out = tmp_path / "kasus.xlsx"
    assert export.export_cases(staff, export.case_filter(), "xlsx", out).rows == 5
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Kasus", "Kasus (2)", "Kasus (3)"]
    assert [r["case_id"] for name in wb.sheetnames for r in read_xlsx(out, name)] == ids


def test_export_to_an_open_binary_file(db, make_user, make_case):
    staff = make_user("ani", "komunikasi")
    make_case("Kali Sobo meluap, warga Olehsari ngungsi")
    buf = io.BytesIO()
    export.export_cases(staff, export.case_filter(), "csv", buf)
    assert "Kali Sobo meluap, warga Olehsari ngungsi" in buf.getvalue().decode("utf-8-sig")
