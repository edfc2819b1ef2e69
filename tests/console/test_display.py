"""Times and durations as staff read them (console.display): WIB, hours and minutes."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from console.display import format_local, format_remaining

OPENED = datetime(2026, 11, 29, 11, 41, tzinfo=UTC)  # Sunday 18:41 WIB


def test_times_are_shown_in_wib():
    assert format_local(OPENED, ZoneInfo("Asia/Jakarta")) == "29/11/2026 18:41 WIB"
    assert format_local(OPENED, ZoneInfo("Asia/Jakarta"), with_seconds=True) == "29/11/2026 18:41:00 WIB"
    assert format_local(None, ZoneInfo("Asia/Jakarta")) == ""


def test_remaining_time_format():
    assert format_remaining(timedelta(hours=2, minutes=5)) == "2j 05m"
    assert format_remaining(timedelta(minutes=-40)) == "-0j 40m"
    assert format_remaining(timedelta(hours=26, minutes=1), hour_mark="h") == "26h 01m"
