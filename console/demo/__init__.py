"""`tanggap demo`: demo staff accounts and a few hundred realistic mentions over the last
14 days, loaded through the real import path (collectors.files.import_file), then worked
by the demo staff so every page has something real to show."""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import func
from sqlmodel import select

from console.demo import dataset
from console.demo.users import DemoUser, ensure_users
from console.demo.workflow import work_cases
from store.db import read_session, write_session
from store.settings import get_settings
from store.tables import Case, Mention
from store.types import utcnow


@dataclass
class DemoReport:
    skipped: bool = False  # --if-empty and the database already had cases
    users_created: list[DemoUser] = field(default_factory=list)
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejects: list[str] = field(default_factory=list)
    actions: Counter = field(default_factory=Counter)


def has_cases() -> bool:
    with read_session() as session:
        return session.execute(select(func.count()).select_from(Case)).scalar_one() > 0


def load_demo(if_empty: bool = False, now: datetime | None = None, seed: int = 2026) -> DemoReport:
    """Create the demo users, import the demo mentions and work the new cases. Running it
    again imports nothing new (every mention is a duplicate) and changes no case."""
    from collectors.files import import_file

    if if_empty and has_cases():
        return DemoReport(skipped=True)
    now = now or utcnow()
    report = DemoReport()
    with write_session() as session:
        report.users_created, _ = ensure_users(session)
    mentions = dataset.build(now, get_settings().zone, seed=seed)
    before = _stored_ids()
    with tempfile.TemporaryDirectory(prefix="tanggap-demo-") as tmp:
        path = dataset.write_jsonl(mentions, Path(tmp) / "demo_mentions.jsonl")
        rejects_path = Path(tmp) / "rejects.csv"
        result = import_file(path, rejects_path, default_platform="import")
        if result.rejected and rejects_path.is_file():
            report.rejects = rejects_path.read_text(encoding="utf-8").splitlines()[1:]
    report.read, report.imported = result.read, result.imported
    report.duplicates, report.rejected = result.duplicates, result.rejected
    with write_session() as session:
        _, staff = ensure_users(session)
        case_of = dict(session.exec(select(Mention.external_id, Mention.case_id)
                                    .where(Mention.external_id.like("demo-%"))).all())
        new_cases = [(m, case_of[m.row["external_id"]]) for m in mentions
                     if m.row["external_id"] not in before and m.row["external_id"] in case_of
                     and not m.row["external_id"].endswith("-2")]  # a follow-up joins its first's case
        report.actions = work_cases(session, new_cases, staff, now, seed=seed)
    return report


def _stored_ids() -> set[str]:
    with read_session() as session:
        return set(session.exec(select(Mention.external_id).where(Mention.external_id.like("demo-%"))).all())
