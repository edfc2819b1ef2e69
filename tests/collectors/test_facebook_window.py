"""Facebook comments on every Page post of the TANGGAP_FACEBOOK_COMMENT_DAYS window, from the
first run (posts published before Tanggap started included), each post's scan with its own
checkpoint: through facebook-sdk against a local Graph server that honours ``since`` as
Graph does (created_time at or after it)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from collectors.poller import Poller
from collectors.sources import FacebookSource
from store.db import read_session
from store.tables import CollectorRun, CollectorState, Mention
from tests.collectors.fakes import Reply

PAGE = "19292868552"
NOW = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)  # the poller's clock in every test here (fakes.Clock's default)
ROOT = Path(__file__).parents[2]


class Graph:
    """The Page's posts and their comments, served newest first and filtered by ``since``."""

    def __init__(self, fake_api):
        self.api, self.posts, self.comments = fake_api, [], {}
        fake_api.add(f"/v25.0/{PAGE}/feed", lambda q: self._since(self.posts, q))
        fake_api.add(f"/v25.0/{PAGE}/tagged", Reply(body={"data": []}))

    def post(self, n: int, age: timedelta, author: str = PAGE) -> str:
        post_id = f"{PAGE}_{n}"
        self.posts.append({"id": post_id, "message": f"Pengumuman {n}", "created_time": _graph_time(NOW - age),
                           "from": {"id": author, "name": "Pemkab"}})
        self.comments[post_id] = []
        self.api.add(f"/v25.0/{post_id}/comments", lambda q, p=post_id: self._since(self.comments[p], q))
        return post_id

    def comment(self, post_id: str, n: int, age: timedelta, text: str) -> str:
        comment_id = f"{post_id.split('_')[1]}_{n}"
        self.comments[post_id].append({"id": comment_id, "message": text, "created_time": _graph_time(NOW - age),
                                       "from": {"id": f"9{n}", "name": f"Warga {n}"}})
        return comment_id

    @staticmethod
    def _since(items: list[dict], query: dict) -> Reply:
        since = int(query.get("since", 0))
        shown = [i for i in items if datetime.fromisoformat(i["created_time"]).timestamp() >= since]
        return Reply(body={"data": sorted(shown, key=lambda i: i["created_time"], reverse=True)})

    def asked(self, post_id: str) -> list[dict]:
        return [q for p, q in self.api.requests if p == f"/v25.0/{post_id}/comments"]


