"""The ``retrain`` job: a thin adapter over console.services.retraining."""

from __future__ import annotations

from datetime import datetime

from console.services import retraining
from console.worker.job import JobResult
from store.settings import Settings


class RetrainJob:
    name = "retrain"

    def __init__(self, settings: Settings):
        self.settings = settings
        self.interval = float(settings.retrain_check_seconds)

    def run(self, now: datetime) -> JobResult:
        done = retraining.run_if_due(now, self.settings)
        return JobResult(self.name, done=int(done.trained), failed=int(done.failed), note=done.note)
