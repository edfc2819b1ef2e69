"""README (Concurrency): SQLite runs in WAL mode with a busy timeout, write transactions
take the lock at BEGIN IMMEDIATE, and readers never block a writer."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from store.db import SQLITE_BUSY_TIMEOUT_MS, make_engine, read_session, write_session


@pytest.fixture
def sqlite_file(tmp_path):
    path = tmp_path / "locking.db"
    engine = make_engine(f"sqlite:///{path}")
    yield engine, path
    engine.dispose()


def _other_writer_can_begin(path) -> bool:
    """Whether a second connection, not willing to wait, gets the write lock now."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_sqlite_connections_use_wal_and_a_busy_timeout(sqlite_file):
    engine, _path = sqlite_file
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == SQLITE_BUSY_TIMEOUT_MS > 0


def test_a_write_session_holds_the_write_lock_from_its_first_statement(sqlite_file):
    engine, path = sqlite_file
    with write_session(engine) as session:
        session.execute(text("SELECT 1"))  # only a read, yet BEGIN IMMEDIATE took the lock
        assert not _other_writer_can_begin(path)
    assert _other_writer_can_begin(path)


def test_a_read_session_never_blocks_a_writer(sqlite_file):
    engine, path = sqlite_file
    with read_session(engine) as session:
        session.execute(text("SELECT 1"))
        assert _other_writer_can_begin(path)
