"""Every message counts: a follow-up is tagged and can raise its case's urgency (moving the due
time earlier, never later), change an unassigned case's category, name its place, and route
it. Tags come from a stand-in tagger (tests/collectors/test_routing_at_intake.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from console.services import cases as case_service
from store.db import read_session
from store.tables import CaseEvent
from tests.collectors.test_routing_at_intake import GLAGAH, SUNDAY_18_41_WIB, mention, only_case, store, tags
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB
HELLO = "pak mau lapor"
SEIZURE = "anak saya kejang2 sudah tidak sadar"


@pytest.fixture
def targets(monkeypatch):
    """Handling targets per urgency: kritis 60 minutes, the rest the SOP's 240."""
    monkeypatch.setenv("TANGGAP_SLA_TARGET_MINUTES_BY_URGENCY", '{"kritis": 60, "tinggi": 300}')
    monkeypatch.setenv("TANGGAP_ACK_TARGET_MINUTES_BY_URGENCY", '{"kritis": 15}')
    from store.settings import get_settings
    get_settings.cache_clear()


def actions(events: list[CaseEvent]) -> list[tuple[str, str]]:
    return [(e.action, e.actor_label) for e in events]


def test_a_thread_that_turns_dangerous_becomes_kritis_with_an_earlier_due_time(db, targets):
    store([mention(HELLO, 1, "conv")], {HELLO: tags("lainnya", 0.45, "sedang")})
    case, _, _ = only_case()
    assert (case.urgency, case.due_at, case.lead_agency_code) == ("sedang", SUNDAY_18_41_WIB + timedelta(hours=4), None)
    store([mention(SEIZURE, 2, "conv", minutes=3)], {SEIZURE: tags("kesehatan", 0.95, "kritis", GLAGAH)})
    case, support, events = only_case()
    assert case.urgency == "kritis"
    assert case.due_at == SUNDAY_18_41_WIB + timedelta(minutes=60)  # from opened_at, not from the follow-up
    assert case.ack_due_at == SUNDAY_18_41_WIB + timedelta(minutes=15)
    assert (case.category, case.category_confidence) == ("kesehatan", 0.95)
    assert (case.lead_agency_code, support) == ("DINKES", ["KEC_GLAGAH"])
    assert actions(events) == [("opened", "system:twitter"), ("mention_added", "system:twitter"),
                               ("urgency_raised", "system:tagger"), ("category_changed", "system:tagger"),
                               ("place_found", "system:tagger"), ("routed", "system:router")]
    raised = events[2]
    assert raised.old_value == {"urgency": "sedang", "due_at": "2026-11-29T15:41:00+00:00",
                                "ack_due_at": "2026-11-29T12:41:00+00:00"}
    assert raised.new_value == {"urgency": "kritis", "due_at": "2026-11-29T12:41:00+00:00",
                                "ack_due_at": "2026-11-29T11:56:00+00:00", "mention": events[1].new_value["mention"]}
    assert events[3].old_value == {"category": "lainnya", "confidence": 0.45}


def test_both_messages_in_one_batch_count_the_same(db, targets):
    store([mention(HELLO, 1, "conv"), mention(SEIZURE, 2, "conv", minutes=3)],
          {HELLO: tags("lainnya", 0.45, "sedang"), SEIZURE: tags("kesehatan", 0.95, "kritis")})
    case, _, _ = only_case()
    assert (case.urgency, case.category, case.lead_agency_code, case.mention_count) == (
        "kritis", "kesehatan", "DINKES", 2)


def test_a_less_urgent_follow_up_never_lowers_the_case(db, targets):
    store([mention(SEIZURE, 1, "conv")], {SEIZURE: tags("kesehatan", 0.5, "kritis")})
    store([mention("terima kasih pak", 2, "conv", minutes=5)], {"terima kasih pak": tags("lainnya", 0.6, "rendah")})
    case, _, events = only_case()
    assert (case.urgency, case.due_at) == ("kritis", SUNDAY_18_41_WIB + timedelta(minutes=60))
    assert "urgency_raised" not in [e.action for e in events]


def test_a_rise_never_lengthens_the_due_time(db, targets):
    # tinggi's target (300 minutes) is longer than sedang's (240): the rise keeps 240.
    store([mention("jalan rusak", 1, "conv")], {"jalan rusak": tags("infrastruktur", 0.5, "sedang")})
    store([mention("jalan ambles, truk terguling", 2, "conv", minutes=2)],
          {"jalan ambles, truk terguling": tags("infrastruktur", 0.5, "tinggi")})
    case, _, events = only_case()
    assert (case.urgency, case.due_at) == ("tinggi", SUNDAY_18_41_WIB + timedelta(hours=4))
    [raised] = [e for e in events if e.action == "urgency_raised"]
    assert raised.new_value == {"urgency": "tinggi", "mention": raised.new_value["mention"]}  # no due time moved


def test_a_case_staff_lowered_is_raised_only_by_a_more_urgent_follow_up(db, make_user, targets):
    staff = make_user("ani", "komunikasi")
    store([mention("pohon tumbang", 1, "conv")], {"pohon tumbang": tags("bencana", 0.5, "tinggi")})
    case = only_case()[0]
    case_service.retag(staff, case.id, case.version, category="bencana", urgency="rendah")
    store([mention("pohonnya masih melintang", 2, "conv", minutes=1)],
          {"pohonnya masih melintang": tags("bencana", 0.5, "rendah")})  # equal to the staff's choice
    assert only_case()[0].urgency == "rendah"
    store([mention("ada pengendara tertimpa", 3, "conv", minutes=2)],
          {"ada pengendara tertimpa": tags("bencana", 0.5, "kritis")})
    case, _, events = only_case()
    assert case.urgency == "kritis"
    assert [e.action for e in events if e.actor_label == "system:tagger"] == ["urgency_raised"]


