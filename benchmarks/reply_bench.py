"""Reply benchmark: 10,000 approved replies through the worker's sender to a local fake X
server (127.0.0.1, the real tweepy create_tweet path with OAuth 1.0a signing), on SQLite.

Reports replies/s end to end, and the store step (a claim transaction per pass of 200
replies, then one transaction recording the pass: per reply sent, the reply_sent event, the
case's response with its event) against raw sqlite3 executing the same statements on the
same rows. The fake server runs in its own process, as X would.
Run: .venv/bin/python benchmarks/reply_bench.py [N]
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CASES = 1_000
BATCH = 200
NOW = datetime(2026, 11, 29, 12, 15, tzinfo=UTC)
OPENED = datetime(2026, 11, 29, 11, 41, tzinfo=UTC)


def build(path: Path, total: int) -> None:
    """A migrated database with CASES cases opened on X and ``total`` approved replies."""
    from store.cases import Actor, load_targets
    from store.db import make_engine, write_session
    from store.intake import open_case
    from store.migrate import upgrade
    from store.replies import add
    from store.tables import Mention
    from store.users import create_user
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with write_session(engine) as session:
        user = create_user(session, "ani", "Ani", "komunikasi", "Tanggap-uji-2026", None)
        actor, targets = Actor(user.id, "ani"), load_targets(session)
        case_ids = []
        for n in range(CASES):
            mention = Mention(platform="twitter", external_id=str(1597000000000000000 + n), text=f"jalan rusak {n}",
                              created_at=OPENED, author_id=str(n), author_handle=f"warga{n}",
                              thread_key=f"x:{n}")
            session.add(mention)
            session.flush()
            case_ids.append(open_case(session, mention, None, targets, Actor(None, "system:bench")).id)
        for n in range(total):
            case_id = case_ids[n % CASES]
            add(session, actor, case_id=case_id, platform="twitter", target=str(1597000000000000000 + n % CASES),
                text=f"Terima kasih, laporan sudah kami teruskan (balasan {n}).", kind="acknowledgement",
                approved=True, now=NOW - timedelta(minutes=5))
    engine.dispose()


def drain(sender) -> float:
    started = time.perf_counter()
    while True:
        result = sender.run_once(NOW)
        if not (result.sent or result.failed or result.waiting):
            return time.perf_counter() - started


def store_step() -> float:
    """What the sender asks of the store, pass after pass: the claim transaction, then the one
    recording the pass (store.replies.claim, store.reply_responses.mark_sent_many)."""
    from store.db import write_session
    from store.replies import claim
    from store.reply_responses import Sent, mark_sent_many
    at, n = NOW - timedelta(minutes=1), 0
    started = time.perf_counter()
    while True:
        with write_session() as session:
            claimed = claim(session, "bench", NOW, BATCH)
        if not claimed:
            return time.perf_counter() - started
        with write_session() as session:
            mark_sent_many(session, "bench", [Sent(c.id, str(n + i), at) for i, c in enumerate(claimed)], NOW)
        n += len(claimed)


def raw_store_step(path: Path) -> float:
    """The same statements as the store step, written by hand with sqlite3 (WAL, one
    transaction per reply, BEGIN IMMEDIATE as Tanggap's write sessions)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    now, at = str(NOW.replace(tzinfo=None)), str((NOW - timedelta(minutes=1)).replace(tzinfo=None))
    lease = str((NOW + timedelta(minutes=5)).replace(tzinfo=None))
    started, n = time.perf_counter(), 0
    while True:
        conn.execute("BEGIN IMMEDIATE")
        ids = [r[0] for r in conn.execute(  # the columns the sender needs to post, as Tanggap reads them
            "SELECT id, case_id, platform, target, private, text, public_note, attempts, state FROM reply "
            "WHERE (state = 'approved' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)) "
            "OR (state = 'sending' AND next_attempt_at <= ?) ORDER BY id LIMIT ?", (now, now, BATCH))]
        if ids:
            conn.execute(f"UPDATE reply SET state = 'sending', claimed_by = 'raw', attempts = attempts + 1, "
                         f"next_attempt_at = ?, updated_at = ? WHERE id IN ({','.join('?' * len(ids))})",
                         (lease, now, *ids))
        conn.execute("COMMIT")
        if not ids:
            break
        conn.execute("BEGIN IMMEDIATE")  # the pass's outcomes in one transaction, as the sender records them
        for reply_id in ids:
            n += 1
            conn.execute("UPDATE reply SET state = 'sent', platform_id = ?, platform_at = ?, error_code = NULL, "
                         "error_detail = NULL, next_attempt_at = NULL, updated_at = ? "
                         "WHERE id = ? AND state = 'sending' AND claimed_by = 'raw'", (str(n), at, now, reply_id))
            case_id, drafted_by, text, kind = conn.execute(
                "SELECT case_id, drafted_by, text, kind FROM reply WHERE id = ?", (reply_id,)).fetchone()
            _event(conn, case_id, None, "reply_sent", {"reply": reply_id, "platform_id": str(n), "at": at}, now, now)
            status, opened, version, first = conn.execute(
                'SELECT status, opened_at, version, first_response_at FROM "case" WHERE id = ?', (case_id,)).fetchone()
            first = min(first or at, at)
            minutes = int((datetime.fromisoformat(first) - datetime.fromisoformat(opened)).total_seconds() // 60)
            conn.execute('UPDATE "case" SET version = ?, updated_at = ?, updated_by = ?, status = ?, '
                         "first_response_at = ?, first_handling_at = NULL, is_open = 1, queue_rank = 0, "
                         "urgency_rank = 4, resolution_minutes = NULL, response_met = 1, first_response_minutes = ?, "
                         "handling_met = NULL, handling_minutes = NULL WHERE id = ? AND version = ?",
                         (version + 1, now, drafted_by, "responded", first, minutes, case_id, version))
            _event(conn, case_id, drafted_by, "responded", {"status": status}, at, now,
                   response=(text, "platform_reply", kind))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _event(conn, case_id, actor_id, action, new, happened, logged, response=(None, None, None)) -> None:
    conn.execute("INSERT INTO caseevent (case_id, actor_id, actor_label, action, old_value, new_value, note, "
                 "response_text, response_channel, response_kind, happened_at, logged_at) "
                 "VALUES (?, ?, 'system:replies', ?, NULL, ?, NULL, ?, ?, ?, ?, ?)",
                 (case_id, actor_id, action, json.dumps(new), *response, happened, logged))


SERVER = """
import sys
from tests.collectors.fakes import FakeAPI, Reply
from tests.replies.platforms import FakeX
api = FakeAPI()
fake_x = FakeX(api)
api.add("/_posted", lambda q: Reply(body={"posted": len(fake_x.posted)}))
print(api.url, flush=True)
sys.stdin.read()  # until the benchmark closes it
"""


def fake_x_server() -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return server, server.stdout.readline().strip()


def main(total: int = 10_000) -> None:
    tmp = Path(tempfile.mkdtemp())
    server, url = fake_x_server()
    os.environ.update(TANGGAP_X_CONSUMER_KEY="ck", TANGGAP_X_CONSUMER_SECRET="cs", TANGGAP_X_ACCESS_TOKEN="at",
                      TANGGAP_X_ACCESS_TOKEN_SECRET="ats", TANGGAP_X_API_BASE=url)
    template = tmp / "template.db"
    print(f"building {total:,} approved replies on {CASES:,} cases …", flush=True)
    build(template, total)
    for name in ("e2e.db", "store.db", "raw.db"):
        shutil.copy(template, tmp / name)

    from collectors.reply_sender import ReplySender
    from store.db import get_engine
    from store.settings import get_settings
    os.environ["TANGGAP_DATABASE_URL"] = f"sqlite:///{tmp / 'e2e.db'}"
    get_settings.cache_clear()  # read while building, with the default database
    end_to_end = drain(ReplySender(get_settings(), worker="bench", batch=BATCH))
    posted = json.loads(urllib.request.urlopen(f"{url}/_posted").read())["posted"]
    assert posted == total, posted
    print(f"end to end: {total:,} replies in {end_to_end:.1f} s = {total / end_to_end:,.0f} replies/s "
          f"(target ≥ 200/s)")

    os.environ["TANGGAP_DATABASE_URL"] = f"sqlite:///{tmp / 'store.db'}"
    get_settings.cache_clear()
    get_engine.cache_clear()
    store = store_step()
    raw = raw_store_step(tmp / "raw.db")
    print(f"store step: Tanggap {store:.2f} s, raw sqlite3 {raw:.2f} s, ratio {store / raw:.2f}x (target ≤ 2x)")
    server.stdin.close()
    server.wait()
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
