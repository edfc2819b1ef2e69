"""Which collector runs a source, so two collectors never ingest the same source at once.

The lease is a row per source (CollectorState.lease_owner / lease_expires_at), claimed
at the start of a run and renewed inside every batch transaction: a collector that lost
its lease cannot commit. A lease ends when its run ends, when it expires, or when its
owner is provably dead (same host, process gone). On PostgreSQL the run also holds a
session advisory lock, which the server frees the moment a collector's connection dies,
so a crashed collector's lease can be taken over at once.
"""

from __future__ import annotations

import os
import socket
import zlib
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import Engine, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from store.tables import CollectorRun, CollectorState

HOST = socket.gethostname()


class LeaseLost(Exception):
    """Another collector took over this source; the batch is rolled back."""


def new_owner() -> str:
    return f"{HOST}:{os.getpid()}:{uuid4().hex[:8]}"


def _owner_is_dead(owner: str) -> bool:
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != HOST or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def ensure_state(session: Session, source: str) -> None:
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    session.execute(insert(CollectorState.__table__).values(source=source, status="idle", reads_used=0)
                    .on_conflict_do_nothing(index_elements=["source"]))


def acquire(session: Session, source: str, owner: str, now: datetime, ttl: timedelta,
            holder_is_dead: bool = False) -> str | None:
    """Claim the source; None when claimed, else a note naming the current holder."""
    ensure_state(session, source)
    state = session.execute(select(CollectorState).where(CollectorState.source == source)
                            .with_for_update()).scalar_one()
    held_by = state.lease_owner
    if held_by not in (None, owner):
        expired = state.lease_expires_at is None or state.lease_expires_at <= now
        if not (expired or holder_is_dead or _owner_is_dead(held_by)):
            return f"another collector ({held_by}) holds {source} until {state.lease_expires_at:%Y-%m-%d %H:%M:%S} UTC"
        # Its run never finished: say so in the run history.
        session.execute(update(CollectorRun).where(CollectorRun.source == source, CollectorRun.ended_at.is_(None))
                        .values(ended_at=now, error=f"interrupted: collector {held_by} stopped mid-run"))
    session.execute(update(CollectorState).where(CollectorState.source == source)
                    .values(lease_owner=owner, lease_expires_at=now + ttl))
    return None


def renew(session: Session, source: str, owner: str, now: datetime, ttl: timedelta) -> None:
    result = session.execute(update(CollectorState)
                             .where(CollectorState.source == source, CollectorState.lease_owner == owner)
                             .values(lease_expires_at=now + ttl))
    if result.rowcount != 1:
        raise LeaseLost(f"{source}: lease lost to another collector; batch rolled back")


def release(session: Session, source: str, owner: str) -> None:
    session.execute(update(CollectorState)
                    .where(CollectorState.source == source, CollectorState.lease_owner == owner)
                    .values(lease_owner=None, lease_expires_at=None))


class AdvisoryLock:
    """PostgreSQL only: a session advisory lock per source, held for a whole run."""

    def __init__(self, engine: Engine, source: str):
        self.engine, self.key = engine, zlib.crc32(f"tanggap:collector:{source}".encode())
        self.conn = None

    def try_acquire(self) -> bool:
        if self.engine.dialect.name != "postgresql":
            return False
        self.conn = self.engine.connect()
        got = bool(self.conn.execute(select(func.pg_try_advisory_lock(self.key))).scalar())
        self.conn.commit()
        if not got:
            self.conn.close()
            self.conn = None
        return got

    def release(self) -> None:
        if self.conn is not None:
            try:
                self.conn.execute(select(func.pg_advisory_unlock(self.key)))
                self.conn.commit()
            finally:
                self.conn.close()
                self.conn = None
