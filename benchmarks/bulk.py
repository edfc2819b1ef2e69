"""Build a large SQLite database for the benchmarks: N cases with their mentions and events.

Rows are written with raw sqlite3 executemany (the schema itself comes from the real
migrations), in the exact storage format the store uses, so the benchmarks read what
production would hold. Deterministic for a given N and seed.

Usage: python benchmarks/bulk.py var/bench.db 1000000
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

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


def fmt(t: datetime) -> str:
    return t.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def build(path: Path, n: int, seed: int = 7, now: datetime | None = None) -> None:
    from store.db import make_engine
    from store.migrate import upgrade
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    start = now - timedelta(days=365)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    kec = [r[0] for r in conn.execute("SELECT code FROM kecamatan")]
    t0 = time.perf_counter()
    batch = 50_000
    for lo in range(0, n, batch):
        cases, mentions, events = [], [], []
        for i in range(lo + 1, min(n, lo + batch) + 1):
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
                responded = opened + timedelta(minutes=int(rng.lognormvariate(4.6, 0.9)))
                if responded > now:
                    responded = now
            resolved = responded + timedelta(hours=rng.randint(1, 72)) if status == "resolved" else None
            if resolved and resolved > now:
                resolved = now
            frm = int((responded - opened).total_seconds() // 60) if responded else None
            rm = int((resolved - opened).total_seconds() // 60) if resolved else None
            text = rng.choice(TEXTS)
            cases.append((i, status, category, urgency, 0.9, 0.8, "bench", "model", 0, agency, None,
                          rng.choice(kec), None, rng.choice(PLATFORMS), text, f"warga{i % 50000}", 1,
                          fmt(opened), fmt(due), fmt(ack_due),
                          # The one response is a phone call: handling, so it stops both clocks.
                          fmt(responded) if responded else None, fmt(responded) if responded else None,
                          fmt(resolved) if resolved else None, fmt(opened),
                          frm, frm, rm, None if responded is None else int(responded <= ack_due),
                          None if responded is None else int(responded <= due),
                          int(status in ("new", "assigned", "responded")), 0 if agency is None else 1,
                          URGENCIES.index(urgency), 1, fmt(opened), None))
            mentions.append((i, "twitter", str(10**15 + i), "twitter", f"u{i % 50000}", f"warga{i % 50000}",
                             None, text, None, fmt(opened), fmt(opened), f"conv{i}", None, '{"bench": true}', i))
            events.append((2 * i - 1, i, None, "system:bench", "opened", None, '{"bench": true}', None, None,
                           None, None, fmt(opened), fmt(opened)))
            if responded:
                events.append((2 * i, i, None, "bench", "responded", None, None, None, "ditangani", "phone",
                               "handling", fmt(responded), fmt(responded)))
        conn.executemany("INSERT INTO \"case\" (id, status, category, urgency, category_confidence, "
                         "urgency_confidence, model_version, tagged_by, needs_review, lead_agency_code, assignee_id, "
                         "kecamatan_code, desa, platform, summary, author, mention_count, opened_at, due_at, "
                         "ack_due_at, first_response_at, first_handling_at, resolved_at, last_mention_at, "
                         "first_response_minutes, handling_minutes, resolution_minutes, response_met, handling_met, "
                         "is_open, queue_rank, urgency_rank, version, updated_at, "
                         "updated_by) VALUES (" + ",".join("?" * 35) + ")", cases)
        conn.executemany("INSERT INTO mention (id, platform, external_id, source, author_id, author_handle, "
                         "author_name, text, permalink, created_at, ingested_at, thread_key, in_reply_to, raw, "
                         "case_id) VALUES (" + ",".join("?" * 15) + ")", mentions)
        conn.executemany("INSERT INTO caseevent (id, case_id, actor_id, actor_label, action, old_value, new_value, "
                         "note, response_text, response_channel, response_kind, happened_at, logged_at) VALUES ("
                         + ",".join("?" * 13) + ")", events)
        conn.commit()
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    print(f"built {n:,} cases in {time.perf_counter() - t0:.1f}s at {path}", file=sys.stderr)


if __name__ == "__main__":
    build(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
