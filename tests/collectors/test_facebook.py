"""Facebook Page: recorded Graph API pages replayed through facebook-sdk (version v25.0
set after construction, base URL from TANGGAP_FACEBOOK_GRAPH_URL); faults and the Page's
own replies from a local server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from collectors.poller import Poller
from collectors.sources import FacebookSource
from store.db import read_session
from store.tables import Case, CaseEvent, CollectorState, Mention
from tests.collectors.fakes import Clock, Reply, fb_fixture

PAGE = "19292868552"
POST = "19292868552_10158407654328553"
ERROR_190 = {"error": {"message": "Error validating access token: Session has expired", "type": "OAuthException",
                       "code": 190, "error_subcode": 463, "fbtrace_id": "x"}}


@pytest.fixture
def fb_settings(settings_env, fake_api, db):
    return settings_env(facebook_page_id=PAGE, facebook_page_token="page-token",
                        facebook_graph_url=fake_api.url + "/", http_timeout=2)


def _run(settings, clock):
    [summary] = Poller([FacebookSource(settings)], clock=clock, sleep=clock.sleep).run_once()
    return summary


def _post(post_id, author, text, when):
    return {"id": post_id, "message": text, "created_time": when, "from": {"id": author, "name": "x"}}


def test_recorded_feed_pages_are_followed_and_stored(fb_settings, fake_api, clock):
    fake_api.add(f"/v25.0/{PAGE}/feed", lambda q: Reply(body=fb_fixture(
        "posts/feed_fields_p2.json" if "until" in q else "posts/feed_fields_p1.json")))
    fake_api.add(f"/v25.0/{PAGE}/tagged", Reply(body={"data": []}))
    summary = _run(fb_settings, clock)
    assert (summary.status, summary.fetched, summary.inserted, summary.duplicates) == ("ok", 10, 5, 5)
    feed_queries = [q for p, q in fake_api.requests if p.endswith("/feed")]
    assert feed_queries[0]["access_token"] == "page-token" and "until" in feed_queries[1]
    assert feed_queries[1]["access_token"] == "page-token"  # the recorded (redacted) token is not reused
    with read_session() as s:
        m = s.exec(select(Mention).where(Mention.external_id == "4_10113477241177441")).one()
    assert (m.text, m.created_at, m.thread_key) == ("Happy July 4th! 🇺🇸", datetime(2021, 7, 4, 19, 50, 58, tzinfo=UTC),
                                                   "fb:4_10113477241177441")


def test_recorded_comments_join_their_threads(fb_settings, fake_api):
    clock = Clock(datetime(2021, 8, 15, tzinfo=UTC))
    own_post = _post(POST, PAGE, "Pengumuman", "2021-08-10T18:00:00+0000")
    fake_api.add(f"/v25.0/{PAGE}/feed", Reply(body={"data": [own_post]}))
    fake_api.add(f"/v25.0/{PAGE}/tagged", Reply(body={"data": []}))
    fake_api.add(f"/v25.0/{POST}/comments", lambda q: Reply(body=fb_fixture(
        "comments/comments_p2.json" if q.get("after") else "comments/comments_p1.json")))
    summary = _run(fb_settings, clock)
    assert summary.status == "ok" and summary.inserted == 15  # the Page's own post opens no case
    comment_query = next(q for p, q in fake_api.requests if p.endswith("/comments"))
    assert comment_query["filter"] == "stream" and comment_query["order"] == "reverse_chronological"
    with read_session() as s:
        reply = s.exec(select(Mention).where(Mention.external_id == "10158407654328553_10158409983033553")).one()
        top = s.exec(select(Mention).where(Mention.external_id == "10158407654328553_10158407903973553")).one()
        case = s.get(Case, top.case_id)
    assert reply.case_id == top.case_id and case.mention_count == 3
    assert reply.thread_key == top.thread_key == "fb:10158407654328553_10158407903973553"
    assert reply.in_reply_to == "10158407654328553_10158407903973553"
    # The feed's checkpoint is its newest post; the post's own, its newest comment.
    state = _state()
    assert state.cursor == str(int(datetime(2021, 8, 10, 18, tzinfo=UTC).timestamp()))
    assert state.extra["posts"][POST]["c"] == int(datetime(2021, 8, 14, 7, 24, 42, tzinfo=UTC).timestamp())


def test_the_pages_own_reply_is_an_acknowledgement_on_the_case(fb_settings, fake_api, clock):
    when = clock.now - timedelta(hours=2)
    visitor_post = _post(f"{PAGE}_1", "555", "Jalan di Glagah rusak parah", when.isoformat())
    fake_api.add(f"/v25.0/{PAGE}/feed", Reply(body={"data": [visitor_post]}))
    fake_api.add(f"/v25.0/{PAGE}/tagged", Reply(body={"data": []}))
    page_reply = {"id": f"{PAGE}_1_9", "message": "Terima kasih, sudah diteruskan ke Dinas PU.",
                  "created_time": (when + timedelta(minutes=30)).isoformat(), "from": {"id": PAGE, "name": "Pemkab"}}
    fake_api.add(f"/v25.0/{PAGE}_1/comments", Reply(body={"data": [page_reply]}))
    _run(fb_settings, clock)
    clock.advance(60)
    _run(fb_settings, clock)  # fetched again: not logged twice
    with read_session() as s:
        [case] = s.exec(select(Case)).all()
        events = s.exec(select(CaseEvent).where(CaseEvent.action == "responded")).all()
        texts = s.exec(select(Mention.text)).all()
    assert case.status == "responded" and case.first_response_at == when + timedelta(minutes=30)
    assert len(events) == 1 and events[0].response_channel == "platform_reply"
    assert events[0].actor_label == "system:facebook"
    # "sudah diteruskan" stops the acknowledgement clock, not the handling one (staff can re-mark it).
    assert events[0].response_kind == "acknowledgement" and case.first_handling_at is None
    assert texts == ["Jalan di Glagah rusak parah"]  # the answer is not a mention


def test_a_deleted_post_is_dropped_from_the_comment_scan(fb_settings, fake_api, clock):
    when = (clock.now - timedelta(hours=1)).isoformat()
    fake_api.add(f"/v25.0/{PAGE}/feed", Reply(body={"data": [_post(f"{PAGE}_1", PAGE, "a", when),
                                                             _post(f"{PAGE}_2", PAGE, "b", when)]}))
    fake_api.add(f"/v25.0/{PAGE}/tagged", Reply(body={"data": []}))
    fake_api.add(f"/v25.0/{PAGE}_1/comments", Reply(400, fb_fixture("error_data.json")))  # real code-100 body
    fake_api.add(f"/v25.0/{PAGE}_2/comments", Reply(body={"data": [
        {"id": "2_1", "message": "air PDAM mati", "created_time": when, "from": {"id": "7"}}]}))
    summary = _run(fb_settings, clock)
    assert (summary.status, summary.inserted) == ("ok", 1)
    assert set(_state().extra["posts"]) == {f"{PAGE}_2"}


def test_comments_are_read_on_posts_within_the_configured_window(settings_env, fake_api, db, clock):
    settings = settings_env(facebook_page_id=PAGE, facebook_page_token="page-token", http_timeout=2,
                            facebook_graph_url=fake_api.url + "/", facebook_comment_days=3)
    recent, old = clock.now - timedelta(days=2), clock.now - timedelta(days=4)
    fake_api.add(f"/v25.0/{PAGE}/feed", Reply(body={"data": [_post(f"{PAGE}_1", PAGE, "a", recent.isoformat()),
                                                             _post(f"{PAGE}_2", PAGE, "b", old.isoformat())]}))
    fake_api.add(f"/v25.0/{PAGE}/tagged", Reply(body={"data": []}))
    fake_api.add(f"/v25.0/{PAGE}_1/comments", Reply(body={"data": []}))
    fake_api.add(f"/v25.0/{PAGE}_2/comments", Reply(body={"data": []}))
    assert _run(settings, clock).status == "ok"
    asked = {p.split("/")[-2] for p, _ in fake_api.requests if p.endswith("/comments")}
    assert asked == {f"{PAGE}_1"}  # the 4-day-old post is outside a 3-day window


def test_expired_token_stops_the_source(fb_settings, fake_api, clock):
    fake_api.add(f"/v25.0/{PAGE}/feed", Reply(400, ERROR_190))
    summary = _run(fb_settings, clock)
    state = _state()
    assert summary.status == state.status == "stopped"
    assert state.status_detail.startswith("token invalid or expired")


@pytest.mark.parametrize("code", [4, 17, 32, 613])  # app, user, page and custom rate limits
def test_graph_rate_limits_back_off(fb_settings, fake_api, clock, code):
    fake_api.add(f"/v25.0/{PAGE}/feed", Reply(400, {"error": {"message": "limit", "code": code}}))
    summary = _run(fb_settings, clock)
    assert summary.status == "rate_limited"
    assert timedelta(seconds=15) <= summary.retry_after - clock.now <= timedelta(seconds=30)


def test_server_error_page_is_a_temporary_failure(fb_settings, fake_api, clock):
    fake_api.add(f"/v25.0/{PAGE}/feed", Reply(502, "<html>Bad Gateway</html>", {"content-type": "text/html"}))
    summary = _run(fb_settings, clock)
    assert summary.status == "failing" and "502" in summary.error


def _state() -> CollectorState:
    with read_session() as s:
        return s.get(CollectorState, "facebook")
