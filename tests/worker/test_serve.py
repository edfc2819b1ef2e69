"""`tanggap serve` (what `make run` starts): the console and the worker come up together and
go down together — on SIGTERM, and when one of them ends on its own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.cli.test_cli_process import tanggap


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(proc: subprocess.Popen) -> dict[str, int]:
    """The serve process's children by role, read from /proc (Linux)."""
    found = {}
    for pid in (proc.pid and Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()):
        cmd = Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
        if "worker --loop" in cmd:
            found["worker"] = int(pid)
        elif "streamlit run" in cmd:
            found["console"] = int(pid)
    return found


def _gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def served(tmp_path):
    assert tanggap("db", "upgrade", cwd=tmp_path).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("TANGGAP_")}
    env["TANGGAP_DATABASE_URL"] = f"sqlite:///{tmp_path / 'tanggap.db'}"
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "console.cli", "serve", "--port", str(port)], cwd=tmp_path,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the console did not come up:\n{proc.stdout.read() if proc.stdout else ''}")
        time.sleep(0.5)
    yield proc
    if proc.poll() is None:
        proc.kill()


def test_serve_runs_console_and_worker_and_stops_both_on_sigterm(served):
    children = _children(served)
    assert set(children) == {"worker", "console"}
    served.send_signal(signal.SIGTERM)
    assert served.wait(timeout=30) == 0
    assert all(_gone(pid) for pid in children.values())


def test_when_the_worker_dies_serve_stops_the_console_and_exits_non_zero(served):
    children = _children(served)
    os.kill(children["worker"], signal.SIGKILL)
    assert served.wait(timeout=30) != 0
    assert _gone(children["console"])
    assert "worker ended" in (served.stdout.read() if served.stdout else "")
