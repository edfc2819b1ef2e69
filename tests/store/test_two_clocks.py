"""Both clocks on a real database: what each response kind stops, corrections, moves of due
times through the case-write path, and the 0006 migration's classification by channel."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from store import cases as store_cases
from store.cases import Actor, CaseError
from store.db import read_session, write_session
from store.sla import ACKNOWLEDGEMENT, HANDLING, ResponseKindError, SlaState, clocks
from store.tables import Case, CaseEvent

OPENED = datetime(2026, 11, 29, 11, 41, tzinfo=UTC)  # Sunday 18:41 WIB
STAFF = Actor(None, "ani")


def respond(case_id, minutes, channel, kind=None, now=None):
    with write_session() as s:
        return store_cases.log_response(s, case_id, None, STAFF, text="tanggapan", channel=channel, kind=kind,
                                        happened_at=OPENED + timedelta(minutes=minutes),
                                        now=now or OPENED + timedelta(minutes=minutes))


def events(case_id, action):
    with read_session() as s:
        return s.exec(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.action == action)
                      .order_by(CaseEvent.id)).all()


def test_an_acknowledgement_stops_only_the_acknowledgement_clock(db, make_case, time_machine):
    case = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
    c = respond(case.id, 5, "platform_reply")  # "sudah kami teruskan"
    assert (c.first_response_at, c.first_handling_at) == (OPENED + timedelta(minutes=5), None)
    assert (c.response_met, c.handling_met, c.first_response_minutes, c.handling_minutes) == (1, None, 5, None)
    assert events(case.id, "responded")[0].response_kind == ACKNOWLEDGEMENT
    time_machine.move_to(OPENED + timedelta(hours=5), tick=False)
    with read_session() as s:
        c = s.get(Case, case.id)
    both = clocks(c, OPENED + timedelta(hours=5))
    # Answered only by an acknowledgement: still open on the handling clock, now past due.
    assert c.is_open and c.status == "responded"
    assert (both.acknowledgement.state, both.handling.state) == (SlaState.MET, SlaState.BREACHED)


def test_a_backdated_handling_response_stops_the_handling_clock_when_it_happened(db, make_case):
    case = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
    respond(case.id, 10, "whatsapp")
    # Logged at +9 h, the field visit happened at +3 h: the handling clock stopped then (met).
    c = respond(case.id, 180, "field_visit", now=OPENED + timedelta(hours=9))
    assert (c.first_response_at, c.first_handling_at) == (OPENED + timedelta(minutes=10), OPENED + timedelta(hours=3))
    assert (c.handling_minutes, c.handling_met, c.response_met) == (180, 1, 1)


def test_a_complete_answer_chosen_as_handling_stops_the_handling_clock(db, make_case):
    question = make_case("kapan pendaftaran beasiswa dibuka?", created_at=OPENED, category="pendidikan",
                         urgency="rendah")
    c = respond(question.id, 45, "platform_reply", kind=HANDLING)  # a reply that answers the question fully
    assert c.first_handling_at == c.first_response_at == OPENED + timedelta(minutes=45)
    with pytest.raises(ResponseKindError, match="unknown response kind 'done'"):
        respond(question.id, 50, "platform_reply", kind="done")


def test_reopen_keeps_both_first_times(db, make_case):
    case = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
    respond(case.id, 5, "platform_reply")
    respond(case.id, 300, "field_visit")
    with write_session() as s:
        store_cases.resolve(s, case.id, None, STAFF, now=OPENED + timedelta(hours=6))
        c = store_cases.reopen(s, case.id, None, STAFF)
        assert c.is_open and c.status == "responded"
        assert (c.first_response_at, c.first_handling_at) == (OPENED + timedelta(minutes=5),
                                                                OPENED + timedelta(minutes=300))
        assert (c.response_met, c.handling_met) == (1, 0)


def test_changing_a_kind_moves_the_handling_clock_and_is_audited(db, make_case):
    case = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
    respond(case.id, 30, "platform_reply")
    c = respond(case.id, 400, "field_visit")
    reply = events(case.id, "responded")[0]
    with write_session() as s:
        c = store_cases.change_response_kind(s, case.id, c.version, STAFF, event_id=reply.id, kind=HANDLING)
        assert (c.first_handling_at, c.handling_met, c.handling_minutes) == (OPENED + timedelta(minutes=30), 1, 30)
    [change] = events(case.id, "response_kind_changed")
    assert (change.actor_label, change.old_value, change.new_value) == (
        "ani", {"response": reply.id, "kind": ACKNOWLEDGEMENT}, {"response": reply.id, "kind": HANDLING})
    with write_session() as s:  # and back: the visit at +400 min is the first handling again (missed)
        c = store_cases.change_response_kind(s, case.id, None, STAFF, event_id=reply.id, kind=ACKNOWLEDGEMENT)
        assert (c.first_handling_at, c.handling_met) == (OPENED + timedelta(minutes=400), 0)


def test_changing_a_kind_refuses_what_is_not_a_response_of_this_case(db, make_case):
    case, other = make_case(created_at=OPENED), make_case(created_at=OPENED)
    respond(other.id, 5, "phone")
    [opened] = events(case.id, "opened")
    foreign = events(other.id, "responded")[0]
    for event_id in (opened.id, foreign.id, 10**9):
        with pytest.raises(CaseError, match=f"has no response {event_id}") as err, write_session() as s:
            store_cases.change_response_kind(s, case.id, None, STAFF, event_id=event_id, kind=HANDLING)
        assert err.value.code == "response_not_found"


def test_a_stale_version_cannot_change_a_kind(db, make_case):
    case = make_case(created_at=OPENED)
    c = respond(case.id, 5, "platform_reply")
    respond(case.id, 10, "phone")
    reply = events(case.id, "responded")[0]
    with pytest.raises(store_cases.ConflictError), write_session() as s:
        store_cases.change_response_kind(s, case.id, c.version, STAFF, event_id=reply.id, kind=HANDLING)
    assert events(case.id, "responded")[0].response_kind == ACKNOWLEDGEMENT


def test_an_earlier_mention_moves_both_due_times_through_the_case_write_path(db, make_case):
    from store.intake import attach_mention
    from store.tables import Mention
    case = make_case(created_at=OPENED, category="kesehatan", urgency="sedang", thread_key="conv-1")
    earlier = OPENED - timedelta(minutes=20)
    with write_session() as s:
        mention = Mention(platform="twitter", external_id="late-1", text="tolong, anak kejang", created_at=earlier,
                          thread_key="conv-1", raw={})
        s.add(mention)
        s.flush()
        attach_mention(s, case.id, mention, store_cases.load_targets(s), Actor(None, "system:test"))
    with read_session() as s:
        c = s.get(Case, case.id)
    assert (c.opened_at, c.due_at, c.ack_due_at) == (earlier, earlier + timedelta(hours=4),
                                                     earlier + timedelta(hours=1))
    assert c.summary == "tolong, anak kejang" and c.version == case.version + 1
    [moved] = events(case.id, "due_changed")
    assert moved.new_value["due_at"] == (earlier + timedelta(hours=4)).isoformat()
    assert moved.old_value["opened_at"] == OPENED.isoformat()


def test_a_target_change_moves_unhandled_cases_through_the_case_write_path(db, make_user, make_case):
    from console.services import sla_targets
    boss = make_user("boss", "admin")
    acknowledged = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
    handled = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
    respond(acknowledged.id, 5, "platform_reply")
    respond(handled.id, 90, "phone")
    assert sla_targets.set_sla_target(boss, "default", 120) == 1
    with read_session() as s:
        a, h = s.get(Case, acknowledged.id), s.get(Case, handled.id)
    # Acknowledged but not handled: its handling clock still runs, so the new target applies.
    assert a.due_at == OPENED + timedelta(hours=2) and a.version == 3
    assert h.due_at == OPENED + timedelta(hours=4) and h.version == 2  # judged under the old target
    [moved] = events(acknowledged.id, "due_changed")
    assert moved.actor_label == "boss" and moved.new_value == {"due_at": (OPENED + timedelta(hours=2)).isoformat()}


def test_migration_classifies_existing_responses_by_channel(db, make_case):
    from alembic import command

    from store.migrate import alembic_config, schema_differences, upgrade
    cases = {}
    for channel in ("field_visit", "phone", "platform_reply", "whatsapp"):
        cases[channel] = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
        # Logged as handling whatever the channel: before 0006 there were no kinds to keep.
        respond(cases[channel].id, 90, channel, kind=HANDLING)
    with db.begin() as connection:
        command.downgrade(alembic_config(connection), "0003")
    upgrade(db)
    assert schema_differences(db) == []
    with read_session() as s:
        for channel, kind in (("field_visit", HANDLING), ("phone", HANDLING), ("platform_reply", ACKNOWLEDGEMENT),
                              ("whatsapp", ACKNOWLEDGEMENT)):
            c = s.get(Case, cases[channel].id)
            [response] = s.exec(select(CaseEvent).where(CaseEvent.case_id == c.id,
                                                        CaseEvent.action == "responded")).all()
            assert response.response_kind == kind, channel
            assert c.ack_due_at == OPENED + timedelta(minutes=60)  # the settings' default target
            assert c.response_met == 0  # 90 minutes: late for the acknowledgement clock
            if kind == HANDLING:
                assert (c.first_handling_at, c.handling_minutes, c.handling_met) == (
                    OPENED + timedelta(minutes=90), 90, 1)
            else:
                assert (c.first_handling_at, c.handling_minutes, c.handling_met) == (None, None, None)


def test_the_acknowledgement_target_is_a_setting_read_when_a_case_opens(db, make_user, make_case, monkeypatch):
    from console.services import sla_targets
    from store.settings import get_settings
    monkeypatch.setenv("TANGGAP_ACK_TARGET_MINUTES", "30")
    monkeypatch.setenv("TANGGAP_ACK_TARGET_MINUTES_BY_URGENCY", '{"kritis": 10}')
    get_settings.cache_clear()
    medium = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
    critical = make_case(created_at=OPENED, category="kesehatan", urgency="kritis")
    assert medium.ack_due_at == OPENED + timedelta(minutes=30)
    assert critical.ack_due_at == OPENED + timedelta(minutes=10)
    monkeypatch.setenv("TANGGAP_ACK_TARGET_MINUTES", "90")
    get_settings.cache_clear()
    sla_targets.set_sla_target(make_user("boss", "admin"), "default", 120)  # moves handling due times only
    later = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
    with read_session() as s:
        assert s.get(Case, medium.id).ack_due_at == OPENED + timedelta(minutes=30)  # kept what it had
        assert s.get(Case, medium.id).due_at == OPENED + timedelta(hours=2)
    assert later.ack_due_at == OPENED + timedelta(minutes=90)


def test_a_bad_acknowledgement_setting_names_the_urgency(monkeypatch):
    from store.settings import SettingsError, get_settings
    monkeypatch.setenv("TANGGAP_ACK_TARGET_MINUTES_BY_URGENCY", '{"darurat": 10}')
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="unknown urgency 'darurat'"):
            get_settings()
    finally:
        monkeypatch.delenv("TANGGAP_ACK_TARGET_MINUTES_BY_URGENCY")
        get_settings.cache_clear()
