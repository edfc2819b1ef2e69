"""Store benchmark: triage first page, an agency queue page and the statistics query on
1,000,000 cases in SQLite or PostgreSQL, each as median milliseconds and as a ratio against
the same SQL sent raw through sqlite3 or psycopg (the floor), with the spread of the runs.

Usage: python benchmarks/store_bench.py [--cases 1000000] [--db var/bench/cases_1m.db | --db URL] [--rebuild]
Targets at 1M cases: triage first page ≤ 20 ms (PostgreSQL ≤ 1 ms), agency queue (PostgreSQL) ≤ 2 ms,
statistics ≤ 1 s, project code within 2x of raw SQL.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bulk import build
from benchmarks.target import case_count, database_url, db_argument, exists, is_postgres, pg_conninfo, sqlite_path

WIB = ZoneInfo("Asia/Jakarta")

RAW_TRIAGE = """SELECT * FROM "case" WHERE is_open = 1
ORDER BY queue_rank, urgency_rank, due_at, id LIMIT 26"""
RAW_AGENCY = """SELECT * FROM "case" WHERE is_open = 1 AND (lead_agency_code = ?
OR id IN (SELECT case_id FROM casesupport WHERE agency_code = ?
AND case_id >= (SELECT min(id) FROM "case" WHERE is_open = 1))) ORDER BY due_at, id LIMIT 26"""
# PostgreSQL: the same SQL as Tanggap sends there (see store/agency_scope.py).
PG_TRIAGE = """SELECT * FROM "case" WHERE is_open IS TRUE
ORDER BY queue_rank, urgency_rank, due_at, id LIMIT 26"""
PG_AGENCY = """SELECT * FROM ((SELECT * FROM "case" WHERE is_open IS TRUE AND lead_agency_code = %(a)s
ORDER BY due_at, id LIMIT 26) UNION ALL (SELECT * FROM "case" WHERE is_open IS TRUE
AND lead_agency_code IS DISTINCT FROM %(a)s AND id = ANY(ARRAY(SELECT case_id FROM casesupport
WHERE agency_code = %(a)s AND case_id >= (SELECT min(id) FROM "case" WHERE is_open IS TRUE)))
ORDER BY due_at, id LIMIT 26)) AS agency_cases ORDER BY due_at, id LIMIT 26"""
# One histogram per clock, as store.stats reads them: handling, then acknowledgement.
RAW_HISTOGRAMS = ("""SELECT handling_minutes, count(*), sum(handling_met),
sum(CASE WHEN is_open = 1 AND handling_minutes IS NULL AND due_at < ? THEN 1 ELSE 0 END) FROM "case"
WHERE status != 'closed_no_action' GROUP BY handling_minutes""",
                  """SELECT first_response_minutes, count(*), sum(response_met),
sum(CASE WHEN is_open = 1 AND first_response_minutes IS NULL AND ack_due_at < ? THEN 1 ELSE 0 END) FROM "case"
WHERE status != 'closed_no_action' GROUP BY first_response_minutes""")
PG_HISTOGRAMS = ("""SELECT handling_minutes, count(*), sum(handling_met),
sum(CASE WHEN is_open IS TRUE AND handling_minutes IS NULL AND due_at < %(now)s THEN 1 ELSE 0 END) FROM "case"
WHERE status != 'closed_no_action' GROUP BY handling_minutes""",
                 """SELECT first_response_minutes, count(*), sum(response_met),
