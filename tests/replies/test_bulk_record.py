"""The sender records a pass in bulk (store/reply_responses.py); the rows it writes are the
rows mark_sent writes one reply at a time, and a guard that fails falls back to that path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from collectors.reply_channel import Posted
from collectors.reply_sender import Outcome, ReplySender
from console.services import cases as case_service
from console.services import replies
from store import replies as store_replies
from store.db import read_session, write_session
from store.reply_responses import Sent, StaleBatch, mark_sent_many
from store.settings import get_settings
from store.tables import Case, CaseEvent, Reply
from tests.replies.conftest import AT_DRAFT_TIME, SENDER_PASS, WROTE

pytestmark = AT_DRAFT_TIME
CASE_FIELDS = ("status", "version", "first_response_at", "first_handling_at", "first_response_minutes",
               "handling_minutes", "response_met", "handling_met", "is_open", "queue_rank", "urgency_rank",
               "resolution_minutes", "updated_by", "updated_at")
EVENT_FIELDS = ("actor_id", "actor_label", "action", "old_value", "new_value", "note", "response_text",
                "response_channel", "response_kind", "happened_at", "logged_at")  # external_ref: the post's own id


def _scenario(citizen_case, ani, n: int) -> tuple[list[int], list[int]]:
    """Three cases: a new one answered twice (an acknowledgement, then a complete answer), one
    acknowledged by phone already, one resolved before its reply went out."""
    new = citizen_case(external_id=f"{n}001")
    phoned = citizen_case(external_id=f"{n}002")
    case_service.respond(ani, phoned.id, None, text="Sudah ditelepon", channel="phone", kind="acknowledgement",
                         happened_at=WROTE + timedelta(minutes=5))
    closed = citizen_case(external_id=f"{n}003")
    ids = [replies.draft(ani, new.id, "Laporan diterima.").id,
           replies.draft(ani, new.id, "Jalan sudah ditambal.", kind="handling").id,
           replies.draft(ani, phoned.id, "Petugas menuju lokasi.").id,
           replies.draft(ani, closed.id, "Terima kasih.").id]
    case_service.respond(ani, closed.id, None, text="Sudah diperbaiki", channel="field_visit")
    case_service.resolve(ani, closed.id, None)
    return [new.id, phoned.id, closed.id], ids


def _without_ids(value):
    """An event's value without the ids that differ between the two scenarios' rows."""
    if not isinstance(value, dict):
        return value
    return {k: v for k, v in value.items() if k not in ("mention", "reply", "platform_id")}


def _rows(case_ids: list[int]) -> tuple[list[tuple], list[tuple]]:
    with read_session() as session:
        cases = [tuple(getattr(session.get(Case, i), f) for f in CASE_FIELDS) for i in case_ids]
        events = [[tuple(_without_ids(getattr(e, f)) for f in EVENT_FIELDS) for e in session.exec(
            select(CaseEvent).where(CaseEvent.case_id == i).order_by(col(CaseEvent.id))).all()] for i in case_ids]
    return cases, events


def test_bulk_record_writes_the_rows_mark_sent_writes(citizen_case, make_user):
    ani = make_user("ani")
    one_cases, one_replies = _scenario(citizen_case, ani, 1597000000000000)
    bulk_cases, bulk_replies = _scenario(citizen_case, ani, 1597000000000999)
    with write_session() as session:
        store_replies.claim(session, "w", SENDER_PASS, limit=100)
    times = [SENDER_PASS - timedelta(minutes=m) for m in (4, 3, 2, 1)]
    for reply_id, at in zip(one_replies, times, strict=True):
        with write_session() as session:
            assert store_replies.mark_sent(session, reply_id, "w", f"{reply_id}", at, now=SENDER_PASS)
    with write_session() as session:
        mark_sent_many(session, "w", [Sent(r, f"{r}", at) for r, at in zip(bulk_replies, times, strict=True)],
                       SENDER_PASS)
    one, bulk = _rows(one_cases), _rows(bulk_cases)
    assert one[0][0][:2] == ("responded", 3) and one[0][0][3] is not None  # handled by the second reply
    assert one[0] == bulk[0]  # the cases
    assert one[1] == bulk[1]  # their timelines


def test_a_reply_taken_over_by_another_sender_makes_the_pass_record_one_by_one(platforms, citizen_case,
                                                                               make_user):
    ani = make_user("ani")
    first = replies.draft(ani, citizen_case(external_id="1597000000000000301").id, "Satu.")
    second = replies.draft(ani, citizen_case(external_id="1597000000000000302").id, "Dua.")
    with write_session() as session:
        claimed = store_replies.claim(session, "w", SENDER_PASS)
        session.execute(update(Reply).where(col(Reply.id) == second.id).values(claimed_by="other"))
    with pytest.raises(StaleBatch), write_session() as session:  # rolled back whole
        mark_sent_many(session, "w", [Sent(c.id, f"{c.id}", SENDER_PASS) for c in claimed], SENDER_PASS)
    sender = ReplySender(get_settings(), worker="w")
    result = sender._record_all([(c, Outcome("sent", Posted(f"{c.id}", SENDER_PASS))) for c in claimed], SENDER_PASS)
    assert result.sent == 1
    with read_session() as session:
        assert [session.get(Reply, i).state for i in (first.id, second.id)] == ["sent", "sending"]
