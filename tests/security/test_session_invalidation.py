"""A new password or a new role ends the user's login sessions (issue 10: a session started
before reset_password still resumed), and the console reads the user's role again on every
run, so a demoted admin loses admin pages and full numbers at the next click."""

from __future__ import annotations

import pytest
from sqlmodel import select

from console.services import admin, login_sessions
from console.session import PRINCIPAL_KEY, TOKEN_KEY
from store.db import read_session
from store.tables import LoginSession
from tests.conftest import PASSWORD
from tests.console.conftest import shown
from tests.console.test_login import log_in

NEW_PASSWORD = "Sandi-baru-2026"
SESSION_ENDED = ("Sesi ini sudah diakhiri (keluar di tab lain, atau kata sandi atau peran akun diganti). "
                 "Silakan masuk lagi.")


def live_sessions(user_id: int) -> int:
    with read_session() as s:
        return len(s.exec(select(LoginSession).where(LoginSession.user_id == user_id,
                                                     LoginSession.ended_at.is_(None))).all())


def test_a_password_reset_ends_every_session_of_the_user_only(cheap_hasher, make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    tabs = [login_sessions.start(staff), login_sessions.start(staff)]
    boss_token = login_sessions.start(boss)
    admin.reset_password(boss, staff.id, NEW_PASSWORD)
    assert [login_sessions.resume(token) for token in tabs] == [None, None]
    assert not any(login_sessions.is_live(token) for token in tabs)
    assert login_sessions.resume(boss_token) == boss
    after = login_sessions.start(staff)  # a login with the new password works as before
    assert login_sessions.resume(after) == staff


def test_a_role_change_ends_the_sessions_and_an_unchanged_role_does_not(cheap_hasher, make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    token = login_sessions.start(staff)
    admin.set_role(boss, staff.id, "komunikasi", None)  # the same role: nothing changes
    assert login_sessions.resume(token) == staff
    admin.set_role(boss, staff.id, "kepala_dinas", "DINKES")
    assert login_sessions.resume(token) is None and live_sessions(staff.id) == 0
    token = login_sessions.start(staff)
    admin.set_role(boss, staff.id, "kepala_dinas", "BPBD")  # another agency is a new role too
    assert login_sessions.resume(token) is None


def test_deactivation_ends_the_sessions_in_the_database_too(cheap_hasher, make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    login_sessions.start(staff)
    admin.set_active(boss, staff.id, False)
    assert live_sessions(staff.id) == 0


def test_a_browser_logged_in_before_the_reset_is_sent_back_to_the_login_page(app, cheap_hasher, make_user):
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    at = log_in(app(), "kominfo1", PASSWORD)
    token = at.session_state[TOKEN_KEY]
    admin.reset_password(boss, staff.id, NEW_PASSWORD)
    at.run()
    assert PRINCIPAL_KEY not in at.session_state
    assert [i.value for i in at.info] == [SESSION_ENDED]
    assert login_sessions.resume(token) is None  # a reload with the old cookie does not come back


def test_a_demoted_admin_loses_admin_pages_and_full_numbers_at_the_next_run(app, cheap_hasher, make_user,
                                                                           make_case):
    """The principal is put in the session without a login session (no token), so only the
    re-read on every run can take the admin role away."""
    boss = make_user("boss", "admin")
    other_admin = make_user("wakil", "admin")
    make_case("air PDAM mati", platform="sms", author="+6281234567890")
    at = app(other_admin, "console/triage.py")
    assert "+6281234567890" in at.dataframe[0].value.to_string()
    assert shown(at, "Masuk sebagai Wakil (Admin)")

    admin.set_role(boss, other_admin.id, "komunikasi", None)
    at.run()
    assert at.session_state[PRINCIPAL_KEY].role == "komunikasi"
    assert shown(at, "Masuk sebagai Wakil (Komunikasi)")
    assert "+6281234567890" not in at.dataframe[0].value.to_string()


def test_a_demoted_admin_on_the_admin_page_sees_it_go_at_the_next_run(app, cheap_hasher, make_user):
    boss = make_user("boss", "admin")
    other_admin = make_user("wakil", "admin")
    at = app(other_admin, "console/admin.py")
    assert [t.value for t in at.title] == ["Admin"]
    admin.set_role(boss, other_admin.id, "viewer", None)
    at.run()
    assert "Admin" not in [t.value for t in at.title]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("console/admin.py")  # no longer in the menu of this session
