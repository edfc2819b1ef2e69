"""The worker runs each job on its interval, survives a failing pass, and stops on request."""

from __future__ import annotations

import threading
from datetime import datetime

from typer.testing import CliRunner

from console.cli import app
from console.worker import jobs as job_registry
from console.worker.job import JobResult
from console.worker.runner import JobRunner


class CountingJob:
    def __init__(self, name: str = "count", fail_first: int = 0, interval: float = 0.01):
        self.name, self.interval, self.fail_first = name, interval, fail_first
        self.calls: list[datetime] = []
        self.ran = threading.Event()

    def run(self, now: datetime) -> JobResult:
        self.calls.append(now)
        if len(self.calls) <= self.fail_first:
            raise RuntimeError("channel down")
        self.ran.set()
        return JobResult(self.name, done=1)


def test_run_once_runs_each_job_once_and_reports_a_failing_pass_as_failed():
    good, bad = CountingJob("good"), CountingJob("bad", fail_first=1)
    results = JobRunner([good, bad]).run_once()
    assert [(r.job, r.done, r.failed) for r in results] == [("good", 1, 0), ("bad", 0, 1)]
    assert "RuntimeError: channel down" in results[1].note


def test_a_failing_job_is_retried_and_does_not_hold_up_the_others(monkeypatch):
    monkeypatch.setattr("console.worker.runner.BACKOFF_MAX", __import__("datetime").timedelta(seconds=0.05))
    flaky, steady = CountingJob("flaky", fail_first=2), CountingJob("steady")
    runner = JobRunner([flaky, steady])
    seen: list[JobResult] = []
    threads = runner.threads(on_result=seen.append)
    for thread in threads:
        thread.start()
    try:
        assert steady.ran.wait(5) and flaky.ran.wait(5)  # recovered after two failed passes
    finally:
        runner.stop.set()
        for thread in threads:
            thread.join(5)
    assert not any(t.is_alive() for t in threads)
    assert len(flaky.calls) >= 3
    assert any(r.job == "flaky" and r.failed for r in seen)


def test_stop_ends_a_waiting_job_at_once():
    slow = CountingJob("slow", interval=3600)
    runner = JobRunner([slow])
    (thread,) = runner.threads()
    thread.start()
    assert slow.ran.wait(5)
    runner.stop.set()
    thread.join(2)
    assert not thread.is_alive()


def test_worker_once_runs_the_jobs_without_any_collector_configured(db, monkeypatch):
    job = CountingJob("count")
    monkeypatch.setattr(job_registry, "JOB_NAMES", ("count",))
    monkeypatch.setattr(job_registry, "build_jobs", lambda settings, only=None: [job])
    result = CliRunner().invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "facebook: skipped, not configured" in result.output
    assert "count: done 1, failed 0" in result.output and len(job.calls) == 1


def test_worker_needs_once_or_loop_and_knows_its_jobs(db):
    assert CliRunner().invoke(app, ["worker"]).exit_code == 2
    result = CliRunner().invoke(app, ["worker", "--once", "--job", "nope"])
    assert result.exit_code == 2 and "'nope' is not one of" in result.output


def test_worker_once_exits_1_when_a_job_pass_failed(db, monkeypatch):
    job = CountingJob("count", fail_first=1)
    monkeypatch.setattr(job_registry, "build_jobs", lambda settings, only=None: [job])
    result = CliRunner().invoke(app, ["worker", "--once", "--no-collect"])
    assert result.exit_code == 1
    assert "count: done 0, failed 1 (error: RuntimeError: channel down)" in result.output
