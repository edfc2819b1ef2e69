"""README's Alerts and Production layout sections, kept true: the rule table is the rules'
defaults, the delivery figures are the sender's constants, the systemd units run commands
that exist with the options they pass."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from typer.testing import CliRunner

from console.cli import app as cli_app
from console.cli.serve_cmds import processes
from console.services import alert_sender
from console.worker.jobs import JOB_NAMES
from store.alert_rules import DEFAULTS, KINDS
from store.settings import get_settings

ROOT = Path(__file__).parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return README.split(title, 1)[1].split("\n## ", 1)[0]


def test_the_rule_table_lists_each_rule_and_the_recipient_kinds_are_the_real_ones():
    alerts = section("## Alerts: people on duty, rules, channels")
    assert re.findall(r"^  \| `(\w+)` \|", alerts, flags=re.MULTILINE) == list(DEFAULTS)
    named = re.search(r"Recipients are named by what they are to the case \(([^)]*)\)", alerts.replace("\n  ", " "))
    assert named and re.findall(r"`(\w+)`", named.group(1)) == list(KINDS)
    assert DEFAULTS["at_risk"].threshold == 25  # "a quarter of the handling target"


def test_the_delivery_figures_are_the_senders():
    alerts = section("## Alerts: people on duty, rules, channels").replace("\n  ", " ")
    assert alert_sender.FIRST_RETRY.total_seconds() == 30 and "backoff (30 s, doubling)" in alerts
    assert alert_sender.MAX_ATTEMPTS == 5 and "`failed` after the fifth try" in alerts
    assert alert_sender.LEASE.total_seconds() == 300 and "after a 5-minute lease" in alerts
    assert set(JOB_NAMES) >= {"alerts", "timers"}


def _exec_start(unit: str) -> list[str]:
    text = (ROOT / "deploy" / unit).read_text(encoding="utf-8")
    [line] = [line for line in text.splitlines() if line.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_worker_unit_runs_a_real_command_with_real_options():
    argv = _exec_start("tanggap-worker@.service")
    assert argv[0].endswith("/tanggap") and argv[1:] == ["worker", "--loop"]
    help_text = CliRunner().invoke(cli_app, ["worker", "--help"]).output
    assert "--loop" in help_text


def test_the_console_unit_runs_what_tanggap_serve_runs_on_loopback():
    argv = _exec_start("tanggap-console.service")
    served = processes(8501, get_settings())["console"]
    assert argv[1:4] == served[1:4] == ["-m", "streamlit", "run"]
    assert (ROOT / argv[4]).is_file() and Path(served[4]).name == argv[4]
    options = dict(zip(argv[5::2], argv[6::2], strict=True))
    assert options["--server.address"] == "127.0.0.1"  # only the reverse proxy reaches it
    served_options = dict(zip(served[5::2], served[6::2], strict=True))
    assert {k: v for k, v in options.items() if k != "--server.address"} == served_options
