"""`tanggap case reply`, `case approve-reply`, `template …` and the worker sending replies."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from console.cli import app
from console.services import cases as case_service
from tests.replies.conftest import AT_DRAFT_TIME, TWEET

pytestmark = AT_DRAFT_TIME
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_reply_from_a_template_is_sent_by_the_worker_and_shown_by_case_show(platforms, citizen_case, make_user):
    x, _ = platforms
    make_user("ani")
    case = citizen_case()
    result = run("case", "reply", str(case.id), "--template", "diterima-diteruskan", "--as", "ani")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("approved (on twitter)")
    worker = run("worker", "--once", "--no-collect", "--job", "replies")
    assert worker.exit_code == 0, worker.output
    posted = x.replies_to(TWEET)
    assert len(posted) == 1 and posted[0]["text"].startswith(f"Terima kasih atas laporannya. Laporan Anda kami "
                                                             f"catat dengan nomor #{case.id} ")
    shown = json.loads(run("case", "show", str(case.id), "--json", "--as", "ani").output)
    assert [(r["state"], r["platform_id"]) for r in shown["replies"]] == [("sent", x.posted[0]["id"])]
    assert shown["first_response_at"] is not None


def test_approve_reply_and_send_back_from_the_command_line(platforms, citizen_case, make_user):
    ani = make_user("ani")
    make_user("kadinkes", "kepala_dinas", agency="DINKES")
    case = citizen_case(category="kesehatan")
    case_service.assign(ani, case.id, None, agency_code="DINKES")
    drafted = run("case", "reply", str(case.id), "--text", "Puskesmas buka besok.", "--as", "kadinkes")
    assert drafted.exit_code == 0 and "draft" in drafted.output
    reply_id = drafted.output.split()[1]
    refused = run("case", "approve-reply", reply_id, "--send-back", "--as", "ani")
    assert refused.exit_code == 1 and "say why" in refused.output
    back = run("case", "approve-reply", reply_id, "--send-back", "--comment", "Sebutkan jamnya.", "--as", "ani")
    assert back.exit_code == 0 and back.output.strip() == f"reply {reply_id}: returned"
    denied = run("case", "approve-reply", reply_id, "--as", "kadinkes")
    assert denied.exit_code == 1


def test_a_reply_too_long_for_x_is_refused_with_one_line(platforms, citizen_case, make_user):
    make_user("ani")
    case = citizen_case()
    result = run("case", "reply", str(case.id), "--text", "a" * 281, "--as", "ani")
    assert result.exit_code == 1
    assert result.output.strip() == "error: the reply is 281 characters as X counts them; at most 280"


def test_templates_are_managed_by_admins_from_the_command_line(db, make_user):
    make_user("boss", "admin")
    make_user("ani")
    assert run("template", "add", "jalan", "--text", "Jalan {kecamatan} diperbaiki.", "--as", "ani").exit_code == 1
    added = run("template", "add", "jalan", "--text", "Jalan {kecamatan} diperbaiki.", "--category",
                "infrastruktur", "--kind", "handling", "--as", "boss")
    assert added.exit_code == 0, added.output
    listed = run("template", "list", "--category", "infrastruktur", "--as", "ani").output
    assert "jalan " in listed and "diterima-diteruskan" in listed
    assert run("template", "remove", "jalan", "--as", "boss").exit_code == 0
    assert "jalan " not in run("template", "list", "--as", "ani").output
