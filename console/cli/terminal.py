"""Text on its way to a terminal. Citizens' messages, authors, stored labels and error
messages that quote input are untrusted: an escape sequence in them could retitle the
window (OSC ``ESC ] 0;…``), move the cursor and overwrite earlier lines (CSI), or write to
the clipboard. Everything the CLI prints goes through ``safe``."""

from __future__ import annotations

import re

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI: ESC [ parameters, intermediates, final byte
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC … up to BEL or ST
    r"|\x1b[ -/]*[0-~]?"  # any other ESC sequence (charset, keypad, reset …)
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit OSC, DCS, SOS, PM, APC
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but tab and newline, DEL, C1
_LAYOUT = re.compile(r"[\t\n]+")
_C1_OR_DEL = re.compile(r"[\x7f-\x9f]")


def safe(text: str, *, one_line: bool = False) -> str:
    """``text`` without escape sequences and control characters; tabs and newlines stay
    unless ``one_line`` (a field inside a line of ours becomes one line)."""
    text = _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
    return _LAYOUT.sub(" ", text) if one_line else text


def json_safe(dumped: str) -> str:
    """JSON text with DEL and C1 characters escaped as \\u00XX (json.dumps escapes C0 but,
    with ensure_ascii=False, lets these through raw; a terminal reads 0x9b as CSI)."""
    return _C1_OR_DEL.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
