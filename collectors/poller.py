"""The only loop: runs each source on its own schedule, owns the error policy, the
checkpoints and the run history.

- Sources run side by side, a thread each (``collect --once`` runs each once, also side by
  side): a slow Facebook comment scan never delays the SMS inbox. The lease and the
  checkpoint are per source, so the threads share nothing but the database.

- Each batch (one page) is stored and its checkpoint saved in ONE transaction, after the
  lease is renewed in that same transaction: a crash anywhere loses nothing (the
  checkpoint did not move) and duplicates nothing (unique (platform, external_id)).
- Error policy: 429 → wait until the platform's reset time (other sources keep running;
  nothing sleeps inside a call); 5xx, timeouts, garbled bodies → exponential backoff with
  jitter; 401/403 and Graph 190 → the source stops, "token invalid or expired"; Graph
  4/17/32/613 → back off; the monthly X read budget spent → wait for next month.
- A stopped source is tried again, without a restart, once its settings (its token among
  them) change: they are read afresh from the environment and the secrets folder at each
  of its intervals, and nothing is sent to the platform until they do.
- A failing source is logged once when it starts failing and once when it recovers.
- SIGTERM/SIGINT: each source's current batch finishes and commits, then the collector exits.
"""

from __future__ import annotations

import logging
import random
import signal
import threading
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, update

from collectors import lease
from collectors.errors import AuthFailed, BudgetSpent, RateLimited, TemporarilyUnavailable
from collectors.ingest import store_batch
from collectors.sources import Snapshot, credentials_digest
from store.db import get_engine, write_session
from store.redaction import configured_secrets, redact
from store.settings import Settings, SettingsError, load_settings
from store.tables import CollectorRun, CollectorState
from store.types import utcnow

log = logging.getLogger(__name__)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_MAX = timedelta(minutes=15)
LEASE_TTL = timedelta(minutes=5)  # a claim on a source lasts this long without renewal (renewed every batch)


@dataclass
class RunSummary:
    source: str
    fetched: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    responses: int = 0  # the regency's own posts logged as responses on their cases
    own_ignored: int = 0  # its own posts on no open case (announcements …): neither response nor mention
    status: str = "ok"
    error: str | None = None
    retry_after: datetime | None = None
    skipped: str | None = None

    def line(self) -> str:
        if self.skipped:
            return f"{self.source}: skipped, {self.skipped}"
        text = (f"{self.source}: {self.status}, fetched {self.fetched}, inserted {self.inserted}, "
                f"duplicates {self.duplicates}")
        if self.responses:
            text += f", responses {self.responses}"
        if self.own_ignored:
            text += f", own posts on no case {self.own_ignored}"
        if self.rejected:
            text += f", unreadable {self.rejected}"
        if self.error:
            text += f" ({self.error})"
        if self.retry_after:
            text += f"; next try after {self.retry_after:%Y-%m-%d %H:%M:%S} UTC"
        return text


def _next_month(now: datetime) -> datetime:
    first = now.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first + timedelta(days=32)).replace(day=1)


