"""The worker's half of the webhook: stored deliveries become mentions and cases exactly once
by wamid, whatever the order or how often Meta delivers; threads by number within 24 hours;
a camat's line adds its kecamatan office; unknown kinds fail loudly; statuses kept once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import select

from collectors.wa_ingest import UnknownLine, ingest_pending, retry_failed
from store.db import read_session, write_session
from store.tables import Case, CaseEvent, CaseSupport, Mention, WhatsAppDelivery, WhatsAppStatus
from tests.collectors.wa import CAMAT_LINE, REGENT_LINE, batch, body, delivery, message_of, recorded
from tests.frozen import AT_NOON_WIB, NOON_WIB

pytestmark = AT_NOON_WIB
T0 = NOON_WIB - timedelta(hours=3)
NUMBERS = {REGENT_LINE: "bupati", CAMAT_LINE: "KEC_GENTENG"}


def untagged(texts):
    return [None] * len(texts)


def _deliver(*payloads: dict) -> None:
    """As the webhook stores them: one row per delivery, pending."""
    with write_session() as s:
        for p in payloads:
            s.execute(insert(WhatsAppDelivery.__table__).values(body=body(p), received_at=NOON_WIB, state="pending"))


def _pass(**kw):
    return ingest_pending(numbers=kw.pop("numbers", NUMBERS), now=NOON_WIB, tagger=untagged, **kw)


def _mentions() -> list[Mention]:
    with read_session() as s:
        return list(s.exec(select(Mention).order_by(Mention.created_at)).all())


def _states() -> list[str]:
    with read_session() as s:
        return list(s.exec(select(WhatsAppDelivery.state).order_by(WhatsAppDelivery.id)).all())


def test_every_message_kind_is_stored_on_its_senders_case(db):
    kinds = ["text", "image", "document", "audio", "video", "static_sticker", "chosen_location", "reaction"]
    _deliver(*[delivery(k, wamid=f"wamid.{k}", at=T0 + timedelta(minutes=i)) for i, k in enumerate(kinds)])
    _deliver(delivery("button_reply", wamid="wamid.button", at=T0 + timedelta(minutes=30), file="interactive.json"))
    result = _pass()
    assert (result.deliveries, result.inserted, result.cases_opened, result.failed) == (9, 9, 1, 0)
    mentions = _mentions()
    assert [m.text for m in mentions] == ["Body Text", "[gambar]", "caption", "[audio]", "caption", "[stiker]",
                                          "[lokasi] Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025", "[reaksi 😮]",
                                          "Ya, masih terjadi"]
    assert {m.platform for m in mentions} == {"whatsapp"} and len({m.case_id for m in mentions}) == 1
    assert mentions[1].raw["media"]["id"] == "65463453" and mentions[6].raw["location"]["latitude"] == 37.4611978
    with read_session() as s:
        case = s.exec(select(Case)).one()
    assert (case.platform, case.author, case.mention_count, case.opened_at) == ("whatsapp", "+6281234567890", 9, T0)
    assert _states() == ["ingested"] * 9


def test_duplicate_deliveries_and_messages_are_stored_once(db):
    first = delivery("text", wamid="wamid.dup", at=T0)
    _deliver(first, first, batch(first, delivery("text", wamid="wamid.other", at=T0 + timedelta(minutes=1))))
    result = _pass()
    assert (result.inserted, result.duplicates, result.cases_opened) == (2, 2, 1)
    _deliver(first)  # Meta retries again, after it was ingested
    assert _pass().inserted == 0
    assert [m.external_id for m in _mentions()] == ["wamid.dup", "wamid.other"]
    assert _states() == ["ingested"] * 4


def test_an_earlier_message_delivered_later_moves_the_case_back(db):
    _deliver(delivery("text", wamid="wamid.late", at=T0 + timedelta(minutes=5), text="air PDAM mati"))
    _pass()
    _deliver(delivery("text", wamid="wamid.early", at=T0, text="pak, mau lapor"))
    _pass()
    with read_session() as s:
        case = s.exec(select(Case)).one()
    assert (case.opened_at, case.mention_count, case.summary) == (T0, 2, "pak, mau lapor")


def test_one_numbers_messages_join_its_case_within_24_hours_of_the_last(db):
    day_before = T0 - timedelta(hours=30)
    _deliver(delivery("text", wamid="wamid.1", at=day_before),
             delivery("text", wamid="wamid.2", at=day_before + timedelta(hours=23, minutes=59)),
             delivery("text", wamid="wamid.3", at=T0),  # 6 h after the last one: still the same case
             delivery("text", wamid="wamid.4", at=T0, sender="6285200000001"))  # another number: its own case
    _pass()
    by_id = {m.external_id: m.case_id for m in _mentions()}
    assert by_id["wamid.1"] == by_id["wamid.2"] == by_id["wamid.3"] != by_id["wamid.4"]


def test_after_24_quiet_hours_a_number_opens_a_new_case(db):
    _deliver(delivery("text", wamid="wamid.old", at=T0 - timedelta(hours=24, minutes=1)),
             delivery("text", wamid="wamid.new", at=T0))
    _pass()
    assert len({m.case_id for m in _mentions()}) == 2


def test_a_message_to_a_camats_line_puts_that_kecamatan_office_on_the_case(db):
    _deliver(delivery("text", wamid="wamid.camat", at=T0, line=CAMAT_LINE),
             delivery("text", wamid="wamid.regent", at=T0, sender="6285200000001", line=REGENT_LINE))
    result = _pass()
    assert result.supporting_added == 1
    by_id = {m.external_id: m.case_id for m in _mentions()}
    with read_session() as s:
        support = s.exec(select(CaseSupport.case_id, CaseSupport.agency_code)).all()
        event = s.exec(select(CaseEvent).where(CaseEvent.action == "support_added")).one()
    assert support == [(by_id["wamid.camat"], "KEC_GENTENG")]
    assert (event.case_id, event.actor_label, event.new_value) == (by_id["wamid.camat"], "system:whatsapp",
                                                                    {"supporting": ["KEC_GENTENG"]})
    _deliver(delivery("text", wamid="wamid.camat2", at=T0 + timedelta(minutes=3), line=CAMAT_LINE))
    assert _pass().supporting_added == 0  # already there: added once


def test_a_line_naming_no_agency_fails_the_pass_and_keeps_the_deliveries(db):
    _deliver(delivery("text", wamid="wamid.x", at=T0, line=CAMAT_LINE))
    with pytest.raises(UnknownLine, match="'KEC_NOWHERE' is not an agency code"):
        _pass(numbers={CAMAT_LINE: "KEC_NOWHERE"})
    assert _mentions() == [] and _states() == ["pending"]


def test_an_unknown_kind_fails_its_delivery_loudly_and_the_rest_is_stored(db, caplog):
    strange = delivery("text", wamid="wamid.strange", at=T0)
    message_of(strange)["type"] = "hologram"
    _deliver(batch(delivery("text", wamid="wamid.fine", at=T0), strange), delivery("text", wamid="wamid.next", at=T0))
    result = _pass()
    assert (result.inserted, result.failed) == (2, 1)
    assert _states() == ["failed", "ingested"]
    with read_session() as s:
        error = s.exec(select(WhatsAppDelivery.error).where(WhatsAppDelivery.state == "failed")).one()
    assert error == "whatsapp.message: type 'hologram' is not a kind Tanggap reads"
    assert "WhatsApp delivery 1 failed" in caplog.text
    assert retry_failed() == 1 and _states() == ["pending", "ingested"]
    assert _pass().inserted == 0  # read again: the good message is not stored twice


def test_statuses_of_our_messages_are_kept_once_by_wamid(db):
    sent, read_ = recorded("sent", "message_status.json"), recorded("read", "message_status.json")
    _deliver(sent, sent, read_)
    assert _pass().statuses == 2
    with read_session() as s:
        rows = s.exec(select(WhatsAppStatus.wamid, WhatsAppStatus.status).order_by(WhatsAppStatus.status)).all()
    assert rows == [("wamid.xyzxyz", "read"), ("wamid.xyzxyz", "sent")]
    assert _mentions() == []


def test_deliveries_the_worker_has_not_reached_wait_pending_and_are_ingested_in_order(db):
    _deliver(*[delivery("text", wamid=f"wamid.{n}", at=T0 + timedelta(seconds=n)) for n in range(5)])
    assert _pass(limit=2).deliveries == 2
    assert _states() == ["ingested", "ingested", "pending", "pending", "pending"]
    assert _pass(limit=10).deliveries == 3
    assert [m.external_id for m in _mentions()] == [f"wamid.{n}" for n in range(5)]


def test_a_pass_with_nothing_pending_does_nothing(db):
    assert _pass().deliveries == 0


def test_times_are_the_senders_not_the_arrival(db):
    _deliver(delivery("text", wamid="wamid.t", at=datetime(2026, 11, 30, 1, 2, 3, tzinfo=UTC)))
    _pass()
    assert _mentions()[0].created_at == datetime(2026, 11, 30, 1, 2, 3, tzinfo=UTC)


def test_on_postgresql_a_second_worker_skips_the_deliveries_another_holds(db):
    if db.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer: its write transaction is the claim")
    _deliver(delivery("text", wamid="wamid.held", at=T0), delivery("text", wamid="wamid.free", at=T0))
    with db.connect() as other:  # another worker, mid-pass, holding the first delivery
        other.execute(select(WhatsAppDelivery.id).where(WhatsAppDelivery.id == 1).with_for_update())
        assert _pass().deliveries == 1
        assert _states() == ["pending", "ingested"]
        other.rollback()
    assert _pass().deliveries == 1 and _states() == ["ingested", "ingested"]


def test_one_job_pass_drains_the_queue_batch_by_batch(db, settings_env):
    from console.worker.whatsapp import WhatsAppInbound  # no model in the test's model folder: untagged
    _deliver(*[delivery("text", wamid=f"wamid.q{n}", at=T0 + timedelta(seconds=n), sender=f"62812{n:08d}")
               for n in range(120)])  # more than two batches of 50
    job = WhatsAppInbound(settings_env(whatsapp_app_secret="s"))
    result = job.run(NOON_WIB)
    assert (result.done, result.failed) == (120, 0)
    assert result.note == "120 deliveries, 120 new messages, 0 duplicates, 120 cases opened, 0 statuses"
    assert set(_states()) == {"ingested"}
