"""`tanggap demo`: demo users and data loaded through the real importer, worked into every
state the pages show, and idempotent."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

import collectors.files
from console.cli import app
from console.demo import load_demo
from console.demo.users import DEMO_USERS, ensure_users
from store.db import read_session, write_session
from store.logins import LoginError, authenticate
from store.passwords import check_policy
from store.sla import clocks
from store.tables import Case, Mention, StaffUser
from store.types import utcnow
from store.vocabulary import CASE_STATUSES, PLATFORMS
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py


def snapshot() -> dict[int, tuple]:
    with read_session() as s:
        return {c.id: (c.status, c.version) for c in s.exec(select(Case)).scalars()}


def test_demo_loads_through_the_importer_into_every_state(db, monkeypatch):
    calls = []
    real_import = collectors.files.import_file

    def spy(path, rejects_path=None, default_platform="import"):
        calls.append(path)
        return real_import(path, rejects_path, default_platform)

    monkeypatch.setattr(collectors.files, "import_file", spy)
    now = utcnow()
    report = load_demo(now=now)

    assert len(calls) == 1 and calls[0].suffix == ".jsonl"
    assert report.rejected == 0 and 300 <= report.imported == report.read <= 400
    with read_session() as s:
        mentions = s.exec(select(Mention)).scalars().all()
        cases = s.exec(select(Case)).scalars().all()
        roles = Counter(u.role for u in s.exec(select(StaffUser)).scalars())
    assert {m.source for m in mentions} == {"import"}  # stored by the importer, not written directly
    assert {m.platform for m in mentions} == set(PLATFORMS) - {"import"}
    assert all(now - timedelta(days=14) <= m.created_at <= now for m in mentions)
    assert any(c.mention_count > 1 for c in cases)  # follow-ups joined their thread's case
    assert Counter(c.status for c in cases).keys() == set(CASE_STATUSES)
    states = Counter(clocks(c, now).handling.state.value for c in cases if c.status != "closed_no_action")
    assert {"met", "missed", "breached", "on_track", "at_risk"} <= states.keys(), states
    assert states["met"] > states["missed"] > 0
    # Handled cases were acknowledged when routed: the acknowledgement clock stopped no later.
    handled = [c for c in cases if c.first_handling_at]
    assert handled and all(c.first_response_at <= c.first_handling_at for c in handled)
    assert sum(c.first_response_at < c.first_handling_at for c in handled) > len(handled) // 2
    assert all(c.category for c in cases)  # tagged by the model or by the demo staff
    assert roles == {"admin": 1, "komunikasi": 2, "kepala_dinas": 3, "viewer": 1}
    for user in DEMO_USERS:
        check_policy(user.password)  # the demo passwords meet the policy README states
        assert authenticate(user.username, user.password).role == user.role


def test_demo_is_idempotent(db):
    load_demo()
    before = snapshot()
    again = load_demo()
    assert again.imported == 0 and again.duplicates == again.read and again.users_created == []
    assert not again.actions
    assert snapshot() == before
    assert load_demo(if_empty=True).skipped
    assert snapshot() == before


def test_demo_command_prints_credentials_once_and_respects_if_empty(db, make_case):
    runner = CliRunner()
    first = runner.invoke(app, ["demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    for user in DEMO_USERS:
        assert user.username in first.output and user.password in first.output
    with read_session() as s:
        count = s.execute(select(func.count()).select_from(Case)).scalar_one()
    second = runner.invoke(app, ["demo", "--if-empty"])
    assert second.exit_code == 0 and "already has cases" in second.output
    assert not any(user.password in second.output for user in DEMO_USERS)
    with read_session() as s:
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() == count


def test_if_empty_leaves_a_database_with_cases_alone(db, make_case):
    make_case("jalan rusak")
    assert load_demo(if_empty=True).skipped
    with read_session() as s:
        assert s.execute(select(func.count()).select_from(StaffUser)).scalar_one() == 0


def test_an_existing_account_with_a_demo_name_is_left_untouched(db, make_user):
    own_admin = make_user("admin", "admin", password="Kantor-Bupati-2026")  # made with `tanggap user add`
    with write_session() as session:
        created, staff = ensure_users(session)
    assert "admin" not in {u.username for u in created} and len(created) == len(DEMO_USERS) - 1
    assert staff["admin"].id == own_admin.id and staff["admin"].display_name == "Admin"
    assert authenticate("admin", "Kantor-Bupati-2026").id == own_admin.id
    with pytest.raises(LoginError):
        authenticate("admin", "admin-demo")
