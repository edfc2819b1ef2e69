"""Login through the form, lockout, logout, the inactivity timeout and the language switch."""

from datetime import timedelta

from console.session import LAST_SEEN_KEY, PRINCIPAL_KEY
from store.types import utcnow
from tests.conftest import PASSWORD
from tests.console.conftest import no_exception, shown
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py


def log_in(at, username, password):
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click()
    return at.run()


def test_login_with_the_right_password_opens_the_inbox(app, make_user):
    make_user("kominfo1", "komunikasi")
    at = app()
    assert at.title[0].value == "Tanggap"  # the login page
    log_in(at, "kominfo1", PASSWORD)
    no_exception(at)
    assert at.session_state[PRINCIPAL_KEY].username == "kominfo1"
    assert shown(at, "Kotak Masuk")


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(app, make_user):
    make_user("kominfo1", "komunikasi")
    at = log_in(app(), "kominfo1", "salah-sandi")
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    assert PRINCIPAL_KEY not in at.session_state
    at = log_in(app(), "tidak_ada", "salah-sandi")
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]


def test_account_locks_after_repeated_failures_even_for_the_right_password(app, make_user):
    make_user("kominfo1", "komunikasi")
    at = app()
    for _ in range(5):  # login_max_failures defaults to 5
        log_in(at, "kominfo1", "salah-sandi")
    log_in(at, "kominfo1", PASSWORD)
    assert "dikunci" in at.error[0].value
    assert "15 menit" in at.error[0].value
    assert PRINCIPAL_KEY not in at.session_state


def test_logout_returns_to_the_login_page(app, make_user):
    at = app(make_user("kominfo1", "komunikasi"))
    at.sidebar.button(key="app_logout").click()
    at.run()
    assert PRINCIPAL_KEY not in at.session_state
    assert shown(at, "Anda telah keluar.")
    assert at.text_input(key="login_username")


def test_idle_session_times_out_to_the_login_page(app, make_user):
    at = app(make_user("kominfo1", "komunikasi"))
    at.session_state[LAST_SEEN_KEY] = utcnow() - timedelta(minutes=61)  # timeout is 60 minutes
    at.run()
    assert PRINCIPAL_KEY not in at.session_state
    assert shown(at, "Sesi berakhir")


def test_activity_within_the_timeout_keeps_the_session(app, make_user):
    at = app(make_user("kominfo1", "komunikasi"))
    at.session_state[LAST_SEEN_KEY] = utcnow() - timedelta(minutes=59)
    at.run()
    assert at.session_state[PRINCIPAL_KEY].username == "kominfo1"


def test_language_switch_shows_english(app, make_user):
    at = app(make_user("kominfo1", "komunikasi"))
    at.sidebar.selectbox(key="lang").set_value("en").run()
    assert shown(at, "Inbox")
    assert not shown(at, "Kotak Masuk")


def test_deactivated_account_loses_access_at_once(app, make_user):
    from console.services import admin
    boss = make_user("boss", "admin")
    user = make_user("kominfo1", "komunikasi")
    at = app(user)
    admin.set_active(boss, user.id, False)
    at.run()
    assert PRINCIPAL_KEY not in at.session_state
    assert shown(at, "Akun ini tidak aktif lagi.")
