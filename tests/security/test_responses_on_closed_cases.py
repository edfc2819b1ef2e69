"""A response on a resolved or closed case is refused (the outside probe logged one on a
resolved case): reopen first. The refusal is in the store, so the console, the CLI and the
collectors all meet it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from console.cli import app as cli_app
from console.services import cases as case_service
from console.services.errors import ServiceError
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py


@pytest.fixture
def resolved(make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    case = make_case("lampu jalan mati", created_at=datetime.now(UTC) - timedelta(hours=2),
                     category="infrastruktur", urgency="sedang")
    case_service.assign(staff, case.id, None, agency_code="PUBM")
    case_service.respond(staff, case.id, None, text="sudah diperbaiki", channel="field_visit")
    case_service.resolve(staff, case.id, None)
    return staff, case


def test_a_resolved_case_refuses_a_response_until_reopened(resolved):
    staff, case = resolved
    with pytest.raises(ServiceError) as caught:
        case_service.respond(staff, case.id, None, text="ditanggapi lagi", channel="phone")
    assert caught.value.code == "respond_not_open"
    case_service.reopen(staff, case.id, None)
    assert case_service.respond(staff, case.id, None, text="ditanggapi lagi", channel="phone").status == "responded"


def test_a_case_closed_as_not_actionable_refuses_a_response(make_user, make_case):
    staff = make_user("kominfo1", "komunikasi")
    case = make_case("spam", created_at=datetime.now(UTC) - timedelta(hours=1))
    case_service.close_no_action(staff, case.id, None)
    with pytest.raises(ServiceError) as caught:
        case_service.respond(staff, case.id, None, text="x", channel="phone")
    assert caught.value.code == "respond_not_open"


def test_the_command_line_says_so_in_one_line(resolved):
    _, case = resolved
    result = CliRunner().invoke(cli_app, ["case", "respond", str(case.id), "--text", "lagi", "--channel", "phone",
                                          "--as", "kominfo1"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [f"error: case {case.id} is resolved; reopen it before logging a "
                                                  "response"]
