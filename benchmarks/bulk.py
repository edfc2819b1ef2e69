"""Build a large benchmark database: N cases with their mentions, events and supporting units.

The schema comes from the real migrations; rows are then written in bulk in the exact
storage format the store uses, so the benchmarks read what production would hold: raw
sqlite3 executemany for SQLite, COPY through psycopg for PostgreSQL (secondary indexes
dropped during the load and rebuilt after, as a restore does). About 15 % of cases get
one or two supporting units, so "lead or supporting" filters meet a realistic casesupport.
Deterministic for a given N and seed. Statistics are gathered at the end (ANALYZE).

Usage: python benchmarks/bulk.py var/bench/cases_1m.db 1000000
       python benchmarks/bulk.py postgresql+psycopg://postgres@127.0.0.1:5432/bench 1000000
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.target import is_postgres, pg_conninfo, sqlite_path

CATEGORIES = ["kesehatan", "perlindungan_anak", "kemiskinan", "pendidikan", "infrastruktur", "lingkungan",
              "bencana", "adminduk", "ketertiban", "pelayanan_publik", "lainnya"]
URGENCIES = ["kritis", "tinggi", "sedang", "rendah"]
PLATFORMS = ["twitter", "facebook", "sms", "import"]
ROUTES = {"kesehatan": "DINKES", "perlindungan_anak": "DP3A", "kemiskinan": "DINSOS", "pendidikan": "DISPENDIK",
          "infrastruktur": "PUBM", "lingkungan": "DLH", "bencana": "BPBD", "adminduk": "DISPENDUKCAPIL",
          "ketertiban": "SATPOLPP", "pelayanan_publik": "INSPEKTORAT", "lainnya": "DISKOMINFO"}
TARGET = {"kritis": 60, "tinggi": 240, "sedang": 240, "rendah": 240}
TEXTS = ["lampu PJU mati sudah seminggu di jalan desa", "anak saya demam tinggi puskesmas tutup",
         "sampah menumpuk di pinggir kali", "KTP-el belum jadi padahal sudah 3 bulan",
         "jalan berlubang parah sudah ada yang jatuh", "banjir masuk rumah warga tolong",
         "pungli di kantor desa untuk surat pengantar", "terima kasih pak bupati"]
SUPPORTED_SHARE = 0.15  # cases with one or two supporting units
BATCH = 50_000

CASE_COLUMNS = ("id", "status", "category", "urgency", "category_confidence", "urgency_confidence", "model_version",
                "tagged_by", "needs_review", "lead_agency_code", "assignee_id", "kecamatan_code", "desa", "platform",
                "summary", "author", "mention_count", "opened_at", "due_at", "ack_due_at", "first_response_at",
                "first_handling_at", "resolved_at", "last_mention_at", "first_response_minutes", "handling_minutes",
                "resolution_minutes", "response_met", "handling_met", "is_open",
                "queue_rank", "urgency_rank", "version", "updated_at", "updated_by")
MENTION_COLUMNS = ("id", "platform", "external_id", "source", "author_id", "author_handle", "author_name", "text",
                   "permalink", "created_at", "ingested_at", "thread_key", "in_reply_to", "raw", "case_id")
EVENT_COLUMNS = ("id", "case_id", "actor_id", "actor_label", "action", "old_value", "new_value", "note",
                 "response_text", "response_channel", "response_kind", "happened_at", "logged_at")
SUPPORT_COLUMNS = ("case_id", "agency_code")
TABLES = (("case", CASE_COLUMNS), ("mention", MENTION_COLUMNS), ("caseevent", EVENT_COLUMNS),
          ("casesupport", SUPPORT_COLUMNS))


@dataclass
class Batch:
    """Rows of each table, datetimes aware; the writer turns them into its storage format."""
    case: list = field(default_factory=list)
    mention: list = field(default_factory=list)
    caseevent: list = field(default_factory=list)
    casesupport: list = field(default_factory=list)


def fmt(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def batches(n: int, kecamatan: list[str], agencies: list[str], seed: int = 7,
            now: datetime | None = None) -> Iterator[Batch]:
    rng = random.Random(seed)
    # Supporting units draw from their own generator, so the cases are those of earlier runs.
    support_rng = random.Random(seed + 1)
    now = now or datetime.now(UTC)
    start = now - timedelta(days=365)
    for lo in range(0, n, BATCH):
        out = Batch()
        for i in range(lo + 1, min(n, lo + BATCH) + 1):
            opened = start + timedelta(seconds=int(365 * 86400 * i / n) + rng.randint(0, 600))
            category, urgency = rng.choice(CATEGORIES), rng.choice(URGENCIES)
            due = opened + timedelta(minutes=TARGET[urgency])
            ack_due = opened + timedelta(minutes=60)
            age = (now - opened).total_seconds()
            # Recent cases are still open (about 2 % of all); older ones are answered or closed.
            open_case = age < 7 * 86400 and rng.random() < 0.9
            agency = None if (open_case and rng.random() < 0.4) else ROUTES[category]
            status = rng.choice(["new", "assigned", "responded"]) if open_case else \
                rng.choice(["resolved"] * 8 + ["closed_no_action"])
            if agency is None:
                status = "new"
            responded = None
            if status in ("responded", "resolved"):
                responded = min(now, opened + timedelta(minutes=int(rng.lognormvariate(4.6, 0.9))))
            resolved = responded + timedelta(hours=rng.randint(1, 72)) if status == "resolved" else None
            if resolved and resolved > now:
                resolved = now
            frm = int((responded - opened).total_seconds() // 60) if responded else None
            rm = int((resolved - opened).total_seconds() // 60) if resolved else None
            text = rng.choice(TEXTS)
            is_open = status in ("new", "assigned", "responded")
            out.case.append((i, status, category, urgency, 0.9, 0.8, "bench", "model", False, agency, None,
                             rng.choice(kecamatan), None, rng.choice(PLATFORMS), text, f"warga{i % 50000}", 1,
                             opened, due, ack_due,
                             # The one response is a phone call: handling, so it stops both clocks.
                             responded, responded, resolved, opened, frm, frm, rm,
                             None if responded is None else int(responded <= ack_due),
                             None if responded is None else int(responded <= due), is_open,
                             0 if agency is None else 1, URGENCIES.index(urgency), 1, opened, None))
            out.mention.append((i, "twitter", str(10**15 + i), "twitter", f"u{i % 50000}", f"warga{i % 50000}",
                                None, text, None, opened, opened, f"conv{i}", None, '{"bench": true}', i))
            out.caseevent.append((2 * i - 1, i, None, "system:bench", "opened", None, '{"bench": true}', None,
                                  None, None, None, opened, opened))
            if responded:
                out.caseevent.append((2 * i, i, None, "bench", "responded", None, None, None, "ditangani", "phone",
                                      "handling", responded, responded))
            if support_rng.random() < SUPPORTED_SHARE:
                units = support_rng.sample([a for a in agencies if a != agency], support_rng.choice((1, 2)))
                out.casesupport += [(i, unit) for unit in sorted(units)]
        yield out


def build(target: str | Path, n: int, seed: int = 7, now: datetime | None = None) -> None:
    """Fill the database at ``target`` (a SQLite path or a PostgreSQL URL) with n cases, afresh."""
    from store.db import make_engine
    from store.migrate import upgrade
    url = str(target)
    if is_postgres(url):
        _recreate_postgres(url)
    else:
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    t0 = time.perf_counter()
    (_fill_postgres if is_postgres(url) else _fill_sqlite)(url, n, seed, now)
    print(f"built {n:,} cases in {time.perf_counter() - t0:.1f}s at {target}", file=sys.stderr)


def _fill_sqlite(url: str, n: int, seed: int, now: datetime | None) -> None:
    conn = sqlite3.connect(sqlite_path(url))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    kec = [r[0] for r in conn.execute("SELECT code FROM kecamatan ORDER BY code")]
    agencies = [r[0] for r in conn.execute("SELECT code FROM agency ORDER BY code")]
    for batch in batches(n, kec, agencies, seed, now):
        for table, columns in TABLES:
            rows = [tuple(fmt(v) if isinstance(v, datetime) else (int(v) if isinstance(v, bool) else v)
                          for v in row) for row in getattr(batch, table)]
            conn.executemany(f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({",".join("?" * len(columns))})',
                             rows)
        conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()


def _recreate_postgres(url: str) -> None:
    import psycopg
    info = pg_conninfo(url)
    name = info.pop("dbname")
    with psycopg.connect(**info, dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def _fill_postgres(url: str, n: int, seed: int, now: datetime | None) -> None:
    import psycopg
    with psycopg.connect(**pg_conninfo(url)) as conn:
        kec = [r[0] for r in conn.execute("SELECT code FROM kecamatan ORDER BY code")]
        agencies = [r[0] for r in conn.execute("SELECT code FROM agency ORDER BY code")]
        names = [t for t, _ in TABLES]
        indexes = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
                               "AND indexname NOT LIKE '%%pkey' AND indexname NOT LIKE 'uq_%%'", (names,)).fetchall()
        for name, _ in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for batch in batches(n, kec, agencies, seed, now):
            for table, columns in TABLES:
                with conn.cursor().copy(f'COPY "{table}" ({", ".join(columns)}) FROM STDIN') as copy:
                    for row in getattr(batch, table):
                        copy.write_row(row)
        for _, definition in indexes:
            conn.execute(definition)
        for table in ("case", "mention", "caseevent"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                         f'(SELECT max(id) FROM "{table}"))')
        conn.commit()
    # VACUUM cannot run inside a transaction: the visibility map lets index-only scans skip the heap.
    with psycopg.connect(**pg_conninfo(url), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


if __name__ == "__main__":
    build(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
