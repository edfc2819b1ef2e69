"""Alert benchmark (SQLite, a fake Telegram Bot API on 127.0.0.1).

1. Latency: a ``kritis`` mention committed by the collector's store step
   (collectors.ingest.store_batch, with a tagger that says kritis) → its alert accepted by
   the fake Telegram server, with a worker looping the ``alerts`` job at its default
   interval (TANGGAP_ALERT_SEND_SECONDS). p50/p99 over --mentions mentions, one every
   0.37 s (so they fall at every point of the interval).
2. Drain: --alerts Telegram alerts pending at once, sent by ``send_pending`` passes until
   none is left: alerts/s.
3. Store step: queueing alert rows (store.alerts.insert_alerts, ON CONFLICT DO NOTHING
   RETURNING) against raw sqlite3 ``executemany`` of ``INSERT OR IGNORE`` of the same rows;
   and the hook's cost on intake (open_cases of --cases non-urgent mentions, hook on and
   off).

Run: .venv/bin/python benchmarks/alert_bench.py [--mentions 100] [--alerts 10000] [--cases 20000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.alerts.fakes import FakeTelegram


def setup(tmp: Path, telegram: FakeTelegram, recipients: int) -> None:
    os.environ.update(TANGGAP_DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}", TANGGAP_MODEL_DIR=str(tmp / "models"),
                      TANGGAP_TELEGRAM_BOT_TOKEN="123:bench", TANGGAP_TELEGRAM_API_BASE=telegram.url)
    from console.services import people
    from console.services.admin import Operator
    from store.db import write_session
    from store.migrate import upgrade
    from store.users import create_user
    upgrade()
    shell = Operator("shell:bench")
    with write_session() as session:
        for n in range(recipients):
            create_user(session, f"kominfo{n}", f"Kominfo {n}", "komunikasi", "Tanggap-bench-2026")
    for n in range(recipients):
        people.set_contacts(shell, f"kominfo{n}", mobile=None, email=None, telegram_chat_id=str(n + 1),
                            channels="telegram" if n == 0 else "")
    for day in range(7):  # kominfo0 is on duty all week
        people.add_shift(shell, "KOMUNIKASI", "kominfo0", "00:00", "00:00", weekday=day)


def latency(telegram: FakeTelegram, mentions: int) -> list[float]:
    from collectors.ingest import store_batch
    from collectors.mention import Mention
    from console.worker.alert_jobs import AlertsJob
    from console.worker.runner import JobRunner
    from store.cases import CaseTags
    from store.db import write_session
    from store.settings import get_settings
    settings = get_settings()
    runner = JobRunner([AlertsJob(settings)])
    worker = threading.Thread(target=runner.run_forever, args=(runner.jobs[0],), daemon=True)
    worker.start()
    committed: dict[str, float] = {}

    def kritis(texts):
        return [CaseTags("kesehatan", "kritis")] * len(texts)

    start = len(telegram.messages)
    for n in range(mentions):
        mention = Mention(platform="twitter", external_id=f"lat-{n}", text=f"tolong anak kejang tidak sadar {n}",
                          created_at=datetime.now(UTC), author_id="9", author_handle="warga", thread_key=f"lat-{n}")
        with write_session() as session:
            store_batch(session, [mention], "bench", tagger=kritis)
        committed[f"#{n + 1} "] = time.monotonic()
        time.sleep(0.37)
    deadline = time.monotonic() + 30
    while len(telegram.messages) - start < mentions and time.monotonic() < deadline:
        time.sleep(0.05)
    runner.stop.set()
    worker.join(10)
    waits = []
    for message in telegram.messages[start:]:
        number = message.text.split("Kasus #", 1)[1].split(" ", 1)[0]
        waits.append(message.at - committed[f"#{number} "])
    return waits


def drain(telegram: FakeTelegram, alerts: int, recipients: int) -> float:
    from console.services import alert_channels
    from console.services.alert_sender import send_pending
    from store.alerts import insert_alerts
    from store.db import write_session
    from store.settings import get_settings
    from store.tables import Case
    now = datetime.now(UTC)
    with write_session() as session:
        case_ids = list(session.scalars(Case.__table__.select().with_only_columns(Case.__table__.c.id)))
        per_rule = recipients * len(case_ids)  # (case, recipient) pairs before the rule name must change
        rows = [{"case_id": case_ids[i // recipients % len(case_ids)], "rule": f"bench{i // per_rule}",
                 "recipient_id": i % recipients + 1, "channel": "telegram", "state": "pending", "attempts": 0,
                 "due_at": now, "created_at": now, "next_try_at": now} for i in range(alerts)]
        insert_alerts(session, rows)
    channels = {"telegram": alert_channels.configured(get_settings())["telegram"]}
    before = len(telegram.messages)
    started = time.perf_counter()
    while len(telegram.messages) - before < alerts:
        if send_pending(datetime.now(UTC), channels).sent == 0:
            break
    return (len(telegram.messages) - before) / (time.perf_counter() - started)


def store_step(tmp: Path, rows: int) -> tuple[float, float]:
    """Seconds to queue ``rows`` alert rows: Tanggap's insert, then raw sqlite3 (fresh copies)."""
    from store.alerts import insert_alerts
    from store.db import make_engine, write_session
    from store.migrate import upgrade
    now = datetime.now(UTC)
    values = [{"case_id": 1, "rule": "store", "recipient_id": 1, "channel": f"c{i}", "state": "pending",
               "attempts": 0, "due_at": now, "created_at": now, "next_try_at": now} for i in range(rows)]
    url = f"sqlite:///{tmp / 'store.db'}"
    engine = make_engine(url)
    upgrade(engine)
    from sqlalchemy import text
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO \"case\" (id, status, platform, summary, mention_count, opened_at, due_at, "
                          "last_mention_at, is_open, queue_rank, urgency_rank, version, updated_at, needs_review, "
                          "restricted) VALUES (1, 'new', 'sms', '', 1, '2026-11-29 11:41:00.000000', "
                          "'2026-11-29 15:41:00.000000', '2026-11-29 11:41:00.000000', 1, 0, 0, 1, "
                          "'2026-11-29 11:41:00.000000', 0, 0)"))
        conn.execute(text("INSERT INTO staffuser (id, username, display_name, role, password_hash, active, "
                          "created_at, alert_channels) VALUES (1, 'u', 'u', 'komunikasi', 'x', 1, "
                          "'2026-11-29 11:41:00.000000', '')"))
    tanggap = []
    raw = []
    for _ in range(5):
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM alert"))
        t = time.perf_counter()
        with write_session(engine) as session:
            insert_alerts(session, values)
        tanggap.append(time.perf_counter() - t)
        with engine.begin() as conn:
            conn.execute(text("DELETE FROM alert"))
        db = sqlite3.connect(tmp / "store.db", isolation_level=None)
        t = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT OR IGNORE INTO alert (case_id, rule, recipient_id, channel, state, attempts, due_at, "
                       "created_at, next_try_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       [(v["case_id"], v["rule"], v["recipient_id"], v["channel"], v["state"], v["attempts"],
                         v["due_at"].isoformat(), v["created_at"].isoformat(), v["next_try_at"].isoformat())
                        for v in values])
        db.execute("COMMIT")
        raw.append(time.perf_counter() - t)
        db.close()
    engine.dispose()
    return statistics.median(tanggap), statistics.median(raw)


