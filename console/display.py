"""How times and durations are written for people: WIB date-times and time left. Shared by the
pages and the command line; no Streamlit here."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def format_remaining(delta: timedelta, hour_mark: str = "j") -> str:
    """'2j 05m' left, or '-0j 40m' overdue (hours and minutes; 'j' is Indonesian 'jam', the
    English console passes 'h')."""
    sign = "-" if delta.total_seconds() < 0 else ""
    total = abs(int(delta.total_seconds())) // 60
    return f"{sign}{total // 60}{hour_mark} {total % 60:02d}m"


def format_local(value: datetime | None, zone: ZoneInfo, with_seconds: bool = False) -> str:
    """'29/11/2026 18:41 WIB' — how every time is shown to staff."""
    if value is None:
        return ""
    local = value.astimezone(zone)
    pattern = "%d/%m/%Y %H:%M:%S %Z" if with_seconds else "%d/%m/%Y %H:%M %Z"
    return local.strftime(pattern)
