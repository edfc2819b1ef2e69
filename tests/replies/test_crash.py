"""Crash injection: the worker process killed at each step of sending a reply, then started
again: the citizen gets each reply exactly once. And two workers share one outbox."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from console.services import replies
from store.db import read_session
from store.replies import CLAIM_LEASE
from store.tables import Case, CaseEvent, Reply
from tests.replies.conftest import AT_DRAFT_TIME, SENDER_PASS, TWEET
from tests.replies.platforms import POSTED_AT

pytestmark = AT_DRAFT_TIME
ROOT = Path(__file__).parents[2]
CHILD = Path(__file__).with_name("sender_child.py")


def _start(point: str, now, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(CHILD), point, now.isoformat(), *extra], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _child(point: str, now, *extra: str) -> tuple[int, str]:
    process = _start(point, now, *extra)
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


@pytest.mark.parametrize("point", ["before_call", "after_call", "after_commit"])
def test_killed_sender_restarts_and_each_reply_is_posted_exactly_once(platforms, citizen_case, make_user, point):
    x, _ = platforms
    ani, case = make_user("ani"), citizen_case()
    for n in (1, 2):
        replies.draft(ani, case.id, f"Balasan nomor {n}.")

    code, output = _child(point, SENDER_PASS)
    assert code == -signal.SIGKILL, output
    posted_before = {"before_call": 1, "after_call": 2, "after_commit": 2}[point]
    assert len(x.posted) == posted_before

    # Started again at once: the reply it held is still under its lease, nobody posts it.
    code, output = _child("none", SENDER_PASS)
    assert code == 0, output
    assert len(x.posted) == posted_before
    # After the lease: looked up on X first, posted only if not there.
    code, output = _child("none", SENDER_PASS + CLAIM_LEASE)
    assert code == 0, output

    assert sorted(p["text"] for p in x.replies_to(TWEET)) == ["Balasan nomor 1.", "Balasan nomor 2."]
    with read_session() as session:
        states = session.exec(select(Reply.state).order_by(col(Reply.id))).all()
        responses = session.exec(select(func.count()).select_from(CaseEvent).where(
            CaseEvent.case_id == case.id, CaseEvent.action == "responded")).one()
        first = session.get(Case, case.id).first_response_at
    assert states == ["sent", "sent"] and responses == 2 and first == POSTED_AT


def test_two_workers_share_the_outbox_and_post_each_reply_once(platforms, citizen_case, make_user):
    x, _ = platforms
    ani = make_user("ani")
    cases = [citizen_case(external_id=str(1597000000000000100 + n)) for n in range(8)]
    texts = [f"Balasan {c.id}-{n}" for c in cases for n in range(5)]  # 40 replies
    for c in cases:
        for n in range(5):
            replies.draft(ani, c.id, f"Balasan {c.id}-{n}")

    workers = [_start("none", SENDER_PASS, "drain") for _ in range(2)]
    outputs = [w.communicate(timeout=300) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], outputs
    assert Counter(p["text"] for p in x.posted) == Counter(texts)  # each exactly once
    with read_session() as session:
        assert set(session.exec(select(Reply.state)).all()) == {"sent"}
