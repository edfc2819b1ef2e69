"""The audit trail of admin changes: every kind of change leaves one AdminEvent with who did
it and the old and new values; a password never reaches it; only admins can read it."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func
from sqlmodel import select

from console.services import admin, sla_targets
from console.services.errors import PermissionDenied, ServiceError
from store.db import read_session, write_session
from store.tables import ADMIN_ACTIONS, AdminEvent, StaffUser
from tests.console.conftest import no_exception

PAGE = "console/admin.py"


def only_event(action: str) -> AdminEvent:
    with read_session() as s:
        [event] = s.exec(select(AdminEvent).where(AdminEvent.action == action)).all()
    return event


def event_count() -> int:
    with read_session() as s:
        return s.exec(select(func.count()).select_from(AdminEvent)).one()


def test_adding_a_user_is_audited_with_its_role_and_agency(make_user):
    boss = make_user("boss", "admin")
    admin.add_user(boss, "Kadinsos", "Kepala Dinsos", "kepala_dinas", "sandi-kuat-1", "DINSOS")
    event = only_event("user_added")
    assert (event.actor_id, event.actor_label, event.target) == (boss.id, "boss", "kadinsos")
    assert event.old_value is None
    assert event.new_value == {"display_name": "Kepala Dinsos", "role": "kepala_dinas", "agency_code": "DINSOS",
                               "active": True}


def test_deactivating_and_reactivating_a_user_are_audited(make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    admin.set_active(boss, staff.id, False)
    event = only_event("user_deactivated")
    assert (event.actor_label, event.target, event.old_value, event.new_value) == (
        "boss", "kominfo1", {"active": True}, {"active": False})
    admin.set_active(boss, staff.id, True)
    event = only_event("user_activated")
    assert (event.old_value, event.new_value) == ({"active": False}, {"active": True})


def test_role_change_is_audited_with_old_and_new_role_and_agency(make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    admin.set_role(boss, staff.id, "kepala_dinas", "DINKES")
    event = only_event("user_role_changed")
    assert (event.actor_id, event.target) == (boss.id, "kominfo1")
    assert event.old_value == {"role": "komunikasi", "agency_code": None}
    assert event.new_value == {"role": "kepala_dinas", "agency_code": "DINKES"}


def test_password_reset_is_audited_without_the_password_or_its_hash(make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    admin.reset_password(boss, staff.id, "sandi-baru-99")
    event = only_event("password_reset")
    assert (event.actor_label, event.target, event.old_value, event.new_value) == (
        "boss", "kominfo1", None, {"lockout_lifted": False})
    with read_session() as s:
        password_hash = s.get(StaffUser, staff.id).password_hash
    stored = repr(event.model_dump())
    assert "sandi-baru-99" not in stored and password_hash not in stored and "argon2" not in stored


def test_routing_change_is_audited_with_the_previous_agency(make_user):
    boss = make_user("boss", "admin")
    admin.set_route(boss, "lingkungan", "PUCK")
    event = only_event("routing_changed")
    assert (event.actor_label, event.target) == ("boss", "lingkungan")
    assert event.old_value["agency_code"] not in (None, "PUCK")  # the seeded route
    assert event.new_value == {"agency_code": "PUCK"}


def test_agency_creation_and_edit_are_audited(make_user):
    boss = make_user("boss", "admin")
    admin.save_agency(boss, "dispar", "Dinas Pariwisata", "dinas")
    added = only_event("agency_added")
    assert (added.actor_label, added.target, added.old_value, added.new_value) == (
        "boss", "DISPAR", None, {"name": "Dinas Pariwisata", "kind": "dinas", "active": True})
    admin.save_agency(boss, "DISPAR", "Dinas Kebudayaan dan Pariwisata", "dinas")
    changed = only_event("agency_changed")
    assert changed.old_value == {"name": "Dinas Pariwisata", "kind": "dinas", "active": True}
    assert changed.new_value == {"name": "Dinas Kebudayaan dan Pariwisata", "kind": "dinas", "active": True}


def test_sla_target_set_and_reset_are_audited(make_user):
    boss = make_user("boss", "admin")
    sla_targets.set_sla_target(boss, "kritis", 60)
    sla_targets.set_sla_target(boss, "kritis", None)
    with read_session() as s:
        events = s.exec(select(AdminEvent).where(AdminEvent.action == "sla_target_changed")
                        .order_by(AdminEvent.id)).all()
    assert [(e.actor_id, e.target, e.old_value, e.new_value) for e in events] == [
        (boss.id, "kritis", {"minutes": None}, {"minutes": 60}),  # None: the settings' value
        (boss.id, "kritis", {"minutes": 60}, {"minutes": None}),
    ]


def test_a_change_that_changes_nothing_leaves_no_event(make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    admin.set_role(boss, staff.id, "komunikasi", None)
    admin.set_active(boss, staff.id, True)
    sla_targets.set_sla_target(boss, "default", None)
    assert event_count() == 0


def test_a_refused_change_leaves_no_event(make_user):
    boss = make_user("boss", "admin")
    with pytest.raises(ServiceError):
        admin.add_user(boss, "kadis", "Kadis", "kepala_dinas", "sandi-kuat-1")  # an agency head needs an agency
    staff = make_user("kominfo1", "komunikasi")
    with pytest.raises(ServiceError):
        admin.set_role(boss, staff.id, "kepala_dinas", "NOPE")  # unknown agency
    with pytest.raises(ServiceError):
        admin.reset_password(boss, staff.id, "short")  # too short
    assert event_count() == 0


def test_recent_admin_events_are_newest_first_and_limited(make_user):
    boss = make_user("boss", "admin")
    for category in ("lingkungan", "bencana", "kesehatan"):
        admin.set_route(boss, category, "PUCK")
    events = admin.recent_admin_events(boss, limit=2)
    assert [e.target for e in events] == ["kesehatan", "bencana"]


@pytest.mark.parametrize("role", ["komunikasi", "kepala_dinas", "viewer"])
def test_only_admins_can_read_the_audit_trail(make_user, role):
    user = make_user("someone", role, agency="DINKES" if role == "kepala_dinas" else None)
    with pytest.raises(PermissionDenied):
        admin.recent_admin_events(user)


def test_every_admin_action_has_a_label_in_both_languages():
    from console.i18n import EN, ID
    for action in ADMIN_ACTIONS:
        assert f"audit.{action}" in ID and f"audit.{action}" in EN, action


def test_audit_tab_shows_an_event_in_local_time(app, make_user):
    boss = make_user("boss", "admin")
    with write_session() as s:
        s.add(AdminEvent(actor_id=boss.id, actor_label="boss", action="user_role_changed", target="kominfo1",
                         old_value={"role": "komunikasi", "agency_code": None},
                         new_value={"role": "kepala_dinas", "agency_code": "DINKES"},
                         logged_at=datetime(2026, 11, 29, 11, 41, 5, tzinfo=UTC)))
    at = app(boss, PAGE)
    no_exception(at)
    audit_tab = at.tabs[-1]
    assert audit_tab.label == "Jejak audit"
    [table] = [df.value for df in audit_tab.dataframe]
    assert table.to_dict("records") == [{
        "Waktu": "29/11/2026 18:41:05 WIB", "Oleh": "boss", "Tindakan": "Peran/dinas diubah",
        "Sasaran": "kominfo1", "Perubahan (lama → baru)": "role: komunikasi → kepala_dinas; agency_code: — → DINKES",
    }]
