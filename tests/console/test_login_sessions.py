"""Login sessions: a reload resumes the login from the browser's cookie until logout, the
inactivity timeout or deactivation ends it; only the token's hash is stored."""

from datetime import timedelta

from sqlmodel import select

from console.services import login_sessions
from console.session import COOKIE, LANG_COOKIE, PRINCIPAL_KEY, TOKEN_KEY
from store.db import read_session, write_session
from store.tables import LoginSession, StaffUser
from store.types import utcnow
from tests.conftest import PASSWORD
from tests.console.test_login import log_in
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py


def stored_sessions() -> list[LoginSession]:
    with read_session() as s:
        return list(s.exec(select(LoginSession)).all())


def test_a_session_resumes_its_user_and_the_database_holds_only_a_hash(make_user):
    user = make_user("kominfo1", "komunikasi")
    token = login_sessions.start(user)
    assert login_sessions.resume(token) == user
    [row] = stored_sessions()
    assert row.token_sha256 != token and len(row.token_sha256) == 64
    assert token not in repr(row.model_dump())
    assert login_sessions.resume("not-a-token") is None and login_sessions.resume(None) is None


def test_logout_ends_the_session_for_good(make_user):
    token = login_sessions.start(make_user("kominfo1", "komunikasi"))
    login_sessions.end(token)
    assert login_sessions.resume(token) is None
    assert not login_sessions.is_live(token)
    assert stored_sessions()[0].ended_at is not None


def test_an_idle_session_times_out_and_activity_keeps_it_on(make_user):
    user = make_user("kominfo1", "komunikasi")
    token = login_sessions.start(user)
    t0 = stored_sessions()[0].last_seen_at
    assert login_sessions.is_live(token, now=t0 + timedelta(seconds=30))
    assert stored_sessions()[0].last_seen_at == t0  # not written on every click
    assert login_sessions.resume(token, now=t0 + timedelta(minutes=50)) == user
    assert stored_sessions()[0].last_seen_at == t0 + timedelta(minutes=50)
    assert login_sessions.is_live(token, now=t0 + timedelta(minutes=100))  # 50 idle minutes < 60
    assert login_sessions.resume(token, now=t0 + timedelta(minutes=161)) is None  # 61 idle minutes
    assert stored_sessions()[0].ended_at is not None
    assert login_sessions.resume(token, now=t0 + timedelta(minutes=101)) is None  # ended stays ended


def test_sessions_over_for_a_month_are_deleted_at_the_next_login(make_user):
    user = make_user("kominfo1", "komunikasi")
    old = login_sessions.start(user)
    with write_session() as s:
        s.exec(select(LoginSession)).one().last_seen_at = utcnow() - timedelta(days=31)
    login_sessions.start(user)
    assert len(stored_sessions()) == 1 and login_sessions.resume(old) is None


def test_a_deactivated_users_session_does_not_resume(make_user):
    user = make_user("kominfo1", "komunikasi")
    token = login_sessions.start(user)
    with write_session() as s:
        s.get(StaffUser, user.id).active = False
    assert login_sessions.resume(token) is None


def cookie_scripts(at) -> list[str]:
    return [el.proto.body for el in at.sidebar if el.type == "html" and COOKIE in el.proto.body]


def test_the_login_form_hands_the_token_to_the_browser_and_logout_takes_it_back(app, make_user):
    make_user("kominfo1", "komunikasi")
    at = log_in(app(), "kominfo1", PASSWORD)
    token = at.session_state[TOKEN_KEY]
    [script] = cookie_scripts(at)
    assert f"{COOKIE}={token}; Path=/; SameSite=Strict" in script and "Max-Age" not in script
    assert login_sessions.resume(token).username == "kominfo1"
    at.run()
    assert not cookie_scripts(at)  # once, not on every run

    at.sidebar.button(key="app_logout").click().run()
    assert PRINCIPAL_KEY not in at.session_state
    [script] = cookie_scripts(at)
    assert f"{COOKIE}=; Path=/; SameSite=Strict; Max-Age=0" in script
    assert login_sessions.resume(token) is None


def test_logging_out_in_another_tab_ends_this_tab_too(app, make_user):
    make_user("kominfo1", "komunikasi")
    at = log_in(app(), "kominfo1", PASSWORD)
    login_sessions.end(at.session_state[TOKEN_KEY])  # the other tab's logout
    at.run()
    assert PRINCIPAL_KEY not in at.session_state
    assert [i.value for i in at.info] == ["Sesi ini sudah diakhiri (keluar di tab lain, atau kata sandi atau peran "
                                         "akun diganti). Silakan masuk lagi."]



def test_the_chosen_language_is_kept_in_a_cookie_for_the_next_visit(app):
    at = app()
    at.sidebar.selectbox(key="lang").set_value("en").run()
    scripts = [el.proto.body for el in at.sidebar if el.type == "html" and LANG_COOKIE in el.proto.body]
    assert len(scripts) == 1 and f"{LANG_COOKIE}=en; Path=/; SameSite=Strict; Max-Age=31536000" in scripts[0]
