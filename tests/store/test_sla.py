"""The SLA clocks' rules, as pure functions (no database)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from store.sla import (
    ACKNOWLEDGEMENT,
    HANDLING,
    ResponseKindError,
    ResponseTimeError,
    SlaPolicy,
    SlaState,
    Targets,
    check_response_time,
    clocks,
    default_kind,
    due_after_retag,
    due_after_target_change,
    first_times,
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
        check_response_time(datetime(2026, 11, 29, 12), OPENED,  # noqa: DTZ001 - naive on purpose
                            now=OPENED + timedelta(hours=1))


def test_minutes_are_whole_minutes_floor():
    assert minutes_between(OPENED, OPENED + timedelta(minutes=119, seconds=59)) == 119



# --- two clocks ---------------------------------------------------------------------------

TARGETS = Targets(handling=POLICY, acknowledgement=SlaPolicy(default_minutes=60, by_urgency={"kritis": 15}))


def _case(first_response=None, first_handling=None, urgency="sedang"):
    """What store.sla.clocks reads of a case, opened at OPENED with both due times set."""
    due = TARGETS.due_times(OPENED, urgency)
    return SimpleNamespace(opened_at=OPENED, due_at=due["due_at"], ack_due_at=due["ack_due_at"],
                           first_response_at=first_response, first_handling_at=first_handling)


def test_both_due_times_come_from_their_own_targets_per_urgency():
    assert TARGETS.due_times(OPENED, "sedang") == {"due_at": OPENED + timedelta(hours=4),
                                                   "ack_due_at": OPENED + timedelta(hours=1)}
    assert TARGETS.due_times(OPENED, "kritis") == {"due_at": OPENED + timedelta(hours=1),
                                                   "ack_due_at": OPENED + timedelta(minutes=15)}


@pytest.mark.parametrize("after, expected", [
    (timedelta(hours=1), SlaState.MET),  # exactly on the acknowledgement target
    (timedelta(hours=1, seconds=1), SlaState.MISSED),  # one second later
])
def test_acknowledgement_clock_boundary(after, expected):
    both = clocks(_case(first_response=OPENED + after), now=OPENED + timedelta(days=1))
    assert both.acknowledgement.state == expected
    assert both.handling.state == SlaState.BREACHED  # an acknowledgement does not stop the handling clock


@pytest.mark.parametrize("after, expected", [
    (timedelta(hours=4), SlaState.MET),  # exactly on the handling target
    (timedelta(hours=4, seconds=1), SlaState.MISSED),  # one second later
])
def test_handling_clock_boundary(after, expected):
    both = clocks(_case(first_response=OPENED + after, first_handling=OPENED + after), now=OPENED + timedelta(days=1))
    assert both.handling.state == expected
    assert both.handling.minutes == int(after.total_seconds() // 60)


def test_a_case_acknowledged_at_once_and_visited_after_nine_hours():
    both = clocks(_case(first_response=OPENED + timedelta(minutes=2), first_handling=OPENED + timedelta(hours=9)),
                  now=OPENED + timedelta(hours=10))
    assert (both.acknowledgement.state, both.handling.state) == (SlaState.MET, SlaState.MISSED)
    assert (both.acknowledgement.minutes, both.handling.minutes) == (2, 540)


def test_running_clocks_are_judged_by_time_left_each_against_its_own_target():
    # 50 minutes in: the acknowledgement clock has 10 of 60 minutes left (at risk), handling 190 of 240.
    both = clocks(_case(), now=OPENED + timedelta(minutes=50))
    assert (both.acknowledgement.state, both.handling.state) == (SlaState.AT_RISK, SlaState.ON_TRACK)
    assert both.acknowledgement.running and both.handling.minutes is None


@pytest.mark.parametrize("channel, kind", [
    ("field_visit", HANDLING),  # a visit is help given
    ("phone", HANDLING),  # a call with the family or the office
    ("platform_reply", ACKNOWLEDGEMENT),  # the Page's or the regent's reply: received, forwarded
    ("whatsapp", ACKNOWLEDGEMENT),
])
def test_default_kind_by_channel(channel, kind):
    assert default_kind(channel) == kind


def test_a_template_kind_wins_over_the_channel_and_is_checked():
    assert default_kind("platform_reply", template_kind=HANDLING) == HANDLING  # a complete answer template
    with pytest.raises(ResponseKindError, match="unknown response kind 'selesai'"):
        default_kind("platform_reply", template_kind="selesai")


def test_first_times_stop_each_clock_at_its_earliest_response():
    late_ack, visit, early_call = OPENED + timedelta(hours=5), OPENED + timedelta(hours=3), OPENED + timedelta(hours=1)
    assert first_times([(late_ack, ACKNOWLEDGEMENT)]) == {"first_response_at": late_ack, "first_handling_at": None}
    # A backdated visit and an earlier call: both clocks stop at the earliest that counts for them.
    assert first_times([(late_ack, ACKNOWLEDGEMENT), (visit, HANDLING), (early_call, ACKNOWLEDGEMENT)]) == {
        "first_response_at": early_call, "first_handling_at": visit}


def test_retag_moves_only_the_clocks_still_running():
    acknowledged = OPENED + timedelta(minutes=5)
    assert due_after_retag(TARGETS, OPENED, "kritis", None, None) == {
        "due_at": OPENED + timedelta(hours=1), "ack_due_at": OPENED + timedelta(minutes=15)}
    assert due_after_retag(TARGETS, OPENED, "kritis", acknowledged, None) == {"due_at": OPENED + timedelta(hours=1)}
    assert due_after_retag(TARGETS, OPENED, "kritis", acknowledged, acknowledged) == {}


def test_a_target_change_moves_open_cases_not_yet_handled_only():
    two_hours = SlaPolicy(default_minutes=120)
    assert due_after_target_change(two_hours, OPENED, "sedang", True, None, DUE) == OPENED + timedelta(hours=2)
    assert due_after_target_change(two_hours, OPENED, "sedang", True, OPENED + timedelta(hours=1), DUE) is None
    assert due_after_target_change(two_hours, OPENED, "sedang", False, None, DUE) is None  # closed
    assert due_after_target_change(POLICY, OPENED, "sedang", True, None, DUE) is None  # unchanged
