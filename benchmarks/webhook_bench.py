"""WhatsApp webhook benchmark: signed deliveries from a local client to `tanggap webhook serve`
(its own process, uvicorn on 127.0.0.1) while `tanggap worker` ingests them behind it.

Reports deliveries/s acknowledged and the latency of each acknowledgement (median, p99, max)
against the target (≥ 500/s with p99 ≤ 50 ms), how long the worker took to ingest them all,
and a raw baseline: the same uvicorn and Starlette answering 200 without checking the
signature or storing anything. Each client thread keeps one HTTP connection open (as Meta's
senders do) and sends at its share of --rate (0: as fast as it can).

Run: .venv/bin/python benchmarks/webhook_bench.py [--n 10000] [--rate 500] [--threads 16] [--db URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.target import database_url, db_argument
from collectors.wa_webhook import signature_of
from tests.collectors.wa import delivery
from tests.collectors.wa_server import free_port

SECRET = "bench-app-secret"
RAW_APP = """
import sys, uvicorn
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
async def ok(request):
    await request.body()
    return PlainTextResponse("ok")
app = Starlette(routes=[Route("/webhook/whatsapp", ok, methods=["POST"])])
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_config=None, access_log=False)
"""


def _bodies(n: int) -> list[tuple[bytes, str]]:
    """n deliveries from n // 4 numbers (four messages each), signed, times in the last hours."""
    now = int(time.time())
    out = []
    for i in range(n):
        d = delivery("text", wamid=f"wamid.bench{i:07d}", sender=f"62812{i // 4:08d}",
                     text=f"jalan rusak di Genteng nomor {i}, mohon segera diperbaiki")
        d["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = str(now - 3600 + i % 3000)
        raw = json.dumps(d).encode()
        out.append((raw, signature_of(raw, SECRET)))
    return out


def _send(port: int, bodies: list[tuple[bytes, str]], rate: float, threads: int) -> tuple[float, list[float], int]:
    """(seconds, latencies in ms, non-200 answers)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    share = [bodies[i::threads] for i in range(threads)]
    interval = threads / rate if rate else 0.0

    def client(items: list[tuple[bytes, str]]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        start = time.perf_counter()
        for k, (raw, signature) in enumerate(items):
            if interval:
                delay = start + k * interval - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
            t = time.perf_counter()
            conn.request("POST", "/webhook/whatsapp", raw, {"Content-Type": "application/json",
                                                             "X-Hub-Signature-256": signature})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - t) * 1000)
            bad += response.status != 200
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    workers = [threading.Thread(target=client, args=(items,)) for items in share]
    began = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return time.perf_counter() - began, latencies, errors[0]


def _wait_up(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/webhook/health")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not start")


def _report(name: str, seconds: float, latencies: list[float], errors: int) -> None:
    q = statistics.quantiles(latencies, n=100)
    print(f"{name}: {len(latencies)} deliveries in {seconds:.1f} s = {len(latencies) / seconds:,.0f}/s acknowledged; "
          f"latency median {statistics.median(latencies):.1f} ms, p99 {q[98]:.1f} ms, max {max(latencies):.1f} ms; "
          f"non-200: {errors}")


def _pending(url: str) -> int:
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM whatsappdelivery WHERE state = 'pending'")).scalar_one()
    engine.dispose()
    return int(count)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=500.0, help="deliveries/s offered (0: as fast as possible)")
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--no-worker", action="store_true", help="the webhook alone (to see what ingesting costs)")
    parser.add_argument("--db", type=db_argument, default=None, help="SQLite path or PostgreSQL URL (default: a "
                                                                     "fresh SQLite file)")
    args = parser.parse_args()
    url = database_url(args.db) if args.db else f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    env = {**os.environ, "TANGGAP_DATABASE_URL": url, "TANGGAP_WHATSAPP_APP_SECRET": SECRET,
           "TANGGAP_WHATSAPP_VERIFY_TOKEN": "bench-verify", "TANGGAP_WHATSAPP_INGEST_SECONDS": "0.5",
           "PYTHONPATH": str(ROOT)}
    env.setdefault("TANGGAP_MODEL_DIR", str(ROOT / "var" / "models"))
    tanggap = [sys.executable, "-m", "console.cli"]
    subprocess.run([*tanggap, "db", "upgrade"], env=env, check=True, capture_output=True)
    bodies = _bodies(args.n)

    raw_port = free_port()
    raw = subprocess.Popen([sys.executable, "-c", RAW_APP, str(raw_port)], env=env)
    try:
        _wait_up(raw_port, raw)
        _report("raw baseline (200, no signature check, nothing stored)", *_send(raw_port, bodies, args.rate,
                                                                                  args.threads))
    finally:
        raw.terminate()
        raw.wait()

    port = free_port()
    webhook = subprocess.Popen([*tanggap, "webhook", "serve", "--port", str(port)], env=env)
    worker = None if args.no_worker else subprocess.Popen(
        [*tanggap, "worker", "--loop", "--no-collect", "--job", "whatsapp"], env=env, stdout=subprocess.DEVNULL)
    try:
        _wait_up(port, webhook)
        seconds, latencies, errors = _send(port, bodies, args.rate, args.threads)
        _report("Tanggap webhook (signature checked, stored)" + ("" if args.no_worker else
                " with the worker ingesting"), seconds, latencies, errors)
        if worker is None:
            return
        sent_at = time.perf_counter()
        print(f"pending when sending ended: {_pending(url)}")
        while (left := _pending(url)) > 0:
            time.sleep(0.5)
        print(f"worker: all ingested {time.perf_counter() - sent_at:.1f} s after the last acknowledgement "
              f"(model dir {env['TANGGAP_MODEL_DIR']})")
    finally:
        for proc in (webhook, worker):
            if proc is not None:
                proc.terminate()
                proc.wait()
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        mentions = conn.execute(text("SELECT count(*) FROM mention WHERE platform = 'whatsapp'")).scalar_one()
        cases = conn.execute(text("SELECT count(*) FROM \"case\" WHERE platform = 'whatsapp'")).scalar_one()
    print(f"stored: {mentions} mentions on {cases} cases (expected {args.n} on {args.n // 4}); "
          f"left pending {left}")


if __name__ == "__main__":
    main()
