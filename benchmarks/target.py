"""Which database a benchmark runs on: ``--db`` takes a SQLite file path or a database URL."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def is_postgres(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgresql+psycopg://"))


def database_url(target: str | Path) -> str:
    """The SQLAlchemy URL Tanggap is given for ``target``."""
    return str(target) if is_postgres(target) else f"sqlite:///{sqlite_path(target)}"


def sqlite_path(target: str | Path) -> Path:
    text = str(target)
    return Path(text.removeprefix("sqlite:///")) if text.startswith("sqlite:///") else Path(text)


def pg_conninfo(url: str) -> dict:
    """psycopg connection keywords for a PostgreSQL URL (what raw SQL baselines connect with)."""
    parsed = make_url(url)
    info = {"host": parsed.host, "port": parsed.port, "user": parsed.username, "password": parsed.password,
            "dbname": parsed.database}
    return {k: v for k, v in info.items() if v is not None}


def db_argument(value: str) -> str:
    """argparse type of ``--db``: a SQLite path, sqlite:///path, or postgresql[+psycopg]://… URL."""
    if "://" not in value:
        if not value.strip():
            raise argparse.ArgumentTypeError("--db: empty path")
        return value
    if not (value.startswith("sqlite:///") or is_postgres(value)):
        raise argparse.ArgumentTypeError(
            f"--db {value!r}: expected a SQLite file path, sqlite:///path or postgresql+psycopg://user@host/db")
    try:
        parsed = make_url(value)
    except ArgumentError as exc:
        raise argparse.ArgumentTypeError(f"--db {value!r}: not a database URL ({exc})") from exc
    if not parsed.database:
        raise argparse.ArgumentTypeError(f"--db {value!r}: the URL names no database")
    return value


def exists(target: str) -> bool:
    """Whether the benchmark database is there with its case table."""
    if not is_postgres(target):
        return sqlite_path(target).exists()
    import psycopg
    try:
        with psycopg.connect(**pg_conninfo(target)) as conn:
            return conn.execute("SELECT to_regclass('public.case') IS NOT NULL").fetchone()[0]
    except psycopg.OperationalError:
        return False


def case_count(target: str) -> int | None:
    """max(id) of the case table (the bulk loader numbers cases 1…N); None when unreadable."""
    sql = 'SELECT max(id) FROM "case"'
    try:
        if is_postgres(target):
            import psycopg
            with psycopg.connect(**pg_conninfo(target)) as conn:
                return conn.execute(sql).fetchone()[0]
        import sqlite3
        with sqlite3.connect(sqlite_path(target)) as conn:
            return conn.execute(sql).fetchone()[0]
    except Exception:  # noqa: BLE001 - any failure means "build it again"
        return None
