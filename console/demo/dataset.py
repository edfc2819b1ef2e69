"""The demo data set: a few hundred mentions over the last 14 days, as import rows.

The hand-written messages (console.demo.messages) are joined by rows of the classifier's
training corpus, so every category and urgency appears often enough for the statistics
pages. Each row also carries the label a staff member would give it (``label``), which the
demo workflow uses when the model is absent or disagrees; the importer ignores that field
beyond storing it in the raw payload.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from console.demo.messages import MESSAGES
from store.reference import KECAMATAN

CORPUS = Path(__file__).resolve().parents[2] / "classifier" / "data" / "train"
CORPUS_ROWS = 270  # with the hand-written ones (and their follow-ups) about 350 mentions
DAYS = 14
RECENT_SHARE = 0.14  # opened in the last 8 hours: still in the triage queue
CHANNEL_PLATFORM = {"x": "twitter", "twitter": "twitter", "facebook": "facebook", "sms": "sms", "web": "facebook",
                    "whatsapp": "whatsapp"}
KEC_CODE = {name: code for code, name in KECAMATAN.items()}

FIRST = ("Siti", "Dewi", "Agus", "Slamet", "Nur", "Rina", "Eko", "Wahyu", "Yuli", "Hadi", "Lilik", "Supri",
         "Indah", "Bagus", "Fitri", "Sugeng", "Ayu", "Rizky", "Endang", "Sri", "Joko", "Anis", "Dimas", "Lutfi",
         "Made", "Ketut", "Mbok Sum", "Cak Mat", "Yayuk", "Hendra")
LAST = ("Rahayu", "Wulandari", "Santoso", "Hidayat", "Susanti", "Prasetyo", "Lestari", "Saputra", "Handayani",
        "Kurniawan", "Maulana", "Setiawan", "Fauziah", "Nugroho", "Pratama")
HANDLE_TAILS = ("_bwi", "bwi", "_osing", "_gtg", "_rgj", ".muncar", "99", "_", "official", "21")


@dataclass(frozen=True)
class DemoMention:
    row: dict  # an import row: text, created_at, author, author_name, platform, external_id, thread_key …
    category: str
    urgency: str
    kecamatan_code: str | None


def build(now: datetime, zone: ZoneInfo, seed: int = 2026) -> list[DemoMention]:
    """Deterministic for a seed; times are relative to ``now`` (the last 14 days)."""
    rng = random.Random(seed)
    entries = [(p, c, u, k, text, follow) for p, c, u, k, text, follow in MESSAGES]
    entries += [(p, c, u, _kecamatan_in(text), text, None) for p, c, u, text in _corpus_rows(rng)]
    rng.shuffle(entries)
    out: list[DemoMention] = []
    for n, (platform, category, urgency, kecamatan, text, follow) in enumerate(entries, start=1):
        opened = _opened_at(rng, now, zone)
        author, author_name = _author(rng, platform)
        kec_code = KEC_CODE.get(kecamatan) if kecamatan else None
        # SMS by number (the importer's default); WhatsApp by number, as the webhook's threads
        thread = (None if platform == "sms" else f"wa:{author}" if platform == "whatsapp"
                  else f"demo-{platform}-thread-{n:04d}")
        first = _row(n, 1, platform, text, opened, author, author_name, thread, category, urgency)
        out.append(DemoMention(first, category, urgency, kec_code))
        if follow:
            later = min(opened + timedelta(minutes=rng.randint(12, 55)), now - timedelta(minutes=1))
            out.append(DemoMention(_row(n, 2, platform, follow, later, author, author_name, thread,
                                        category, urgency), category, urgency, kec_code))
    return out


def write_jsonl(mentions: list[DemoMention], path: Path) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for m in mentions:
            fh.write(json.dumps(m.row, ensure_ascii=False) + "\n")
    return path


def _row(n: int, part: int, platform: str, text: str, created: datetime, author: str, author_name: str | None,
         thread: str | None, category: str, urgency: str) -> dict:
    external_id = f"demo-{n:04d}" + ("" if part == 1 else f"-{part}")
    row = {"text": text, "created_at": created.isoformat(timespec="seconds"), "author": author,
           "author_name": author_name, "platform": platform, "external_id": external_id,
           "label": {"category": category, "urgency": urgency}}
    if thread:
        row["thread_key"] = thread
    if platform == "twitter":
        row["permalink"] = f"https://x.com/{author}/status/{1_860_000_000_000_000_000 + n * 10 + part}"
    elif platform == "facebook":
        row["permalink"] = f"https://www.facebook.com/pemkabbanyuwangi/posts/{thread}?comment_id={n}{part}"
    return row


def _opened_at(rng: random.Random, now: datetime, zone: ZoneInfo) -> datetime:
    """Mostly daytime WIB (people write between 06:00 and 23:00), a few at night."""
    if rng.random() < RECENT_SHARE:
        return (now - timedelta(minutes=rng.randint(10, 8 * 60))).astimezone(zone)
    while True:
        when = now - timedelta(days=rng.uniform(0.35, DAYS))
        local = when.astimezone(zone)
        if 6 <= local.hour <= 22 or rng.random() < 0.15:
            return local.replace(microsecond=0)


def _author(rng: random.Random, platform: str) -> tuple[str, str | None]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    if platform in ("sms", "whatsapp"):
        number = "+628" + str(rng.choice((1, 2, 5))) + "".join(str(rng.randint(0, 9)) for _ in range(8))
        return number, (name if platform == "whatsapp" else None)  # WhatsApp shows the profile name
    if platform == "twitter":
        handle = name.split()[0].lower().replace(" ", "") + rng.choice(HANDLE_TAILS)
        return handle, name
    return f"fb:{rng.randint(10**14, 10**15 - 1)}", name


def _corpus_rows(rng: random.Random) -> list[tuple[str, str, str, str]]:
    """(platform, category, urgency, text) from the training corpus, spread over categories."""
    by_category: dict[str, list[tuple[str, str, str, str]]] = {}
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            r = json.loads(line)
            platform = CHANNEL_PLATFORM.get(r.get("channel", ""))
            if platform and 15 <= len(r["text"]) <= 500:
                by_category.setdefault(r["category"], []).append((platform, r["category"], r["urgency"], r["text"]))
    if not by_category:
        return []
    per = CORPUS_ROWS // len(by_category)
    picked: list[tuple[str, str, str, str]] = []
    for category in sorted(by_category):
        rows = by_category[category]
        picked += rng.sample(rows, min(per, len(rows)))
    return picked


_KEC_WORDS = re.compile(r"\b(" + "|".join(n for n in KEC_CODE if n != "Banyuwangi") + r")\b", re.IGNORECASE)
_KEC_BY_LOWER = {n.lower(): n for n in KEC_CODE}


def _kecamatan_in(text: str) -> str | None:
    """The first kecamatan named in the text ('Banyuwangi' is also the regency: skipped)."""
    found = _KEC_WORDS.search(text)
    return _KEC_BY_LOWER[found.group(1).lower()] if found else None
