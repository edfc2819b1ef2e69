"""Issue 9's "Done when", as far as the store, the router and the alerts go: the Sunday 18:41
meningitis report, committed by the collector's store step, is routed to DINKES with the
Glagah kecamatan office as support (system:router), and the comms officer on duty, the
DINKES officer on duty, the DINKES head and the camat each get exactly one alert on their
channel; a follow-up "sudah tidak sadar" raises a sedang thread to kritis and alerts. The
classifier is replaced by a tagger that answers as the model does for these messages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from collectors.ingest import store_batch
from collectors.mention import Mention
from console.services.routing import set_routing_threshold
from console.worker.alert_jobs import AlertsJob
from store.cases import CaseTags
from store.db import read_session, write_session
from store.settings import get_settings
from store.tables import Case, CaseEvent, CaseSupport
from tests.alerts.test_rules import SUNDAY_1845_WIB, alerts

pytestmark = pytest.mark.time_machine(SUNDAY_1845_WIB, tick=False)
MENINGITIS = ("pak bupati tolong, anak saya demam tinggi kejang2 leher kaku, puskesmas suruh ke RS tapi tidak ada "
              "ambulans, desa Kemiren Glagah")
TAGS = {  # what the classifier says of each text
    MENINGITIS: CaseTags("kesehatan", "kritis", 0.97, 0.93, kecamatan_code="35.10.15", desa="Kemiren"),
    "pak mau lapor": CaseTags("kesehatan", "sedang", 0.91, 0.6, kecamatan_code="35.10.15"),
    "anak saya kejang2 sudah tidak sadar": CaseTags("kesehatan", "kritis", 0.95, 0.94, kecamatan_code="35.10.15"),
}


def tagger(texts):
    return [TAGS[text] for text in texts]


def collect(text: str, n: int, thread: str, minute: int) -> None:
    mention = Mention(platform="sms", external_id=f"sms-{n}", text=text, author_id="+6281233334444",
                      created_at=datetime(2026, 11, 29, 11, minute, tzinfo=UTC), thread_key=thread)
    with write_session() as session:
        store_batch(session, [mention], "sms", tagger=tagger)


def test_the_sunday_report_is_routed_and_each_person_on_duty_gets_one_alert(on_duty, telegram):
    set_routing_threshold(on_duty["admin"], 0.9)
    collect(MENINGITIS, 1, "+6281233334444", 41)
    with read_session() as session:
        case = session.exec(select(Case)).one()
        supporting = session.exec(select(CaseSupport.agency_code).where(CaseSupport.case_id == case.id)).all()
        actors = {e.actor_label for e in session.exec(select(CaseEvent).where(CaseEvent.action == "routed")).all()}
    assert (case.lead_agency_code, supporting, actors) == ("DINKES", ["KEC_GLAGAH"], {"system:router"})
    AlertsJob(get_settings()).run(SUNDAY_1845_WIB)
    AlertsJob(get_settings()).run(SUNDAY_1845_WIB)
    assert sorted(m.chat_id for m in telegram.messages) == ["1001", "1002", "1003", "1004"]  # each once
    assert all("+6281233334444" not in m.text and "3333" not in m.text for m in telegram.messages)


def test_a_follow_up_raises_a_sedang_thread_to_kritis_and_alerts(on_duty, telegram):
    set_routing_threshold(on_duty["admin"], 0.9)
    collect("pak mau lapor", 1, "+6281299990000", 41)
    assert alerts() == []  # sedang: nobody is alerted
    collect("anak saya kejang2 sudah tidak sadar", 2, "+6281299990000", 43)
    with read_session() as session:
        case = session.exec(select(Case)).one()
    assert case.urgency == "kritis"
    AlertsJob(get_settings()).run(SUNDAY_1845_WIB)
    assert sorted(m.chat_id for m in telegram.messages) == ["1001", "1002", "1003", "1004"]