def hook_cost(cases: int) -> tuple[float, float]:
    """Seconds for intake to open ``cases`` non-urgent cases with the hook, and without."""
    from store import intake
    from store.cases import Actor, CaseTags, load_targets
    from store.db import write_session
    from store.intake import StoredMention, open_cases
    tags = CaseTags("infrastruktur", "sedang")
    results = {True: [], False: []}
    real = intake.on_case_events
    for round_ in range(6):
        for hooked in ((True, False) if round_ % 2 else (False, True)):  # alternate who goes first
            intake.on_case_events = real if hooked else (lambda *a, **k: 0)
            items = [(StoredMention(id=0, platform="sms", text="jalan rusak", created_at=datetime.now(UTC),
                                    author=None), tags) for _ in range(cases)]
            with write_session() as session:
                targets = load_targets(session)
                t = time.perf_counter()
                for start in range(0, cases, 100):  # the collector's pages of 100
                    open_cases(session, items[start:start + 100], targets, Actor(None, f"system:bench{round_}"))
                results[hooked].append(time.perf_counter() - t)
    intake.on_case_events = real
    return statistics.median(results[True]), statistics.median(results[False])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=100)
    parser.add_argument("--alerts", type=int, default=10_000)
    parser.add_argument("--cases", type=int, default=20_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    telegram = FakeTelegram()
    recipients = 100
    setup(tmp, telegram, recipients)
    waits = latency(telegram, args.mentions)
    waits.sort()
    p99 = waits[min(len(waits) - 1, int(len(waits) * 0.99))]
    print(f"latency kritis mention → Telegram: {len(waits)}/{args.mentions} delivered, "
          f"p50 {statistics.median(waits):.2f} s, p99 {p99:.2f} s, max {waits[-1]:.2f} s (target p99 ≤ 5 s)")
    rate = drain(telegram, args.alerts, recipients)
    print(f"drain: {args.alerts} Telegram alerts at {rate:,.0f}/s (target ≥ 500/s)")
    tanggap, raw = store_step(tmp, args.alerts)
    print(f"store step, {args.alerts} alert rows: Tanggap {tanggap * 1000:.0f} ms, raw sqlite3 {raw * 1000:.0f} ms, "
          f"{tanggap / raw:.2f}x (target ≤ 2x)")
    hooked, bare = hook_cost(args.cases)
    print(f"intake of {args.cases} non-urgent cases: with the alert hook {hooked:.2f} s, without {bare:.2f} s "
          f"({(hooked / bare - 1) * 100:+.1f} %)")
    telegram.close()


if __name__ == "__main__":
    main()
