"""Admin page and services: users, routing, SLA targets with due-time recompute, sources,
model; and that none of it works for anyone but an admin."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from console.services import admin, retraining, sla_targets, sources
from console.services import cases as case_service
from console.services import model as model_service
from console.services.errors import PermissionDenied, ServiceError
from store.db import read_session, write_session
from store.tables import Case, CaseEvent, CategoryRoute, CollectorRun, CollectorState, StaffUser
from store.types import utcnow
from tests.console.conftest import no_exception, shown
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

T0 = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
PAGE = "console/admin.py"


def test_admin_adds_a_user_through_the_form(app, make_user):
    boss = make_user("boss", "admin")
    at = app(boss, PAGE)
    no_exception(at)
    at.text_input(key="admin_new_username_0").input("Kadinsos")
    at.text_input(key="admin_new_display_0").input("Kepala Dinsos")
    at.selectbox(key="admin_new_role_0").set_value("kepala_dinas")
    at.selectbox(key="admin_new_agency_0").set_value("DINSOS")
    at.text_input(key="admin_new_password_0").input("sandi")
    at.button(key="admin_add_user").click().run()
    # Refused: the form keeps what was typed, so only the password needs fixing.
    assert [e.value for e in at.error] == ["Kata sandi minimal 10 karakter."]
    assert at.text_input(key="admin_new_username_0").value == "Kadinsos"
    at.text_input(key="admin_new_password_0").input("sandi-kuat-1")
    at.button(key="admin_add_user").click().run()
    no_exception(at)
    assert shown(at, "Pengguna kadinsos ditambahkan.")
    assert at.text_input(key="admin_new_username_1").value == ""  # added: an empty form for the next
    with read_session() as s:
        user = s.exec(select(StaffUser).where(StaffUser.username == "kadinsos")).one()
    assert (user.role, user.agency_code, user.active) == ("kepala_dinas", "DINSOS", True)
    assert user.password_hash.startswith("$argon2")


def test_sla_change_on_the_page_recomputes_due_of_open_unanswered_cases(app, make_user, make_case):
    boss = make_user("boss", "admin")
    waiting = make_case("jalan rusak", created_at=T0, category="infrastruktur", urgency="sedang")
    answered = make_case("lampu mati", created_at=T0, category="infrastruktur", urgency="sedang")
    case_service.respond(boss, answered.id, None, text="ok", channel="phone", happened_at=T0 + timedelta(hours=3))
    at = app(boss, PAGE)
    at.selectbox(key="admin_sla_scope").set_value("default")
    at.number_input(key="admin_sla_minutes").set_value(120)
    at.button(key="admin_sla_save").click().run()
    no_exception(at)
    assert shown(at, "batas waktu 1 kasus")
    with read_session() as s:
        assert s.get(Case, waiting.id).due_at == T0 + timedelta(minutes=120)
        assert s.get(Case, answered.id).due_at == T0 + timedelta(minutes=240)  # met under the old target
        event = s.exec(select(CaseEvent).where(CaseEvent.case_id == waiting.id,
                                               CaseEvent.action == "due_changed")).one()
    assert event.actor_label == "boss"


def test_urgency_target_moves_only_that_urgency_and_reset_restores(make_user, make_case):
    boss = make_user("boss", "admin")
    critical = make_case("kebakaran", created_at=T0, category="bencana", urgency="kritis")
    medium = make_case("sampah", created_at=T0, category="lingkungan", urgency="sedang")
    assert sla_targets.set_sla_target(boss, "kritis", 60) == 1
    with read_session() as s:
        assert s.get(Case, critical.id).due_at == T0 + timedelta(minutes=60)
        assert s.get(Case, medium.id).due_at == T0 + timedelta(minutes=240)
    assert sla_targets.sla_targets(boss).by_urgency["kritis"] == 60
    assert sla_targets.set_sla_target(boss, "kritis", None) == 1
    with read_session() as s:
        assert s.get(Case, critical.id).due_at == T0 + timedelta(minutes=240)


def test_user_management_rules(make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    with pytest.raises(ServiceError):
        admin.set_active(boss, boss.id, False)  # not your own account
    admin.set_role(boss, staff.id, "kepala_dinas", "DINKES")
    admin.reset_password(boss, staff.id, "sandi-baru-99")
    admin.set_active(boss, staff.id, False)
    [row] = [u for u in admin.list_users(boss) if u.username == "kominfo1"]
    assert (row.role, row.agency_code, row.active) == ("kepala_dinas", "DINKES", False)
    with pytest.raises(ServiceError):
        admin.add_user(boss, "kadis", "Kadis", "kepala_dinas", "sandi-kuat-1")  # an agency head needs an agency


def test_routing_edit_changes_the_preselected_agency(make_user):
    boss = make_user("boss", "admin")
    admin.set_route(boss, "lingkungan", "PUCK")
    with read_session() as s:
        assert s.get(CategoryRoute, "lingkungan").agency_code == "PUCK"
    with pytest.raises(ServiceError):
        admin.save_agency(boss, "PUCK", "Dinas PU Cipta Karya", active=False)  # still receives a category


@pytest.mark.parametrize("role", ["komunikasi", "kepala_dinas", "viewer"])
def test_admin_services_refuse_everyone_but_admins(make_user, role):
    user = make_user("someone", role, agency="DINKES" if role == "kepala_dinas" else None)
    calls = [
        lambda: admin.list_users(user),
        lambda: admin.add_user(user, "x_user", "X", "admin", "sandi-kuat-1"),
        lambda: admin.set_role(user, user.id, "admin", None),
        lambda: admin.set_route(user, "lainnya", "DINKES"),
        lambda: sla_targets.set_sla_target(user, "default", 1),
        lambda: sources.source_status(user),
        lambda: retraining.request(user),
        lambda: retraining.status(user),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()


def test_non_admin_who_reaches_the_admin_page_sees_only_a_refusal(app, make_user):
    # (the comms team reaches it for the import form alone: tests/console/test_import_form.py)
    staff = make_user("pemantau", "viewer")
    from streamlit.testing.v1 import AppTest

    from console.session import LAST_SEEN_KEY, PRINCIPAL_KEY
    from tests.console.conftest import APP, TIMEOUT
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.session_state[PRINCIPAL_KEY] = staff
    at.session_state[LAST_SEEN_KEY] = utcnow()
    at.run()
    with pytest.raises(ValueError):  # not in their navigation at all
        at.switch_page(PAGE)


def test_source_status_shows_last_run_errors_and_x_budget(app, make_user):
    boss = make_user("boss", "admin")
    now = utcnow()
    with write_session() as s:
        s.add(CollectorState(source="twitter", status="failing", last_run_at=now, reads_month=now.strftime("%Y-%m"),
                             reads_used=9_200))
        s.add(CollectorRun(source="twitter", started_at=now, ended_at=now, error="429 Too Many Requests"))
    [status] = sources.source_status(boss)
    assert (status.status, status.reads_left, status.last_error) == ("failing", 800, "429 Too Many Requests")
    at = app(boss, PAGE)
    no_exception(at)
    assert shown(at, "Galat terakhir: 429 Too Many Requests")
    assert {m.label: m.value for m in at.metric}["Sisa kuota baca X bulan ini"] == "800"


def test_source_run_history_is_in_indonesian_with_wib_times(app, make_user):
    boss = make_user("boss", "admin")
    started = datetime(2026, 11, 29, 17, 30, tzinfo=UTC)  # 30/11 00:30 WIB
    with write_session() as s:
        s.add(CollectorState(source="sms", status="ok", last_run_at=started))
        s.add(CollectorRun(source="sms", started_at=started, ended_at=started + timedelta(seconds=2), fetched=3,
                           inserted=2, duplicates=1))
    at = app(boss, PAGE)
    no_exception(at)
    [runs] = [d.value for d in at.dataframe if "Mulai" in d.value.columns]
    assert list(runs.columns) == ["Mulai", "Selesai", "Diambil", "Baru", "Duplikat", "Galat"]
    assert runs.iloc[0]["Mulai"] == "30/11/2026 00:30 WIB" and runs.iloc[0]["Baru"] == 2


def test_model_tab_without_a_model(app, make_user):
    at = app(make_user("boss", "admin"), PAGE)
    assert shown(at, "Model belum tersedia.")
    assert model_service.terms_behind_tags("anak kejang") == {}


def test_model_tab_shows_why_the_last_candidate_was_refused(app, make_user, tmp_path, monkeypatch):
    import json

    from classifier import gate, registry
    from store.settings import get_settings
    # Two versions as the registry keeps them (model.json is what the page reads): the active
    # one, and a newer candidate the gate refused (its verdict as classifier.card.add_gate writes it).
    checks = (gate.Check("feedback", True, "", {"rows": 40, "candidate": 0.91, "active": 0.84}),
              gate.Check("test_split", True, "", {"tolerance": 0.01,
                                                  "category_macro_f1": {"candidate": 0.925, "active": 0.93},
                                                  "urgency_macro_f1": {"candidate": 0.83, "active": 0.83}}),
              gate.Check("kritis_recall", False, "", {"test_split": {"candidate": 0.98, "active": 0.993}}))
    for version, created, verdict in (
            ("20261101-0800-aaaaaaaa", "2026-11-01T08:00:00+00:00", None),
            ("20261129-0800-bbbbbbbb", "2026-11-29T08:00:00+00:00",
             gate.GateResult(checks, held_out=40, trained_on=160).as_dict())):
        (tmp_path / version).mkdir()
        (tmp_path / version / registry.SETTINGS_FILE).write_text(json.dumps(
            {"version": version, "created": created, "test_metrics": {}, "gate": verdict}), encoding="utf-8")
    registry.activate(tmp_path, "20261101-0800-aaaaaaaa")
    monkeypatch.setenv("TANGGAP_MODEL_DIR", str(tmp_path))
    get_settings.cache_clear()
    at = app(make_user("boss", "admin"), PAGE)
    no_exception(at)
    assert shown(at, "Pelatihan terakhir: 20261129-0800-bbbbbbbb")
    assert shown(at, "Ditolak oleh gerbang promosi: model aktif tetap dipakai (lihat pemeriksaan yang gagal).")
    [table] = [d.value for d in at.dataframe if "Pemeriksaan" in d.value.columns]
    assert table["Hasil"].tolist() == ["lulus", "lulus", "GAGAL"]
    assert table["Kandidat"].tolist() == ["0.910", "0.925 / 0.830", "0.980 / –"]
    assert table["Model aktif"].tolist() == ["0.840", "0.930 / 0.830", "0.993 / –"]
    assert table["Pemeriksaan"].iloc[0].startswith("F1 makro kategori pada 40 umpan balik terbaru")
    assert model_service.model_info().version == "20261101-0800-aaaaaaaa"  # still the one in use


def test_admin_page_shows_the_last_scheduled_attempt(db, app, make_user, tmp_path, monkeypatch):
    from console.services import retraining
    from store.settings import get_settings
    from tests.worker.test_retrain_job import NOW, Trainer, _feedback
    monkeypatch.setenv("TANGGAP_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("TANGGAP_RETRAIN_AFTER_FEEDBACK", "3")
    get_settings.cache_clear()
    settings = get_settings()
    _feedback(3)
    retraining.run_if_due(NOW, settings, Trainer(promoted=False))
    _feedback(1, start=20)
    at = app(make_user("boss", "admin"), "console/admin.py")
    no_exception(at)
    assert shown(at, "1 umpan balik baru sejak percobaan terakhir; dilatih ulang setelah 3 (paling sering sehari "
                     "sekali).")
    assert shown(at, "Percobaan terakhir 30/11/2026 12:00 WIB: ditolak gerbang promosi, model aktif tetap (versi v1).")
    assert shown(at, "kritis recall lower: test split 0.9800 vs 0.9933")


def test_retrain_button_asks_the_worker_and_shows_the_request(app, make_user, tmp_path, monkeypatch):
    from store.settings import get_settings
    monkeypatch.setenv("TANGGAP_MODEL_DIR", str(tmp_path / "models"))
    get_settings.cache_clear()
    at = app(make_user("boss", "admin"), PAGE)
    at.button(key="admin_retrain").click().run()
    no_exception(at)
    assert shown(at, "Pelatihan ulang diminta oleh boss: worker akan melatih pada pemeriksaan berikutnya.")
    assert (tmp_path / "models" / "RETRAIN.request").read_text(encoding="utf-8") == "boss\n"
    assert list((tmp_path / "models").glob("2*")) == []  # nothing trained by the console
