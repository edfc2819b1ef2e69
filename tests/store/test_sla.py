"""The SLA clock's rules, as pure functions (no database)."""

from datetime import UTC, datetime, timedelta

import pytest

from store.sla import (
    ResponseTimeError,
    SlaPolicy,
    SlaState,
    check_response_time,
    minutes_between,
    policy_from,
    sla_state,
)

OPENED = datetime(2026, 11, 29, 11, 41, tzinfo=UTC)  # Sunday 18:41 WIB, as in the regent's example
POLICY = SlaPolicy(default_minutes=240, by_urgency={"kritis": 60})
DUE = POLICY.due_at(OPENED, "sedang")


def test_default_target_is_four_calendar_hours_even_on_a_sunday_night():
    assert DUE == OPENED + timedelta(hours=4)


def test_target_per_urgency_comes_from_policy_not_a_constant():
    assert POLICY.due_at(OPENED, "kritis") == OPENED + timedelta(hours=1)
    two_hours = policy_from(120, {}, None)
    assert two_hours.due_at(OPENED, "sedang") == OPENED + timedelta(hours=2)


def test_admin_overrides_win_over_settings():
    policy = policy_from(240, {"kritis": 60}, {"default": 120, "kritis": 30})
    assert policy.target("sedang") == timedelta(minutes=120)
    assert policy.target("kritis") == timedelta(minutes=30)


@pytest.mark.parametrize("response_after, expected", [
    (timedelta(hours=4), SlaState.MET),  # exactly 4:00:00 is still within target
    (timedelta(hours=4, seconds=1), SlaState.MISSED),  # one second late
    (timedelta(hours=2), SlaState.MET),  # the meningitis case: reached in two hours
])
def test_answered_cases_are_met_or_missed(response_after, expected):
    assert sla_state(OPENED, DUE, OPENED + response_after, now=OPENED + timedelta(days=1)) == expected


@pytest.mark.parametrize("elapsed, expected", [
    (timedelta(hours=2), SlaState.ON_TRACK),
    (timedelta(hours=3), SlaState.ON_TRACK),  # exactly a quarter left: not yet at risk
    (timedelta(hours=3, seconds=1), SlaState.AT_RISK),  # less than a quarter left
    (timedelta(hours=4), SlaState.AT_RISK),  # due now, not past due
    (timedelta(hours=4, seconds=1), SlaState.BREACHED),  # open past due
])
def test_open_cases_by_time_left(elapsed, expected):
    assert sla_state(OPENED, DUE, None, now=OPENED + elapsed) == expected


def test_response_before_the_case_opened_is_refused_with_a_clear_message():
    with pytest.raises(ResponseTimeError, match="before the case opened"):
        check_response_time(OPENED - timedelta(minutes=1), OPENED, now=OPENED + timedelta(hours=1))


def test_response_in_the_future_is_refused():
    with pytest.raises(ResponseTimeError, match="in the future"):
        check_response_time(OPENED + timedelta(hours=3), OPENED, now=OPENED + timedelta(hours=1))


def test_backdated_field_visit_is_accepted():
    check_response_time(OPENED + timedelta(hours=2), OPENED, now=OPENED + timedelta(hours=9))


def test_naive_response_time_is_refused():
    with pytest.raises(ResponseTimeError, match="time zone"):
        check_response_time(datetime(2026, 11, 29, 12), OPENED, now=OPENED + timedelta(hours=1))


def test_minutes_are_whole_minutes_floor():
    assert minutes_between(OPENED, OPENED + timedelta(minutes=119, seconds=59)) == 119

