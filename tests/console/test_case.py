"""Detail Kasus: assign, respond (backdated), re-tag, resolve, reopen, conflicts, and who
may see and act on a case."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import select

from console.services import cases as case_service
from store.db import read_session
from store.queries import case_supporting_units
from store.tables import Case, TagFeedback
from tests.console.conftest import no_exception, shown
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)  # 08:00 WIB
WIB = ZoneInfo("Asia/Jakarta")
PAGE = "console/case.py"


def stored(case_id: int) -> Case:
    with read_session() as s:
        return s.get(Case, case_id)


def response_field(at, kind: str, name: str):
    """A widget of the response form; its key ends in the form's serial (case_resp_text_0 …)."""
    return next(w for w in getattr(at, kind) if w.key.rsplit("_", 1)[0] == f"case_resp_{name}")


def response_when(at):
    return response_field(at, "date_input", "date"), response_field(at, "time_input", "time")


def test_assign_preselects_the_routed_agency_and_saves_staff_and_supporting_units(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    make_user("dinkes_staf", "kepala_dinas", agency="DINKES")
    case = make_case("anak demam tinggi", created_at=T0, category="kesehatan", urgency="tinggi")
    case_service.retag(staff, case.id, None, category="kesehatan", urgency="tinggi", kecamatan_code="35.10.09")
    at = app(staff, PAGE, case=case.id)
    no_exception(at)
    assert at.selectbox(key=f"case_agency_{case.id}").value == "DINKES"  # from the routing table
    assert at.multiselect(key=f"case_support_{case.id}").value == ["KEC_GENTENG"]  # the kecamatan office
    at.selectbox(key=f"case_assignee_{case.id}_DINKES").set_value("dinkes_staf")
    at.button(key="case_assign").click().run()
    no_exception(at)
    assert shown(at, "Kasus ditugaskan.")
    saved = stored(case.id)
    assert (saved.lead_agency_code, saved.status) == ("DINKES", "assigned")
    with read_session() as s:
        assert case_supporting_units(s, case.id) == ["KEC_GENTENG"]


def test_backdated_response_stops_the_clock_at_the_time_it_happened(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    case = make_case("lampu jalan mati", created_at=T0, category="infrastruktur", urgency="sedang")
    at = app(staff, PAGE, case=case.id)
    response_field(at, "text_area", "text").input("Petugas PJU sudah datang")
    response_field(at, "selectbox", "channel").set_value("field_visit")
    day, clock = response_when(at)
    day.set_value(date(2026, 11, 28))
    clock.set_value(time(10, 30))  # WIB
    at.button(key="case_respond").click().run()
    no_exception(at)
    assert shown(at, "Tanggapan dicatat.")
    saved = stored(case.id)
    assert saved.first_response_at == datetime(2026, 11, 28, 3, 30, tzinfo=UTC)
    assert saved.first_response_minutes == 150
    assert saved.status == "responded"
    timeline = at.dataframe[-1].value
    assert "28/11/2026 10:30 WIB" in list(timeline["Waktu (WIB)"])
    assert any("Petugas PJU sudah datang" in d for d in timeline["Keterangan"])
    # A fresh form: nothing left in it to submit twice, and the channel and time back to default.
    text = response_field(at, "text_area", "text")
    assert text.key != "case_resp_text_0" and not text.value
    assert response_field(at, "selectbox", "channel").value == "platform_reply"
    assert response_when(at)[0].value == datetime.now(UTC).astimezone(WIB).date()


def test_response_left_at_the_default_time_is_logged_now_even_in_the_minute_the_case_opened(
        app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    opened = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)  # arrived a second ago
    case = make_case("pohon tumbang menutup jalan", created_at=opened, category="bencana", urgency="kritis")
    at = app(staff, PAGE, case=case.id)
    response_field(at, "text_area", "text").input("Tim BPBD menuju lokasi")
    at.button(key="case_respond").click().run()
    no_exception(at)
    assert shown(at, "Tanggapan dicatat.")
    saved = stored(case.id)
    assert opened <= saved.first_response_at <= datetime.now(UTC)  # to the second, not the minute shown


def test_response_form_defaults_to_the_wib_minute_even_when_the_server_clock_is_utc(
        app, make_user, make_case, time_machine):
    """20:30 UTC is 03:30 WIB the next day. Streamlit's own default ("now") is the server's
    clock; a widget the browser mounts later (the tab opened after a rerun) shows the default
    it was sent, so the default sent must be WIB, and nothing may fall back to Streamlit's."""
    time_machine.move_to(datetime(2026, 11, 29, 20, 30, 15, tzinfo=UTC), tick=True)
    staff = make_user("kominfo1", "komunikasi")
    case = make_case("jalan longsor", created_at=datetime(2026, 11, 29, 20, 0, tzinfo=UTC))
    at = app(staff, PAGE, case=case.id)
    at.button(key="case_assign").click().run()  # a rerun between drawing the form and using it
    assert shown(at, "Kasus ditugaskan.")
    day, clock = response_when(at)
    assert (day.value, clock.value) == (date(2026, 11, 30), time(3, 30))
    assert (day.proto.default, clock.proto.default) == (["2026-11-30"], "03:30")


def test_response_before_the_case_opened_is_refused(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    case = make_case("lampu jalan mati", created_at=T0)
    at = app(staff, PAGE, case=case.id)
    response_field(at, "text_area", "text").input("sudah")
    day, clock = response_when(at)
    day.set_value(date(2026, 11, 27))
    clock.set_value(time(10, 30))
    at.button(key="case_respond").click().run()
    assert [e.value for e in at.error] == [
        "Waktu tanggapan 27/11/2026 10:30 WIB lebih awal dari kasus masuk (28/11/2026 08:00 WIB)."]
    assert stored(case.id).first_response_at is None


def test_retag_is_saved_as_feedback(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    case = make_case("sampah menumpuk di pasar", created_at=T0, category="infrastruktur", urgency="sedang")
    at = app(staff, PAGE, case=case.id)
    at.selectbox(key=f"case_cat_{case.id}").set_value("lingkungan")
    at.selectbox(key=f"case_urg_{case.id}").set_value("rendah")
    at.button(key="case_retag").click().run()
    no_exception(at)
    saved = stored(case.id)
    assert (saved.category, saved.urgency, saved.tagged_by) == ("lingkungan", "rendah", "staff")
    with read_session() as s:
        feedback = s.exec(select(TagFeedback)).all()
    assert [(f.case_id, f.category, f.urgency, f.model_category) for f in feedback] == [
        (case.id, "lingkungan", "rendah", "infrastruktur")]


def test_resolve_then_reopen(app, make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    case = make_case("jalan rusak", created_at=T0)
    case_service.respond(staff, case.id, None, text="dicek", channel="phone", happened_at=T0 + timedelta(hours=1))
    at = app(staff, PAGE, case=case.id)
    at.button(key="case_resolve").click().run()
    no_exception(at)
    assert stored(case.id).status == "resolved"
    at.button(key="case_reopen").click().run()
    no_exception(at)
    saved = stored(case.id)
    assert saved.status == "responded"
    assert saved.first_response_at == T0 + timedelta(hours=1)  # the SLA result stays


def test_someone_elses_change_meanwhile_is_reported_and_nothing_is_overwritten(app, make_user, make_case):
    me = make_user("kominfo1", "komunikasi")
    other = make_user("kominfo2", "komunikasi")
    case = make_case("banjir di Muncar", created_at=T0, category="bencana", urgency="kritis")
    at = app(me, PAGE, case=case.id)
    case_service.assign(other, case.id, None, agency_code="BPBD")  # while my page is open
    at.selectbox(key=f"case_agency_{case.id}").set_value("DINSOS")
    at.button(key="case_assign").click().run()
    no_exception(at)
    assert shown(at, "Kasus ini diubah oleh Kominfo2")
    assert stored(case.id).lead_agency_code == "BPBD"
    at.button(key="case_reload").click().run()
    assert not shown(at, "diubah oleh")
    at.selectbox(key=f"case_agency_{case.id}").set_value("DINSOS")
    at.button(key="case_assign").click().run()
    assert stored(case.id).lead_agency_code == "DINSOS"


def test_agency_head_gets_not_found_for_another_agencys_case_via_query_params(app, two_agencies):
    _, head, theirs, mine = two_agencies
    missing = app(head, PAGE, case=999999)
    other = app(head, PAGE, case=theirs.id)
    # Exactly the same answer as for a case that does not exist.
    assert [e.value for e in other.error] == [e.value for e in missing.error] == ["Kasus tidak ditemukan."]
    assert not shown(other, "jalan rusak")
    own = app(head, PAGE, case=mine.id)
    no_exception(own)
    assert shown(own, "puskesmas tutup")
    assert own.selectbox(key=f"case_agency_{mine.id}").options == ["DINKES · Dinas Kesehatan"]


def test_viewer_sees_the_case_but_has_no_actions(app, make_user, make_case):
    viewer = make_user("pemantau", "viewer")
    case = make_case("jalan rusak", created_at=T0)
    at = app(viewer, PAGE, case=case.id)
    no_exception(at)
    assert shown(at, "jalan rusak")
    assert shown(at, "Akses Anda hanya baca.")
    assert not [b for b in at.button if b.key in ("case_assign", "case_resolve", "case_respond", "case_retag")]


def test_a_desa_of_two_kecamatan_is_offered_for_staff_to_pick(app, make_user, make_case):
    staff = make_user("ani", "komunikasi")
    case = make_case(text="lampu jalan di desa Tamansari mati semua", category="infrastruktur", urgency="sedang")
    at = app(staff, PAGE, case=case.id)
    no_exception(at)
    assert shown(at, "Desa Tamansari ada di beberapa kecamatan: Tegalsari / Licin. Pilih kecamatannya di Ubah tag.")
    [kec] = [s for s in at.selectbox if s.label == "Kecamatan"]
    assert kec.options[1:3] == ["Tegalsari", "Licin"]  # the candidates first
    kec.set_value("35.10.24")
    at.button(key="case_retag").click().run()
    no_exception(at)
    with read_session() as s:
        assert s.get(Case, case.id).kecamatan_code == "35.10.24"
