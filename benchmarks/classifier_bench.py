"""Classifier speed on one core: batch throughput and p99 single-message latency of the
active model's Tagger.tag (both heads, safety rules, gazetteer, top terms), each also as a
ratio against a bare TF-IDF word 1–2-gram + LogisticRegression fitted on the same corpus.

Usage: python benchmarks/classifier_bench.py [--model DIR] [--batch-size 4000] [--singles 1000] [--json]
Targets: ≥ 5,000 messages/s in batch, p99 ≤ 10 ms for one message.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one core: set before numpy is imported

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from classifier import registry
from classifier.corpus import load_test, load_training
from classifier.model import load_model
from store.settings import get_settings

TARGET_RATE, TARGET_P99_MS = 5000, 10.0


def _messages(n: int) -> list[str]:
    """Up to n distinct corpus messages (no repeats, so no cache makes repeats look cheap)."""
    texts = list(dict.fromkeys([ex.text for ex in load_test()] + [ex.text for ex in load_training()]))
    return texts[:n]


def _batch_rate(fn, texts: list[str]) -> float:
    fn(texts[:100])  # warm caches
    start = time.perf_counter()
    fn(texts)
    return len(texts) / (time.perf_counter() - start)


def _p99_ms(fn, texts: list[str]) -> float:
    times = []
    for text in texts:
        start = time.perf_counter()
        fn([text])
        times.append(time.perf_counter() - start)
    return float(np.percentile(times, 99) * 1000)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model version folder (default: the active model)")
    parser.add_argument("--batch-size", type=int, default=4_000)
    parser.add_argument("--singles", type=int, default=1_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    folder = args.model or registry.active_dir(get_settings().model_dir)
    if folder is None:
        parser.error("no active model: run `tanggap train` first, or name one with --model")
    tagger = load_model(folder)
    train = load_training()
    baseline = make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                             LogisticRegression(max_iter=1000))
    baseline.fit([ex.text for ex in train], [ex.category for ex in train])
    batch, singles = _messages(args.batch_size), _messages(args.singles)[::-1]
    rate = _batch_rate(tagger.tag, batch)
    base_rate = _batch_rate(baseline.predict_proba, batch)
    p99 = _p99_ms(tagger.tag, singles)
    base_p99 = _p99_ms(baseline.predict_proba, singles)
    result = {"model": tagger.version, "batch_msgs_per_s": round(rate),
              "baseline_batch_msgs_per_s": round(base_rate),
              "batch_ratio_vs_baseline": round(rate / base_rate, 2),
              "p99_ms": round(p99, 2), "baseline_p99_ms": round(base_p99, 2),
              "p99_ratio_vs_baseline": round(p99 / base_p99, 2),
              "targets_met": rate >= TARGET_RATE and p99 <= TARGET_P99_MS}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"model {result['model']} on one core")
        print(f"batch: {rate:,.0f} msg/s (bare TF-IDF+LR {base_rate:,.0f} msg/s, ratio "
              f"{result['batch_ratio_vs_baseline']}); target ≥ {TARGET_RATE:,}")
        print(f"single message p99: {p99:.2f} ms (bare TF-IDF+LR {base_p99:.2f} ms, ratio "
              f"{result['p99_ratio_vs_baseline']}); target ≤ {TARGET_P99_MS} ms")
    return 0 if result["targets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
