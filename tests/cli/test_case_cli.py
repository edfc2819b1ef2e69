"""`tanggap case …` and `tanggap stats`: actions audited under --as, permissions as in the console."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from console.cli import app
from store.db import read_session
from store.queries import case_timeline
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input)


@pytest.fixture
def opened():
    return datetime.now(UTC) - timedelta(hours=3)


def test_user_add_reads_password_from_stdin_and_never_echoes_it(db):
    result = run("user", "add", "Ani", "--role", "komunikasi", "--password-stdin", input="sangat-rahasia\n")
    assert result.exit_code == 0, result.output
    assert "created ani (komunikasi)" in result.output and "sangat-rahasia" not in result.output


def test_assign_respond_resolve_are_audited_under_the_as_user(db, make_user, make_case, opened):
    make_user("ani", "komunikasi")
    case = make_case(created_at=opened, category="kesehatan", urgency="kritis")
    assert run("case", "assign", str(case.id), "--agency", "DINKES", "--support", "KEC_GENTENG",
               "--as", "ani").exit_code == 0
    at = (opened + timedelta(hours=2)).astimezone().isoformat()
    result = run("case", "respond", str(case.id), "--text", "Puskesmas datang", "--channel", "field_visit",
                 "--at", at, "--as", "ani")
    assert result.exit_code == 0, result.output
    assert run("case", "resolve", str(case.id), "--as", "ani").exit_code == 0
    shown = json.loads(run("case", "show", str(case.id), "--json", "--as", "ani").output)
    assert shown["status"] == "resolved" and shown["sla"] == "met" and shown["supporting_units"] == ["KEC_GENTENG"]
    with read_session() as s:
        events = case_timeline(s, case.id)
    assert [(e.action, e.actor_label) for e in sorted(events, key=lambda e: e.id)][1:] == [
        ("assigned", "ani"), ("responded", "ani"), ("resolved", "ani")]


def test_response_time_before_opening_is_refused_with_clear_message(db, make_user, make_case, opened):
    make_user("ani", "komunikasi")
    case = make_case(created_at=opened)
    result = run("case", "respond", str(case.id), "--text", "x", "--channel", "phone",
                 "--at", (opened - timedelta(hours=1)).isoformat(), "--as", "ani")
    assert result.exit_code == 1 and "before the case opened" in result.output


def test_naive_at_time_is_read_as_wib(db, make_user, make_case):
    make_user("ani", "komunikasi")
    opened = datetime(2026, 11, 22, 11, 41, tzinfo=UTC)  # 18:41 WIB
    case = make_case(created_at=opened)
    assert run("case", "respond", str(case.id), "--text", "x", "--channel", "phone",
               "--at", "2026-11-22T20:41", "--as", "ani").exit_code == 0
    shown = json.loads(run("case", "show", str(case.id), "--json", "--as", "ani").output)
    assert shown["first_response_at"] == "22/11/2026 20:41 WIB"


def test_agency_head_cannot_see_or_touch_another_agencys_case(db, make_user, make_case, opened):
    make_user("ani", "komunikasi")
    make_user("kadinkes", "kepala_dinas", agency="DINKES")
    case = make_case(created_at=opened, category="bencana", urgency="kritis")
    run("case", "assign", str(case.id), "--agency", "BPBD", "--as", "ani")
    for args in (("case", "show", str(case.id)), ("case", "resolve", str(case.id)),
                 ("case", "assign", str(case.id), "--agency", "DINKES")):
        result = run(*args, "--as", "kadinkes")
        assert result.exit_code == 1 and f"case {case.id} not found" in result.output
    listed = json.loads(run("case", "list", "--json", "--as", "kadinkes").output)
    assert listed == []


def test_viewer_is_read_only(db, make_user, make_case, opened):
    make_user("lihat", "viewer")
    case = make_case(created_at=opened)
    result = run("case", "assign", str(case.id), "--agency", "DINKES", "--as", "lihat")
    assert result.exit_code == 1 and "may not assign" in result.output


def test_unknown_as_user_is_an_error(db):
    result = run("case", "list", "--as", "nobody")
    assert result.exit_code == 1 and "no active user 'nobody'" in result.output


def test_stats_json(db, make_user, make_case, opened):
    make_user("ani", "komunikasi")
    case = make_case(created_at=opened, category="kesehatan", urgency="sedang")
    run("case", "respond", str(case.id), "--text", "x", "--channel", "phone",
        "--at", (opened + timedelta(minutes=90)).isoformat(), "--as", "ani")
    rows = json.loads(run("stats", "--json", "--as", "ani").output)
    assert rows[0]["cases"] == 1 and rows[0]["median_minutes"] == 90 and rows[0]["pct_within_target"] == 100.0


def test_every_command_has_help_with_an_example():
    import typer.main
    group = typer.main.get_command(app)

    def walk(cmd, path):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                yield from walk(sub, [*path, name])
        else:
            yield path, cmd

    commands = list(walk(group, []))
    assert len(commands) >= 8
    for path, cmd in commands:
        assert cmd.help and "Example:" in cmd.help, f"tanggap {' '.join(path)} lacks help with an example"
