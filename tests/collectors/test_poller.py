"""The poller: sources skipped or refused for missing settings, one failing source never
stops the others, leases, SIGTERM, the loop's schedule on a fake clock."""

from __future__ import annotations

import threading
from datetime import timedelta
from itertools import pairwise

import pytest
from sqlmodel import select

from collectors.errors import MissingSettings, TemporarilyUnavailable
from collectors.mention import Mention
from collectors.poller import Poller
from collectors.sources import Batch, build_sources
from store.db import read_session, write_session
from store.tables import CollectorRun, CollectorState
from store.tables import Mention as MentionRow


class ListSource:
    """A source whose pages are given; raising an exception instance as a page."""

    def __init__(self, name, pages, interval=60, on_batch=None):
        self.name, self.pages, self.interval, self.on_batch = name, pages, interval, on_batch

    def batches(self, snap, now):
        start = int(snap.cursor or 0)
        for i, page in enumerate(self.pages[start:], start=start):
            if isinstance(page, Exception):
                raise page
            if self.on_batch:
                self.on_batch(i)
            yield Batch([_mention(self.name, n, now) for n in page], str(i + 1), {}, fetched=len(page))


def _mention(source, n, now):
    return Mention(platform="import", external_id=f"{source}-{n}", text=f"laporan {n}", created_at=now)


def test_missing_settings_are_skipped_with_a_note_and_refused_when_named(settings_env, db):
    settings = settings_env(sms_gammu_url="sqlite:///gammu.db")
    sources, notes = build_sources(settings)
    assert [s.name for s in sources] == ["sms"]
    assert notes[0] == "twitter: skipped, not configured (set TANGGAP_X_ACCOUNT, TANGGAP_X_BEARER_TOKEN)"
    with pytest.raises(MissingSettings, match="TANGGAP_FACEBOOK_PAGE_ID, TANGGAP_FACEBOOK_PAGE_TOKEN"):
        build_sources(settings, ["facebook"])


def test_one_failing_source_does_not_stop_the_others(db, clock):
    broken = ListSource("broken", [TemporarilyUnavailable("HTTP 503")])
    fine = ListSource("fine", [[1, 2]])
    summaries = Poller([broken, fine], clock=clock, sleep=clock.sleep).run_once()
    assert [s.status for s in summaries] == ["failing", "ok"] and summaries[1].inserted == 2
    with read_session() as s:
        runs = {r.source: r for r in s.exec(select(CollectorRun)).all()}
    assert runs["broken"].error == "HTTP 503" and runs["fine"].inserted == 2 and runs["fine"].ended_at


def test_a_second_collector_does_not_run_a_leased_source(db, clock):
    first, second = Poller([], clock=clock), Poller([], clock=clock)
    seen = []

    def while_running(i):  # the second collector tries while the first is mid-run
        seen.append(second.run_source(ListSource("s", [[9]])))
    first.run_source(ListSource("s", [[1], [2]], on_batch=while_running))
    assert seen[0].skipped.startswith("another collector")
    with read_session() as s:
        assert len(s.exec(select(MentionRow)).all()) == 2


def test_an_expired_lease_is_taken_over_and_its_run_marked_interrupted(db, clock):
    with write_session() as s:
        s.add(CollectorState(source="s", lease_owner="otherhost:1:abc", lease_expires_at=clock.now - timedelta(1)))
        s.add(CollectorRun(source="s", started_at=clock.now - timedelta(hours=1)))
    summary = Poller([], clock=clock).run_source(ListSource("s", [[1]]))
    assert summary.status == "ok"
    with read_session() as s:
        old = s.exec(select(CollectorRun).order_by(CollectorRun.id)).first()
    assert old.error.startswith("interrupted")


def test_sigterm_finishes_the_current_batch_then_stops(db, clock):
    poller = Poller([], clock=clock)
    source = ListSource("s", [[1], [2], [3]], on_batch=lambda i: poller.stop_requested.set() if i == 1 else None)
    summary = poller.run_source(source)
    assert summary.inserted == 2
    with read_session() as s:
        assert s.get(CollectorState, "s").cursor == "2"  # the checkpoint covers exactly the stored rows


def _run_for(source, clock, minutes: float) -> list[tuple[str, timedelta]]:
    """One source's schedule on the fake clock for ``minutes``: (status, time) of each run."""
    poller = Poller([source], clock=clock)
    start, runs = clock.now, []

    def fake_sleep(seconds):
        clock.sleep(seconds)
        if clock.now - start >= timedelta(minutes=minutes):
            poller.stop_requested.set()
    poller.sleep = fake_sleep
    poller.run_source_forever(source, on_summary=lambda s: runs.append((s.status, clock.now - start)))
    return runs


