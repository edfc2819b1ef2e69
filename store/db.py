"""Engine, sessions and backend pragmas.

SQLite runs in WAL mode with a busy timeout, and a write session takes the write lock at
BEGIN (BEGIN IMMEDIATE), so two writers queue instead of failing half-way with
"database is locked". Read sessions use a plain BEGIN and never block writers.

On PostgreSQL a read session is one REPEATABLE READ, READ ONLY transaction (one snapshot,
as a SQLite read transaction sees), begun in the same BEGIN statement and ended by COMMIT,
not ROLLBACK: psycopg deallocates every prepared statement on ROLLBACK, and the page
queries are only fast prepared. Returned connections are then already idle, so the pool's
reset sends nothing. Instead of a pre-ping round trip on every checkout, a checkout looks
at the socket: an idle connection the server has ended (restart, pg_terminate_backend)
has its goodbye waiting to be read, and is replaced before use.
"""

from __future__ import annotations

import logging
import select
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, NoSuchModuleError, OperationalError
from sqlmodel import Session

from store.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 15_000
# psycopg prepares a statement on the server after this many executions of the same SQL on a
# connection (its default is 5); the queue pages are the same few statements over and over.
PG_PREPARE_THRESHOLD = 2
PG_POOL_SIZE, PG_POOL_OVERFLOW = 5, 10
READ_OPTIONS = {"postgresql": {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}}

log = logging.getLogger(__name__)


class DatabaseConfigError(Exception):
    """TANGGAP_DATABASE_URL names a database Tanggap cannot open; the message says why."""


def _prepare_sqlite_path(url) -> None:
    database = url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    parent = Path(database).expanduser().resolve().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseConfigError(
            f"TANGGAP_DATABASE_URL: cannot create the folder {parent} for the SQLite database "
            f"({exc.strerror})") from exc


def _install_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's begin event below issue BEGIN itself (pysqlite's own implicit
        # BEGIN is deferred and can't be made IMMEDIATE).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


def _install_postgres_liveness_check(engine: Engine) -> None:
    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, _record, _proxy):
        if _ended_by_server(dbapi_connection):
            # The pool discards this connection and checks out (or opens) another.
            raise DisconnectionError("PostgreSQL ended this pooled connection")


def _ended_by_server(dbapi_connection) -> bool:
    """An idle connection has nothing to read unless the server has said goodbye (an error
    before closing, or end of file). Tanggap never LISTENs, so no notification is lost."""
    if dbapi_connection.closed:
        return True
    try:
        readable, _, _ = select.select([dbapi_connection.pgconn.socket], [], [], 0)
    except (OSError, ValueError):  # the socket is gone already
        return True
    return bool(readable)


def make_engine(url: str | None = None, **kwargs) -> Engine:
    """Create and check an engine; any problem becomes one DatabaseConfigError naming the setting."""
    raw = url or get_settings().database_url
    try:
        parsed = make_url(raw)
    except ArgumentError as exc:
        raise DatabaseConfigError(
            f"TANGGAP_DATABASE_URL: {raw!r} is not a database URL "
            "(expected e.g. sqlite:///var/tanggap.db or postgresql+psycopg://user@host/db)") from exc
    if parsed.get_backend_name() == "sqlite":
        _prepare_sqlite_path(parsed)
    elif parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "postgresql":
        kwargs.setdefault("connect_args", {}).setdefault("prepare_threshold", PG_PREPARE_THRESHOLD)
        # Per process; README's deployment section sizes max_connections from these.
        kwargs.setdefault("pool_size", PG_POOL_SIZE)
        kwargs.setdefault("max_overflow", PG_POOL_OVERFLOW)
    try:
        engine = create_engine(parsed, **kwargs)
    except (NoSuchModuleError, ArgumentError, ImportError) as exc:
        raise DatabaseConfigError(
            f"TANGGAP_DATABASE_URL: unsupported database {parsed.drivername!r} ({exc})") from exc
    if engine.dialect.name == "sqlite":
        _install_sqlite_pragmas(engine)
    elif engine.dialect.name == "postgresql" and not kwargs.get("pool_pre_ping"):
        _install_postgres_liveness_check(engine)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        if engine.dialect.name == "sqlite" and parsed.database not in (None, "", ":memory:"):
            # A read-only file or folder only shows when the write lock is asked for.
            raw_conn = engine.raw_connection()
            try:
                raw_conn.driver_connection.execute("BEGIN IMMEDIATE")
                raw_conn.driver_connection.execute("ROLLBACK")
            finally:
                raw_conn.close()
    except (OperationalError, sqlite3.OperationalError) as exc:
        engine.dispose()
        orig = getattr(exc, "orig", None) or exc
        reason = str(orig).splitlines()[0]
        raise DatabaseConfigError(
            f"TANGGAP_DATABASE_URL: cannot open {parsed.render_as_string(hide_password=True)}: "
            f"{reason}") from exc
    return engine


@lru_cache
def get_engine() -> Engine:
    """The process's engine; on first use the SQLite planner statistics are refreshed."""
    engine = make_engine()
    if engine.dialect.name == "sqlite":
        from store.maintenance import refresh_statistics
        try:
            refresh_statistics(engine)
        except OperationalError as exc:  # e.g. a read-only copy: plans may be slower, reads still work
            reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]  # one line, not the SQL
            log.warning("could not refresh SQLite statistics: %s", reason)
    return engine


@lru_cache(maxsize=16)
def _read_bind(engine: Engine) -> Engine:
    options = READ_OPTIONS.get(engine.dialect.name)
    return engine.execution_options(**options) if options else engine


def _write_bind(engine: Engine) -> Engine:
    return engine.execution_options(sqlite_begin="IMMEDIATE") if engine.dialect.name == "sqlite" else engine


@contextmanager
def read_session(engine: Engine | None = None) -> Iterator[Session]:
    """One snapshot for every read inside; nothing written inside is kept (on PostgreSQL the
    transaction is READ ONLY and a write fails)."""
    with Session(_read_bind(engine or get_engine()), expire_on_commit=False) as session:
        yield session
        if session.in_transaction() and session.get_bind().dialect.name == "postgresql":
            # COMMIT of a read-only transaction ends it as ROLLBACK would, but keeps the
            # connection's prepared statements (see the module docstring).
            session.commit()


@contextmanager
def write_session(engine: Engine | None = None) -> Iterator[Session]:
    """A transaction that commits on success and rolls back on any error."""
    with Session(_write_bind(engine or get_engine()), expire_on_commit=False) as session, session.begin():
        yield session
