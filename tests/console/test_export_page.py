"""Ekspor page: filters, generate, download; an agency head gets their own agency only."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from store.types import utcnow
from tests.console.conftest import no_exception
from tests.frozen import AT_NOON_WIB, BEFORE_MIDNIGHT_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

PAGE = "console/export.py"


def generated_rows(at) -> list[dict]:
    path = Path(at.session_state["export_file"]["path"])
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def test_staff_generate_a_csv_and_get_a_download_button(app, make_user, make_case):
    staff = make_user("ani", "komunikasi")
    a = make_case("jalan rusak di Genteng", created_at=utcnow() - timedelta(hours=2), category="infrastruktur",
                  urgency="sedang")
    make_case("anak demam", created_at=utcnow() - timedelta(hours=1), category="kesehatan", urgency="tinggi")
    at = app(staff, PAGE)
    no_exception(at)
    at.multiselect(key="export_category").set_value(["infrastruktur"]).run()
    at.button(key="export_make").click().run()
    no_exception(at)
    assert [int(r["case_id"]) for r in generated_rows(at)] == [a.id]
    assert any("1 baris siap diunduh" in s.value for s in at.success)
    ready = at.session_state["export_file"]
    assert Path(ready["path"]).stat().st_mode & 0o777 == 0o600  # citizens' messages: owner only
    [link] = at.get("link_button")  # offered once the file exists, as a streamed single-use download
    assert link.proto.url == ready["link"] and link.proto.url.startswith("/ekspor/unduh/")
    at.radio(key="export_format").set_value("xlsx").run()  # another choice: the old file and its link go
    assert "export_file" not in at.session_state and not at.get("link_button")
    assert not Path(ready["path"]).exists()


def test_agency_head_export_page_is_fixed_to_their_agency(app, two_agencies):
    _, head, _, health = two_agencies
    at = app(head, PAGE)
    no_exception(at)
    assert at.text_input(key="export_agency_fixed").value == "DINKES"
    at.button(key="export_make").click().run()
    assert [int(r["case_id"]) for r in generated_rows(at)] == [health.id]


def test_statistics_export_from_the_page(app, make_user, make_case):
    staff = make_user("ani", "komunikasi")
    make_case("anak demam", created_at=utcnow() - timedelta(hours=1), category="kesehatan", urgency="tinggi")
    at = app(staff, PAGE)
    at.radio(key="export_what").set_value("stats").run()
    assert at.multiselect(key="export_category").disabled
    at.button(key="export_make").click().run()
    no_exception(at)
    sections = {r["section"] for r in generated_rows(at)}
    assert sections == {"overall", "agency", "category", "platform", "urgency", "week"}


def test_the_default_range_ends_today_in_wib_even_a_minute_before_midnight(app, make_user, make_case,
                                                                           time_machine):
    """Generated at 30 Nov 23:59:30 WIB the file holds 1–30 Nov (WIB days); a minute later,
    on 1 Dec, the range starts on 2 Nov."""
    wib = ZoneInfo("Asia/Jakarta")
    time_machine.move_to(BEFORE_MIDNIGHT_WIB, tick=False)
    staff = make_user("ani", "komunikasi")
    make_case("sebelum", created_at=datetime(2026, 10, 31, 23, 55, tzinfo=wib))  # the day before the range
    first = make_case("pertama", created_at=datetime(2026, 11, 1, 0, 5, tzinfo=wib))  # 31 Oct in UTC
    last = make_case("terakhir", created_at=BEFORE_MIDNIGHT_WIB - timedelta(minutes=1))  # 23:58:30 WIB
    at = app(staff, PAGE)
    at.button(key="export_make").click().run()
    no_exception(at)
    assert sorted(int(r["case_id"]) for r in generated_rows(at)) == [first.id, last.id]
    time_machine.shift(timedelta(minutes=1))  # 1 Dec 00:00:30 WIB
    at = app(staff, PAGE)
    at.button(key="export_make").click().run()
    no_exception(at)
    assert [int(r["case_id"]) for r in generated_rows(at)] == [last.id]
