"""Checks a corpus JSONL file: valid JSON, known labels, no duplicate texts; prints counts.

Usage: python classifier/data/tools/check_corpus.py FILE.jsonl [FILE.jsonl ...]
"""
import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
from store.vocabulary import CATEGORIES, URGENCIES  # noqa: E402 - after the sys.path line above

# The corpus's own channel names (where a labelled example was gathered), not PLATFORMS.
CHANNELS = {"x", "facebook", "sms", "web", "letter"}


def main(paths):
    seen = {}
    cats, urgs, chans = collections.Counter(), collections.Counter(), collections.Counter()
    errors = 0
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                where = f"{path}:{lineno}"
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    print(f"{where}: not JSON ({exc})"); errors += 1; continue
                text = (row.get("text") or "").strip()
                if not text:
                    print(f"{where}: empty text"); errors += 1
                if row.get("category") not in CATEGORIES:
                    print(f"{where}: unknown category {row.get('category')!r}"); errors += 1
                if row.get("urgency") not in URGENCIES:
                    print(f"{where}: unknown urgency {row.get('urgency')!r}"); errors += 1
                if row.get("channel") not in CHANNELS:
                    print(f"{where}: unknown channel {row.get('channel')!r}"); errors += 1
                if row.get("category") == "lainnya" and row.get("urgency") != "rendah":
                    print(f"{where}: lainnya must be rendah"); errors += 1
                key = " ".join(text.lower().split())
                if key in seen:
                    print(f"{where}: duplicate of {seen[key]}"); errors += 1
                seen[key] = where
                cats[row.get("category")] += 1
                urgs[row.get("urgency")] += 1
                chans[row.get("channel")] += 1
    print("rows:", sum(cats.values()), "errors:", errors)
    print("category:", dict(sorted(cats.items())))
    print("urgency:", dict(sorted(urgs.items())))
    print("channel:", dict(sorted(chans.items())))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
