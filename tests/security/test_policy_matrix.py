"""The permission matrix, walked whole: every role × every case action × own, supporting,
other and restricted (children's) cases, through the services. The expected answers are
written out here, not read from the policy table, so a change to the policy that moves any
cell fails this test.

Cases (see ``world``):
- own: DINKES leads;
- support: PUBM leads, DINKES supports;
- other: PUBM leads;
- child: a perlindungan_anak case (restricted), DINSOS leads;
- child_support: a perlindungan_anak case, DINSOS leads, DINKES supports.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from console.services import cases as case_service
from console.services import replies
from console.services.errors import NotFound, PermissionDenied, ServiceError
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

CASES = ("own", "support", "other", "child", "child_support")
ACTIONS = ("read", "respond", "reply", "assign", "hand_over", "retag", "resolve", "close", "restrict")

OK, DENIED, NOT_FOUND = "ok", "denied", "not_found"
ALL_OK = {case: dict.fromkeys(ACTIONS, OK) for case in CASES}
HIDDEN = dict.fromkeys(ACTIONS, NOT_FOUND)
READ_ONLY = {"read": OK, **{a: DENIED for a in ACTIONS if a != "read"}}

EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    "admin": ALL_OK,
    "komunikasi": ALL_OK,
    # The DINKES head works its own case but cannot hand it away or close it as noise; on a
    # case it supports it reads and logs responses; other agencies' cases do not exist for it.
    "kadinkes": {
        "own": {"read": OK, "respond": OK, "reply": OK, "assign": OK, "hand_over": DENIED, "retag": OK,
                "resolve": OK, "close": DENIED, "restrict": OK},
        "support": {"read": OK, "respond": OK, "reply": OK, "assign": DENIED, "hand_over": DENIED, "retag": DENIED,
                    "resolve": DENIED, "close": DENIED, "restrict": DENIED},
        "other": HIDDEN,
        "child": HIDDEN,
        "child_support": {"read": OK, "respond": OK, "reply": OK, "assign": DENIED, "hand_over": DENIED,
                          "retag": DENIED, "resolve": DENIED, "close": DENIED, "restrict": DENIED},
    },
    # The child-protection agency reads every restricted case (and may restrict) but acts only
    # where the comms team made it lead or support; it sees no other agency's ordinary cases.
    "kadp3a": {
        "own": HIDDEN, "support": HIDDEN, "other": HIDDEN,
        "child": {"read": OK, "respond": DENIED, "reply": DENIED, "assign": DENIED, "hand_over": DENIED,
                  "retag": DENIED, "resolve": DENIED, "close": DENIED, "restrict": OK},
        "child_support": {"read": OK, "respond": DENIED, "reply": DENIED, "assign": DENIED, "hand_over": DENIED,
                          "retag": DENIED, "resolve": DENIED, "close": DENIED, "restrict": OK},
    },
    # A DINKES officer (petugas) works the agency's cases: reads, responds and replies (the
    # reply waits for approval) where DINKES leads or supports, resolves where it leads;
    # assigning, re-tagging, closing, restricting and handing over are the head's or the comms team's.
    "pkdinkes": {
        "own": {"read": OK, "respond": OK, "reply": OK, "assign": DENIED, "hand_over": DENIED, "retag": DENIED,
                "resolve": OK, "close": DENIED, "restrict": DENIED},
        "support": {"read": OK, "respond": OK, "reply": OK, "assign": DENIED, "hand_over": DENIED, "retag": DENIED,
                    "resolve": DENIED, "close": DENIED, "restrict": DENIED},
        "other": HIDDEN,
        "child": HIDDEN,
        "child_support": {"read": OK, "respond": OK, "reply": OK, "assign": DENIED, "hand_over": DENIED,
                          "retag": DENIED, "resolve": DENIED, "close": DENIED, "restrict": DENIED},
    },
    "viewer": {"own": READ_ONLY, "support": READ_ONLY, "other": READ_ONLY, "child": HIDDEN,
               "child_support": HIDDEN},
}


@pytest.fixture
def world(make_user, make_case):
    """The users by name and the five cases by name, opened two hours ago, one response logged."""
    staff = make_user("kominfo1", "komunikasi")
    users = {"admin": make_user("root", "admin"), "komunikasi": staff,
             "kadinkes": make_user("kadinkes", "kepala_dinas", agency="DINKES"),
             "kadp3a": make_user("kadp3a", "kepala_dinas", agency="DP3A"),
             "pkdinkes": make_user("pkdinkes", "petugas", agency="DINKES"),
             "viewer": make_user("pemantau", "viewer")}
    opened = datetime.now(UTC) - timedelta(hours=2)
    setups = {"own": ("kesehatan", "DINKES", []), "support": ("infrastruktur", "PUBM", ["DINKES"]),
              "other": ("infrastruktur", "PUBM", []), "child": ("perlindungan_anak", "DINSOS", []),
              "child_support": ("perlindungan_anak", "DINSOS", ["DINKES"])}
    found = {}
    for name, (category, lead, support) in setups.items():
        case = make_case(f"laporan {name}", created_at=opened, category=category, urgency="sedang")
        case_service.assign(staff, case.id, None, agency_code=lead, supporting=support)
        case_service.respond(staff, case.id, None, text="diterima", channel="phone")
        found[name] = case_service.case_detail(staff, case.id).case
    return users, found


def attempt(user, case, action: str) -> str:
    calls = {
        "read": lambda: case_service.case_detail(user, case.id),
        "respond": lambda: case_service.respond(user, case.id, None, text="tim datang", channel="field_visit"),
        "reply": lambda: replies.draft(user, case.id, "Laporan sudah kami terima."),
        "assign": lambda: case_service.assign(user, case.id, None, agency_code=case.lead_agency_code),
        "hand_over": lambda: case_service.assign(user, case.id, None, agency_code="BPBD"),
        "retag": lambda: case_service.retag(user, case.id, None, category=case.category, urgency="tinggi"),
        "resolve": lambda: case_service.resolve(user, case.id, None),
        "close": lambda: case_service.close_no_action(user, case.id, None),
        "restrict": lambda: case_service.set_restricted(user, case.id, None, True),
    }
    try:
        calls[action]()
    except NotFound:
        return NOT_FOUND
    except PermissionDenied:
        return DENIED
    except ServiceError as exc:  # allowed by the policy, refused by a rule of the case itself
        raise AssertionError(f"{action} on {case.id} failed for a reason other than permission: {exc}") from exc
    return OK


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("action", ACTIONS)
def test_every_role_action_and_case_relation(world, role, action):
    users, found = world
    got = {name: attempt(users[role], found[name], action) for name in CASES}
    assert got == {name: EXPECTED[role][name][action] for name in CASES}


def test_a_supporting_agency_cannot_take_the_lead(world):
    """The outside probe: a supporting unit assigned the case to itself and the lead agency
    lost it. Now the hand-over is refused and the lead keeps the case."""
    users, found = world
    kabpbd_case = found["support"]
    with pytest.raises(PermissionDenied):
        case_service.assign(users["kadinkes"], kabpbd_case.id, None, agency_code="DINKES")
    assert case_service.case_detail(users["komunikasi"], kabpbd_case.id).case.lead_agency_code == "PUBM"


def test_a_lead_agency_cannot_add_supporting_units(world):
    users, found = world
    with pytest.raises(PermissionDenied):
        case_service.assign(users["kadinkes"], found["own"].id, None, agency_code="DINKES", supporting=["BPBD"])
    assert case_service.case_detail(users["komunikasi"], found["own"].id).supporting == []


def test_a_kecamatan_office_cannot_lead_and_a_viewer_cannot_be_assigned(world):
    users, found = world
    with pytest.raises(ServiceError) as caught:
        case_service.assign(users["komunikasi"], found["other"].id, None, agency_code="KEC_GLAGAH")
    assert caught.value.code == "lead_is_kecamatan"
    with pytest.raises(ServiceError) as caught:
        case_service.assign(users["komunikasi"], found["other"].id, None, agency_code="PUBM", assignee="pemantau")
    assert caught.value.code == "staff_other_agency"


def test_lifting_the_mark_of_a_childrens_case_is_refused_until_the_tag_is_corrected(world):
    users, found = world
    staff, child = users["komunikasi"], found["child"]
    with pytest.raises(ServiceError) as caught:
        case_service.set_restricted(staff, child.id, None, False)
    assert caught.value.code == "restricted_category"
    case_service.retag(staff, child.id, None, category="kemiskinan", urgency="sedang")
    assert case_service.set_restricted(staff, child.id, None, False).restricted is False
    timeline = [e.action for e in case_service.case_detail(staff, child.id).timeline]
    assert timeline[-1] == "unrestricted"


def test_the_policy_covers_every_role_of_the_vocabulary_and_agency_roles_never_reach_every_case():
    from console.services import policy
    from store.vocabulary import AGENCY_ROLES, ROLES
    assert set(policy.GRANTS) == set(ROLES) == set(policy.PAGES)
    for role in AGENCY_ROLES:
        assert all(policy.ANY not in relations for relations in policy.GRANTS[role].values())
    # importing files of mentions: the admins and the comms team, nobody else
    assert {role for role in ROLES if policy.grants(role, policy.Action.IMPORT)} == {"admin", "komunikasi"}


IMPORTS = {"admin": OK, "komunikasi": OK, "kadinkes": DENIED, "kadp3a": DENIED, "pkdinkes": DENIED, "viewer": DENIED}


@pytest.mark.parametrize("role", list(IMPORTS))
def test_only_admins_and_the_comms_team_import_files(world, role):
    from collectors.files import ImportOptions
    from console.services.imports import import_upload
    users, _ = world
    data = b"teks,waktu\nlampu mati,20/11/2026 08:00\n"
    try:
        result = import_upload(users[role], "laporan.csv", data, ImportOptions(dry_run=True))
    except PermissionDenied:
        got = DENIED
    else:
        got = OK if result.report.valid == 1 else result
    assert got == IMPORTS[role]


# --- the same matrix through the command line and the case page ---------------------------

CLI_ACTIONS = {  # action → the command's arguments after the case id
    "read": ["show"],
    "respond": ["respond", "--text", "tim datang", "--channel", "field_visit"],
    "resolve": ["resolve"],
    "restrict": ["restrict"],
}
USERNAMES = {"admin": "root", "komunikasi": "kominfo1", "kadinkes": "kadinkes", "kadp3a": "kadp3a",
             "pkdinkes": "pkdinkes", "viewer": "pemantau"}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("action", list(CLI_ACTIONS))
def test_the_command_line_answers_as_the_matrix_says(world, role, action):
    from typer.testing import CliRunner

    from console.cli import app as cli_app
    _, found = world
    runner = CliRunner()
    got = {}
    for name in CASES:
        verb, *rest = CLI_ACTIONS[action]
        result = runner.invoke(cli_app, ["case", verb, str(found[name].id), *rest, "--as", USERNAMES[role]])
        got[name] = (OK if result.exit_code == 0 else NOT_FOUND if "not found" in result.output
                     else DENIED if result.exit_code == 1 and "may not" in result.output else result.output)
    assert got == {name: EXPECTED[role][name][action] for name in CASES}


TAB_LABELS = {"reply": "Balas warga", "assign": "Penugasan", "respond": "Catat tanggapan", "retag": "Ubah tag",
              "status": "Status"}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_the_case_page_offers_what_the_matrix_allows(app, world, role):
    """Each case page as the role sees it: 'not found', or exactly the tabs of the actions it
    may take (status: resolve, close or restrict)."""
    from tests.console.conftest import shown
    users, found = world
    for name in CASES:
        at = app(users[role], "console/case.py", case=found[name].id)
        cell = EXPECTED[role][name]
        if cell["read"] == NOT_FOUND:
            assert shown(at, "Kasus tidak ditemukan."), (role, name)
            continue
        wanted = [TAB_LABELS[tab] for tab in ("assign", "reply", "respond", "retag") if cell[tab] == OK]
        if OK in (cell["resolve"], cell["close"], cell["restrict"]):
            wanted.append(TAB_LABELS["status"])
        assert [tab.label for tab in at.tabs] == wanted, (role, name)


def test_queues_exports_and_statistics_cover_the_same_cases(world, tmp_path):
    """No drift between what a user sees listed, exports and counts: an agency head gets the
    cases its agency leads or supports everywhere; a viewer every unrestricted case."""
    from console.services import export
    from console.services import stats as stats_service
    from store.queries import CaseFilter
    from tests.console.test_export import read_csv
    users, found = world
    ids = {name: case.id for name, case in found.items()}
    agency_cases = {ids["own"], ids["support"], ids["child_support"]}
    expected = {"kadinkes": agency_cases, "pkdinkes": agency_cases,
                "viewer": {ids["own"], ids["support"], ids["other"]},
                "komunikasi": set(ids.values())}
    for role, cases in expected.items():
        user = users[role]
        queue = {c.id for c in case_service.triage(user, CaseFilter()).rows}
        [overall] = stats_service.response_stats(user)
        assert (queue, overall.cases) == (cases, len(cases)), role
        if role in ("kadinkes", "komunikasi"):  # viewers and officers may not export
            out = tmp_path / f"{role}.csv"
            export.export_cases(user, export.case_filter(), "csv", out)
            assert {int(r["case_id"]) for r in read_csv(out)} == cases, role
