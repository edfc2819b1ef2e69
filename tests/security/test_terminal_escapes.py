"""Citizen text reaches an operator's terminal through `tanggap case show` and `case list`:
escape sequences in it (an OSC that retitles the window, a CSI that moves the cursor, their
8-bit forms) are removed before printing; --json keeps the text whole, escaped."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from console.cli import app
from console.cli.terminal import json_safe, safe
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB  # built from the clock: see tests/frozen.py

OSC = "\x1b]0;pwned\x07"  # sets the terminal's title
CSI = "\x1b[2J\x1b[1;1H"  # clears the screen, moves the cursor home
HOSTILE = f"jalan rusak{OSC} di Genteng{CSI} tolong\x9b31m segera\x08\x08\r"
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\x08", "\r")


def run(*args):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def hostile_case(db, make_user, make_case):
    make_user("ani", "komunikasi")
    return make_case(HOSTILE, created_at=datetime.now(UTC) - timedelta(hours=1), author=f"warga{OSC}",
                     category="infrastruktur", urgency="sedang")


def test_case_show_prints_no_escape_sequence(hostile_case):
    result = run("case", "show", str(hostile_case.id), "--as", "ani")
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in RAW_CONTROLS)
    assert "warga: jalan rusak di Genteng tolong segera" in result.output


def test_case_list_prints_no_escape_sequence(hostile_case):
    result = run("case", "list", "--as", "ani")
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in RAW_CONTROLS)
    assert "jalan rusak di Genteng tolong segera" in result.output


def test_json_output_keeps_the_text_whole_but_escaped(hostile_case):
    result = run("case", "show", str(hostile_case.id), "--json", "--as", "ani")
    assert not any(c in result.output for c in RAW_CONTROLS)
    assert json.loads(result.output)["mentions"][0]["text"] == HOSTILE


def test_an_error_quoting_input_prints_no_escape_sequence(db):
    result = run("case", "list", "--as", f"ani{OSC}", "--status", f"new{CSI}")
    assert result.exit_code == 2 and result.output.startswith("error: ")
    assert not any(c in result.output for c in RAW_CONTROLS)


@pytest.mark.parametrize("text, shown", [
    ("a\x1b]0;title\x07b", "ab"),  # OSC ended by BEL
    ("a\x1b]52;c;Y2xpcA==\x1b\\b", "ab"),  # OSC 52 (clipboard write) ended by ST
    ("a\x1b[31;1mb\x1b[0m", "ab"),  # SGR colours
    ("a\x1bPdevice\x1b\\b", "ab"),  # DCS
    ("a\x1bcb", "ab"),  # RIS: full reset
    ("a\x9b2Jb", "ab"),  # 8-bit CSI
    ("a\x9d0;t\x9cb", "ab"),  # 8-bit OSC ended by 8-bit ST
    ("a\rb\x08\x7fc\x85", "abc"),  # carriage return, backspace, DEL, C1 NEL
    ("baris 1\n\tbaris 2", "baris 1\n\tbaris 2"),  # layout kept
    ("Kulo nyuwun tulung 🙏 — Désa", "Kulo nyuwun tulung 🙏 — Désa"),  # ordinary text untouched
])
def test_safe_removes_sequences_and_controls(text, shown):
    assert safe(text) == shown


def test_one_line_turns_layout_into_spaces():
    assert safe("baris 1\n\tbaris 2", one_line=True) == "baris 1 baris 2"


def test_json_safe_escapes_what_json_dumps_lets_through():
    dumped = json.dumps({"t": "a\x9bb\x7f"}, ensure_ascii=False)
    assert json_safe(dumped) == '{"t": "a\\u009bb\\u007f"}' and json.loads(json_safe(dumped))["t"] == "a\x9bb\x7f"


def test_every_cli_print_goes_through_the_terminal_guard():
    """Only console/cli/app.py may call typer.echo or write to stdout itself (via the guard)."""
    from pathlib import Path
    cli = Path(__file__).parents[2] / "console" / "cli"
    for path in cli.glob("*.py"):
        source = path.read_text()
        if path.name == "app.py":
            continue
        assert "typer.echo(" not in source and "print(" not in source, path.name
        for line in source.splitlines():
            if "sys.stdout.write(" in line:
                assert "json_safe(" in line, f"{path.name}: {line.strip()}"
