"""Runs the jobs: each in its own thread on its own interval, until a stop is asked for.

A pass that raises is logged once when the job starts failing (and once when it recovers)
and tried again after an exponential backoff, so a broken channel or a database restart
never ends the worker. The stop event is shared with the collectors' poller: SIGTERM lets
every current pass finish, then the worker exits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from console.worker.job import Job, JobResult
from store.types import utcnow

log = logging.getLogger(__name__)
BACKOFF_MAX = timedelta(minutes=5)


class JobRunner:
    def __init__(self, jobs: list[Job], *, stop: threading.Event | None = None,
                 clock: Callable[[], datetime] = utcnow):
        self.jobs, self.clock = jobs, clock
        self.stop = stop or threading.Event()
        self._report_lock = threading.Lock()

    def run_once(self) -> list[JobResult]:
        """Each job once, in order (a failing pass becomes a result with its error)."""
        return [self._pass(job)[0] for job in self.jobs if not self.stop.is_set()]

    def threads(self, on_result: Callable[[JobResult], None] | None = None) -> list[threading.Thread]:
        return [threading.Thread(target=self.run_forever, args=(job, on_result), name=f"job-{job.name}",
                                 daemon=True) for job in self.jobs]

    def run_forever(self, job: Job, on_result: Callable[[JobResult], None] | None = None) -> None:
        failures = 0
        while not self.stop.is_set():
            started = self.clock()
            result, ok = self._pass(job, failing=failures > 0)
            if result.done or result.failed or not ok:
                with self._report_lock:
                    if on_result:
                        on_result(result)
            failures = 0 if ok else failures + 1
            wait = job.interval if ok else self._backoff(job, failures)
            elapsed = (self.clock() - started).total_seconds()
            self.stop.wait(max(0.0, wait - elapsed))

    def _pass(self, job: Job, failing: bool = False) -> tuple[JobResult, bool]:
        try:
            result = job.run(self.clock())
        except Exception as exc:  # any failure of one pass is retried; the worker itself goes on
            if not failing:
                log.exception("%s: a pass failed; retrying with backoff", job.name)
            return JobResult(job.name, failed=1, note=f"error: {type(exc).__name__}: {exc}"[:300]), False
        if failing:
            log.info("%s: recovered", job.name)
        return result, True

    @staticmethod
    def _backoff(job: Job, failures: int) -> float:
        return min(job.interval * 2 ** failures, BACKOFF_MAX.total_seconds())
