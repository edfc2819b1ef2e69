"""Lockout under parallel tries (issue 10: 100 parallel wrong passwords on PostgreSQL let 59
be checked): tries are counted atomically before the password is checked, so however many
arrive at once, exactly login_max_failures (5) are checked and the rest are refused as
locked. Runs on SQLite and PostgreSQL (the db fixture)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlmodel import select

from store.db import read_session
from store.logins import LoginError, authenticate
from store.tables import StaffUser
from store.types import utcnow

PARALLEL = 60
MAX_FAILURES = 5  # the default login_max_failures


def stored_hash(username: str) -> str:
    with read_session() as s:
        return s.exec(select(StaffUser).where(StaffUser.username == username)).one().password_hash


def parallel_tries(username: str, password: str, n: int = PARALLEL) -> list[LoginError | StaffUser]:
    """n tries released at the same moment from n threads; what each got."""
    start = threading.Barrier(n)

    def attempt(_):
        start.wait()
        try:
            return authenticate(username, password)
        except LoginError as exc:
            return exc

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(attempt, range(n)))


def test_parallel_wrong_passwords_check_exactly_the_limit_then_lock(cheap_hasher, make_user):
    make_user("kominfo1", "komunikasi")
    real_hash = stored_hash("kominfo1")
    cheap_hasher.checked.clear()

    results = parallel_tries("kominfo1", "salah-sandi-99")

    assert all(isinstance(r, LoginError) for r in results)
    assert cheap_hasher.checked.count(real_hash) == MAX_FAILURES
    assert len(cheap_hasher.checked) == PARALLEL  # the refused ones still pay for a (dummy) check
    wrong = [r for r in results if r.locked_minutes is None]
    locked = [r for r in results if r.locked_minutes is not None]
    assert (len(wrong), len(locked)) == (MAX_FAILURES, PARALLEL - MAX_FAILURES)
    assert {r.locked_minutes for r in locked} == {15}


def test_parallel_tries_on_an_unknown_name_lock_after_the_same_number(cheap_hasher, db):
    results = parallel_tries("tidak_ada", "salah-sandi-99")
    wrong = [r for r in results if r.locked_minutes is None]
    assert len(wrong) == MAX_FAILURES and len(results) == PARALLEL


def test_the_right_password_is_refused_while_locked_and_accepted_after(cheap_hasher, make_user):
    from tests.conftest import PASSWORD
    make_user("kominfo1", "komunikasi")
    parallel_tries("kominfo1", "salah-sandi-99", n=10)
    with pytest.raises(LoginError) as refused:
        authenticate("kominfo1", PASSWORD)
    assert refused.value.locked_minutes == 15
    later = utcnow() + timedelta(minutes=16)
    assert authenticate("kominfo1", PASSWORD, now=later).username == "kominfo1"
    # The lock is over and the count starts again: four more failures do not lock.
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginError) as wrong:
            authenticate("kominfo1", "salah-sandi-99", now=later)
        assert wrong.value.locked_minutes is None
    assert authenticate("kominfo1", PASSWORD, now=later).username == "kominfo1"


def test_a_success_clears_the_count(cheap_hasher, make_user):
    from tests.conftest import PASSWORD
    make_user("kominfo1", "komunikasi")
    for _ in range(2):
        for _ in range(MAX_FAILURES - 1):
            with pytest.raises(LoginError):
                authenticate("kominfo1", "salah-sandi-99")
        authenticate("kominfo1", PASSWORD)  # eight failures in all, never five in a row


def test_a_day_without_tries_starts_the_count_again(cheap_hasher, make_user):
    make_user("kominfo1", "komunikasi")
    start = utcnow()
    for now in (start, start + timedelta(days=1, seconds=1)):
        for _ in range(MAX_FAILURES - 1):
            with pytest.raises(LoginError) as wrong:
                authenticate("kominfo1", "salah-sandi-99", now=now)
            assert wrong.value.locked_minutes is None  # 8 failures, never 5 within a day


def test_an_admins_new_password_lifts_the_lock(cheap_hasher, make_user):
    from console.services import admin
    boss = make_user("boss", "admin")
    staff = make_user("kominfo1", "komunikasi")
    parallel_tries("kominfo1", "salah-sandi-99", n=10)
    assert [u.locked_until is not None for u in admin.list_users(boss)] == [False, True]  # boss, kominfo1
    admin.reset_password(boss, staff.id, "Sandi-baru-2026")
    assert authenticate("kominfo1", "Sandi-baru-2026").username == "kominfo1"
    assert admin.recent_admin_events(boss)[0].new_value == {"lockout_lifted": True}


def test_a_parallel_burst_with_the_right_password_is_not_locked_out(cheap_hasher, make_user):
    """Counting before checking must not lock out a user whose own tries arrive together."""
    from tests.conftest import PASSWORD
    make_user("kominfo1", "komunikasi")
    results = parallel_tries("kominfo1", PASSWORD, n=MAX_FAILURES)
    assert all(isinstance(r, StaffUser) for r in results)
