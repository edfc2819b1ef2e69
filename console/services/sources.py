"""Collector status for the Admin page: last run, errors, X read budget left."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import select

from collectors.sources import X_SOURCES
from console.services import policy
from console.services.auth import Principal, refresh_principal
from console.services.policy import Action
from store.db import read_session
from store.settings import get_settings
from store.tables import CollectorRun, CollectorState
from store.types import utcnow

RECENT_RUNS = 10


@dataclass(frozen=True)
class SourceStatus:
    source: str
    status: str
    detail: str | None
    last_run_at: datetime | None
    last_success_at: datetime | None
    retry_after: datetime | None
    reads_left: int | None  # X only: monthly read budget left
    last_error: str | None
    runs: list[CollectorRun]


def reads_left(state: CollectorState, budget: int, now: datetime) -> int:
    """A new month starts with the whole budget, whatever was used last month."""
    if state.reads_month != now.strftime("%Y-%m"):
        return budget
    return max(0, budget - state.reads_used)


def source_status(principal: Principal) -> list[SourceStatus]:
    with read_session() as session:
        policy.require(refresh_principal(session, principal), Action.ADMINISTER)
        settings, now = get_settings(), utcnow()
        out = []
        for state in session.exec(select(CollectorState).order_by(CollectorState.source)).all():
            runs = list(session.exec(select(CollectorRun).where(CollectorRun.source == state.source)
                                     .order_by(CollectorRun.id.desc()).limit(RECENT_RUNS)).all())
            last_error = next((r.error for r in runs if r.error), None)
            out.append(SourceStatus(
                source=state.source, status=state.status, detail=state.status_detail,
                last_run_at=state.last_run_at, last_success_at=state.last_success_at,
                retry_after=state.retry_after,
                reads_left=(reads_left(state, settings.x_monthly_read_budget, now)
                            if state.source in X_SOURCES else None),
                last_error=last_error, runs=runs))
        return out
