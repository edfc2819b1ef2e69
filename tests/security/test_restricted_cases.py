"""Children's cases are private (UU 35/2014, UU 27/2022): a case tagged perlindungan_anak — by
the model, a rule or a person — is restricted; a viewer and other agencies never see it, in
any page, command, export or count; its text and author read "[dilindungi]" in exports for
everyone but admins and the child-protection agency. Staff can restrict any case, audited."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from console.cli import app as cli_app
from console.services import cases as case_service
from console.services import export
from console.services import stats as stats_service
from console.services.errors import NotFound
from store.queries import CaseFilter
from tests.console.conftest import shown
from tests.console.test_export import read_csv
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

CHILD_TEXT = "anak tetangga dipukuli ayahnya tiap malam, namanya Sari kelas 3"


@pytest.fixture
def child(make_user, make_case):
    """(users, the child case led by DINSOS, an ordinary DINSOS case)."""
    staff = make_user("kominfo1", "komunikasi")
    users = {"komunikasi": staff, "admin": make_user("root", "admin"), "viewer": make_user("pemantau", "viewer"),
             "dinsos": make_user("kadinsos", "kepala_dinas", agency="DINSOS"),
             "dinkes": make_user("kadinkes", "kepala_dinas", agency="DINKES"),
             "dp3a": make_user("kadp3a", "kepala_dinas", agency="DP3A")}
    opened = datetime.now(UTC) - timedelta(hours=1)
    case = make_case(CHILD_TEXT, created_at=opened, category="perlindungan_anak", urgency="tinggi",
                     author="ibu_rt05")
    plain = make_case("bantuan sembako belum cair", created_at=opened, category="kemiskinan", urgency="sedang")
    for c in (case, plain):
        case_service.assign(staff, c.id, None, agency_code="DINSOS")
    return users, case, plain


def test_a_childrens_case_is_restricted_from_intake(child):
    _, case, plain = child
    assert case.restricted is True and plain.restricted is False


def test_a_retag_to_child_protection_restricts_the_case(child):
    users, _, plain = child
    updated = case_service.retag(users["komunikasi"], plain.id, None, category="perlindungan_anak", urgency="tinggi")
    assert updated.restricted is True


def test_viewer_lists_and_counts_never_hold_it(child):
    users, case, plain = child
    viewer = users["viewer"]
    assert [c.id for c in case_service.triage(viewer, CaseFilter()).rows] == [plain.id]
    assert [c.id for c in case_service.agency_queue(viewer, "DINSOS").rows] == [plain.id]
    [overall] = stats_service.response_stats(viewer)
    assert overall.cases == 1
    staff_overall, = stats_service.response_stats(users["komunikasi"])
    assert staff_overall.cases == 2
    with pytest.raises(NotFound):
        case_service.case_detail(viewer, case.id)


def test_other_agencies_never_see_it_and_the_child_protection_agency_does(child):
    users, case, _ = child
    with pytest.raises(NotFound):
        case_service.case_detail(users["dinkes"], case.id)
    assert case_service.case_detail(users["dp3a"], case.id).case.id == case.id
    assert case.id in [c.id for c in case_service.agency_queue(users["dinsos"]).rows]


@pytest.mark.parametrize("who,protected", [("komunikasi", True), ("dinsos", True), ("admin", False)])
def test_exports_replace_its_text_and_author(child, who, protected, tmp_path):
    users, case, plain = child
    out = tmp_path / "kasus.csv"
    export.export_cases(users[who], export.case_filter(), "csv", out)
    rows = {int(r["case_id"]): r for r in read_csv(out)}
    if protected:
        assert (rows[case.id]["summary"], rows[case.id]["author"]) == ("[dilindungi]", "[dilindungi]")
    else:
        assert rows[case.id]["summary"] == CHILD_TEXT
    assert rows[plain.id]["summary"] == "bantuan sembako belum cair"


def test_the_child_protection_agency_reads_the_text_in_its_export(child, tmp_path):
    users, case, _ = child
    case_service.assign(users["komunikasi"], case.id, None, agency_code="DINSOS", supporting=["DP3A"])
    out = tmp_path / "kasus.csv"
    export.export_cases(users["dp3a"], export.case_filter(), "csv", out)
    [row] = read_csv(out)
    assert int(row["case_id"]) == case.id and row["summary"] == CHILD_TEXT


def test_cli_hides_it_from_a_viewer(child):
    _, case, plain = child
    runner = CliRunner()
    shown_ids = [c["id"] for c in json.loads(runner.invoke(
        cli_app, ["case", "list", "--json", "--as", "pemantau"]).output)]
    assert shown_ids == [plain.id]
    result = runner.invoke(cli_app, ["case", "show", str(case.id), "--as", "pemantau"])
    assert result.exit_code == 1 and "not found" in result.output and "Sari" not in result.output


def test_case_page_hides_it_from_a_viewer_and_warns_the_comms_team(app, child):
    users, case, _ = child
    at = app(users["viewer"], "console/case.py", case=case.id)
    assert shown(at, "Kasus tidak ditemukan.") and not shown(at, "Sari")
    at = app(users["komunikasi"], "console/case.py", case=case.id)
    assert shown(at, "Kasus dilindungi")


def test_staff_can_restrict_any_case_and_it_is_audited(child):
    users, _, plain = child
    staff = users["komunikasi"]
    case_service.set_restricted(staff, plain.id, None, True, note="KDRT")
    with pytest.raises(NotFound):
        case_service.case_detail(users["viewer"], plain.id)
    event = case_service.case_detail(staff, plain.id).timeline[-1]
    assert (event.action, event.actor_label, event.note) == ("restricted", "kominfo1", "KDRT")


def test_migration_restricts_existing_childrens_cases(tmp_path):
    """Cases tagged perlindungan_anak before 0004 are restricted by the upgrade."""
    from store.db import make_engine
    from store.migrate import upgrade
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0003")
    now = "2026-11-29 10:00:00.000000"
    with engine.begin() as conn:
        for n, category in enumerate(("perlindungan_anak", "kesehatan"), start=1):
            conn.execute(text(
                "INSERT INTO \"case\" (id, status, category, needs_review, platform, summary, mention_count, "
                "opened_at, due_at, last_mention_at, is_open, queue_rank, urgency_rank, version, updated_at) "
                "VALUES (:id, 'new', :cat, 0, 'twitter', 'x', 1, :t, :t, :t, 1, 0, 4, 1, :t)"),
                {"id": n, "cat": category, "t": now})
    upgrade(engine, "0004")
    with engine.connect() as conn:
        got = dict(conn.execute(text("SELECT category, restricted FROM \"case\"")).all())
    engine.dispose()
    assert got == {"perlindungan_anak": 1, "kesehatan": 0}


def test_an_upgrade_keeps_a_populated_database_whole(tmp_path):
    """A database at 0003 with a user, a case assigned to that user, its timeline and a login
    session upgrades to the head: the migrations that copy tables on SQLite (0005 drops the
    account's old lockout columns) must not trip over the rows that point at them."""
    from store.db import make_engine
    from store.migrate import current_revision, schema_differences, upgrade
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0003")
    t = "2026-11-29 10:00:00.000000"
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO staffuser (id, username, display_name, role, password_hash, active, "
                          "failed_logins, created_at) VALUES (1, 'ani', 'Ani', 'komunikasi', 'x', 1, 0, :t)"),
                     {"t": t})
        conn.execute(text(
            "INSERT INTO \"case\" (id, status, category, needs_review, platform, summary, mention_count, opened_at, "
            "due_at, last_mention_at, is_open, queue_rank, urgency_rank, version, updated_at, assignee_id, "
            "updated_by) VALUES (1, 'assigned', 'perlindungan_anak', 0, 'twitter', 'x', 1, :t, :t, :t, 1, 1, 4, 2, "
            ":t, 1, 1)"), {"t": t})
        conn.execute(text("INSERT INTO caseevent (case_id, actor_id, actor_label, action, happened_at, logged_at) "
                          "VALUES (1, 1, 'ani', 'assigned', :t, :t)"), {"t": t})
        conn.execute(text("INSERT INTO loginsession (token_sha256, user_id, created_at, last_seen_at) "
                          "VALUES ('ab', 1, :t, :t)"), {"t": t})
    upgrade(engine)
    assert schema_differences(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT assignee_id, restricted FROM \"case\"")).one() == (1, 1)
        assert conn.execute(text("SELECT count(*) FROM caseevent")).scalar() == 1
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1  # enforcement is back on
    assert current_revision(engine) is not None
    engine.dispose()
