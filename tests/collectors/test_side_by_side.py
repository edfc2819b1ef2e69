"""Sources side by side: a slow source does not hold up the others, and a source stopped by
a rejected token runs again, without a restart, once the token is replaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlmodel import func, select

from collectors.poller import Poller
from collectors.sources import FacebookSource, SmsSource
from store.db import read_session
from store.tables import Mention as MentionRow
from tests.collectors.fakes import Reply

ROOT = Path(__file__).resolve().parents[2]

PAGE = "19292868552"
FEED, TAGGED = f"/v25.0/{PAGE}/feed", f"/v25.0/{PAGE}/tagged"
ERROR_190 = {"error": {"message": "Error validating access token: Session has expired", "type": "OAuthException",
                       "code": 190, "error_subcode": 463, "fbtrace_id": "x"}}
EMPTY = Reply(body={"data": []})


def test_a_slow_graph_api_does_not_hold_up_the_sms_inbox(gammu, fake_api, settings_env):
    gammu("+6281234567890", "banjir masuk rumah di muncar", "2026-11-29 10:00:00")
    settings = settings_env(facebook_page_id=PAGE, facebook_page_token="page-token",
                            facebook_graph_url=fake_api.url + "/", http_timeout=30)
    graph_answers = threading.Event()

    def slow_feed(_query):
        graph_answers.wait(20)  # Graph takes its time over the first request
        return EMPTY
    fake_api.add(FEED, slow_feed)
    fake_api.add(TAGGED, EMPTY)
    sms, facebook = SmsSource(settings), FacebookSource(settings)
    sms.interval = 0.05  # seconds: a fast schedule, so the test is short
    poller = Poller([facebook, sms])
    runs: list[tuple[str, str, int, float]] = []

    def on_summary(summary):
        runs.append((summary.source, summary.status, summary.inserted, time.monotonic()))
        if summary.source == "sms" and len(runs) == 5:
            graph_answers.set()
        if summary.source == "facebook":
            poller.stop_requested.set()
    collector = threading.Thread(target=poller.run_forever, kwargs={"on_summary": on_summary})
    collector.start()
    collector.join(timeout=30)
    assert not collector.is_alive()
    names = [name for name, *_ in runs]
    assert names[:5] == ["sms"] * 5 and "facebook" in names  # five SMS runs during Graph's first request
    sms_runs = [run for run in runs if run[0] == "sms"]
    assert [(status, inserted) for _, status, inserted, _ in sms_runs[:2]] == [("ok", 1), ("ok", 0)]
    gaps = [b[3] - a[3] for a, b in pairwise(sms_runs[:5])]
    assert max(gaps) < 2.0  # every 0.05 s plus the run itself; 2 s leaves room for a slow machine


@pytest.mark.parametrize("kept_in", ["secrets folder", "environment"])
def test_a_stopped_source_runs_again_when_its_token_is_replaced(db, fake_api, settings_env, clock, tmp_path,
                                                                monkeypatch, caplog, kept_in):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    token_file = secrets / "tanggap_facebook_page_token"
    monkeypatch.setenv("TANGGAP_SECRETS_DIR", str(secrets))

    def put_token(token: str) -> None:
        if kept_in == "secrets folder":
            token_file.write_text(token)
        else:
            monkeypatch.setenv("TANGGAP_FACEBOOK_PAGE_TOKEN", token)
    put_token("old-token")
    settings = settings_env(facebook_page_id=PAGE, facebook_graph_url=fake_api.url + "/", http_timeout=5)
    assert settings.facebook_page_token.get_secret_value() == "old-token"
    post = {"id": f"{PAGE}_5", "message": "lampu jalan mati", "created_time": "2026-11-29T03:30:00+0000",
            "from": {"id": "777", "name": "warga"}}
    fake_api.add(FEED, lambda q: Reply(body={"data": [post]}) if q.get("access_token") == "new-token"
                 else Reply(400, ERROR_190))
    fake_api.add(TAGGED, EMPTY)
    fake_api.add(f"/v25.0/{PAGE}_5/comments", EMPTY)
    source = FacebookSource(settings)
    poller = Poller([source], clock=clock)
    start, runs, replaced = clock.now, [], []

    def fake_sleep(seconds):
        clock.sleep(seconds)
        if clock.now - start >= timedelta(minutes=5) and not replaced:
            put_token("new-token")  # the admin puts in a fresh Page token
            replaced.append(clock.now - start)
        if clock.now - start >= timedelta(minutes=10):
            poller.stop_requested.set()
    poller.sleep = fake_sleep
    with caplog.at_level("INFO", logger="collectors.poller"):
        poller.run_source_forever(source, on_summary=lambda s: runs.append((s.status, s.inserted, clock.now - start)))
    assert runs[0][:2] == ("stopped", 0)
    assert runs[1][:2] == ("ok", 1)
    assert replaced[0] <= runs[1][2] <= replaced[0] + timedelta(seconds=source.interval)  # at its next interval
    sent = [q.get("access_token") for path, q in fake_api.requests if path == FEED]
    assert sent.count("old-token") == 1  # a stopped source asks nothing of the platform
    lines = [r.getMessage() for r in caplog.records if r.name == "collectors.poller"]
    assert [line.split(":")[1].strip() for line in lines] == ["stopped", "its settings changed; trying again",
                                                               "recovered"]


def test_sigterm_stops_a_collector_whose_sources_run_side_by_side(gammu, fake_api, settings_env):
    """A real `tanggap collect --loop` process: the SMS inbox is read while a Graph request
    hangs; SIGTERM lets each source finish its run (the hung one at its HTTP timeout) and
    the process exits cleanly."""
    gammu("+6281234567890", "banjir masuk rumah di muncar", "2026-11-29 10:00:00")
    settings_env(facebook_page_id=PAGE, facebook_page_token="page-token", facebook_graph_url=fake_api.url + "/",
                 http_timeout=2, sms_poll_seconds=1)
    fake_api.add(FEED, Reply(hang=True))
    fake_api.add(TAGGED, EMPTY)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    collector = subprocess.Popen([sys.executable, "-m", "console.cli.__main__", "collect", "--loop"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        # A real process: wait until it has stored the SMS and is waiting for Graph's answer.
        while ((_stored_mentions() == 0 or FEED not in fake_api.paths())
               and time.monotonic() < deadline and collector.poll() is None):
            time.sleep(0.2)
        assert _stored_mentions() == 1, collector.stderr.read() if collector.poll() is not None else ""
        assert FEED in fake_api.paths()
        collector.send_signal(signal.SIGTERM)
        _, err = collector.communicate(timeout=30)
    finally:
        if collector.poll() is None:
            collector.kill()
    assert collector.returncode == 0, err
    assert "finishing the current batch" in err


def _stored_mentions() -> int:
    with read_session() as s:
        return s.exec(select(func.count()).select_from(MentionRow)).one()
