"""Every bad argument is one line on stderr with exit code 2, never a traceback; so is any
command on a database that was never migrated; reads need --as; and two CLI edits of one
case conflict instead of the last writer winning."""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from console.cli import app
from tests.conftest import BACKENDS, PG_URL
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

UPGRADE = "run `tanggap db upgrade` first"


def run(*args, input=None):
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def assert_one_line(result, code: int, message: str) -> None:
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture
def ani(db, make_user, make_case):
    make_user("ani", "komunikasi")
    return make_case(created_at=datetime.now(UTC) - timedelta(hours=2), category="kesehatan", urgency="tinggi")


BAD_ARGUMENTS = [  # (arguments, what the one line says)
    (("case", "list", "--limit", "-1"), "'--limit': Input should be greater than or equal to 1"),  # negative limit
    (("case", "show", "9" * 20), "'case_id': Input should be less than or equal to 2147483647"),  # 20-digit case id
    (("case", "resolve", "0"), "'case_id': Input should be greater than or equal to 1"),  # no case 0
    (("case", "list", "--status", "bogus"), "'bogus' is not one of new, assigned"),  # unknown status
    (("stats", "--by", "colour"), "'colour' is not one of agency"),  # unknown grouping
    (("stats", "--from", "2026-11-30", "--to", "2026-11-01"),
     "the last day 2026-11-01 is before the first day 2026-11-30"),  # reversed range
    (("export", "--from", "2026-11-30", "--to", "2026-11-01", "--out", "x.csv"),
     "the last day 2026-11-01 is before the first day"),  # reversed range, export
    (("export", "--agency", "NOPE", "--out", "x.csv"), "unknown agency 'NOPE'"),  # unknown agency
    (("export", "--what", "stats", "--agency", "NOPE", "--out", "x.csv"), "unknown agency 'NOPE'"),
    (("export", "--out", "."), ". is a folder"),  # --out is a folder
    (("export", "--out", "/proc/x.csv"), "cannot write in /proc"),  # --out where nobody may write
    (("export", "--out", "nowhere/x.csv"), "folder nowhere does not exist"),
    (("case", "respond", "1", "--text", "x", "--channel", "phone", "--at", "kemarin"),
     "'kemarin' is not an ISO time"),  # unreadable time
    (("import", "a.csv", "--platform", "myspace"), "'myspace' is not one of twitter"),  # unknown platform
    (("import", "missing.csv"), "missing.csv is not a file"),  # nothing to import
    (("case", "respond", "1", "--text", "x", "--channel", "pigeon"), "'pigeon' is not one of platform_reply"),
]


@pytest.mark.parametrize("args, message", BAD_ARGUMENTS, ids=[" ".join(a[:3]) for a, _ in BAD_ARGUMENTS])
def test_a_bad_argument_is_one_line_and_exit_code_2(ani, args, message):
    needs_as = args[0] in ("case", "stats", "export")
    result = run(*args, *(("--as", "ani") if needs_as else ()))
    assert_one_line(result, 2, message)
    assert not list(__import__("pathlib").Path(".").glob("*.partial"))  # no half-written export left


def test_collect_with_an_unknown_source_or_no_mode_is_exit_code_2(db):
    assert_one_line(run("collect", "--once", "--source", "tiktok"), 2, "'tiktok' is not one of twitter")
    assert_one_line(run("collect"), 2, "say either --once or --loop")


@pytest.mark.parametrize("args", [("case", "list"), ("case", "show", "1"), ("stats",),
                                  ("export", "--out", "x.csv")])
def test_reading_cases_or_statistics_needs_as(ani, args):
    assert_one_line(run(*args), 2, "Missing option '--as'")


# --- a database that was never migrated -------------------------------------------------

