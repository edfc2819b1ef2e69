"""A crash between acknowledging a delivery and ingesting it loses nothing: the delivery is
stored before the 200, so a worker killed mid-pass leaves it pending and the next pass
ingests it, once. Real processes, real SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlmodel import func, select

from store.db import read_session
from store.tables import Case, Mention, WhatsAppDelivery
from tests.collectors.wa import APP_SECRET, VERIFY_TOKEN, body, delivery, signed_headers
from tests.collectors.wa_server import WebhookServer
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB
ROOT = Path(__file__).parents[2]
SENT = datetime(2026, 11, 29, 20, 0, tzinfo=UTC)


def _worker(mode: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(Path(__file__).with_name("wa_crash_child.py")), mode],
                          env=env, capture_output=True, text=True, timeout=120)


def test_a_worker_killed_mid_pass_loses_nothing_and_stores_nothing_twice(db, settings_env):
    settings = settings_env(whatsapp_app_secret=APP_SECRET, whatsapp_verify_token=VERIFY_TOKEN)
    with WebhookServer(settings, db) as server:
        for n in range(3):
            # a fixed past time: the child processes run on the real clock
            raw = body(delivery("text", wamid=f"wamid.k{n}", at=SENT + timedelta(minutes=n)))
            assert requests.post(server.url, data=raw, headers=signed_headers(raw), timeout=5).status_code == 200

    killed = _worker("kill")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with read_session() as s:
        assert s.exec(select(func.count()).select_from(Mention)).one() == 0
        assert s.exec(select(WhatsAppDelivery.state)).all() == ["pending"] * 3

    restarted = _worker("run")
    assert restarted.returncode == 0, restarted.stderr
    assert restarted.stdout.startswith("3 deliveries, 3 new messages, 0 duplicates, 1 cases opened")
    assert _worker("run").stdout.startswith("0 deliveries")
    with read_session() as s:
        assert sorted(s.exec(select(Mention.external_id)).all()) == ["wamid.k0", "wamid.k1", "wamid.k2"]
        assert s.exec(select(func.count()).select_from(Case)).one() == 1
        assert s.exec(select(WhatsAppDelivery.state)).all() == ["ingested"] * 3
