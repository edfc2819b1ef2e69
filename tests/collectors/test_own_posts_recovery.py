"""The regent's own X replies when things go wrong: a reply fetched before its case (it waits
a day), a case changed while the reply is logged, a collector killed on the own timeline."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from store.db import read_session
from store.tables import Case, CollectorState
from tests.collectors.fakes import Reply, mentions_page, tweet
from tests.collectors.own_posts import (
    CITIZEN,
    MENTIONS,
    OWN,
    base_at,
    citizen_case,
    own_reply,
    responses,
    run,
    x_settings_for,
)


@pytest.fixture
def x_settings(settings_env, fake_api, db):
    return x_settings_for(settings_env, fake_api)


def test_a_reply_fetched_before_its_case_is_logged_once_the_case_arrives(x_settings, fake_api, clock):
    base = base_at(clock.now - timedelta(hours=1))
    complaint = tweet(1, "@Twitter lampu jalan Genteng mati", base=base)
    reply = own_reply(600, complaint, base=base)  # ten minutes later
    fake_api.add(OWN, Reply(body=mentions_page([reply])))
    [first] = run(x_settings, clock, "twitter-own")  # the mentions source has not stored the complaint yet
    assert (first.responses, first.own_ignored) == (0, 1)
    fake_api.add(MENTIONS, Reply(body=mentions_page([complaint], users=[CITIZEN])))
    run(x_settings, clock, "twitter")
    clock.advance(120)
    fake_api.add(OWN, Reply(body=mentions_page([])))
    [second] = run(x_settings, clock, "twitter-own")
    assert (second.responses, second.own_ignored, second.duplicates) == (1, 0, 0)
    with read_session() as s:
        [case] = s.exec(select(Case)).all()
    assert case.first_response_at == datetime.fromisoformat(reply["created_at"])
    [third] = run(x_settings, clock, "twitter-own")  # still waiting, but logged: nothing more, nothing counted
    assert (third.responses, third.own_ignored, third.duplicates) == (0, 0, 0) and len(responses()) == 1


def test_a_reply_waits_for_its_case_one_day_only(x_settings, fake_api, clock):
    base = base_at(clock.now - timedelta(hours=1))
    complaint = tweet(1, "@Twitter banjir", base=base)
    fake_api.add(OWN, Reply(body=mentions_page([own_reply(60, complaint, base=base)])))
    run(x_settings, clock, "twitter-own")
    with read_session() as s:
        assert len(s.get(CollectorState, "twitter-own").extra["waiting"]) == 1
    fake_api.add(OWN, Reply(body=mentions_page([])))
    clock.advance(23 * 3600)
    run(x_settings, clock, "twitter-own")
    with read_session() as s:
        assert len(s.get(CollectorState, "twitter-own").extra["waiting"]) == 1
    clock.advance(3600)
    run(x_settings, clock, "twitter-own")
    with read_session() as s:
        assert s.get(CollectorState, "twitter-own").extra["waiting"] == []


def test_a_case_changed_while_its_reply_is_logged_is_retried_not_lost(x_settings, fake_api, clock, monkeypatch):
    complaint = citizen_case(fake_api, x_settings, clock)
    reply = own_reply(40, complaint)
    fake_api.add(OWN, Reply(body=mentions_page([reply])))
    from collectors import own_replies
    from store.cases import ConflictError, log_response

    def conflict(*args, **kwargs):
        raise ConflictError(1, "ani", clock.now, 2)
    monkeypatch.setattr(own_replies, "log_response", conflict)
    [failed] = run(x_settings, clock, "twitter-own")
    assert failed.status == "failing" and "changed while its reply was logged" in failed.error
    with read_session() as s:
        assert s.get(CollectorState, "twitter-own").cursor is None  # the page was rolled back whole
    monkeypatch.setattr(own_replies, "log_response", log_response)
    clock.now = failed.retry_after
    [retried] = run(x_settings, clock, "twitter-own")
    assert (retried.status, retried.responses) == ("ok", 1) and len(responses()) == 1


@pytest.mark.parametrize("point", ["before_checkpoint", "after_commit"])
def test_a_collector_killed_on_the_own_timeline_logs_each_reply_once(x_settings, fake_api, clock, point):
    complaints = [tweet(n, f"@Twitter keluhan nomor {n}") for n in range(1, 5)]
    fake_api.add(MENTIONS, Reply(body=mentions_page(complaints[::-1], users=[CITIZEN])))
    run(x_settings, clock, "twitter")
    replies = [own_reply(100 + n, c) for n, c in enumerate(complaints)]
    pages = {None: (replies[:1:-1], "p2"), "p2": (replies[1::-1], None)}  # newest first, two pages
    fake_api.add(OWN, lambda q: Reply(body=mentions_page(*pages[q.get("pagination_token")])))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]), "TANGGAP_X_ACCOUNT": "Twitter",
           "TANGGAP_X_BEARER_TOKEN": "t", "TANGGAP_X_API_BASE": fake_api.url, "TANGGAP_HTTP_TIMEOUT": "5"}
    child = [sys.executable, str(Path(__file__).with_name("crash_child.py"))]
    killed = subprocess.run([*child, point, "twitter-own"], env=env, capture_output=True, text=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert len(responses()) == (4 if point == "after_commit" else 2)
    restarted = subprocess.run([*child, "none", "twitter-own"], env=env, capture_output=True, text=True, timeout=120)
    assert restarted.returncode == 0, restarted.stderr
    events = responses()
    assert sorted(e.external_ref for e in events) == sorted(f"twitter:{r['id']}" for r in replies)  # each once
    with read_session() as s:
        assert all(c.first_response_at is not None for c in s.exec(select(Case)).all())