sum(CASE WHEN is_open IS TRUE AND first_response_minutes IS NULL AND ack_due_at < %(now)s THEN 1 ELSE 0 END)
FROM "case" WHERE status != 'closed_no_action' GROUP BY first_response_minutes""")


def timed_pair(raw, ours, runs: int) -> tuple[list[float], list[float]]:
    """Milliseconds of each run of each, the two run alternately so that both meet the same
    load on a shared machine (run one after the other, their ratio drifted by 2x)."""
    for _ in range(5):
        raw(), ours()  # warm the page cache and statement caches (psycopg prepares on a repeat)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, out in ((raw, times[0]), (ours, times[1])):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
    return times


def median_ms_pair(raw, ours, runs: int) -> tuple[float, float]:
    raw_times, our_times = timed_pair(raw, ours, runs)
    return statistics.median(raw_times), statistics.median(our_times)


def spread(times: list[float]) -> str:
    """The middle half of the runs (25th–75th percentile)."""
    q = statistics.quantiles(times, n=4)
    return f"{q[0]:.2f}–{q[2]:.2f}"


def raw_queries(target: str, now: datetime):
    if is_postgres(target):
        return raw_pg_queries(target, now)
    conn = sqlite3.connect(sqlite_path(target))
    conn.execute("PRAGMA journal_mode=WAL")
    now_s = now.strftime("%Y-%m-%d %H:%M:%S.%f")

    def triage():
        conn.execute(RAW_TRIAGE).fetchall()

    def agency():
        conn.execute(RAW_AGENCY, ("DINKES", "DINKES")).fetchall()

    def stats():
        for sql in RAW_HISTOGRAMS:
            hist = conn.execute(sql, (now_s,)).fetchall()
            sorted(h for h in hist if h[0] is not None)

    return triage, agency, stats


def raw_pg_queries(url: str, now: datetime):
    """psycopg in autocommit (one round trip a query); it prepares a repeated statement, as it
    does for Tanggap."""
    import psycopg
    conn = psycopg.connect(**pg_conninfo(url), autocommit=True, prepare_threshold=2)

    def triage():
        conn.execute(PG_TRIAGE).fetchall()

    def agency():
        conn.execute(PG_AGENCY, {"a": "DINKES"}).fetchall()

    def stats():
        for sql in PG_HISTOGRAMS:
            hist = conn.execute(sql, {"now": now}).fetchall()
            sorted(h for h in hist if h[0] is not None)

    return triage, agency, stats


def project_queries(target: str, now: datetime):
    os.environ["TANGGAP_DATABASE_URL"] = database_url(target)
    from store.db import read_session
    from store.queries import CaseFilter, agency_page, triage_page
    from store.stats import response_stats

    def triage():
        with read_session() as s:
            triage_page(s, CaseFilter())

    def agency():
        with read_session() as s:
            agency_page(s, "DINKES")

    def stats():
        with read_session() as s:
            response_stats(s, now, WIB)

    return triage, agency, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--db", type=db_argument, default="var/bench/cases_1m.db",
                        help="a SQLite file or a postgresql+psycopg:// URL")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=201)
    args = parser.parse_args()
    if args.rebuild or not exists(args.db):
        build(args.db, args.cases)
    now = datetime.now(UTC)
    raw = raw_queries(args.db, now)
    ours = project_queries(args.db, now)
    kind = "PostgreSQL" if is_postgres(args.db) else "SQLite"
    print(f"store benchmark, {kind}, {case_count(args.db):,} cases, median of {args.runs} runs "
          f"(stats: {max(5, args.runs // 20)}); spread = 25th–75th percentile")
    print(f"{'query':<22}{'tanggap ms':>12}{'spread':>14}{'raw SQL ms':>12}{'spread':>14}{'ratio':>8}")
    for name, r, o, runs in zip(("triage first page", "agency queue page", "statistics"), raw, ours,
                                (args.runs, args.runs, max(5, args.runs // 20)), strict=True):
        raw_times, our_times = timed_pair(r, o, runs)
        raw_ms, our_ms = statistics.median(raw_times), statistics.median(our_times)
        print(f"{name:<22}{our_ms:>12.2f}{spread(our_times):>14}{raw_ms:>12.2f}{spread(raw_times):>14}"
              f"{our_ms / raw_ms:>7.2f}x")


if __name__ == "__main__":
    main()