def test_a_source_runs_on_its_interval(db, clock):
    runs = _run_for(ListSource("steady", [[1]], interval=30), clock, minutes=2)
    assert [t for _, t in runs][:4] == [timedelta(0), timedelta(seconds=30), timedelta(seconds=60),
                                        timedelta(seconds=90)]


def test_a_failing_source_is_retried_after_a_growing_backoff(db, clock):
    runs = _run_for(ListSource("flaky", [TemporarilyUnavailable("timeout")], interval=60), clock, minutes=3)
    times = [t for _, t in runs]
    gaps = [b - a for a, b in pairwise(times)]
    assert timedelta(seconds=15) <= gaps[0] <= timedelta(seconds=30) < gaps[1] <= timedelta(seconds=60)


def test_the_backoff_stops_growing_at_15_minutes(db, clock):
    # collectors/README: "backoff is capped at 15 minutes" (jittered into its upper half).
    runs = _run_for(ListSource("down", [TemporarilyUnavailable("timeout")], interval=60), clock, minutes=120)
    times = [t for _, t in runs]
    gaps = [b - a for a, b in pairwise(times)]
    assert max(gaps) <= timedelta(minutes=15)
    assert all(timedelta(minutes=7.5) <= gap for gap in gaps[-3:]), gaps


class FailingThenFine:
    """A source that fails ``failures`` times (503), then returns one mention per run."""

    def __init__(self, failures: int):
        self.name, self.interval, self.failures, self.runs = "flaky", 60, failures, 0

    def batches(self, snap, now):
        self.runs += 1
        if self.runs <= self.failures:
            raise TemporarilyUnavailable("HTTP 503")
        yield Batch([_mention(self.name, self.runs, now)], str(self.runs), {}, fetched=1)


def test_a_failing_source_is_logged_once_when_it_fails_and_once_when_it_recovers(db, clock, caplog):
    with caplog.at_level("INFO", logger="collectors.poller"):
        runs = _run_for(FailingThenFine(failures=3), clock, minutes=30)
    assert [status for status, _ in runs][:6] == ["failing"] * 3 + ["ok"] * 3
    lines = [r.getMessage() for r in caplog.records if r.name == "collectors.poller"]
    assert lines == ["flaky: failing: HTTP 503", "flaky: recovered"]


def test_run_once_runs_the_sources_side_by_side(db, clock):
    """Each source waits in its first page for the other to be in its own: run one after
    the other, the first would wait in vain (and time out)."""
    in_a, in_b = threading.Event(), threading.Event()
    met = []

    def meet(mine: threading.Event, theirs: threading.Event):
        mine.set()
        met.append(theirs.wait(timeout=10))
    a = ListSource("a", [[1]], on_batch=lambda i: meet(in_a, in_b))
    b = ListSource("b", [[2]], on_batch=lambda i: meet(in_b, in_a))
    summaries = Poller([a, b], clock=clock).run_once()
    assert met == [True, True]
    assert [(s.source, s.status, s.inserted) for s in summaries] == [("a", "ok", 1), ("b", "ok", 1)]


def test_tokens_never_reach_the_run_history_or_the_log(db, clock, monkeypatch, caplog):
    from store.settings import get_settings
    monkeypatch.setenv("TANGGAP_FACEBOOK_PAGE_TOKEN", "EAAGpagetoken123")
    get_settings.cache_clear()
    leaky = RuntimeError("GET https://graph.facebook.com/v25.0/1/feed?limit=100&access_token=EAAGpagetoken123 failed; "
                         "headers Authorization: Bearer AAAAxbearer and EAAGpagetoken123 again")
    with caplog.at_level("DEBUG"):
        Poller([ListSource("facebook", [leaky])], clock=clock, sleep=clock.sleep).run_once()
    with read_session() as s:
        run = s.exec(select(CollectorRun)).one()
        state = s.get(CollectorState, "facebook")
    for text in (run.error, state.status_detail, caplog.text):
        assert "EAAGpagetoken123" not in text and "AAAAxbearer" not in text
    assert "access_token=[redacted]" in run.error and "Bearer [redacted]" in run.error


def test_a_token_only_the_source_holds_is_redacted_too(db, clock):
    """A token replaced while the collector runs is in the settings the source was given
    when they were re-read, not in the process's: it is redacted all the same."""
    from store.settings import Settings
    source = ListSource("facebook", [RuntimeError("Graph refused EAAGnewtoken456 (code 1)")])
    source.settings = Settings(facebook_page_token="EAAGnewtoken456")
    [summary] = Poller([source], clock=clock).run_once()
    assert summary.error == "Graph refused [redacted] (code 1)"
