"""Case lifecycle on a real database (SQLite, and PostgreSQL when configured)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from store import cases as store_cases
from store.cases import Actor, CaseError, ConflictError
from store.db import read_session, write_session
from store.queries import case_timeline
from store.sla import ResponseTimeError, SlaPolicy, Targets
from store.tables import Case, Mention

TARGETS = Targets(handling=SlaPolicy(240, {"kritis": 60}), acknowledgement=SlaPolicy(60, {"kritis": 15}))
OPENED = datetime(2026, 11, 29, 11, 41, tzinfo=UTC)
NOW = OPENED + timedelta(hours=6)


def _actor(p):
    return Actor(p.id, p.username)


def test_platform_and_external_id_are_unique(db):
    with pytest.raises(IntegrityError), write_session() as s:
        for _ in range(2):
            s.add(Mention(platform="twitter", external_id="1", text="x", created_at=OPENED))
            s.flush()


def test_same_external_id_on_two_platforms_is_allowed(db):
    with write_session() as s:
        s.add(Mention(platform="twitter", external_id="1", text="x", created_at=OPENED))
        s.add(Mention(platform="facebook", external_id="1", text="x", created_at=OPENED))


def test_case_opens_with_due_time_from_policy(db, make_case):
    case = make_case(created_at=OPENED, category="kesehatan", urgency="sedang")
    assert case.due_at == OPENED + timedelta(hours=4)
    assert case.opened_at == OPENED and case.status == "new"


def test_kritis_target_setting_applies(db, make_case, monkeypatch):
    monkeypatch.setenv("TANGGAP_SLA_TARGET_MINUTES_BY_URGENCY", '{"kritis": 60}')
    from store.settings import get_settings
    get_settings.cache_clear()
    case = make_case(created_at=OPENED, category="kesehatan", urgency="kritis")
    assert case.due_at == OPENED + timedelta(hours=1)


def test_assign_respond_resolve_records_the_whole_timeline(db, make_case, make_user):
    staff = make_user("kominfo1")
    case = make_case(created_at=OPENED, category="kesehatan", urgency="kritis")
    with write_session() as s:
        c = store_cases.assign(s, case.id, case.version, _actor(staff), agency_code="DINKES",
                               supporting=["KEC_GENTENG"], now=OPENED + timedelta(minutes=20))
        assert c.status == "assigned" and c.version == 2
        c = store_cases.log_response(s, case.id, c.version, _actor(staff), text="Tim Puskesmas meluncur",
                                     channel="field_visit", happened_at=OPENED + timedelta(hours=2), now=NOW)
        assert c.status == "responded" and c.first_response_minutes == 120
        c = store_cases.resolve(s, case.id, c.version, _actor(staff), now=NOW)
        assert c.status == "resolved" and c.resolution_minutes == 360
    with read_session() as s:
        actions = [e.action for e in case_timeline(s, case.id)]
        response = next(e for e in case_timeline(s, case.id) if e.action == "responded")
    assert actions == ["opened", "assigned", "responded", "resolved"]
    assert response.happened_at == OPENED + timedelta(hours=2)
    assert response.logged_at > response.happened_at  # logged afterwards, kept beside it
    assert response.response_channel == "field_visit"


def test_second_writer_with_stale_version_gets_conflict_and_nothing_is_overwritten(db, make_case, make_user):
    first, second = make_user("ani"), make_user("budi")
    case = make_case(created_at=OPENED)
    with write_session() as s:
        store_cases.assign(s, case.id, case.version, _actor(first), agency_code="DINKES")
    with pytest.raises(ConflictError) as err, write_session() as s:
        store_cases.assign(s, case.id, case.version, _actor(second), agency_code="DINSOS")
    assert "Ani" in str(err.value) and "reload" in str(err.value)
    with read_session() as s:
        assert s.get(Case, case.id).lead_agency_code == "DINKES"


def test_response_before_opening_is_refused_and_not_stored(db, make_case, make_user):
    staff = make_user("ani")
    case = make_case(created_at=OPENED)
    with pytest.raises(ResponseTimeError, match="before the case opened"), write_session() as s:
        store_cases.log_response(s, case.id, None, _actor(staff), text="x", channel="phone",
                                 happened_at=OPENED - timedelta(minutes=5), now=NOW)
    with read_session() as s:
        assert s.get(Case, case.id).first_response_at is None


def test_reopened_case_keeps_its_first_response_time(db, make_case, make_user):
    staff = make_user("ani")
    case = make_case(created_at=OPENED)
    with write_session() as s:
        store_cases.log_response(s, case.id, None, _actor(staff), text="ditangani", channel="phone",
                                 happened_at=OPENED + timedelta(minutes=30), now=NOW)
        store_cases.resolve(s, case.id, None, _actor(staff), now=NOW)
        c = store_cases.reopen(s, case.id, None, _actor(staff))
        assert c.status == "responded" and c.resolved_at is None and c.is_open
        assert c.first_response_at == OPENED + timedelta(minutes=30)
        c = store_cases.log_response(s, case.id, None, _actor(staff), text="lagi", channel="phone",
                                     happened_at=OPENED + timedelta(hours=5), now=NOW)
        assert c.first_response_at == OPENED + timedelta(minutes=30)


def test_backdated_field_visit_earlier_than_logged_phone_call_becomes_first_response(db, make_case, make_user):
    staff = make_user("ani")
    case = make_case(created_at=OPENED)
    with write_session() as s:
        store_cases.log_response(s, case.id, None, _actor(staff), text="telepon", channel="phone",
                                 happened_at=OPENED + timedelta(hours=5), now=NOW)
        c = store_cases.log_response(s, case.id, None, _actor(staff), text="kunjungan", channel="field_visit",
                                     happened_at=OPENED + timedelta(hours=1), now=NOW)
    assert c.first_response_minutes == 60


def test_resolving_without_a_handling_response_is_refused(db, make_case, make_user):
    staff = make_user("ani")
    case = make_case(created_at=OPENED)
    with pytest.raises(CaseError, match="no handling response yet"), write_session() as s:
        store_cases.resolve(s, case.id, None, _actor(staff))
    with write_session() as s:  # an acknowledgement is not help: still refused
        store_cases.log_response(s, case.id, None, _actor(staff), text="diteruskan", channel="platform_reply",
                                 happened_at=OPENED + timedelta(minutes=5), now=NOW)
    with pytest.raises(CaseError, match="no handling response yet") as err, write_session() as s:
        store_cases.resolve(s, case.id, None, _actor(staff))
    assert err.value.code == "resolve_unhandled"


def test_retag_moves_due_time_and_is_kept_as_feedback(db, make_case, make_user):
    from sqlmodel import select

    from store.tables import TagFeedback
    staff = make_user("ani")
    case = make_case(created_at=OPENED, category="lainnya", urgency="rendah", text="anak sy kejang2")
    with write_session() as s:
        c = store_cases.retag(s, case.id, case.version, _actor(staff), category="kesehatan",
                              urgency="kritis", targets=TARGETS)
        assert c.due_at == OPENED + timedelta(hours=1) and c.tagged_by == "staff"
        assert c.ack_due_at == OPENED + timedelta(minutes=15)
    with read_session() as s:
        fb = s.exec(select(TagFeedback)).all()
    assert [(f.category, f.urgency, f.model_category) for f in fb] == [("kesehatan", "kritis", "lainnya")]
    assert fb[0].text == "anak sy kejang2"


def test_a_label_staff_change_loses_the_models_confidence_and_an_unchanged_one_keeps_it(db, make_user):
    from store.cases import CaseTags
    from store.intake import open_case
    staff = make_user("ani")
    with write_session() as s:
        mention = Mention(platform="sms", external_id="m-1", text="jalan rusak", created_at=OPENED,
                          thread_key="+62811", raw={})
        s.add(mention)
        s.flush()
        tags = CaseTags(category="infrastruktur", urgency="kritis", category_confidence=0.91,
                        urgency_confidence=0.14, model_version="v1")
        case = open_case(s, mention, tags, store_cases.load_targets(s), Actor(None, "system:test"))
    with write_session() as s:
        c = store_cases.retag(s, case.id, None, _actor(staff), category="infrastruktur", urgency="sedang",
                              targets=TARGETS)
        # "Sedang 14%" would read as the model being 14% sure of what staff chose.
        assert (c.urgency, c.urgency_confidence, c.category_confidence) == ("sedang", None, 0.91)