@pytest.fixture(params=BACKENDS)
def unmigrated(request, tmp_path, monkeypatch):
    """An empty SQLite file, or a fresh PostgreSQL database, set as TANGGAP_DATABASE_URL."""
    from store.db import get_engine
    if request.param == "sqlite":
        (tmp_path / "empty.db").touch()
        monkeypatch.setenv("TANGGAP_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
        yield
        get_engine.cache_clear()
        return
    admin_url = make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"tanggap_fresh_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    monkeypatch.setenv("TANGGAP_DATABASE_URL", admin_url.set(database=name).render_as_string(hide_password=False))
    yield
    get_engine().dispose()
    get_engine.cache_clear()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.parametrize("args", [
    ("case", "list", "--as", "ani"), ("case", "show", "1", "--as", "ani"),
    ("case", "assign", "1", "--agency", "DINKES", "--as", "ani"), ("stats", "--as", "ani"),
    ("export", "--out", "x.csv", "--as", "ani"), ("import", "a.csv"), ("demo",),
    ("user", "add", "ani", "--role", "komunikasi", "--password-stdin"), ("collect", "--once"),
])
def test_any_command_on_an_unmigrated_database_says_to_upgrade(unmigrated, tmp_path, monkeypatch, args):
    (tmp_path / "a.csv").write_text("text,created_at\nJalan rusak,2026-11-29 08:00\n")
    monkeypatch.setenv("TANGGAP_SMS_GAMMU_URL", f"sqlite:///{tmp_path / 'gammu.db'}")  # one configured source
    result = run(*args, input="sangat-rahasia-123\n")
    assert_one_line(result, 2, UPGRADE)
    assert "Traceback" not in result.output


def test_db_upgrade_then_works(unmigrated):
    assert run("db", "upgrade").exit_code == 0
    assert run("user", "add", "ani", "--role", "komunikasi", "--password-stdin",
               input="sangat-rahasia-123\n").exit_code == 0
    assert run("case", "list", "--as", "ani").exit_code == 0


# --- concurrent edits ---------------------------------------------------------------------

def _version(case_id: int) -> int:
    return json.loads(run("case", "show", case_id, "--json", "--as", "ani").output)["version"]


def test_two_cli_edits_from_the_same_reading_conflict(ani, make_user):
    make_user("budi", "komunikasi")
    seen = _version(ani.id)  # both operators read the case
    first = run("case", "assign", ani.id, "--agency", "DINKES", "--expected-version", seen, "--as", "ani")
    assert first.exit_code == 0, first.output
    second = run("case", "assign", ani.id, "--agency", "PUBM", "--expected-version", seen, "--as", "budi")
    assert second.exit_code == 1 and f"case {ani.id} was changed by" in second.output, second.output
    shown = json.loads(run("case", "show", ani.id, "--json", "--as", "ani").output)
    assert shown["lead_agency"] == "DINKES"  # nothing overwritten


def test_an_edit_in_between_the_cli_read_and_write_is_a_conflict(ani, make_user, monkeypatch):
    """Without --expected-version the command sends the version it read; a writer that gets
    in between (here: right after that read) makes the command fail instead of overwriting."""
    from console.services import cases
    budi = make_user("budi", "komunikasi")
    real_detail = cases.case_detail

    def detail_then_someone_else_writes(principal, case_id):
        detail = real_detail(principal, case_id)
        cases.assign(budi, case_id, detail.case.version, agency_code="PUBM")
        return detail
    monkeypatch.setattr(cases, "case_detail", detail_then_someone_else_writes)

    result = run("case", "assign", ani.id, "--agency", "DINKES", "--as", "ani")
    assert result.exit_code == 1 and f"case {ani.id} was changed by Budi" in result.output, result.output
    monkeypatch.setattr(cases, "case_detail", real_detail)
    assert json.loads(run("case", "show", ani.id, "--json", "--as", "ani").output)["lead_agency"] == "PUBM"


def test_pg_url_is_what_the_unmigrated_fixture_uses():
    assert ("postgresql" in BACKENDS) == bool(os.environ.get("TANGGAP_TEST_DATABASE_URL"))


def test_a_refused_action_is_one_line_and_exit_code_1(ani, make_user):
    make_user("lihat", "viewer")
    assert_one_line(run("case", "assign", ani.id, "--agency", "DINKES", "--as", "lihat"), 1, "may not assign")
