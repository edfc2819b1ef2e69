"""Ingest benchmark: 100,000 mentions served by a local fake X server (127.0.0.1), through
tweepy → normalize → tag → store in SQLite, by the real poller.

Reports mentions/s end to end, peak memory (max RSS), and the store step (the mention
insert-on-conflict-do-nothing) against its floor: the same rows inserted into the same
table by raw sqlite3 ``executemany``. Run: .venv/bin/python benchmarks/ingest_bench.py [N]
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.collectors.fakes import FakeAPI, Reply, mentions_page

PAGE = 100
THREAD = 4  # four tweets per conversation: 25,000 cases for 100,000 mentions


def _pages(total: int) -> dict:
    base = 1_700_000_000_000_000_000
    pages, n = {}, total
    for p in range(total // PAGE):
        tweets = []
        for _ in range(PAGE):
            tid = base + n * (1 << 22) * 10
            conv = base + ((n - 1) // THREAD * THREAD + 1) * (1 << 22) * 10
            tweets.append({"id": str(tid), "text": f"jalan rusak di Genteng nomor {n}, mohon segera diperbaiki",
                           "author_id": str(1000 + n % 5000), "conversation_id": str(conv),
                           "created_at": None, "lang": "in"})
            n -= 1
        nxt = f"p{p + 1}" if p + 1 < total // PAGE else None
        users = [{"id": t["author_id"], "username": f"warga{t['author_id']}", "name": "Warga"} for t in tweets]
        pages[f"p{p}" if p else None] = json.dumps(mentions_page(tweets, nxt, users)).encode()
    return pages


def main(total: int = 100_000) -> None:
    tmp = Path(tempfile.mkdtemp())
    # The real classifier tags new cases: the active model of TANGGAP_MODEL_DIR (default
    # var/models, as `make run` trains it), loaded before the clock starts, as in a running
    # collector.
    model_dir = os.environ.get("TANGGAP_MODEL_DIR", str(ROOT / "var" / "models"))
    os.environ.update(TANGGAP_DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}", TANGGAP_X_ACCOUNT="bupati",
                      TANGGAP_X_BEARER_TOKEN="t", TANGGAP_X_MONTHLY_READ_BUDGET=str(total * 2),
                      TANGGAP_MODEL_DIR=model_dir)
    from collectors import ingest, poller
    from collectors.tagging import _tagger
    loaded = time.perf_counter()
    tagger = _tagger()
    loaded = time.perf_counter() - loaded
    if tagger is None:
        print(f"no trained model in {model_dir}: cases stay untagged (run `tanggap train` first)")
    from collectors.sources import XSource
    from store.migrate import upgrade
    from store.settings import get_settings
    upgrade()
    api = FakeAPI()
    pages = _pages(total)
    api.add("/2/users/by/username/bupati", Reply(body={"data": {"id": "42", "username": "bupati"}}))
    api.add("/2/users/42/mentions", lambda q: Reply(body=pages[q.get("pagination_token")]))
    os.environ["TANGGAP_X_API_BASE"] = api.url
    get_settings.cache_clear()

    timings = {"insert": 0.0, "store": 0.0}
    rows_seen: list[dict] = []
    real_insert, real_store = ingest.insert_new, poller.store_batch

    def timed_insert(session, rows):
        rows_seen.extend(rows)
        t = time.perf_counter()
        try:
            return real_insert(session, rows)
        finally:
            timings["insert"] += time.perf_counter() - t

    def timed_store(*args, **kwargs):
        t = time.perf_counter()
        try:
            return real_store(*args, **kwargs)
        finally:
            timings["store"] += time.perf_counter() - t
    ingest.insert_new, poller.store_batch = timed_insert, timed_store

    started = time.perf_counter()
    [summary] = poller.Poller([XSource("twitter", get_settings())]).run_once()
    elapsed = time.perf_counter() - started
    api.close()
    assert summary.inserted == total, summary.line()

    # The floor: the same rows, same table and indexes, raw sqlite3 executemany, 100 a batch.
    floor_db = tmp / "floor.db"
    src = sqlite3.connect(tmp / "bench.db")
    ddl = [r[0] for r in src.execute("SELECT sql FROM sqlite_master WHERE tbl_name='mention' AND sql IS NOT NULL")]
    src.close()
    conn = sqlite3.connect(floor_db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for statement in ddl:
        conn.execute(statement)  # foreign keys stay off in raw sqlite3: the case table is not needed
    cols = list(rows_seen[0])
    sql = f"INSERT INTO mention ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"

    def plain(v):
        return json.dumps(v) if isinstance(v, dict) else (v.isoformat(" ") if hasattr(v, "isoformat") else v)
    # Timed from the same row dicts the collector produced: turning datetimes and raw JSON
    # into column values is part of storing them, for the floor as for Tanggap.
    t = time.perf_counter()
    for i in range(0, len(rows_seen), PAGE):
        conn.execute("BEGIN")
        conn.executemany(sql, [tuple(plain(r[c]) for c in cols) for r in rows_seen[i:i + PAGE]])
        conn.execute("COMMIT")
    floor = time.perf_counter() - t
    conn.close()

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model                    {tagger.version if tagger else 'none'} (loaded in {loaded:.1f} s, "
          "before the clock starts)")
    print(f"mentions ingested        {summary.inserted:,} ({total // PAGE} pages of {PAGE}, "
          f"{total // THREAD:,} cases)")
    print(f"end to end               {elapsed:.1f} s = {total / elapsed:,.0f} mentions/s (target >= 2,000)")
    print(f"peak memory (max RSS)    {rss_mb:,.0f} MB")
    print(f"store step: mention insert {timings['insert']:.2f} s vs raw sqlite3 executemany {floor:.2f} s "
          f"= {timings['insert'] / floor:.2f}x (target <= 2x)")
    print(f"store step with cases    {timings['store']:.2f} s (insert + thread joining + open/attach cases + tagging)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
