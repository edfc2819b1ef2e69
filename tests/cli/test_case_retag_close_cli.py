"""`tanggap case retag` and `case close`: staff corrections from the shell, with the console's
permissions (console.services.cases and the policy), audited under --as."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from console.cli import app
from store.db import read_session
from store.queries import case_timeline
from store.tables import TagFeedback
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # the due times are worked out from the clock: see tests/frozen.py

runner = CliRunner()


def run(*args):
    return runner.invoke(app, list(args))


@pytest.fixture
def tagged_case(make_case):
    return make_case(text="bansos PKH tidak cair sudah 3 bulan", category="adminduk", urgency="sedang",
                     created_at=datetime.now(UTC) - timedelta(hours=1))


def _events(case_id):
    with read_session() as s:
        return sorted(case_timeline(s, case_id), key=lambda e: e.id)


def test_retag_by_indonesian_label_keeps_the_other_tag_and_is_feedback(db, make_user, tagged_case):
    make_user("ani", "komunikasi")
    result = run("case", "retag", str(tagged_case.id), "--category", "Kemiskinan & Bansos", "--as", "ani")
    assert result.exit_code == 0, result.output
    shown = json.loads(run("case", "show", str(tagged_case.id), "--json", "--as", "ani").output)
    assert (shown["category"], shown["urgency"]) == ("kemiskinan", "sedang")
    last = _events(tagged_case.id)[-1]
    assert (last.action, last.actor_label) == ("retagged", "ani")
    with read_session() as s:
        feedback = s.exec(select(TagFeedback)).one()
    assert (feedback.case_id, feedback.category, feedback.urgency, feedback.model_category) == (
        tagged_case.id, "kemiskinan", "sedang", "adminduk")


def test_retag_urgency_only_moves_the_due_time(db, make_user, tagged_case):
    make_user("ani", "komunikasi")
    assert run("case", "retag", str(tagged_case.id), "--urgency", "kritis", "--as", "ani").exit_code == 0
    shown = json.loads(run("case", "show", str(tagged_case.id), "--json", "--as", "ani").output)
    assert (shown["category"], shown["urgency"]) == ("adminduk", "kritis")
    assert shown["version"] == tagged_case.version + 1


@pytest.mark.parametrize("args", [
    ("--category", "sembako"),            # not a category: refused, never guessed
    ("--urgency", "darurat"),             # not an urgency
    (),                                   # nothing to change
])
def test_retag_bad_tags_are_one_line_and_exit_2(db, make_user, tagged_case, args):
    make_user("ani", "komunikasi")
    result = run("case", "retag", str(tagged_case.id), *args, "--as", "ani")
    assert result.exit_code == 2 and result.output.startswith("error:")
    assert len(result.output.strip().splitlines()) == 1


def test_untagged_case_needs_both_tags(db, make_user, make_case):
    make_user("ani", "komunikasi")
    case = make_case()
    result = run("case", "retag", str(case.id), "--category", "infrastruktur", "--as", "ani")
    assert result.exit_code == 1 and "no urgency yet" in result.output
    assert run("case", "retag", str(case.id), "--category", "infrastruktur", "--urgency", "sedang",
               "--as", "ani").exit_code == 0


def test_viewer_and_other_agency_cannot_retag_or_close(db, make_user, tagged_case):
    make_user("ani", "komunikasi")
    make_user("pemantau", "viewer")
    make_user("kadinkes", "kepala_dinas", agency="DINKES")
    run("case", "assign", str(tagged_case.id), "--agency", "DINSOS", "--as", "ani")
    for user, message in (("pemantau", "may not retag"), ("kadinkes", "not found")):
        result = run("case", "retag", str(tagged_case.id), "--urgency", "kritis", "--as", user)
        assert result.exit_code == 1 and message in result.output, result.output
    for user, message in (("pemantau", "may not close"), ("kadinkes", "not found")):
        result = run("case", "close", str(tagged_case.id), "--reason", "spam", "--as", user)
        assert result.exit_code == 1 and message in result.output, result.output
    assert [e.action for e in _events(tagged_case.id)] == ["opened", "assigned"]


def test_lead_agency_head_may_retag_but_not_close(db, make_user, tagged_case):
    make_user("ani", "komunikasi")
    make_user("kadinsos", "kepala_dinas", agency="DINSOS")
    run("case", "assign", str(tagged_case.id), "--agency", "DINSOS", "--as", "ani")
    assert run("case", "retag", str(tagged_case.id), "--category", "kemiskinan", "--as", "kadinsos").exit_code == 0
    result = run("case", "close", str(tagged_case.id), "--reason", "spam", "--as", "kadinsos")
    assert result.exit_code == 1 and "may not close" in result.output


def test_close_keeps_the_reason_and_refuses_a_closed_case(db, make_user, tagged_case):
    make_user("ani", "komunikasi")
    result = run("case", "close", str(tagged_case.id), "--reason", "promosi pinjol", "--as", "ani")
    assert result.exit_code == 0, result.output
    last = _events(tagged_case.id)[-1]
    assert (last.action, last.actor_label, last.note) == ("closed_no_action", "ani", "promosi pinjol")
    again = run("case", "close", str(tagged_case.id), "--reason", "spam", "--as", "ani")
    assert again.exit_code == 1 and "already closed_no_action" in again.output


def test_close_needs_a_reason(db, make_user, tagged_case):
    make_user("ani", "komunikasi")
    assert run("case", "close", str(tagged_case.id), "--as", "ani").exit_code == 2
    assert run("case", "close", str(tagged_case.id), "--reason", "  ", "--as", "ani").exit_code == 2
