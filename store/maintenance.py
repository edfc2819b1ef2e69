"""Planner statistics kept fresh by the app itself, so a query's plan never depends on luck.

Without statistics SQLite picks the triage index for the agency queue (0.44 → 14.5 ms at
1M cases). SQLite gathers them only when asked: at process start and after a bulk intake
any table that was never analysed, or has grown to twice the rows it was analysed at, is
analysed again, sampling at most ``SQLITE_ANALYSIS_LIMIT`` rows per index (an approximate
ANALYZE: milliseconds, not seconds, at a million rows); then ``PRAGMA optimize`` does its
own upkeep. PostgreSQL's autovacuum keeps statistics fresh in normal running; after a
bulk load its threshold may not yet have been reached, so the loaded tables are analysed
at once.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, text

SQLITE_ANALYSIS_LIMIT = 1000
# The tables whose plans matter (queues, statistics, case pages) and grow with use.
GROWING_TABLES = ("case", "casesupport", "mention", "caseevent")
STALE_GROWTH = 2


def refresh_statistics(engine: Engine) -> list[str]:
    """Analyse what needs it (see the module docstring); returns the tables analysed."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            return _refresh_sqlite(conn)
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE " + ", ".join(f'"{t}"' for t in GROWING_TABLES)))
            return list(GROWING_TABLES)
    return []


def _refresh_sqlite(conn: Connection) -> list[str]:
    analysed = _sqlite_analysed_rows(conn)
    # A database never migrated has none of them: nothing to analyse, and the command goes
    # on to say "run tanggap db upgrade" (or is that upgrade) without a warning first.
    existing = {name for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    stale = []
    for table in (t for t in GROWING_TABLES if t in existing):
        rows = conn.execute(text(f'SELECT max(rowid) FROM "{table}"')).scalar() or 0
        if rows and (table not in analysed or rows >= STALE_GROWTH * max(analysed[table], 1)):
            stale.append(table)
    if stale:
        conn.execute(text(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}"))
        for table in stale:
            conn.execute(text(f'ANALYZE "{table}"'))
    conn.execute(text("PRAGMA optimize"))
    return stale


def _sqlite_analysed_rows(conn: Connection) -> dict[str, int]:
    """Rows each table had when last analysed (the first figure of sqlite_stat1.stat)."""
    exists = conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first()
    if not exists:
        return {}
    rows: dict[str, int] = {}
    for table, stat in conn.execute(text("SELECT tbl, stat FROM sqlite_stat1")):
        first = (stat or "").split(" ", 1)[0]
        if first.isdigit():
            rows[table] = max(rows.get(table, 0), int(first))
    return rows
