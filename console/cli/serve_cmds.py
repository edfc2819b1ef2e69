"""`tanggap serve`: the console and the worker, started and stopped together (`make run`)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import typer

from console.cli.app import app, echo, friendly_errors, require_schema
from store.settings import Settings, get_settings

SERVER_SCRIPT = Path(__file__).resolve().parents[2] / "streamlit_server.py"


def processes(port: int, settings: Settings) -> dict[str, list[str]]:
    """The commands `serve` starts, by name: the WhatsApp webhook too when it is configured."""
    commands = {
        "worker": [sys.executable, "-m", "console.cli", "worker", "--loop"],
        "console": [sys.executable, "-m", "streamlit", "run", str(SERVER_SCRIPT), "--server.port", str(port),
                    "--server.headless", "true", "--browser.gatherUsageStats", "false"],
    }
    if settings.whatsapp_app_secret is not None:
        commands["webhook"] = [sys.executable, "-m", "console.cli", "webhook", "serve"]
    return commands


@app.command("serve")
@friendly_errors
def serve(port: int = typer.Option(8501, "--port", help="the console's port")) -> None:
    """Run the console and the worker (and the WhatsApp webhook, when configured) together
    until Ctrl+C or SIGTERM.

    When one of them ends, the other is stopped too and `serve` exits with its code, so a
    supervisor (systemd) sees the failure. Production runs them as separate units (README).

    Example: tanggap serve --port 8501
    """
    require_schema()
    children = {name: subprocess.Popen(cmd) for name, cmd in processes(port, get_settings()).items()}
    stopping = False

    def stop(_signum, _frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    while not stopping:
        ended = [(name, child.returncode) for name, child in children.items() if child.poll() is not None]
        if ended:
            name, code = ended[0]
            echo(f"{name} ended (exit code {code}); stopping the rest", err=True)
            break
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    for child in children.values():
        try:
            child.wait(timeout=20)
        except subprocess.TimeoutExpired:
            child.kill()
    raise typer.Exit(code)