class Poller:
    def __init__(self, sources: list, *, engine: Engine | None = None, clock: Callable[[], datetime] = utcnow,
                 sleep: Callable[[float], None] | None = None, rng: random.Random | None = None,
                 owner: str | None = None, read_settings: Callable[[], Settings] = load_settings):
        self.sources, self.engine, self.clock = sources, engine or get_engine(), clock
        self.rng = rng or random.Random()
        self.owner = owner or lease.new_owner()
        self.ttl, self.backoff_max = LEASE_TTL, BACKOFF_MAX
        self.stop_requested = threading.Event()
        self.sleep = sleep or (lambda seconds: self.stop_requested.wait(seconds))
        self.read_settings = read_settings
        self._report_lock = threading.Lock()

    # --- signals and the loop ---------------------------------------------------------
    def install_signal_handlers(self) -> None:
        def handler(signum, _frame):
            log.info("signal %s: finishing the current batch, then stopping", signum)
            self.stop_requested.set()
        signal.signal(signal.SIGTERM, handler)
        signal.signal(signal.SIGINT, handler)

    def run_once(self) -> list[RunSummary]:
        """Each source once, side by side; the summaries in the sources' order (a source not
        started because a stop was asked for has none)."""
        if not self.sources:
            return []
        with ThreadPoolExecutor(len(self.sources), thread_name_prefix="collect") as pool:
            runs = [pool.submit(self._run_unless_stopping, source) for source in self.sources]
            return [summary for run in runs if (summary := run.result()) is not None]

    def _run_unless_stopping(self, source) -> RunSummary | None:
        return None if self.stop_requested.is_set() else self.run_source(source)

    def run_forever(self, on_summary: Callable[[RunSummary], None] | None = None) -> None:
        """Each source in its own thread on its own schedule, until a stop is asked for. An
        error the error policy does not cover (the database gone) stops every source and is
        raised here, so the collector exits as it did with one loop."""
        failures: list[BaseException] = []

        def run(source) -> None:
            try:
                self.run_source_forever(source, on_summary)
            except BaseException as exc:
                failures.append(exc)
                self.stop_requested.set()
                raise

        threads = [threading.Thread(target=run, args=(s,), name=f"collect-{s.name}", daemon=True)
                   for s in self.sources]
        for thread in threads:
            thread.start()
        for thread in threads:
            while thread.is_alive():  # a timed join keeps the main thread free for signals
                thread.join(timeout=1.0)
        if failures:
            raise failures[0]

    def run_source_forever(self, source, on_summary: Callable[[RunSummary], None] | None = None) -> None:
        """One source's schedule: a run every ``source.interval`` seconds, or when the error
        policy says; once stopped, a run only after its settings have changed."""
        due = self.clock()
        stopped_on: str | None = None  # digest of the settings the source was stopped with
        while not self.stop_requested.is_set():
            wait = (due - self.clock()).total_seconds()
            if wait > 0:
                self.sleep(wait)
                continue
            due = self.clock() + timedelta(seconds=source.interval)
            if stopped_on is not None:
                fresh = self._changed_settings(source, stopped_on)
                if fresh is None:
                    continue
                log.info("%s: its settings changed; trying again", source.name)
                source.settings = fresh
            summary = self.run_source(source)
            with self._report_lock:
                if on_summary:
                    on_summary(summary)
            stopped_on = credentials_digest(source) if summary.status == "stopped" else None
            due = summary.retry_after or self.clock() + timedelta(seconds=source.interval)

    def _changed_settings(self, source, stopped_on: str) -> Settings | None:
        """The settings read afresh, when what the source needs differs from what it was
        stopped with; None while nothing changed (or the settings cannot be read)."""
        try:
            fresh = self.read_settings()
        except SettingsError as exc:
            log.warning("%s: cannot re-read the settings: %s", source.name, exc)
            return None
        return fresh if credentials_digest(source, fresh) != stopped_on else None

    # --- one run of one source --------------------------------------------------------
    def run_source(self, source) -> RunSummary:
        summary = RunSummary(source.name)
        now = self.clock()
        run_id = previous_status = None
        advisory = lease.AdvisoryLock(self.engine, source.name)
        if self.engine.dialect.name == "postgresql" and not advisory.try_acquire():
            summary.skipped = "another collector is running it (advisory lock held)"
            return summary
        try:
            with write_session(self.engine) as session:
                busy = lease.acquire(session, source.name, self.owner, now, self.ttl,
                                     holder_is_dead=advisory.conn is not None)
                state = session.get(CollectorState, source.name)
                if busy is None and state.retry_after and state.retry_after > now:
                    lease.release(session, source.name, self.owner)
                    summary.skipped = f"{state.status} until {state.retry_after:%Y-%m-%d %H:%M:%S} UTC"
                    summary.retry_after = state.retry_after
                    return summary
                if busy:
                    summary.skipped = busy
                    return summary
                month = now.strftime("%Y-%m")
                snap = Snapshot(state.cursor, dict(state.extra or {}),
                                state.reads_used if state.reads_month == month else 0)
                previous_status = state.status
                run = CollectorRun(source=source.name, started_at=now)
                session.add(run)
                session.flush()
                run_id = run.id
            self._run_batches(source, snap, summary, month)
        except Exception as exc:  # noqa: BLE001 - one failing source never stops the others
            self._classify(summary, exc, source)
        finally:
            if summary.skipped is None:
                self._finish(source.name, run_id, summary, previous_status)
            advisory.release()
        return summary

    def _run_batches(self, source, snap: Snapshot, summary: RunSummary, month: str) -> None:
        reads_used = snap.reads_used
        for batch in source.batches(snap, self.clock()):
            now = self.clock()
            with write_session(self.engine) as session:
                lease.renew(session, source.name, self.owner, now, self.ttl)
                result = store_batch(session, batch.mentions, source.name, now=now, waiting_own=batch.waiting_own)
                reads_used += batch.reads
                self._checkpoint(session, source.name, batch, reads_used, month, now)
            summary.fetched += batch.fetched
            summary.inserted += result.inserted
            summary.duplicates += result.duplicates
            summary.responses += result.responses
            summary.own_ignored += result.own_ignored
            summary.rejected += batch.rejected
            if self.stop_requested.is_set():
                log.info("%s: stopping after a committed batch", source.name)
                return

    @staticmethod
    def _checkpoint(session, source: str, batch, reads_used: int, month: str, now: datetime) -> None:
        session.execute(update(CollectorState).where(CollectorState.source == source).values(
            cursor=batch.cursor, extra=batch.extra, reads_used=reads_used, reads_month=month,
            last_success_at=now))

    def _classify(self, summary: RunSummary, exc: Exception, source) -> None:
        now = self.clock()
        secrets = self._secrets(source)
        summary.error = redact(str(exc) or exc.__class__.__name__, secrets)
        if isinstance(exc, AuthFailed):
            summary.status = "stopped"
        elif isinstance(exc, BudgetSpent):
            summary.status, summary.retry_after = "budget_spent", _next_month(now)
        elif isinstance(exc, RateLimited):
            summary.status = "rate_limited"
            summary.retry_after = exc.retry_at if exc.retry_at and exc.retry_at > now else None
        elif isinstance(exc, lease.LeaseLost):
            summary.status = "lease_lost"
        else:
            summary.status = "failing"
            if not isinstance(exc, TemporarilyUnavailable):
                # The traceback (with its chained library errors) may quote a request URL.
                trace = "".join(traceback.format_exception(exc))
                log.error("%s: unexpected error\n%s", source.name, redact(trace, secrets))

    @staticmethod
    def _secrets(source) -> tuple[str, ...]:
        """The tokens to redact: the process's, and the source's own (a replaced token is
        only in the settings the source was given when it was re-read)."""
        own = getattr(source, "settings", None)
        found = list(configured_secrets())
        if own is not None:
            from store.settings import SECRET_FIELDS
            found += [value.get_secret_value() for name in SECRET_FIELDS
                      if (value := getattr(own, name, None)) is not None]
        return tuple(dict.fromkeys(found))

    def _finish(self, source: str, run_id: int | None, summary: RunSummary, previous_status: str | None) -> None:
        now = self.clock()
        with write_session(self.engine) as session:
            state = session.get(CollectorState, source)
            extra = dict(state.extra or {})
            failures = int(extra.get("failures", 0))
            if summary.status in ("failing", "rate_limited") and summary.retry_after is None:
                failures += 1
                summary.retry_after = now + self._backoff(failures)
            elif summary.status == "ok":
                failures = 0
            extra["failures"] = failures
            if summary.status == "ok" and previous_status in ("failing", "rate_limited", "stopped"):
                log.warning("%s: recovered", source)
            elif summary.status != "ok" and summary.status != previous_status:
                log.warning("%s: %s: %s", source, summary.status, summary.error)
            session.execute(update(CollectorState).where(CollectorState.source == source).values(
                status=summary.status, status_detail=summary.error, last_run_at=now, extra=extra,
                retry_after=summary.retry_after))
            if run_id is not None:
                session.execute(update(CollectorRun).where(CollectorRun.id == run_id).values(
                    ended_at=now, fetched=summary.fetched, inserted=summary.inserted,
                    duplicates=summary.duplicates, error=summary.error))
            lease.release(session, source, self.owner)

    def _backoff(self, failures: int) -> timedelta:
        """Exponential with full jitter in [50%, 100%]: 30 s, 60 s, 2 min … up to the maximum."""
        delay = min(self.backoff_max, BACKOFF_BASE * (2 ** min(failures - 1, 20)))
        return delay * (0.5 + 0.5 * self.rng.random())
