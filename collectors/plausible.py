"""What every payload must be before it becomes a Mention, whatever its kind: real Unicode
text (storable on both databases), not from the future, and for file rows not oversized.
Each check raises the normalisers' one error, PayloadError, naming the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from collectors.errors import PayloadError
from store.types import utcnow

MAX_IMPORT_FIELD_BYTES = 64 * 1024  # no report is longer; a bigger cell is a broken or hostile file
# Clocks drift a little (a phone, the SMS centre's host); a time further ahead is impossible,
# and a case opened in the future could never be answered in time.
FUTURE_TOLERANCE = timedelta(minutes=10)
SURROGATE = re.compile(r"[\ud800-\udfff]")


def plain_text(kind: str, payload: Any, path: str = "", depth: int = 0) -> None:
    """Every string of a payload (keys included, at any depth) must be real Unicode text: a
    lone UTF-16 surrogate (JSON "\\ud83d", half an emoji) cannot be stored on either database
    and would fail the whole batch it arrives in."""
    if depth > 32:
        raise PayloadError(kind, path or "payload", "is nested more than 32 levels deep")
    if isinstance(payload, str):
        found = SURROGATE.search(payload)
        if found:
            raise PayloadError(kind, path or "payload", f"holds an unpaired surrogate \\u{ord(found.group()):04x} "
                                                        f"at character {found.start() + 1} (not text)")
    elif isinstance(payload, Mapping):
        for key, value in payload.items():
            plain_text(kind, key, path, depth + 1)
            plain_text(kind, value, f"{path}.{key}" if path else str(key), depth + 1)
    elif isinstance(payload, list | tuple):
        for index, value in enumerate(payload):
            plain_text(kind, value, f"{path}[{index}]", depth + 1)


def not_future(kind: str, key: str, value: datetime) -> datetime:
    ahead = value - utcnow()
    if ahead > FUTURE_TOLERANCE:
        raise PayloadError(kind, key, f"is {_duration(ahead)} in the future ({value:%Y-%m-%d %H:%M:%S} UTC); "
                                      f"more than {_duration(FUTURE_TOLERANCE)} ahead is refused")
    return value


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 2 * 86400:
        return f"{seconds // 86400} days"
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return (f"{hours} h " if hours else "") + f"{minutes} min" + (f" {seconds} s" if seconds else "")


def within_size(kind: str, row: Mapping) -> None:
    """No cell of a file row over 64 KB of text (UTF-8), whichever column it is in."""
    for key, value in row.items():
        if isinstance(value, str) and len(value) * 4 > MAX_IMPORT_FIELD_BYTES \
                and (size := len(value.encode("utf-8"))) > MAX_IMPORT_FIELD_BYTES:
            raise PayloadError(kind, str(key), f"is over 64 KB ({size:,} bytes of text)")
