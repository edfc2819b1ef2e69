"""Crash injection: a collector process killed between fetch and commit, between the rows
and their checkpoint, and after a commit; restarted; nothing lost, nothing duplicated."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from store.db import read_session
from store.tables import Case, CollectorRun, CollectorState, Mention
from tests.collectors.fakes import Reply, mentions_page, tweet

ROOT = Path(__file__).parents[2]
PAGES = {None: ([tweet(n) for n in range(15, 10, -1)], "p2"), "p2": ([tweet(n) for n in range(10, 5, -1)], "p3"),
         "p3": ([tweet(n) for n in range(5, 0, -1)], None)}


def _child(point: str, api_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TANGGAP_X_ACCOUNT": "bupati", "TANGGAP_X_BEARER_TOKEN": "t",
           "TANGGAP_X_API_BASE": api_url, "TANGGAP_HTTP_TIMEOUT": "5"}
    return subprocess.run([sys.executable, str(Path(__file__).with_name("crash_child.py")), point],
                          env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("point", ["after_fetch", "before_checkpoint", "after_commit"])
def test_killed_collector_restarts_without_loss_or_duplicates(db, fake_api, point):
    fake_api.add("/2/users/by/username/bupati", Reply(body={"data": {"id": "42", "username": "bupati"}}))
    fake_api.add("/2/users/42/mentions", lambda q: Reply(body=mentions_page(*PAGES[q.get("pagination_token")])))

    killed = _child(point, fake_api.url)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with read_session() as s:
        stored_before = s.exec(select(func.count()).select_from(Mention)).one()
    assert stored_before == (10 if point == "after_commit" else 5)

    restarted = _child("none", fake_api.url)
    assert restarted.returncode == 0, restarted.stderr
    with read_session() as s:
        ids = s.exec(select(Mention.external_id)).all()
        cases = s.exec(select(func.count()).select_from(Case)).one()
        state = s.get(CollectorState, "twitter")
        runs = s.exec(select(CollectorRun).order_by(CollectorRun.id)).all()
    assert sorted(ids) == sorted(tweet(n)["id"] for n in range(1, 16))  # all 15, each once
    assert cases == 15
    assert state.cursor == tweet(15)["id"] and "next_token" not in state.extra and state.lease_owner is None
    assert runs[0].error.startswith("interrupted") and runs[1].error is None and runs[1].ended_at
