"""The worker's reply sender against fake X and Graph servers on 127.0.0.1, through the real
tweepy and facebook-sdk code paths: posted exactly once, recorded as the case's response at
the platform's time, and each platform error turned into a state with words."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from collectors.facebook_replies import FacebookReplies
from collectors.x_replies import XReplies
from console.services import replies
from store import replies as store_replies
from store.cases import Actor, log_response
from store.db import read_session, write_session
from store.settings import get_settings
from store.tables import Case, CaseEvent, Reply
from tests.collectors.fakes import Reply as Answer
from tests.replies.conftest import AT_DRAFT_TIME, FB_COMMENT, SENDER_PASS, TWEET, send
from tests.replies.platforms import PAGE, POSTED_AT

pytestmark = AT_DRAFT_TIME


def _reply(reply_id: int) -> Reply:
    with read_session() as session:
        return session.get(Reply, reply_id)


def _case(case_id: int) -> Case:
    with read_session() as session:
        return session.get(Case, case_id)


def test_x_reply_is_posted_once_and_is_the_first_response_at_the_platforms_time(platforms, citizen_case,
                                                                                  make_user):
    x, _ = platforms
    ani = make_user("ani", "komunikasi")
    case = citizen_case()
    view = replies.draft(ani, case.id, "Terima kasih, laporan sudah kami teruskan ke Dinas PU.")
    assert view.state == "approved"  # the comms team's own reply needs no approval (agency mode)

    assert send().sent == 1
    assert send(SENDER_PASS + timedelta(hours=1)).sent == 0  # nothing left to send
    assert [p["text"] for p in x.replies_to(TWEET)] == ["Terima kasih, laporan sudah kami teruskan ke Dinas PU."]
    sent = _reply(view.id)
    assert (sent.state, sent.platform_id, sent.platform_at) == ("sent", x.posted[0]["id"], POSTED_AT)
    stored = _case(case.id)
    assert stored.first_response_at == POSTED_AT and stored.status == "responded"
    assert stored.first_handling_at is None  # a platform reply acknowledges unless it says it handles
    with read_session() as session:
        events = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()
    assert [e.action for e in events if e.action != "opened"] == ["reply_drafted", "reply_sent", "responded"]
    responded = [e for e in events if e.action == "responded"]
    assert len(responded) == 1 and responded[0].response_channel == "platform_reply"


def _claimed_and_posted_then_crashed(reply_id: int, posted: bool) -> None:
    """What a sender that died leaves: the claim committed, maybe the post made, nothing recorded
    (the real crashes, a killed worker process, are in test_crash.py)."""
    with write_session() as session:
        claimed = store_replies.claim(session, "dead-worker:1", SENDER_PASS)
    assert [c.id for c in claimed] == [reply_id]
    if posted:
        XReplies.from_settings(get_settings()).post(claimed[0])


@pytest.mark.parametrize("posted_before_crash", [True, False], ids=["posted", "not-posted"])
def test_a_reply_left_sending_is_looked_up_on_x_before_it_is_posted_again(platforms, citizen_case, make_user,
                                                                          posted_before_crash):
    x, _ = platforms
    case = citizen_case()
    view = replies.draft(make_user("ani"), case.id, "Tim sedang menuju lokasi.")
    _claimed_and_posted_then_crashed(view.id, posted_before_crash)

    assert send(SENDER_PASS + timedelta(minutes=1)).sent == 0  # its lease still runs: nobody touches it
    assert send(SENDER_PASS + store_replies.CLAIM_LEASE).sent == 1
    assert len(x.replies_to(TWEET)) == 1
    assert _reply(view.id).platform_id == x.posted[0]["id"]
    assert "/2/users/9000/tweets" in x.api.paths()  # looked for it first


@pytest.mark.parametrize(("answer", "state", "code"), [
    # X refuses the same text twice in a row: for good, with words.
    (Answer(403, {"detail": "You are not allowed to create a Tweet with duplicate content.",
                  "title": "Forbidden", "status": 403, "type": "about:blank"}), "failed", "x_duplicate"),
    (Answer(401, {"title": "Unauthorized", "status": 401, "detail": "Unauthorized"}), "failed", "token"),
    # A 429 means nothing was posted: back in the queue until the reset time.
    (Answer(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(int(
        datetime(2026, 11, 29, 12, 30, tzinfo=UTC).timestamp()))}), "approved", None),
    # A 5xx may or may not have posted: left sending, looked up before the next try.
    (Answer(503, {"title": "Service Unavailable"}), "sending", None),
], ids=["403-duplicate", "401", "429", "503"])
def test_x_errors_become_a_state_with_words(platforms, citizen_case, make_user, answer, state, code):
    x, _ = platforms
    case = citizen_case()
    view = replies.draft(make_user("ani"), case.id, "Laporan diterima.")
    x.fail_next(answer)
    result = send()
    reply = _reply(view.id)
    assert (reply.state, reply.error_code) == (state, code)
    assert result.failed == (state == "failed")
    assert _case(case.id).first_response_at is None  # a failed or pending reply is no response
    if state == "approved":
        assert reply.next_attempt_at == datetime(2026, 11, 29, 12, 30, tzinfo=UTC)
    if state != "failed":  # tried again later, it goes out once
        assert send(SENDER_PASS + timedelta(hours=1)).sent == 1
        assert len(x.replies_to(TWEET)) == 1 and _case(case.id).first_response_at == POSTED_AT


def test_facebook_reply_is_a_comment_under_the_citizens_comment(platforms, citizen_case, make_user):
    _, graph = platforms
    case = citizen_case("facebook", FB_COMMENT, author="2001")
    view = replies.draft(make_user("ani"), case.id, "Terima kasih, sudah kami teruskan.")
    assert send().sent == 1
    assert graph.page_comments(FB_COMMENT) == ["Terima kasih, sudah kami teruskan."]
    assert _reply(view.id).platform_at == POSTED_AT and _case(case.id).first_response_at == POSTED_AT


def test_restricted_facebook_case_gets_a_private_reply_and_only_a_neutral_public_note(platforms, citizen_case,
                                                                                     make_user):
    _, graph = platforms
    case = citizen_case("facebook", FB_COMMENT, author="2001", category="perlindungan_anak")
    view = replies.draft(make_user("ani"), case.id, "Kami akan menghubungi Ibu untuk pendampingan anak.")
    assert view.private
    assert send().sent == 1
    assert graph.private == [{"comment_id": FB_COMMENT, "text": "Kami akan menghubungi Ibu untuk pendampingan anak."}]
    assert graph.page_comments(FB_COMMENT) == [replies.NEUTRAL_NOTE]


@pytest.mark.parametrize(("code", "words"), [(190, "token"), (368, "fb_blocked"), (100, "fb_deleted")])
def test_graph_errors_fail_the_reply_with_words(platforms, citizen_case, make_user, code, words):
    _, graph = platforms
    case = citizen_case("facebook", FB_COMMENT, author="2001")
    view = replies.draft(make_user("ani"), case.id, "Terima kasih.")
    graph.fail_next(Answer(400, {"error": {"message": f"error {code}", "type": "OAuthException", "code": code}}))
    assert send().failed == 1
    assert (_reply(view.id).state, _reply(view.id).error_code) == ("failed", words)
    assert "page-token" not in (_reply(view.id).error_detail or "")


def test_sms_reply_is_queued_in_gammu_and_sent_when_the_modem_has_sent_it(platforms, citizen_case, make_user,
                                                                          gammu_db, monkeypatch):
    monkeypatch.setenv("TANGGAP_SMS_GAMMU_URL", gammu_db.url)
    get_settings.cache_clear()
    case = citizen_case("sms", "sms-1", author="+6281234567890")
    view = replies.draft(make_user("ani"), case.id, "Laporan Bapak/Ibu sudah kami terima. Nomor kasus kami kirim.")
    assert send().waiting == 1
    assert [r["DestinationNumber"] for r in gammu_db.rows("outbox")] == ["+6281234567890"]
    assert _reply(view.id).state == "sending" and _case(case.id).first_response_at is None
    assert send(SENDER_PASS + timedelta(minutes=1)).sent == 0  # still in the modem's queue
    gammu_db.deliver(f"tanggap-reply-{view.id}", sent_at="2026-11-29 19:20:00")  # WIB, as Gammu writes it
    assert send(SENDER_PASS + timedelta(minutes=10)).sent == 1
    assert _case(case.id).first_response_at == datetime(2026, 11, 29, 12, 20, tzinfo=UTC)
    assert gammu_db.rows("outbox") == [] and len(gammu_db.rows("sentitems")) == 1


def test_sms_the_modem_could_not_send_fails_the_reply(platforms, citizen_case, make_user, gammu_db, monkeypatch):
    monkeypatch.setenv("TANGGAP_SMS_GAMMU_URL", gammu_db.url)
    get_settings.cache_clear()
    case = citizen_case("sms", "sms-1", author="+6281234567890")
    view = replies.draft(make_user("ani"), case.id, "Laporan diterima.")
    send()
    gammu_db.deliver(f"tanggap-reply-{view.id}", status="SendingError")
    assert send(SENDER_PASS + timedelta(minutes=10)).failed == 1
    assert (_reply(view.id).state, _reply(view.id).error_code) == ("failed", "sms_failed")
    assert replies.failed_reply_cases([case.id]) == {case.id}


def test_a_private_reply_sent_before_a_crash_is_not_sent_again_and_its_public_note_follows(
        platforms, citizen_case, make_user):
    _, graph = platforms
    case = citizen_case("facebook", FB_COMMENT, author="2001", category="perlindungan_anak")
    view = replies.draft(make_user("ani"), case.id, "Kami akan menghubungi Ibu.")
    with write_session() as session:
        claimed = store_replies.claim(session, "dead-worker:1", SENDER_PASS)
    # The dead worker got the private reply out, not the public note.
    FacebookReplies.from_settings(get_settings())._call(
        "put_object", PAGE, "messages", recipient=json.dumps({"comment_id": FB_COMMENT}),
        message=json.dumps({"text": claimed[0].text}))
    assert send(SENDER_PASS + store_replies.CLAIM_LEASE).sent == 1
    assert [m["text"] for m in graph.private] == ["Kami akan menghubungi Ibu."]  # once
    assert graph.page_comments(FB_COMMENT) == [replies.NEUTRAL_NOTE]
    assert _reply(view.id).state == "sent"


def test_the_own_post_pass_can_tell_a_reply_tanggap_sent(platforms, citizen_case, make_user):
    x, _ = platforms
    replies.draft(make_user("ani"), citizen_case().id, "Laporan diterima.")
    send()
    with read_session() as session:
        assert store_replies.sent_from_tanggap(session, "twitter", [x.posted[0]["id"], "123"]) == {x.posted[0]["id"]}


def test_a_reply_the_own_timeline_logged_first_is_not_a_second_response(platforms, citizen_case, make_user):
    """A sender died after posting; the collectors' own-timeline pass then logged the post as
    a response (by its ref). The restarted sender finds the post and records it sent, once."""
    x, _ = platforms
    case = citizen_case()
    view = replies.draft(make_user("ani"), case.id, "Tim sedang menuju lokasi.")
    _claimed_and_posted_then_crashed(view.id, posted=True)
    with write_session() as session:
        log_response(session, case.id, None, Actor(None, "@bupati (X)"), text="Tim sedang menuju lokasi.",
                     channel="platform_reply", happened_at=POSTED_AT, now=SENDER_PASS,
                     external_ref=f"twitter:{x.posted[0]['id']}")
    assert send(SENDER_PASS + store_replies.CLAIM_LEASE).sent == 1
    with read_session() as session:
        responded = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                         CaseEvent.action == "responded")).all()
    assert [e.external_ref for e in responded] == [f"twitter:{x.posted[0]['id']}"]
    assert _reply(view.id).state == "sent" and len(x.posted) == 1
