"""The regent's own X posts: his timeline (``twitter-own``, GET /2/users/:id/tweets) read
through the real tweepy code path against a local server; a reply in a case's conversation
stops the case's acknowledgement clock at the post's time, once, from whichever X stream
brings it; his other posts are never mentions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from collectors.sources import build_sources
from console.services.cases import case_detail
from store import sla
from store.db import read_session
from store.tables import Case, CaseEvent, CollectorState
from tests.collectors.fakes import Reply, mentions_page, recorded, tweet
from tests.collectors.own_posts import (
    ACCOUNT,
    ACCOUNT_ID,
    CITIZEN,
    MENTIONS,
    OWN,
    RECORDED_NEXT,
    SEARCH,
    citizen_case,
    mention_ids,
    own_reply,
    responses,
    run,
    x_settings_for,
)


@pytest.fixture
def x_settings(settings_env, fake_api, db):
    return x_settings_for(settings_env, fake_api)


def test_recorded_own_timeline_is_read_with_reply_fields_and_paged_and_its_posts_are_no_mentions(
        x_settings, fake_api, clock):
    fake_api.add(OWN, lambda q: Reply(body=mentions_page([])) if q.get("pagination_token") == RECORDED_NEXT
                 else recorded("test_client_get_users_tweets.yaml"))
    [summary] = run(x_settings, clock, "twitter-own")
    # The two recorded posts answer no case: ignored and counted, never stored.
    assert (summary.status, summary.fetched, summary.inserted, summary.own_ignored) == ("ok", 2, 0, 2)
    assert "own posts on no case 2" in summary.line()
    assert mention_ids() == []
    first, second = [q for p, q in fake_api.requests if p == OWN]
    fields = first["tweet.fields"].split(",")
    assert {"conversation_id", "in_reply_to_user_id", "referenced_tweets", "created_at"} <= set(fields)
    assert first["exclude"] == "retweets" and first["max_results"] == "100" and "since_id" not in first
    # The first run reads back seven days only; the next page is asked with the same query.
    assert first["start_time"] == second["start_time"] == "2026-11-22T04:00:00Z"
    assert second["pagination_token"] == RECORDED_NEXT
    with read_session() as s:
        state = s.get(CollectorState, "twitter-own")
    assert state.cursor == "1577730467436138524" and state.extra["user_id"] == ACCOUNT_ID
    assert "next_token" not in state.extra and "start_time" not in state.extra
    # The next run asks since the checkpoint, without a start time, and resolves the id no more.
    fake_api.add(OWN, Reply(body=mentions_page([])))
    run(x_settings, clock, "twitter-own")
    last = [q for p, q in fake_api.requests if p == OWN][-1]
    assert last["since_id"] == "1577730467436138524" and "start_time" not in last
    assert fake_api.paths().count("/2/users/by/username/Twitter") == 1  # resolved once, then kept


def test_own_reply_in_a_cases_conversation_stops_its_acknowledgement_clock_at_the_posts_time(
        x_settings, fake_api, clock, make_user):
    complaint = citizen_case(fake_api, x_settings, clock)
    reply = own_reply(40, complaint)
    announcement = tweet(41, "Festival Gandrung Sewu Sabtu ini", author=ACCOUNT_ID)
    fake_api.add(OWN, Reply(body=mentions_page([announcement, reply], users=[ACCOUNT])))
    [summary] = run(x_settings, clock, "twitter-own")
    assert (summary.responses, summary.own_ignored, summary.inserted) == (1, 1, 0)
    replied_at = datetime.fromisoformat(reply["created_at"])
    with read_session() as s:
        [case] = s.exec(select(Case)).all()
    assert case.status == "responded" and case.first_response_at == replied_at
    assert case.first_response_at - case.opened_at == timedelta(seconds=39)
    clocks = sla.clocks(case, clock.now)
    assert clocks.acknowledgement.state == sla.SlaState.MET and clocks.acknowledgement.stopped_at == replied_at
    assert clocks.handling.running  # an acknowledgement, not help given
    [event] = responses()
    assert (event.response_channel, event.response_kind, event.actor_label) == (
        "platform_reply", sla.default_kind("platform_reply"), "@Twitter (X)")
    assert event.external_ref == f"twitter:{reply['id']}" and event.happened_at == replied_at
    # The case page shows it as the first response, at the platform's time.
    detail = case_detail(make_user("ani"), case.id)
    shown = [e for e in detail.timeline if e.action == "responded"]
    assert [(e.actor_label, e.happened_at, e.response_text) for e in shown] == [
        ("@Twitter (X)", replied_at, reply["text"])]
    assert mention_ids() == [complaint["id"]]


def test_the_same_reply_seen_again_by_every_x_stream_is_one_response(x_settings, fake_api, clock):
    complaint = citizen_case(fake_api, x_settings, clock)
    reply = own_reply(40, complaint)
    page = mentions_page([reply], users=[ACCOUNT])
    fake_api.add(OWN, Reply(body=page))
    run(x_settings, clock, "twitter-own")
    clock.advance(120)
    # A restart (the server sends the post again), the keyword search and the mentions timeline all bring it.
    with read_session() as s:
        assert s.get(CollectorState, "twitter-own").cursor == reply["id"]
    fake_api.add(MENTIONS, Reply(body=mentions_page([reply, complaint], users=[ACCOUNT, CITIZEN])))
    fake_api.add(SEARCH, Reply(body=page))
    summaries = run(x_settings, clock, "twitter", "twitter-search")
    summaries += run(x_settings, clock, "twitter-own")
    assert [s.status for s in summaries] == ["ok"] * 3 and sum(s.responses for s in summaries) == 0
    assert len(responses()) == 1 and mention_ids() == [complaint["id"]]


def test_a_reply_found_by_its_replied_to_post_when_the_conversation_is_not_given(x_settings, fake_api, clock):
    complaint = citizen_case(fake_api, x_settings, clock)
    reply = own_reply(40, complaint)
    del reply["conversation_id"]
    fake_api.add(OWN, Reply(body=mentions_page([reply])))
    assert run(x_settings, clock, "twitter-own")[0].responses == 1


def test_search_never_stores_the_accounts_own_post_as_a_mention(x_settings, fake_api, clock):
    own = tweet(5, "Info banjir Banyuwangi: posko di kantor kecamatan", author=ACCOUNT_ID)
    citizen = tweet(4, "banyuwangi banjir lagi", author=CITIZEN["id"])
    fake_api.add(SEARCH, Reply(body=mentions_page([own, citizen], users=[ACCOUNT, CITIZEN])))
    [summary] = run(x_settings, clock, "twitter-search")
    assert (summary.inserted, summary.own_ignored) == (1, 1)
    assert mention_ids() == [citizen["id"]]


def test_search_knows_the_account_by_id_when_the_username_is_not_expanded(x_settings, fake_api, clock):
    own = tweet(5, "Info banjir Banyuwangi", author=ACCOUNT_ID)
    fake_api.add(SEARCH, Reply(body=mentions_page([own])))  # no includes.users at all
    [summary] = run(x_settings, clock, "twitter-search")
    assert (summary.inserted, summary.own_ignored) == (0, 1) and mention_ids() == []


def test_own_reply_on_a_resolved_case_is_not_logged(x_settings, fake_api, clock):
    complaint = citizen_case(fake_api, x_settings, clock)
    from store.cases import Actor, log_response, resolve
    from store.db import write_session
    with write_session() as s:
        case_id = s.exec(select(Case.id)).one()
        log_response(s, case_id, None, Actor(None, "ani"), text="diperbaiki", channel="field_visit", now=clock.now)
        resolve(s, case_id, None, Actor(None, "ani"), now=clock.now)
    fake_api.add(OWN, Reply(body=mentions_page([own_reply(40, complaint)])))
    [summary] = run(x_settings, clock, "twitter-own")
    assert (summary.status, summary.responses, summary.own_ignored) == ("ok", 0, 1)
    assert [e.response_channel for e in responses()] == ["field_visit"]


def test_429_on_the_own_timeline_waits_for_its_reset_and_the_mentions_keep_running(x_settings, fake_api, clock):
    reset = int((clock.now + timedelta(minutes=9)).timestamp())
    fake_api.add(OWN, Reply(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)}))
    fake_api.add(MENTIONS, Reply(body=mentions_page([tweet(1)])))
    mentions, own = run(x_settings, clock, "twitter", "twitter-own")
    assert (mentions.status, mentions.inserted) == ("ok", 1)
    assert own.status == "rate_limited" and clock.slept == []
    assert own.retry_after == datetime.fromtimestamp(reset, tz=UTC)
    with read_session() as s:
        assert s.get(CollectorState, "twitter-own").retry_after == own.retry_after
        assert s.exec(select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "responded")).one() == 0


def test_twitter_runs_the_own_timeline_with_it(x_settings):
    assert [s.name for s in build_sources(x_settings, ["twitter"])[0]] == ["twitter", "twitter-own"]
    assert [s.name for s in build_sources(x_settings, ["twitter-own"])[0]] == ["twitter-own"]
    assert [s.name for s in build_sources(x_settings)[0]] == ["twitter", "twitter-own", "twitter-search"]


def test_a_second_collector_logging_the_same_reply_at_once_leaves_out_only_that_response(
        x_settings, fake_api, clock, monkeypatch):
    complaint = citizen_case(fake_api, x_settings, clock)
    reply = own_reply(40, complaint)
    fake_api.add(OWN, Reply(body=mentions_page([reply])))
    run(x_settings, clock, "twitter-own")
    # The search's check ran before the other collector committed: only the unique ref stops it.
    from collectors import own_replies
    monkeypatch.setattr(own_replies, "_logged_refs", lambda session, refs: set())
    monkeypatch.setattr(own_replies, "_logged_without_ref", lambda session, case_id, m: False)
    citizen = tweet(50, "banyuwangi: lampu jalan mati", author=CITIZEN["id"])
    fake_api.add(SEARCH, Reply(body=mentions_page([citizen, reply], users=[ACCOUNT, CITIZEN])))
    [summary] = run(x_settings, clock, "twitter-search")
    assert (summary.status, summary.inserted, summary.responses, summary.duplicates) == ("ok", 1, 0, 1)
    assert len(responses()) == 1 and sorted(mention_ids()) == sorted([complaint["id"], citizen["id"]])
    with read_session() as s:
        [case] = [c for c in s.exec(select(Case)).all() if c.first_response_at is not None]
    assert case.version == 2  # opened, then the one response: the refused one left no trace


def test_the_own_timeline_spends_its_own_read_budget(settings_env, x_settings, fake_api, clock):
    settings = settings_env(x_monthly_read_budget=5)
    fake_api.add(OWN, Reply(body=mentions_page([tweet(i, author=ACCOUNT_ID) for i in range(9, 4, -1)],
                                               next_token="p2")))
    fake_api.add(MENTIONS, Reply(body=mentions_page([tweet(1)])))
    own, = run(settings, clock, "twitter-own")
    assert own.status == "budget_spent" and own.retry_after == datetime(2026, 12, 1, tzinfo=UTC)
    mentions, = run(settings, clock, "twitter")
    assert (mentions.status, mentions.inserted) == ("ok", 1)  # the mentions' budget is untouched
    with read_session() as s:
        assert s.get(CollectorState, "twitter-own").reads_used == 5 and s.get(CollectorState, "twitter").reads_used == 1


def test_a_server_error_on_the_own_timeline_backs_off(x_settings, fake_api, clock):
    fake_api.add(OWN, Reply(503, {"title": "Service Unavailable"}))
    [summary] = run(x_settings, clock, "twitter-own")
    assert summary.status == "failing" and 15 <= (summary.retry_after - clock.now).total_seconds() <= 30