def _graph_time(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S+0000")


def _epoch(age: timedelta) -> int:
    return int((NOW - age).timestamp())


@pytest.fixture
def graph(fake_api):
    return Graph(fake_api)


@pytest.fixture
def fb(settings_env, fake_api, db):
    def settings(days: int = 7):
        return settings_env(facebook_page_id=PAGE, facebook_page_token="page-token", http_timeout=2,
                            facebook_graph_url=fake_api.url + "/", facebook_comment_days=days)
    return settings


def _run(settings, now: datetime = NOW):
    [summary] = Poller([FacebookSource(settings)], clock=lambda: now).run_once()
    return summary


def _texts() -> list[str]:
    with read_session() as s:
        return sorted(s.exec(select(Mention.text)).all())


def _state() -> CollectorState:
    with read_session() as s:
        return s.get(CollectorState, "facebook")


@pytest.mark.parametrize(("days", "read"), [
    (7, True),  # the 5-day-old post is inside a 7-day window: its new comment is read on the first run
    (3, False),  # outside a 3-day window: neither listed nor asked for comments
])
def test_a_post_published_before_the_first_run_is_scanned_when_inside_the_window(fb, graph, days, read):
    old = graph.post(1, timedelta(days=5))
    graph.comment(old, 1, timedelta(hours=1), "Lampu jalan di Genteng mati sejak kemarin")
    summary = _run(fb(days))
    assert summary.status == "ok"
    assert _texts() == (["Lampu jalan di Genteng mati sejak kemarin"] if read else [])
    assert bool(graph.asked(old)) is read
    [feed] = [q for p, q in graph.api.requests if p.endswith("/feed")]
    assert int(feed["since"]) == _epoch(timedelta(days=days))  # listed back to the window's start


def test_each_post_is_scanned_again_from_its_own_checkpoint(fb, graph):
    busy, quiet = graph.post(1, timedelta(days=4)), graph.post(2, timedelta(days=2))
    graph.comment(busy, 1, timedelta(hours=3), "Air PDAM mati di Rogojampi")
    _run(fb())
    posts = _state().extra["posts"]
    assert posts[busy]["c"] == _epoch(timedelta(hours=3)) and "c" not in posts[quiet]
    graph.comment(busy, 2, timedelta(minutes=30), "Masih mati sampai sekarang")
    graph.comment(quiet, 3, timedelta(minutes=20), "Jalan berlubang di Srono")
    later = NOW + timedelta(minutes=1)
    summary = _run(fb(), later)
    # The two new comments; the busy post's newest is read again (the 5-minute overlap) and dropped.
    assert (summary.inserted, summary.duplicates) == (2, 1)
    # The busy post from its newest comment (5 minutes back), the quiet one from the window's start.
    assert int(graph.asked(busy)[-1]["since"]) == _epoch(timedelta(hours=3, minutes=5))
    assert int(graph.asked(quiet)[-1]["since"]) == int((later - timedelta(days=7)).timestamp())
    # The feed itself is asked since its checkpoint now, not the whole window again.
    feed = [q for p, q in graph.api.requests if p.endswith("/feed")][-1]
    assert int(feed["since"]) == _epoch(timedelta(days=2, minutes=5))


def test_a_longer_window_lists_the_older_posts_it_now_covers(fb, graph):
    old = graph.post(1, timedelta(days=5))
    graph.comment(old, 1, timedelta(hours=1), "Sampah menumpuk di pasar")
    _run(fb(3))
    assert _texts() == []
    _run(fb(7), NOW + timedelta(minutes=1))
    assert _texts() == ["Sampah menumpuk di pasar"]


def _child(point: str, api_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TANGGAP_FACEBOOK_PAGE_ID": PAGE,
           "TANGGAP_FACEBOOK_PAGE_TOKEN": "page-token", "TANGGAP_FACEBOOK_GRAPH_URL": api_url + "/",
           "TANGGAP_HTTP_TIMEOUT": "5", "CRASH_CHILD_NOW": NOW.isoformat()}
    return subprocess.run([sys.executable, str(Path(__file__).with_name("crash_child.py")), point, "facebook"],
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("point", [
    "before_checkpoint",  # the first post's comments inserted, its checkpoint not yet saved
    "after_commit",  # the first post's comments and checkpoint committed, the second not scanned
])
def test_a_collector_killed_mid_scan_restarts_each_post_where_it_stopped(db, fake_api, graph, point):
    # The feed lists newest first, and the scan follows it: `newer` is scanned first.
    older, newer = graph.post(1, timedelta(days=6)), graph.post(2, timedelta(days=1))
    graph.comment(older, 1, timedelta(hours=2), "Banjir di Kalibaru")
    graph.comment(newer, 2, timedelta(hours=1), "Pohon tumbang di Glenmore")
    killed = _child(point, fake_api.url)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert set(_state().extra["posts"]) == {older, newer}  # the feed's batch was committed before the scans
    assert _texts() == (["Pohon tumbang di Glenmore"] if point == "after_commit" else [])

    restarted = _child("none", fake_api.url)
    assert restarted.returncode == 0, restarted.stderr
    assert _texts() == ["Banjir di Kalibaru", "Pohon tumbang di Glenmore"]  # each once
    posts = _state().extra["posts"]
    assert posts[older]["c"] == _epoch(timedelta(hours=2)) and posts[newer]["c"] == _epoch(timedelta(hours=1))
    # The restart asks the post committed before the kill only since its own checkpoint; the
    # others from the window's start, as before.
    window_start = _epoch(timedelta(days=7))
    assert int(graph.asked(newer)[-1]["since"]) == (
        _epoch(timedelta(hours=1, minutes=5)) if point == "after_commit" else window_start)
    assert int(graph.asked(older)[-1]["since"]) == window_start
    with read_session() as s:
        runs = s.exec(select(CollectorRun).order_by(CollectorRun.id)).all()
    assert runs[0].error.startswith("interrupted") and runs[1].error is None
