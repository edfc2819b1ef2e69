"""The worker's two alert jobs, thin adapters: ``alerts`` sends the outbox
(console/services/alert_sender.py), ``timers`` queues the timed rules (store/alert_timers.py)."""

from __future__ import annotations

from datetime import datetime

from console.services import alert_channels, alert_sender
from console.worker.job import JobResult
from store.alert_timers import run_timers
from store.db import write_session
from store.settings import Settings


class AlertsJob:
    name = "alerts"

    def __init__(self, settings: Settings):
        self.interval = settings.alert_send_seconds
        self.channels = alert_channels.configured(settings)

    def run(self, now: datetime) -> JobResult:
        result = alert_sender.send_pending(now, self.channels)
        note = f"retry later {result.retried}" if result.retried else ""
        if result.down:
            note = f"{note}; down: {', '.join(result.down)}".lstrip("; ")
        return JobResult(self.name, done=result.sent, failed=result.failed, note=note)


class TimersJob:
    name = "timers"

    def __init__(self, settings: Settings):
        self.interval = settings.alert_timer_seconds

    def run(self, now: datetime) -> JobResult:
        with write_session() as session:
            found = run_timers(session, now)
        done = found.at_risk + found.breached + found.incident
        return JobResult(self.name, done=done, note=f"at risk {found.at_risk}, breached {found.breached}, "
                                                    f"incident {found.incident}" if done else "")
