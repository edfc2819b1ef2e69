"""`tanggap webhook serve` as a real process: it answers Meta's verification on the port from
the settings, stops on SIGTERM, names what is missing without its secrets, and never logs the
verify token that arrives in the query string; `tanggap serve` starts it when configured."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import requests

from console.cli.serve_cmds import processes
from tests.cli.test_cli_process import tanggap
from tests.collectors.wa_server import free_port


def _env(tmp_path, **settings: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANGGAP_")}
    env["TANGGAP_DATABASE_URL"] = f"sqlite:///{tmp_path / 'tanggap.db'}"
    env.update({f"TANGGAP_{k.upper()}": v for k, v in settings.items()})
    return env


def test_webhook_serve_answers_verification_and_stops_on_sigterm(tmp_path):
    assert tanggap("db", "upgrade", cwd=tmp_path).returncode == 0
    port = free_port()
    env = _env(tmp_path, whatsapp_app_secret="s3cret-app", whatsapp_verify_token="verify-me-please",
               whatsapp_webhook_port=str(port))
    proc = subprocess.Popen([sys.executable, "-m", "console.cli", "webhook", "serve"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/webhook/whatsapp"
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = requests.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "verify-me-please",
                                                   "hub.challenge": "777"}, timeout=2)
                break
            except requests.ConnectionError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read() if proc.stdout else ""
                time.sleep(0.3)
        assert (answer.status_code, answer.text) == (200, "777")
        proc.send_signal(signal.SIGTERM)
        # uvicorn finishes the requests in flight, then ends by the signal it caught (as the
        # shell would have it), so a supervisor sees a stop, not a crash
        assert proc.wait(timeout=30) == -signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "verify-me-please" not in (proc.stdout.read() if proc.stdout else "")


def test_webhook_serve_without_its_secrets_is_one_line(tmp_path):
    assert tanggap("db", "upgrade", cwd=tmp_path).returncode == 0
    result = tanggap("webhook", "serve", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == ("error: source 'whatsapp' is not configured: set "
                                              "TANGGAP_WHATSAPP_APP_SECRET, TANGGAP_WHATSAPP_VERIFY_TOKEN")


def test_serve_starts_the_webhook_beside_console_and_worker_when_configured(monkeypatch):
    from store.settings import load_settings
    assert set(processes(8501, load_settings())) == {"console", "worker"}
    monkeypatch.setenv("TANGGAP_WHATSAPP_APP_SECRET", "s3cret-app")
    started = processes(8501, load_settings())
    assert set(started) == {"console", "worker", "webhook"}
    assert started["webhook"][-3:] == ["console.cli", "webhook", "serve"]
