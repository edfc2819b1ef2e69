"""Retraining on schedule: the worker's ``retrain`` job (console/worker/retrain_job.py).

When ``TANGGAP_RETRAIN_AFTER_FEEDBACK`` new feedback rows have arrived since the last
attempt, and that attempt is at least a day old (or when an admin asked for it on the Admin
page: ``request``), the worker trains with feedback in its own
process (never the console's) and the promotion gate decides (classifier.gate). A failed
run or a refused candidate leaves the active model as it is; the attempt, its outcome and
its reasons are kept in ``<model dir>/RETRAIN.json``, which the Admin page shows.

Several workers may run at once: the attempt is taken under an exclusive lock on
``<model dir>/RETRAIN.lock`` (released by the system if a worker dies), and the state file
is replaced atomically, so a crash at any point leaves either the old state (the next pass
tries again) or the new one.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from store.db import read_session
from store.feedback import count_rows
from store.settings import Settings, get_settings
from store.tables import TagFeedback

log = logging.getLogger(__name__)
STATE_FILE = "RETRAIN.json"
LOCK_FILE = "RETRAIN.lock"
REQUEST_FILE = "RETRAIN.request"  # an admin asked for a retrain now (the Admin page's button)
MIN_GAP = timedelta(days=1)  # at most one attempt a day, whatever its outcome


@dataclass
class Attempt:
    """The last scheduled attempt: when, up to which feedback row, and what came of it."""
    at: str                  # ISO time (UTC)
    feedback_id: int         # the highest feedback id when it started
    outcome: str             # "promoted", "refused" or "failed"
    version: str | None = None
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Pass:
    """What one pass of the job did."""
    trained: bool
    failed: bool
    note: str


@dataclass(frozen=True)
class Status:
    """For the Admin page: the last attempt and how much new feedback is waiting."""
    last: Attempt | None
    new_rows: int
    threshold: int
    next_after: datetime | None
    requested_by: str | None = None  # a retrain an admin asked for, waiting for the worker


def read_attempt(root: Path) -> Attempt | None:
    path = Path(root) / STATE_FILE
    if not path.is_file():
        return None
    try:
        return Attempt(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError):  # a damaged file: as if never run (the next pass rewrites it)
        log.warning("ignoring an unreadable %s", path)
        return None


def _write_attempt(root: Path, attempt: Attempt) -> None:
    tmp = Path(root) / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(asdict(attempt), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, Path(root) / STATE_FILE)


@contextmanager
def _exclusive(root: Path) -> Iterator[bool]:
    Path(root).mkdir(parents=True, exist_ok=True)
    with open(Path(root) / LOCK_FILE, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def status(principal) -> Status:
    """The schedule as the Admin page shows it (admins only)."""
    from console.services import policy
    from console.services.auth import refresh_principal
    settings = get_settings()
    last = read_attempt(settings.model_dir)
    with read_session() as session:
        policy.require(refresh_principal(session, principal), policy.Action.ADMINISTER)
        new_rows = count_rows(session, last.feedback_id if last else 0)
    next_after = datetime.fromisoformat(last.at) + MIN_GAP if last else None
    return Status(last, new_rows, settings.retrain_after_feedback, next_after, _requested_by(settings.model_dir))


def request(principal) -> None:
    """An admin asks the worker to retrain at its next check, whatever the feedback count or
    the time since the last attempt (the console never trains itself)."""
    from console.services import policy
    from console.services.auth import refresh_principal
    with read_session() as session:
        who = refresh_principal(session, principal)
        policy.require(who, policy.Action.ADMINISTER)
    root = Path(get_settings().model_dir)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / (REQUEST_FILE + ".tmp")
    tmp.write_text(who.username + "\n", encoding="utf-8")
    os.replace(tmp, root / REQUEST_FILE)


def _requested_by(root: Path) -> str | None:
    path = Path(root) / REQUEST_FILE
    return (path.read_text(encoding="utf-8").strip() or "?") if path.is_file() else None


def run_if_due(now: datetime, settings: Settings, trainer: Callable | None = None) -> Pass:
    """One pass of the job: retrain when due (enough new feedback, a day since the last
    attempt), under the lock; ``trainer`` is classifier.train.train (tests pass a stand-in)."""
    root = Path(settings.model_dir)
    with _exclusive(root) as mine:
        if not mine:
            return Pass(False, False, "another worker is retraining")
        last = read_attempt(root)
        asked = _requested_by(root)
        if asked is not None:
            with read_session() as session:
                top = session.execute(select(func.max(TagFeedback.id))).scalar_one() or 0
            (root / REQUEST_FILE).unlink(missing_ok=True)  # taken: a crash now loses only the request
            done = _attempt(root, now, top, settings, trainer)
            return Pass(done.trained, done.failed, f"asked by {asked}: {done.note}")
        if last is not None and now < datetime.fromisoformat(last.at) + MIN_GAP:
            return Pass(False, False, f"last attempt {last.at}; at most one a day")
        with read_session() as session:
            top = session.execute(select(func.max(TagFeedback.id))).scalar_one() or 0
            new_rows = count_rows(session, last.feedback_id if last else 0)
        if new_rows < settings.retrain_after_feedback:
            return Pass(False, False, f"{new_rows} of {settings.retrain_after_feedback} new feedback rows")
        return _attempt(root, now, top, settings, trainer)


def _attempt(root: Path, now: datetime, top: int, settings: Settings, trainer: Callable | None) -> Pass:
    from console.services.model import feedback_examples
    if trainer is None:
        from classifier.train import train as default_trainer
        trainer = default_trainer
    at = now.isoformat(timespec="seconds")
    try:
        result = trainer(root, feedback=feedback_examples(), progress=False,
                         feedback_weight=settings.feedback_weight, tolerance=settings.promotion_tolerance)
    except Exception as exc:  # any failure of training: recorded, the active model untouched
        log.warning("scheduled retraining failed", exc_info=True)
        reason = f"{type(exc).__name__}: {exc}"[:500]
        _write_attempt(root, Attempt(at, top, "failed", None, [reason]))
        return Pass(False, True, f"training failed: {reason}")
    outcome = "promoted" if result.promoted else "refused"
    _write_attempt(root, Attempt(at, top, outcome, result.version, list(result.reasons)))
    note = f"{result.version} {outcome}" + (f": {'; '.join(result.reasons)}" if result.reasons else "")
    return Pass(True, False, note)
