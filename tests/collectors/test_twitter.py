"""X: the recorded API v2 responses replayed through the real tweepy code path, via the
TANGGAP_X_API_BASE setting pointed at a local server; faults from the same server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import func, select

from collectors.poller import Poller
from collectors.sources import XSource
from store.db import read_session
from store.tables import Case, CollectorRun, CollectorState, Mention
from tests.collectors.fakes import Reply, mentions_page, recorded, recorded_json, tweet

RECORDED_NEXT = "7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j"
MENTIONS = "/2/users/783214/mentions"


@pytest.fixture
def x_settings(settings_env, fake_api, db):
    fake_api.add("/2/users/by/username/Twitter", recorded("test_client_get_user.yaml"))
    return settings_env(x_account="Twitter", x_bearer_token="test-token", x_api_base=fake_api.url,
                        http_timeout=2, x_monthly_read_budget=1000)


def _poller(settings, clock, name="twitter"):
    return Poller([XSource(name, settings)], clock=clock, sleep=clock.sleep)


def _count(model) -> int:
    with read_session() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def _state(source="twitter") -> CollectorState:
    with read_session() as s:
        return s.get(CollectorState, source)


def test_recorded_mentions_and_a_second_page_are_stored_once(x_settings, fake_api, clock):
    first = recorded_json("test_client_get_users_mentions.yaml")["data"]
    # The recordings hold no second page: this one repeats the first page's oldest post.
    second = mentions_page([first[-1], tweet(1, "lampu jalan mati di Rogojampi", base=1578516000000000000)])

    def mentions(query):
        return Reply(body=second) if query.get("pagination_token") == RECORDED_NEXT else \
            recorded("test_client_get_users_mentions.yaml")
    fake_api.add(MENTIONS, mentions)

    [summary] = _poller(x_settings, clock).run_once()

    assert (summary.status, summary.fetched, summary.inserted, summary.duplicates) == ("ok", 12, 11, 1)
    assert _count(Mention) == 11 and _count(Case) == 11
    first_query = next(q for p, q in fake_api.requests if p == MENTIONS)
    assert first_query["max_results"] == "100" and first_query["expansions"] == "author_id"
    assert "conversation_id" in first_query["tweet.fields"] and first_query["user.fields"] == "username,name"
    state = _state()
    assert state.cursor == "1578516295611748353"  # the newest id, saved after the last page
    assert "next_token" not in state.extra and state.extra["user_id"] == "783214"
    assert state.reads_used == 12 and state.status == "ok"
    with read_session() as s:
        m = s.exec(select(Mention).where(Mention.external_id == "1578516295611748353")).one()
    assert m.platform == "twitter" and m.source == "twitter"
    assert m.text.startswith("@Twitter @TwitterSupport this is my ENTIRE feed")
    assert m.created_at == datetime(2022, 10, 7, 22, 43, 6, 945000, tzinfo=UTC)  # from the snowflake id
    assert m.thread_key == "x:1578516295611748353"
    assert m.permalink == "https://x.com/i/web/status/1578516295611748353"
    assert m.raw["edit_history_tweet_ids"] == ["1578516295611748353"]


def test_next_run_asks_since_the_checkpoint_and_stores_nothing_twice(x_settings, fake_api, clock):
    fake_api.add(MENTIONS, Reply(body=mentions_page([tweet(2), tweet(1)])))
    _poller(x_settings, clock).run_once()
    fake_api.add(MENTIONS, Reply(body=mentions_page([tweet(3), tweet(2)])))
    [summary] = _poller(x_settings, clock).run_once()
    assert (summary.inserted, summary.duplicates) == (1, 1)
    queries = [q for p, q in fake_api.requests if p == MENTIONS]
    assert "since_id" not in queries[0] and queries[1]["since_id"] == tweet(2)["id"]
    assert fake_api.paths().count("/2/users/by/username/Twitter") == 1  # the user id is cached


def test_replies_in_one_conversation_join_one_case(x_settings, fake_api, clock):
    root = tweet(1, "banjir di Kalibaru")
    conversation = int(root["id"])
    fake_api.add(MENTIONS, Reply(body=mentions_page(
        [tweet(3, "masih banjir", conversation=conversation), tweet(2, "tolong", conversation=conversation), root],
        users=[{"id": "100", "username": "warga_bwi", "name": "Warga"}])))
    _poller(x_settings, clock).run_once()
    with read_session() as s:
        cases = s.exec(select(Case)).all()
        handles = set(s.exec(select(Mention.author_handle)).all())
    assert [c.mention_count for c in cases] == [3] and cases[0].summary == "banjir di Kalibaru"
    assert handles == {"warga_bwi"}


def test_recorded_search_results_are_stored_with_times_from_their_ids(settings_env, fake_api, db, clock):
    settings = settings_env(x_search_query="Tweepy", x_bearer_token="t", x_api_base=fake_api.url)
    fake_api.add("/2/tweets/search/recent", recorded("test_client_search_recent_tweets.yaml"),
                 Reply(body=mentions_page([])))
    [summary] = _poller(settings, clock, "twitter-search").run_once()
    assert summary.inserted == 10
    with read_session() as s:
        rows = s.exec(select(Mention)).all()
    # Each recorded text is the time its client sent it; the id's time is within a second.
    for row in rows:
        sent = datetime.fromisoformat(row.text.split(" tweepy")[0]).replace(tzinfo=UTC)
        assert timedelta(0) <= row.created_at - sent < timedelta(seconds=1)


def test_429_waits_until_the_reset_time_without_sleeping(x_settings, fake_api, clock):
    reset = int((clock.now + timedelta(minutes=7)).timestamp())
    fake_api.add(MENTIONS, Reply(429, {"title": "Too Many Requests"}, {"x-rate-limit-reset": str(reset)}))
    [summary] = _poller(x_settings, clock).run_once()
    assert summary.status == "rate_limited" and clock.slept == []
    assert summary.retry_after == datetime.fromtimestamp(reset, tz=UTC)
    assert _state().retry_after == summary.retry_after
    # Before the reset the source is skipped without a request; after it, it runs.
    requests_before = len(fake_api.requests)
    [again] = _poller(x_settings, clock).run_once()
    assert again.skipped and len(fake_api.requests) == requests_before
    fake_api.add(MENTIONS, Reply(body=mentions_page([tweet(1)])))
    clock.advance(7 * 60 + 1)
    [after] = _poller(x_settings, clock).run_once()
    assert after.status == "ok" and after.inserted == 1


@pytest.mark.parametrize("reply", [
    Reply(500, "<html>oops</html>", {"content-type": "text/html"}),  # server error
    Reply(503, {"title": "Service Unavailable"}),  # overloaded
    Reply(200, '{"data": [{"id": "1", "te'),  # malformed JSON: a body cut short
    Reply(hang=True),  # no answer: the client's timeout
])
def test_server_faults_back_off_exponentially_with_jitter(x_settings, fake_api, clock, reply):
    fake_api.add(MENTIONS, reply)
    delays = []
    for _ in range(3):
        [summary] = _poller(x_settings, clock).run_once()
        assert summary.status == "failing"
        delays.append((summary.retry_after - clock.now).total_seconds())
        clock.now = summary.retry_after
    assert 15 <= delays[0] <= 30 and 30 <= delays[1] <= 60 and 60 <= delays[2] <= 120
    assert _state().status == "failing"
    with read_session() as s:
        runs = s.exec(select(CollectorRun)).all()
    assert len(runs) == 3 and all(r.error and r.ended_at for r in runs)


@pytest.mark.parametrize("status", [401, 403])
def test_rejected_token_stops_the_source_with_a_clear_status(x_settings, fake_api, clock, status):
    fake_api.add(MENTIONS, Reply(status, {"title": "Unauthorized"}))
    [summary] = _poller(x_settings, clock).run_once()
    state = _state()
    assert summary.status == state.status == "stopped"
    assert state.status_detail.startswith("token invalid or expired")


def test_spent_read_budget_stops_the_source_until_next_month(settings_env, x_settings, fake_api, clock):
    settings = settings_env(x_monthly_read_budget=5)
    fake_api.add(MENTIONS, Reply(body=mentions_page([tweet(i) for i in range(9, 4, -1)], next_token="p2")))
    [summary] = _poller(settings, clock).run_once()
    assert summary.status == "budget_spent" and summary.inserted == 5
    assert summary.retry_after == datetime(2026, 12, 1, tzinfo=UTC)
    state = _state()
    assert state.reads_used == 5 and state.extra["next_token"] == "p2"  # resumes next month
    mention_queries = [q for p, q in fake_api.requests if p == MENTIONS]
    assert len(mention_queries) == 1 and mention_queries[0]["max_results"] == "5"


def test_a_deleted_post_reported_in_errors_does_not_stop_the_page(x_settings, fake_api, clock):
    page = mentions_page([tweet(2), tweet(1)])
    page["errors"] = [{"resource_id": "123", "type": "https://api.twitter.com/2/problems/resource-not-found",
                       "title": "Not Found Error", "detail": "Could not find tweet with id: [123]."}]
    fake_api.add(MENTIONS, Reply(body=page))
    [summary] = _poller(x_settings, clock).run_once()
    assert (summary.status, summary.inserted) == ("ok", 2)


def test_a_payload_missing_a_required_field_is_left_out_and_logged_and_the_batch_goes_on(
        x_settings, fake_api, clock, caplog):
    # collectors/README, "What happens when": left out and logged; the batch goes on (status ok).
    textless = {k: v for k, v in tweet(2).items() if k != "text"}
    fake_api.add(MENTIONS, Reply(body=mentions_page([tweet(3), textless, tweet(1)])))
    summaries = _poller(x_settings, clock).run_once()
    assert [s.status for s in summaries] == ["ok"]
    assert _count(Mention) == 2 and _state().cursor == tweet(3)["id"]
    assert any("left out an unreadable payload" in r.getMessage() for r in caplog.records)
