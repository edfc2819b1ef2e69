"""How fast the classifier learns a style of message it was not trained on, from feedback.

One style of the project's own data is held out of training: the long messages (25 words or
more: web-form complaints and long stories), 1,108 of the 3,430 corpus rows. The model is
trained on the rest of the corpus plus 0, 100, 300 and 1,000 of those long rows fed as
feedback (a seeded random order), with each feedback row weighing 1, 2, 3 or 5 corpus rows,
and scored on the long messages of the fixed test split (301 rows, written by a different
writer, never trained on). Measured is the category head (the one the promotion gate's
feedback check reads), macro-F1, against two baselines fitted on the same rows:

- **feedback only**: bare TF-IDF word 1–2-grams + LogisticRegression on the feedback alone;
- **corpus + feedback**: the same bare pipeline on the rest of the corpus plus the feedback.

Usage: python benchmarks/adaptation_bench.py [--steps 0 100 300 1000] [--weights 1 2 3 5]
       [--seeds 20261129] [--png docs/adaptation_curve.png] [--json]
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline

from classifier.corpus import Example, load_test, load_training
from classifier.pipelines import build
from classifier.train import load_selection

LONG_WORDS = 25


def _long(ex: Example) -> bool:
    return len(ex.text.split()) >= LONG_WORDS


def _macro_f1(pipe, evaluation: list[Example]) -> float:
    pred = pipe.predict([ex.text for ex in evaluation])
    return round(float(f1_score([ex.category for ex in evaluation], pred, average="macro")), 4)


def _bare(rows: list[Example]):
    return make_pipeline(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                         LogisticRegression(max_iter=2000, class_weight="balanced")).fit(
        [ex.text for ex in rows], [ex.category for ex in rows])


def _tanggap(rows: list[Example], weights: list[float], spec: dict):
    return build(spec["candidate"], spec["stem"]).fit([ex.text for ex in rows], [ex.category for ex in rows],
                                                      clf__sample_weight=np.asarray(weights))


def run(steps: list[int], weights: list[float], seed: int) -> list[dict]:
    corpus = load_training()
    base = [ex for ex in corpus if not _long(ex)]
    pool = [ex for ex in corpus if _long(ex)]
    random.Random(seed).shuffle(pool)
    evaluation = [ex for ex in load_test() if _long(ex)]
    spec = load_selection()["chosen"]["category"]
    rows = []
    for n in steps:
        fed = pool[:n]
        row: dict = {"seed": seed, "feedback": n, "base": len(base), "evaluated": len(evaluation)}
        start = time.perf_counter()
        for w in weights:
            row[f"tanggap_w{w:g}"] = _macro_f1(_tanggap(base + fed, [1.0] * len(base) + [w] * n, spec), evaluation)
        row["bare_feedback_only"] = _macro_f1(_bare(fed), evaluation) if len({ex.category for ex in fed}) > 1 else None
        row["bare_corpus_plus_feedback"] = _macro_f1(_bare(base + fed), evaluation)
        row["seconds"] = round(time.perf_counter() - start, 1)
        print(json.dumps(row), file=sys.stderr, flush=True)
        rows.append(row)
    return rows


def chart(rows: list[dict], weights: list[float], path: Path) -> None:
    """The learning curve as a PNG (Altair, the console's charting library; vl-convert renders it)."""
    import altair as alt
    import pandas as pd
    names = {**{f"tanggap_w{w:g}": f"Tanggap, weight {w:g}" for w in weights},
             "bare_feedback_only": "TF-IDF + LR, feedback only",
             "bare_corpus_plus_feedback": "TF-IDF + LR, corpus + feedback"}
    data = pd.DataFrame([{"feedback rows": r["feedback"], "model": names[k], "category macro-F1": r[k]}
                         for r in rows for k in names if r.get(k) is not None])
    data = data.groupby(["feedback rows", "model"], as_index=False).mean()
    line = alt.Chart(data, title="Learning a held-out style (long messages) from feedback").mark_line(
        point=True).encode(x=alt.X("feedback rows:Q", scale=alt.Scale(type="symlog")),
                           y=alt.Y("category macro-F1:Q", scale=alt.Scale(zero=False)), color="model:N")
    path.parent.mkdir(parents=True, exist_ok=True)
    line.properties(width=560, height=320).save(str(path), scale_factor=1.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, nargs="+", default=[0, 100, 300, 1000])
    parser.add_argument("--weights", type=float, nargs="+", default=[1, 2, 3, 5])
    parser.add_argument("--seeds", type=int, nargs="+", default=[20261129])
    parser.add_argument("--png", type=Path, default=Path("docs/adaptation_curve.png"))
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    rows = [row for seed in args.seeds for row in run(args.steps, args.weights, seed)]
    chart(rows, args.weights, args.png)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    keys = [k for k in rows[0] if k.startswith(("tanggap", "bare"))]
    print("seed      feedback  " + "  ".join(f"{k:>26}" for k in keys))
    for r in rows:
        print(f"{r['seed']:<9} {r['feedback']:>8}  " + "  ".join(
            f"{'–' if r[k] is None else format(r[k], '.4f'):>26}" for k in keys))
    print(f"curve: {args.png}")


if __name__ == "__main__":
    main()
