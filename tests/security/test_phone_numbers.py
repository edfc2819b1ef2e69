"""One rule for phone numbers, everywhere: full only for admins and for the people who call
the citizen back (the case's assignee and its lead agency); every digit but the last four
masked for everyone else — in the console, the CLI and exports, in authors and inside the text,
whatever the spacing or punctuation (the outside probe's numbers are the examples)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from console.cli import app as cli_app
from console.services import cases as case_service
from console.services import export
from console.services.privacy import mask_author, mask_phones
from tests.console.test_export import read_csv
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py


@pytest.mark.parametrize("text,masked", [
    ("hubungi +62 812-3456-7890 ya", "hubungi +** ***-****-7890 ya"),
    ("wa 62 812 1111 2222", "wa ** *** **** 2222"),
    ("no 0812.3333.4444 pak", "no ****.****.4444 pak"),
    ("kantor (0333) 424242", "kantor (****) **4242"),
    ("0812 7777 6666", "**** **** 6666"),  # kept 8 digits before
    ("sms 6285712341241 tadi", "sms *********1241 tadi"),
    ("Rp 1.500.000 hilang di jalan", "Rp 1.500.000 hilang di jalan"),  # money, not a number to mask
    ("rt 03 rw 05, jam 18.41, 29/11/2026", "rt 03 rw 05, jam 18.41, 29/11/2026"),
])
def test_numbers_in_text_are_found_whatever_the_punctuation(text, masked):
    assert mask_phones(text) == masked


@pytest.mark.parametrize("author,masked", [
    ("+6281234567890", "+*********7890"),
    ("081234567890", "********7890"),
    ("warga_bwi", "warga_bwi"),
    ("Budi 0812-1111-2222", "Budi ****-****-2222"),
    ("3636", "3636"),  # an operator's short code is not personal data
])
def test_authors_that_are_numbers_are_masked(author, masked):
    assert mask_author(author) == masked


SENDER, TEXT = "+6281234567890", "anak saya demam tinggi, tolong hubungi 0812.3333.4444"


@pytest.fixture(params=["sms", "whatsapp"])  # a WhatsApp sender is a phone number too: the same rule
def sms_case(request, make_user, make_case):
    """An SMS (or WhatsApp) case led by DINKES, supported by PUBM, assigned to the DINKES officer 'petugas1'."""
    staff = make_user("kominfo1", "komunikasi")
    users = {"admin": make_user("root", "admin"), "komunikasi": staff,
             "assignee": make_user("kominfo2", "komunikasi"),
             "lead": make_user("kadinkes", "kepala_dinas", agency="DINKES"),
             "support": make_user("kapubm", "kepala_dinas", agency="PUBM"),
             "viewer": make_user("pemantau", "viewer")}
    case = make_case(TEXT, platform=request.param, author=SENDER, category="kesehatan", urgency="tinggi",
                     created_at=datetime.now(UTC) - timedelta(hours=1))
    case_service.assign(staff, case.id, None, agency_code="DINKES", assignee="kominfo2", supporting=["PUBM"])
    return users, case


SEES_FULL = {"admin": True, "komunikasi": False, "assignee": True, "lead": True, "support": False, "viewer": False}


@pytest.mark.parametrize("who", list(SEES_FULL))
def test_case_page_data_follows_the_rule(sms_case, who):
    users, case = sms_case
    [mention] = case_service.case_detail(users[who], case.id).mentions
    if SEES_FULL[who]:
        assert (mention.author, mention.text) == (SENDER, TEXT)
    else:
        assert mention.author == "+*********7890"
        assert mention.text == "anak saya demam tinggi, tolong hubungi ****.****.4444"


@pytest.mark.parametrize("who", ["admin", "komunikasi", "assignee", "lead"])
def test_exports_follow_the_rule(sms_case, who, tmp_path):
    users, case = sms_case
    out = tmp_path / "kasus.csv"
    export.export_cases(users[who], export.case_filter(), "csv", out)
    [row] = [r for r in read_csv(out) if int(r["case_id"]) == case.id]
    expected_author = "'" + (SENDER if SEES_FULL[who] else "+*********7890")  # the quote: starts with '+'
    assert row["author"] == expected_author
    assert ("0812.3333.4444" in row["summary"]) is SEES_FULL[who]


@pytest.mark.parametrize("who,username", [("viewer", "pemantau"), ("support", "kapubm"), ("lead", "kadinkes")])
def test_cli_case_show_follows_the_rule(sms_case, who, username):
    _, case = sms_case
    result = CliRunner().invoke(cli_app, ["case", "show", str(case.id), "--json", "--as", username])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["mentions"][0]["author"] == SENDER) is SEES_FULL[who]
    assert ("0812.3333.4444" in data["summary"]) is SEES_FULL[who]
    assert ("0812.3333.4444" in data["mentions"][0]["text"]) is SEES_FULL[who]


@pytest.mark.parametrize("who,full", [("viewer", False), ("lead", True)])
def test_console_queue_follows_the_rule(app, sms_case, who, full):
    """The inbox (viewer) and the agency queue (lead agency head) as the browser gets them."""
    users, _ = sms_case
    page = "console/triage.py" if who == "viewer" else "console/agency.py"
    at = app(users[who], page)
    row = at.dataframe[0].value.iloc[0]
    assert row["Pengirim"] == (SENDER if full else "+*********7890")
    assert ("0812.3333.4444" in row["Isi"]) is full
