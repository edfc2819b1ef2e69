"""The worker's `retrain` job (console/services/retraining.py): trains when enough new
feedback arrived and a day has passed, records every outcome for the Admin page, leaves the
active model alone when training fails or the gate refuses, and never runs twice at once.

Training itself is a stand-in here (it records its call and answers as told): real training
with the gate is tested in tests/classifier/test_feedback.py."""

from __future__ import annotations

import fcntl
from datetime import UTC, datetime, timedelta

import pytest

from classifier.train import TrainResult
from console.services import retraining
from console.worker.jobs import build_jobs
from store.db import write_session
from store.feedback import LabelledRow, store_rows
from store.settings import get_settings

NOW = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)


class Trainer:
    """Answers like classifier.train.train: promoted, refused (with reasons) or an error."""

    def __init__(self, promoted: bool = True, error: Exception | None = None):
        self.promoted, self.error, self.calls = promoted, error, []

    def __call__(self, root, feedback, progress, feedback_weight, tolerance):
        self.calls.append(len(feedback))
        if self.error is not None:
            raise self.error
        reasons = [] if self.promoted else ["kritis recall lower: test split 0.9800 vs 0.9933"]
        return TrainResult(f"v{len(self.calls)}", root, {}, self.promoted, reasons)


@pytest.fixture
def settings(db, tmp_path, monkeypatch):
    monkeypatch.setenv("TANGGAP_MODEL_DIR", str(tmp_path / "models"))
    monkeypatch.setenv("TANGGAP_RETRAIN_AFTER_FEEDBACK", "3")
    get_settings.cache_clear()
    return get_settings()


def _feedback(n: int, start: int = 0) -> None:
    with write_session() as s:
        store_rows(s, [LabelledRow(f"jalan berlubang nomor {i}", "infrastruktur", "sedang", "aduan")
                       for i in range(start, start + n)])


def test_waits_for_enough_new_feedback(settings):
    _feedback(2)
    trainer = Trainer()
    done = retraining.run_if_due(NOW, settings, trainer)
    assert (done.trained, done.note, trainer.calls) == (False, "2 of 3 new feedback rows", [])


def test_trains_then_waits_a_day_and_for_new_rows(settings):
    _feedback(3)
    trainer = Trainer()
    assert retraining.run_if_due(NOW, settings, trainer).note == "v1 promoted"
    assert trainer.calls == [3]
    later = retraining.run_if_due(NOW + timedelta(hours=23), settings, trainer)
    assert not later.trained and "at most one a day" in later.note
    next_day = retraining.run_if_due(NOW + timedelta(days=1), settings, trainer)
    assert next_day.note == "0 of 3 new feedback rows"  # the rows already trained on do not count
    _feedback(3, start=10)
    assert retraining.run_if_due(NOW + timedelta(days=1), settings, trainer).trained
    assert trainer.calls == [3, 6]


def test_a_refused_candidate_is_recorded_with_its_reasons(settings):
    _feedback(3)
    done = retraining.run_if_due(NOW, settings, Trainer(promoted=False))
    assert done.trained and not done.failed and "refused: kritis recall lower" in done.note
    last = retraining.read_attempt(settings.model_dir)
    assert (last.outcome, last.version, last.reasons) == (
        "refused", "v1", ["kritis recall lower: test split 0.9800 vs 0.9933"])


def test_a_failed_training_is_recorded_and_retried_after_a_day(settings):
    _feedback(3)
    done = retraining.run_if_due(NOW, settings, Trainer(error=MemoryError("out of memory")))
    assert done.failed and done.note == "training failed: MemoryError: out of memory"
    last = retraining.read_attempt(settings.model_dir)
    assert (last.outcome, last.reasons) == ("failed", ["MemoryError: out of memory"])
    assert retraining.run_if_due(NOW + timedelta(days=1), settings, Trainer()).trained is False  # no new rows


def test_a_second_worker_does_not_train_while_one_is(settings):
    _feedback(3)
    settings.model_dir.mkdir(parents=True)
    with open(settings.model_dir / retraining.LOCK_FILE, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as another worker's process holds it while training
        trainer = Trainer()
        assert retraining.run_if_due(NOW, settings, trainer).note == "another worker is retraining"
        assert trainer.calls == []


def test_the_worker_runs_the_retrain_job(settings, monkeypatch):
    [job] = [j for j in build_jobs(settings) if j.name == "retrain"]
    assert job.interval == 600
    _feedback(1)
    result = job.run(NOW)
    assert (result.job, result.done, result.failed, result.note) == ("retrain", 0, 0, "1 of 3 new feedback rows")



def test_an_admins_request_trains_at_the_next_check_whatever_the_count_or_the_day(settings, make_user):
    from console.services.errors import PermissionDenied
    boss, staff = make_user("boss", "admin"), make_user("ani", "komunikasi")
    _feedback(3)
    trainer = Trainer()
    retraining.run_if_due(NOW, settings, trainer)
    with pytest.raises(PermissionDenied):
        retraining.request(staff)
    retraining.request(boss)
    assert retraining.status(boss).requested_by == "boss"
    done = retraining.run_if_due(NOW + timedelta(hours=1), settings, trainer)  # same day, no new rows
    assert done.trained and done.note == "asked by boss: v2 promoted" and trainer.calls == [3, 3]
    assert retraining.status(boss).requested_by is None  # taken once
    assert not retraining.run_if_due(NOW + timedelta(hours=2), settings, trainer).trained
