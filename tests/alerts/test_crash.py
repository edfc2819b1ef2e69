"""Crash injection in the sender: a worker process killed after Telegram accepted an alert
and before the worker recorded it. Restarted, it sends nothing twice: the alert that went
is marked failed as "outcome unknown" after the lease (one message, never two), and the
alerts the dead worker had claimed but not sent go out once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from console.services import cases as case_service
from console.services.alert_channels import configured
from console.services.alert_sender import LEASE, send_pending
from store.db import read_session
from store.settings import get_settings
from store.tables import Alert
from tests.alerts.test_rules import REPORT, SUNDAY_1845_WIB

ROOT = Path(__file__).parents[2]


def _worker() -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "console.cli", "worker", "--once", "--job", "alerts",
                             "--no-collect"], env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=os.getcwd(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_worker_killed_between_send_and_commit_sends_each_alert_once(on_duty, make_case, telegram, time_machine):
    time_machine.move_to(SUNDAY_1845_WIB, tick=False)  # who is on duty when the case comes in
    case = make_case(REPORT, category="kesehatan", urgency="kritis")
    case_service.assign(on_duty["budi"], case.id, None, agency_code="DINKES")
    killed = []

    def kill_the_worker() -> None:  # Telegram has the first message; the worker dies before recording it
        if not killed:
            killed.append(child.pid)
            os.kill(child.pid, signal.SIGKILL)

    telegram.on_message = kill_the_worker
    child = _worker()
    child.communicate(timeout=120)
    assert child.returncode == -signal.SIGKILL
    assert len(telegram.messages) == 1

    telegram.on_message = None
    restarted = _worker()  # at once: the dead worker's claims are still within their lease
    _, err = restarted.communicate(timeout=120)
    assert restarted.returncode == 0, err
    assert len(telegram.messages) == 1

    with read_session() as session:
        claimed_at = max(a.claimed_at for a in session.exec(select(Alert)).all() if a.claimed_at)
    result = send_pending(claimed_at + LEASE + timedelta(minutes=1), configured(get_settings()))
    assert (result.sent, result.recovered) == (2, 3)
    chats = sorted(m.chat_id for m in telegram.messages)
    assert chats == ["1001", "1002", "1003"]  # budi, pkdinkes, kadinkes: each once
    with read_session() as session:
        by_state = sorted((a.state, a.last_error or "") for a in session.exec(
            select(Alert).where(Alert.channel == "telegram")).all())
    assert [s for s, _ in by_state] == ["failed", "sent", "sent"]
    assert "not sent again" in by_state[0][1]


def test_the_worker_log_with_v_shows_the_bot_api_call_but_never_the_token(on_duty, make_case, telegram,
                                                                          monkeypatch, time_machine):
    """urllib3's debug line carries the Bot API's path, where the token is: redacted."""
    time_machine.move_to(SUNDAY_1845_WIB, tick=False)
    token = "7001234567:AAbot-token_4kq9"
    monkeypatch.setenv("TANGGAP_TELEGRAM_BOT_TOKEN", token)
    make_case(REPORT, category="kesehatan", urgency="kritis")
    done = subprocess.run([sys.executable, "-m", "console.cli", "worker", "--once", "--job", "alerts", "--no-collect",
                           "-v"], env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                          timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "/bot[redacted]/sendMessage" in output and [m.token for m in telegram.messages] == [token]
    assert token not in output and "AAbot-token" not in output and "7001234567%3A" not in output
