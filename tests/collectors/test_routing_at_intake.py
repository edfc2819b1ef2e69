"""Routing at intake: a case the model is sure enough of goes straight to its agency, with the
kecamatan office of the place found as supporting unit; below the threshold it waits in
triage. Tags come from a stand-in tagger so that each case's probability is the one the test
names; the real model's path is tested in tests/classifier/test_intake_with_model.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from collectors.ingest import store_batch
from collectors.mention import Mention
from console.services import cases as case_service
from console.services import routing
from store.cases import CaseTags
from store.db import read_session, write_session
from store.tables import Case, CaseEvent, CaseSupport, TagFeedback
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB
GLAGAH = "35.10.15"
SUNDAY_18_41_WIB = datetime(2026, 11, 29, 11, 41, tzinfo=UTC)


def mention(text: str, n: int, thread: str | None = None, minutes: int = 0) -> Mention:
    return Mention(platform="twitter", external_id=f"t{n}", author_id="42", author_handle="warga_bwi",
                   author_name=None, text=text, permalink=None,
                   created_at=SUNDAY_18_41_WIB.replace(minute=41 + minutes), thread_key=thread or f"conv{n}",
                   in_reply_to=None, raw={"n": n})


def tags(category: str, p: float, urgency: str = "sedang", kecamatan: str | None = None,
         topic: str | None = None) -> CaseTags:
    return CaseTags(category=category, urgency=urgency, category_confidence=p, urgency_confidence=0.8,
                    model_version="stand-in", kecamatan_code=kecamatan, topic=topic)


def store(mentions: list[Mention], by_text: dict[str, CaseTags], model_threshold: float | None = 0.8) -> None:
    with write_session() as session:
        store_batch(session, mentions, "twitter", tagger=lambda texts: [by_text.get(t) for t in texts],
                    routing_default=lambda: model_threshold)


def only_case() -> tuple[Case, list[str], list[CaseEvent]]:
    with read_session() as s:
        [case] = s.exec(select(Case)).all()
        support = sorted(s.exec(select(CaseSupport.agency_code).where(CaseSupport.case_id == case.id)).all())
        events = list(s.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all())
        return case, support, events


def test_a_sure_health_case_goes_to_dinkes_with_the_glagah_office(db):
    text = "anak saya panas tinggi kejang, kata bidan curiga meningitis, di Kemiren Glagah"
    store([mention(text, 1)], {text: tags("kesehatan", 0.93, "kritis", GLAGAH)})
    case, support, events = only_case()
    assert (case.lead_agency_code, case.status, case.queue_rank) == ("DINKES", "assigned", 1)
    assert support == ["KEC_GLAGAH"]
    assert [(e.action, e.actor_label) for e in events] == [("opened", "system:twitter"), ("routed", "system:router")]
    assert events[1].old_value == {"lead_agency": None, "assignee": None, "supporting": []}
    assert events[1].new_value == {"lead_agency": "DINKES", "assignee": None, "supporting": ["KEC_GLAGAH"],
                                   "category": "kesehatan", "probability": 0.93, "threshold": 0.8,
                                   "topic": None, "mention": events[0].new_value["mention"]}


@pytest.mark.parametrize("probability, routed", [
    (0.8, True),  # at the threshold: routed
    (0.7999, False),  # just below: waits in triage
])
def test_the_threshold_decides_between_routing_and_triage(db, probability, routed):
    text = "jalan berlubang di Genteng"
    store([mention(text, 1)], {text: tags("infrastruktur", probability)})
    case, _, events = only_case()
    assert case.lead_agency_code == ("PUBM" if routed else None)
    assert case.status == ("assigned" if routed else "new")
    assert ("routed" in [e.action for e in events]) is routed


def test_without_any_threshold_nothing_is_routed(db):
    store([mention("puskesmas tutup", 1)], {"puskesmas tutup": tags("kesehatan", 0.99)}, model_threshold=None)
    assert only_case()[0].lead_agency_code is None


def test_the_admins_threshold_overrides_the_models(db, make_user):
    admin = make_user("admin1", "admin")
    shown = routing.set_routing_threshold(admin, 0.95)
    assert (shown.admin_value, shown.source) == (0.95, "admin")
    store([mention("puskesmas tutup", 1)], {"puskesmas tutup": tags("kesehatan", 0.9)}, model_threshold=0.5)
    assert only_case()[0].lead_agency_code is None  # 0.9 < the admin's 0.95, though ≥ the model's 0.5


@pytest.mark.parametrize("text, category, topic, lead, support", [
    # street lights are the transport office's, not the roads office's
    ("lampu PJU mati di Genteng", "infrastruktur", "lampu_jalan", "DISHUB", ["KEC_GENTENG"]),
    ("lampu merah perempatan rusak", "infrastruktur", "lalu_lintas", "DISHUB", []),
    # piped water: PDAM leads, PU Cipta Karya supports
    ("air PDAM tidak mengalir 3 hari", "infrastruktur", "air_bersih", "PDAM", ["PUCK"]),
    # mental health: the health office with the social office
    ("ada ODGJ mengamuk di pasar Genteng", "kesehatan", "kesehatan_jiwa", "DINKES", ["DINSOS", "KEC_GENTENG"]),
    # a topic of another category does not move the route: water in a flood report stays BPBD's
    ("banjir, air keruh masuk rumah", "bencana", "air_bersih", "BPBD", []),
])
def test_topic_routes_send_a_topic_to_its_own_agency(db, text, category, topic, lead, support):
    kecamatan = "35.10.09" if "Genteng" in text else None
    store([mention(text, 1)], {text: tags(category, 0.9, kecamatan=kecamatan, topic=topic)})
    case, supporting, _ = only_case()
    assert (case.lead_agency_code, supporting) == (lead, support)


def test_a_reroute_of_a_routed_case_is_feedback_for_the_model(db, make_user):
    staff = make_user("ani", "komunikasi")
    store([mention("lampu jalan mati", 1)], {"lampu jalan mati": tags("lingkungan", 0.9)})
    case = only_case()[0]
    assert case.lead_agency_code == "DLH"
    case_service.assign(staff, case.id, case.version, agency_code="PUBM")
    with read_session() as s:
        [feedback] = s.exec(select(TagFeedback)).all()
    assert (feedback.source, feedback.category, feedback.model_category, feedback.text) == (
        "reroute", "infrastruktur", "lingkungan", "lampu jalan mati")
    assert feedback.user_id == staff.id


def test_a_reassignment_of_a_case_staff_assigned_is_not_feedback(db, make_user):
    staff = make_user("ani", "komunikasi")
    store([mention("lampu jalan mati", 1)], {"lampu jalan mati": tags("lingkungan", 0.5)})
    case = case_service.assign(staff, only_case()[0].id, None, agency_code="DLH")
    case_service.assign(staff, case.id, case.version, agency_code="PUBM")
    with read_session() as s:
        assert s.exec(select(TagFeedback)).all() == []


def test_a_reroute_to_an_agency_of_several_categories_is_not_a_label(db, make_user):
    admin = make_user("admin1", "admin")
    from console.services import admin as admin_service
    admin_service.set_route(admin, "lingkungan", "PUBM")  # PUBM now receives two categories
    store([mention("sampah menumpuk", 1)], {"sampah menumpuk": tags("kesehatan", 0.9)})
    case = only_case()[0]
    case_service.assign(admin, case.id, case.version, agency_code="PUBM")
    with read_session() as s:
        assert s.exec(select(TagFeedback)).all() == []
        assert s.get(Case, case.id).lead_agency_code == "PUBM"  # the re-route itself stands
