"""Fixed instants for tests whose outcome depends on "now": a module that builds data from
the clock sets `pytestmark = AT_NOON_WIB`, so its dates never depend on when the suite runs
(a run that crossed midnight WIB once gave the response form and the test two different days)."""

from datetime import UTC, datetime

import pytest

# Monday 30 November 2026, 12:00 WIB (05:00 UTC): after every fixed date the tests use, and
# far from midnight in both WIB and UTC.
NOON_WIB = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
# Thirty seconds before midnight WIB (16:59:30 UTC), for tests that cross into the next day.
BEFORE_MIDNIGHT_WIB = datetime(2026, 11, 30, 16, 59, 30, tzinfo=UTC)

# Time stands still (tick=False): a date or "two hours ago" read twice gives the same answer.
# time-machine patches the clock process-wide, so Streamlit's AppTest thread sees it too.
AT_NOON_WIB = pytest.mark.time_machine(NOON_WIB, tick=False)
