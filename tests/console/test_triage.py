"""Kotak Masuk: order, filters, paging, refresh keeping state, bulk close, opening a case."""

from datetime import UTC, datetime, timedelta

import pytest

from console.services import cases as case_service
from console.services.errors import PermissionDenied
from store.db import read_session
from store.tables import Case
from tests.console.conftest import no_exception, shown

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
PAGE = "console/triage.py"


def ids_shown(at) -> list[int]:
    frame = at.dataframe[0].value
    return [int(i) for i in frame["No."]]


def test_inbox_lists_open_cases_unassigned_first_then_urgency(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    low = make_case("lampu jalan mati", created_at=T0, category="infrastruktur", urgency="sedang")
    critical = make_case("anak kejang", created_at=T0 + timedelta(minutes=5), category="kesehatan", urgency="kritis")
    assigned = make_case("banjir", created_at=T0, category="bencana", urgency="kritis")
    case_service.assign(staff, assigned.id, None, agency_code="BPBD")
    closed = make_case("promo pulsa murah", created_at=T0)
    case_service.close_no_action(staff, closed.id, None)
    at = app(staff, PAGE)
    no_exception(at)
    assert ids_shown(at) == [critical.id, low.id, assigned.id]
    frame = at.dataframe[0].value
    assert list(frame.columns[:6]) == ["No.", "SLA", "Diakui", "Urgensi", "Kategori", "Isi"]  # the clocks first
    assert frame.iloc[0]["Kategori"].startswith("Kesehatan")


def test_filters_narrow_the_list_and_survive_a_refresh(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    health = make_case("puskesmas tutup", created_at=T0, category="kesehatan", urgency="tinggi", platform="facebook")
    make_case("jalan rusak parah", created_at=T0, category="infrastruktur", urgency="sedang")
    at = app(staff, PAGE)
    at.multiselect(key="triage_category").set_value(["kesehatan"]).run()
    assert ids_shown(at) == [health.id]
    at.run()  # what the 30-second refresh does: the filter stays
    assert at.multiselect(key="triage_category").value == ["kesehatan"]
    assert ids_shown(at) == [health.id]


def test_text_search_and_platform_filter(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    road = make_case("Jalan berlubang di Genteng", created_at=T0, platform="twitter")
    sms = make_case("air PDAM mati", created_at=T0, platform="sms", author="+6281234567890")
    at = app(staff, PAGE)
    at.text_input(key="triage_search").input("berlubang").run()
    assert ids_shown(at) == [road.id]
    at.text_input(key="triage_search").input("").run()
    at.multiselect(key="triage_platform").set_value(["sms"]).run()
    assert ids_shown(at) == [sms.id]
    # An SMS sender's number is masked in the list for a non-admin.
    assert at.dataframe[0].value.iloc[0]["Pengirim"] == "+*********7890"


def test_pages_are_fetched_with_a_cursor_and_filters_reset_paging(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    made = [make_case(f"aduan {i}", created_at=T0 + timedelta(minutes=i), category="lingkungan", urgency="sedang").id
            for i in range(27)]
    at = app(staff, PAGE)
    first = ids_shown(at)
    assert first == made[:25]
    at.button(key="triage_next").click().run()
    assert ids_shown(at) == made[25:]
    assert at.button(key="triage_next").disabled
    at.button(key="triage_prev").click().run()
    assert ids_shown(at) == made[:25]
    at.button(key="triage_next").click().run()
    at.multiselect(key="triage_urgency").set_value(["sedang"]).run()
    assert ids_shown(at) == made[:25]  # a new filter starts again at page 1


def test_bulk_close_closes_the_selected_cases_as_not_actionable(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    spam = [make_case(f"promo {i}", created_at=T0).id for i in range(2)]
    keep = make_case("rumah warga roboh", created_at=T0, category="bencana", urgency="tinggi")
    at = app(staff, PAGE)
    at.multiselect(key="triage_selected_0").set_value(spam).run()
    assert at.multiselect(key="triage_selected_0").value == spam  # the selection survives a refresh
    at.button(key="triage_bulk_close").click().run()
    no_exception(at)
    assert shown(at, "2 kasus ditutup.")
    assert ids_shown(at) == [keep.id]
    assert at.multiselect(key="triage_selected_1").value == []  # a fresh, empty selection
    with read_session() as s:
        assert {s.get(Case, i).status for i in spam} == {"closed_no_action"}


def test_viewer_sees_the_inbox_but_cannot_close(app, make_user, make_case):
    viewer = make_user("pemantau", "viewer")
    case = make_case("promo", created_at=T0)
    at = app(viewer, PAGE)
    assert ids_shown(at) == [case.id]
    assert not [b for b in at.button if b.key == "triage_bulk_close"]
    with pytest.raises(PermissionDenied):
        case_service.bulk_close(viewer, [case.id], "spam")
    with read_session() as s:
        assert s.get(Case, case.id).status == "new"


def test_open_case_goes_to_the_case_page(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    case = make_case("pohon tumbang", created_at=T0)
    at = app(staff, PAGE)
    at.selectbox(key="triage_open_id").set_value(case.id)
    at.button(key="triage_open").click().run()
    no_exception(at)
    assert at.query_params.get("case") == str(case.id)
    assert shown(at, f"Kasus #{case.id}")
