"""Store benchmark: triage first page, an agency queue page and the statistics query on
1,000,000 cases in SQLite, each as median milliseconds and as a ratio against the same
query written as raw SQL through sqlite3 (the floor).

Usage: python benchmarks/store_bench.py [--cases 1000000] [--db var/bench/cases_1m.db] [--rebuild]
Targets at 1M cases: triage first page ≤ 20 ms, statistics ≤ 1 s, project code within 2x of raw SQL.
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

from benchmarks.bulk import build  # noqa: E402

WIB = ZoneInfo("Asia/Jakarta")

RAW_TRIAGE = """SELECT * FROM "case" WHERE is_open = 1
ORDER BY queue_rank, urgency_rank, due_at, id LIMIT 26"""
RAW_AGENCY = """SELECT * FROM "case" WHERE is_open = 1 AND (lead_agency_code = ?
OR id IN (SELECT case_id FROM casesupport WHERE agency_code = ?)) ORDER BY due_at, id LIMIT 26"""
# One histogram per clock, as store.stats reads them: handling, then acknowledgement.
RAW_HISTOGRAMS = ("""SELECT handling_minutes, count(*), sum(handling_met),
sum(CASE WHEN is_open = 1 AND handling_minutes IS NULL AND due_at < ? THEN 1 ELSE 0 END) FROM "case"
WHERE status != 'closed_no_action' GROUP BY handling_minutes""",
                  """SELECT first_response_minutes, count(*), sum(response_met),
sum(CASE WHEN is_open = 1 AND first_response_minutes IS NULL AND ack_due_at < ? THEN 1 ELSE 0 END) FROM "case"
WHERE status != 'closed_no_action' GROUP BY first_response_minutes""")


def median_ms_pair(raw, ours, runs: int) -> tuple[float, float]:
    """Median milliseconds of each, the two run alternately so that both meet the same
    load on a shared machine (run one after the other, their ratio drifted by 2x)."""
    raw(), ours()  # warm the page cache and statement caches
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, out in ((raw, times[0]), (ours, times[1])):
            t = time.perf_counter()
            fn()
            out.append((time.perf_counter() - t) * 1000)
    return statistics.median(times[0]), statistics.median(times[1])


def raw_queries(path: Path, now: datetime):
    conn = sqlite3.connect(path)
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


def project_queries(path: Path, now: datetime):
    os.environ["TANGGAP_DATABASE_URL"] = f"sqlite:///{path}"
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
    parser.add_argument("--db", type=Path, default=Path("var/bench/cases_1m.db"))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--runs", type=int, default=201)
    args = parser.parse_args()
    if args.rebuild or not args.db.exists():
        build(args.db, args.cases)
    now = datetime.now(UTC)
    raw = raw_queries(args.db, now)
    ours = project_queries(args.db, now)
    n = sqlite3.connect(args.db).execute('SELECT count(*) FROM "case"').fetchone()[0]
    print(f"store benchmark, SQLite, {n:,} cases, median of {args.runs} runs (stats: {max(5, args.runs // 20)})")
    print(f"{'query':<22}{'tanggap ms':>12}{'raw SQL ms':>12}{'ratio':>8}")
    for name, r, o, runs in zip(("triage first page", "agency queue page", "statistics"), raw, ours,
                                (args.runs, args.runs, max(5, args.runs // 20)), strict=True):
        raw_ms, our_ms = median_ms_pair(r, o, runs)
        print(f"{name:<22}{our_ms:>12.2f}{raw_ms:>12.2f}{our_ms / raw_ms:>7.2f}x")


if __name__ == "__main__":
    main()
