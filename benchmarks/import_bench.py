"""Import benchmark: a 100,000-row XLSX (Indonesian headers, Excel date cells, four reports
per number within a day: 25,000 cases) imported into SQLite by `collectors.files.import_file`.

Each phase runs in its own process so that each peak memory (max RSS) is its own: making the
workbook, the raw baseline (openpyxl read-only iteration of every cell, nothing else), and
the import (read, map columns, parse dates, validate, store, open and join cases).
Run: .venv/bin/python benchmarks/import_bench.py [N]
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PER_NUMBER = 4
HEADER = ["No. Tiket", "Tanggal", "Isi Laporan", "Nomor", "Kanal", "Kategori", "Status"]


def make(path: Path, total: int) -> dict:
    from openpyxl import Workbook
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Laporan")
    sheet.append(HEADER)
    start = datetime(2026, 1, 1, 7, 0)
    for n in range(total):
        person = n // PER_NUMBER
        when = start + timedelta(minutes=5 * person, seconds=n % PER_NUMBER * 60)
        sheet.append([f"LPR-{n:06d}", when, f"jalan rusak di Genteng nomor {n}, mohon segera diperbaiki",
                      f"0812{person:08d}", "sms", "Infrastruktur", "Baru"])
    book.save(path)
    return {}


def raw(path: Path) -> dict:
    from openpyxl import load_workbook
    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    rows = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True)) - 1
    book.close()
    return {"rows": rows, "seconds": time.perf_counter() - started}


def run_import(path: Path) -> dict:
    from collectors.files import import_file
    from store.migrate import upgrade
    upgrade()
    started = time.perf_counter()
    report = import_file(path, path.with_suffix(".rejects.csv"))
    seconds = time.perf_counter() - started
    from sqlalchemy import func, select

    from store.db import read_session
    from store.tables import Case
    with read_session() as s:
        cases = s.execute(select(func.count()).select_from(Case)).scalar_one()
    return {"rows": report.imported, "rejected": report.rejected, "cases": cases, "seconds": seconds,
            "how": report.how_read()}


def child(phase: str, path: Path, total: int) -> dict:
    out = subprocess.run([sys.executable, __file__, phase, str(path), str(total)], check=True,
                         capture_output=True, text=True, env=os.environ)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(total: int) -> None:
    tmp = Path(tempfile.mkdtemp())
    os.environ.update(TANGGAP_DATABASE_URL=f"sqlite:///{tmp / 'bench.db'}",
                      TANGGAP_MODEL_DIR=os.environ.get("TANGGAP_MODEL_DIR", str(ROOT / "var" / "models")))
    path = tmp / "laporan.xlsx"
    child("make", path, total)
    base = child("raw", path, total)
    done = child("import", path, total)
    assert done["rows"] == total and done["rejected"] == 0, done
    print(f"workbook                 {total:,} rows, {path.stat().st_size / 1e6:.1f} MB ({done['how']})")
    print(f"raw openpyxl iteration   {base['seconds']:.1f} s = {total / base['seconds']:,.0f} rows/s, "
          f"peak {base['rss_mb']:,.0f} MB")
    print(f"tanggap import           {done['seconds']:.1f} s = {total / done['seconds']:,.0f} rows/s "
          f"(target >= 5,000), peak {done['rss_mb']:,.0f} MB (target <= 200 MB), {done['cases']:,} cases")
    print(f"ratio to raw             {done['seconds'] / base['seconds']:.1f}x")


if __name__ == "__main__":
    if len(sys.argv) == 4:
        phase, target, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
        result = {"make": lambda: make(target, count), "raw": lambda: raw(target),
                  "import": lambda: run_import(target)}[phase]()
        result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
