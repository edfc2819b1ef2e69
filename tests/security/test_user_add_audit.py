"""`tanggap user add` goes through the console's audited add-user service (issue 10: the CLI
bypassed the AdminEvent trail)."""

from __future__ import annotations

import getpass

from sqlmodel import select
from typer.testing import CliRunner

from console.cli import app as cli
from store.db import read_session
from store.tables import AdminEvent, StaffUser

PASSWORD_LINE = "Kadinsos-bwi-2026\n"


def add(*extra: str):
    return CliRunner().invoke(cli, ["user", "add", "Kadinsos", "--role", "kepala_dinas", "--agency", "DINSOS",
                                    "--password-stdin", *extra], input=PASSWORD_LINE)


def events() -> list[AdminEvent]:
    with read_session() as s:
        return list(s.exec(select(AdminEvent)).all())


def test_a_user_added_from_the_shell_is_audited_under_the_operating_system_user(db):
    result = add()
    assert result.exit_code == 0, result.output
    [event] = events()
    assert (event.action, event.actor_id, event.actor_label, event.target) == (
        "user_added", None, f"shell:{getpass.getuser()}", "kadinsos")
    assert event.new_value == {"display_name": "Kadinsos", "role": "kepala_dinas", "agency_code": "DINSOS",
                               "active": True}
    assert "Kadinsos-bwi-2026" not in repr(event.model_dump())


def test_with_as_the_addition_is_audited_under_that_admin(cheap_hasher, make_user):
    boss = make_user("boss", "admin")
    assert add("--as", "boss").exit_code == 0
    [event] = events()
    assert (event.actor_id, event.actor_label) == (boss.id, "boss")


def test_with_as_a_non_admin_nothing_is_added(cheap_hasher, make_user):
    make_user("kominfo1", "komunikasi")
    result = add("--as", "kominfo1")
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and result.output.count("\n") == 1  # one line, no traceback
    with read_session() as s:
        assert s.exec(select(StaffUser).where(StaffUser.username == "kadinsos")).first() is None
    assert events() == []
