"""The worker's reply sender job: one pass of collectors/reply_sender.py."""

from __future__ import annotations

from datetime import datetime

from collectors.reply_sender import ReplySender
from console.worker.job import JobResult
from store.settings import Settings


class ReplyJob:
    name = "replies"

    def __init__(self, settings: Settings, sender: ReplySender | None = None):
        self.interval = float(settings.reply_poll_seconds)
        self.sender = sender or ReplySender(settings)

    def run(self, now: datetime) -> JobResult:
        result = self.sender.run_once(now)
        return JobResult(self.name, done=result.sent, failed=result.failed,
                         note=f"{result.waiting} waiting" if result.waiting else "")
