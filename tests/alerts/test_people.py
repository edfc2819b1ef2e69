"""People who act: agency officers (petugas), contacts and chosen channels, and the duty
roster across midnight and Sunday."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from console.cli import app as cli_app
from console.services import cases as case_service
from console.services import people
from console.services.errors import PermissionDenied, ServiceError
from store import roster
from store.db import read_session
from store.tables import AdminEvent, StaffUser
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py
runner = CliRunner()


def wib(day: int, hour: int, minute: int = 0) -> datetime:
    """WIB wall-clock time ``day`` days after Monday 30 November 2026, as UTC."""
    return datetime(2026, 11, 30, hour, minute, tzinfo=ZoneInfo("Asia/Jakarta")).astimezone(UTC) + timedelta(days=day)


def test_a_case_is_assigned_to_a_real_officer_of_the_lead_agency(make_user, make_case):
    staff = make_user("ani", "komunikasi")
    officer = make_user("pkdinkes", "petugas", agency="DINKES")
    make_user("pkpubm", "petugas", agency="PUBM")
    case = make_case("anak demam tinggi", category="kesehatan", urgency="tinggi")
    assigned = case_service.assign(staff, case.id, None, agency_code="DINKES", assignee="pkdinkes")
    assert assigned.assignee_id == officer.id
    with pytest.raises(ServiceError) as caught:
        case_service.assign(staff, case.id, None, agency_code="DINKES", assignee="pkpubm")
    assert caught.value.code == "staff_other_agency"
    # the officer works it: responds, sees the citizen's number as the assignee, cannot hand it over
    case_service.respond(officer, case.id, None, text="tim puskesmas datang", channel="field_visit")
    with pytest.raises(PermissionDenied):
        case_service.assign(officer, case.id, None, agency_code="PUBM")


def test_a_petugas_needs_an_agency(make_user):
    from store.users import UserError
    with pytest.raises(UserError) as caught:
        make_user("tanpa_dinas", "petugas")
    assert caught.value.code == "role_needs_agency"


def test_contacts_are_stored_in_one_form_and_a_channel_needs_its_contact(make_user):
    admin = make_user("root", "admin")
    make_user("kadinkes", "kepala_dinas", agency="DINKES")
    row = people.set_contacts(admin, "kadinkes", mobile="0812-3456-7890", email="kadinkes@banyuwangikab.go.id",
                              telegram_chat_id="123456789", channels="telegram, sms")
    assert (row.mobile, row.channels) == ("+6281234567890", ("telegram", "sms"))
    for bad, code in ((dict(mobile="12"), "contact_mobile"), (dict(email="bukan email"), "contact_email"),
                      (dict(telegram_chat_id="abc def"), "contact_telegram"),
                      (dict(channels="whatsapp"), "contact_channel"),
                      (dict(channels="email"), "contact_channel_needs")):
        values = dict(mobile=None, email=None, telegram_chat_id=None, channels=None) | bad
        with pytest.raises(ServiceError) as caught:
            people.set_contacts(admin, "kadinkes", **values)
        assert caught.value.code == code, bad
    with read_session() as session:
        [event] = session.exec(select(AdminEvent).where(AdminEvent.action == "user_contacts_changed")).all()
    assert event.new_value["mobile"] == "set" and "0812" not in str(event.new_value)  # no number in the trail


def test_each_user_sets_their_own_channels_but_not_anothers(make_user):
    officer = make_user("pkdinkes", "petugas", agency="DINKES")
    make_user("kadinkes", "kepala_dinas", agency="DINKES")
    assert people.set_contacts(officer, "pkdinkes", mobile="+62 811 2233 4455", email=None, telegram_chat_id=None,
                               channels=["sms"]).channels == ("sms",)
    with pytest.raises(PermissionDenied):
        people.set_contacts(officer, "kadinkes", mobile=None, email=None, telegram_chat_id=None, channels=None)


def test_user_edit_keeps_what_is_not_given(make_user):
    make_user("kadinkes", "kepala_dinas", agency="DINKES")
    assert runner.invoke(cli_app, ["user", "edit", "kadinkes", "--mobile", "081234567890"]).exit_code == 0
    result = runner.invoke(cli_app, ["user", "edit", "kadinkes", "--telegram", "42", "--channels", "telegram,sms"])
    assert result.exit_code == 0, result.output
    assert "channels console,telegram,sms; mobile set, email -, telegram 42" in result.output
    bad = runner.invoke(cli_app, ["user", "edit", "kadinkes", "--channels", "email"])
    assert bad.exit_code == 1 and "needs a email" in bad.output


@pytest.fixture
def comms_roster(make_user):
    """Ani: weekdays 08:00–16:00; Budi: every evening 16:00–08:00 (across midnight), Sunday
    included; nobody on Saturday and Sunday daytime."""
    admin = make_user("root", "admin")
    make_user("ani", "komunikasi")
    make_user("budi", "komunikasi")
    for day in range(5):
        people.add_shift(admin, "KOMUNIKASI", "ani", "08:00", "16:00", weekday=day)
    for day in range(7):
        people.add_shift(admin, "KOMUNIKASI", "budi", "16:00", "08:00", weekday=day)
    return admin


@pytest.mark.parametrize(("when", "expected"), [
    ((0, 12), ["ani"]),             # Monday noon
    ((0, 16), ["budi"]),            # Monday 16:00: the evening shift starts, the day shift has ended
    ((1, 3), ["budi"]),             # Tuesday 03:00: Monday's shift across midnight
    ((6, 18, 41), ["budi"]),        # Sunday 18:41 (the famous case)
    ((7, 7, 59), ["budi"]),         # Monday 07:59: Sunday's night shift, into the next week
    ((5, 12), []),                  # Saturday noon: nobody
])
def test_who_is_on_duty_across_midnight_and_sunday(comms_roster, when, expected):
    at = wib(*when)
    with read_session() as session:
        names = {u.id: u.username for u in session.exec(select(StaffUser)).all()}
        assert [names[u] for u in roster.on_duty(session, "KOMUNIKASI", at)] == expected


def test_the_gaps_are_the_weekend_days_and_a_one_off_shift_replaces_the_weekly_ones(comms_roster, make_user):
    [komunikasi] = people.team_rosters(comms_roster, team="KOMUNIKASI")
    assert [(roster.hhmm(a % roster.DAY), roster.hhmm(b % roster.DAY), a // roster.DAY, b // roster.DAY)
            for a, b in komunikasi.gaps] == [("08:00", "16:00", 5, 5), ("08:00", "16:00", 6, 6)]
    assert komunikasi.on_duty_now == ["ani"]  # Monday noon (the frozen clock)
    make_user("citra", "komunikasi")
    people.add_shift(comms_roster, "KOMUNIKASI", "citra", "06:00", "14:00", on_date=date(2026, 11, 30))
    assert people.team_rosters(comms_roster, team="KOMUNIKASI")[0].on_duty_now == ["citra"]


def test_an_agency_roster_takes_only_its_own_staff(comms_roster, make_user):
    make_user("pkdinkes", "petugas", agency="DINKES")
    with pytest.raises(ServiceError) as caught:
        people.add_shift(comms_roster, "DINKES", "ani", "08:00", "16:00", weekday=0)
    assert caught.value.code == "roster_user"
    shift = people.add_shift(comms_roster, "dinkes", "pkdinkes", "00:00", "00:00", weekday=6)  # all Sunday
    assert (shift.team, shift.start_minute, shift.end_minute) == ("DINKES", 0, 0)


def test_roster_commands_add_list_and_remove(make_user):
    make_user("ani", "komunikasi")
    added = runner.invoke(cli_app, ["roster", "add", "komunikasi", "ani", "--day", "sun", "--start", "16:00",
                                    "--end", "00:00"])
    assert added.exit_code == 0, added.output
    listed = runner.invoke(cli_app, ["roster", "list", "--team", "KOMUNIKASI"])
    assert "#1 sun 16:00-00:00 WIB ani" in listed.output
    assert "on duty now NOBODY" in listed.output  # Monday noon
    assert "gap: mon 00:00 - sun 16:00 WIB" in listed.output
    assert runner.invoke(cli_app, ["roster", "add", "KOMUNIKASI", "ani", "--start", "1", "--end", "2"]).exit_code == 2
    assert runner.invoke(cli_app, ["roster", "remove", "1"]).exit_code == 0
    assert runner.invoke(cli_app, ["roster", "remove", "1"]).exit_code == 1