def test_an_unassigned_case_takes_the_category_of_its_most_confident_message(db):
    store([mention("tolong pak", 1, "conv")], {"tolong pak": tags("lainnya", 0.40)})
    store([mention("sampah numpuk", 2, "conv", minutes=1), mention("baunya sampai sekolah", 3, "conv", minutes=2)],
          {"sampah numpuk": tags("lingkungan", 0.70), "baunya sampai sekolah": tags("pendidikan", 0.55)})
    case, _, events = only_case()
    assert (case.category, case.category_confidence, case.lead_agency_code) == ("lingkungan", 0.70, None)
    # a less confident message of another category does not move it back
    store([mention("anak sekolah sakit", 4, "conv", minutes=3)], {"anak sekolah sakit": tags("kesehatan", 0.65)})
    case, _, events = only_case()
    assert case.category == "lingkungan"
    assert [e.new_value["category"] for e in events if e.action == "category_changed"] == ["lingkungan"]


def test_an_assigned_case_keeps_its_category(db, make_user):
    staff = make_user("ani", "komunikasi")
    store([mention("tolong pak", 1, "conv")], {"tolong pak": tags("lainnya", 0.40)})
    case = only_case()[0]
    case_service.assign(staff, case.id, case.version, agency_code="PUBM")
    fever = "anak saya demam tinggi"
    store([mention(fever, 2, "conv", minutes=1)], {fever: tags("kesehatan", 0.99)})
    case, _, events = only_case()
    assert (case.category, case.lead_agency_code) == ("lainnya", "PUBM")
    assert "category_changed" not in [e.action for e in events]


def test_a_follow_up_that_makes_the_model_sure_routes_the_case(db):
    store([mention("anak saya sakit", 1, "conv")], {"anak saya sakit": tags("kesehatan", 0.6)})
    assert only_case()[0].lead_agency_code is None  # 0.6 < 0.8
    store([mention("demam berdarah, trombosit turun", 2, "conv", minutes=1)],
          {"demam berdarah, trombosit turun": tags("kesehatan", 0.9)})
    case, _, events = only_case()
    assert (case.lead_agency_code, case.category_confidence) == ("DINKES", 0.9)
    assert events[-1].action == "routed" and events[-1].new_value["probability"] == 0.9


def test_untagged_follow_ups_change_nothing(db):
    store([mention("jalan rusak", 1, "conv")], {"jalan rusak": tags("infrastruktur", 0.5)})
    store([mention("??", 2, "conv", minutes=1)], {})  # no model: the follow-up is stored untagged
    case = only_case()[0]
    assert (case.urgency, case.mention_count, case.version) == ("sedang", 2, 1)
    with read_session() as s:
        assert s.exec(select(CaseEvent.action).where(CaseEvent.actor_label == "system:tagger")).all() == []


def test_a_greeting_the_router_was_sure_of_does_not_pin_the_case_to_the_wrong_agency(db):
    store([mention(HELLO, 1, "conv")], {HELLO: tags("pelayanan_publik", 0.85, "rendah")})
    assert only_case()[0].lead_agency_code == "INSPEKTORAT"
    store([mention(SEIZURE, 2, "conv", minutes=3)], {SEIZURE: tags("kesehatan", 0.95, "kritis")})
    case, _, events = only_case()
    assert (case.category, case.lead_agency_code, case.urgency) == ("kesehatan", "DINKES", "kritis")
    assert [e.action for e in events if e.action == "routed"] == ["routed", "routed"]
    assert events[-1].old_value["lead_agency"] == "INSPEKTORAT"


def test_a_routed_case_someone_acted_on_keeps_its_agency(db, make_user):
    staff = make_user("ani", "komunikasi")
    store([mention(HELLO, 1, "conv")], {HELLO: tags("pelayanan_publik", 0.85, "rendah")})
    case = only_case()[0]
    case_service.respond(staff, case.id, case.version, text="Silakan, apa yang bisa kami bantu?",
                         channel="platform_reply", happened_at=SUNDAY_18_41_WIB + timedelta(minutes=1))
    store([mention(SEIZURE, 2, "conv", minutes=3)], {SEIZURE: tags("kesehatan", 0.95, "kritis")})
    case = only_case()[0]
    assert (case.category, case.lead_agency_code, case.urgency) == ("pelayanan_publik", "INSPEKTORAT", "kritis")


def test_a_place_named_later_adds_its_office_to_a_routed_case(db):
    store([mention("puskesmas tutup, pasien ditolak", 1, "conv")],
          {"puskesmas tutup, pasien ditolak": tags("kesehatan", 0.9)})
    case, support, _ = only_case()
    assert (case.lead_agency_code, support, case.kecamatan_code) == ("DINKES", [], None)
    store([mention("di Kemiren Glagah pak", 2, "conv", minutes=1)], {"di Kemiren Glagah pak": tags("lainnya", 0.3,
                                                                                              kecamatan=GLAGAH)})
    case, support, events = only_case()
    assert (case.lead_agency_code, support, case.kecamatan_code) == ("DINKES", ["KEC_GLAGAH"], GLAGAH)
    assert [e.action for e in events][-2:] == ["place_found", "routed"]
