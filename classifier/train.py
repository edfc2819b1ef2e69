"""Training: compare candidate pipelines by cross-validation on the training data, fit the
chosen one per head, write a model version with its model card, and (for retraining with
staff feedback) promote it only when it is not worse than the active model.

Never imported by the app. The choice of candidate is cached in ``data/model_selection.json``
(with its CV table, for the model card) so that a plain ``tanggap train`` fits in well
under a minute; ``tanggap train --select`` re-runs the comparison (all candidates × both
heads, 3-fold CV, plus stemming on/off for the winner), rewrites that file and uses it.
The fixed test split is only ever used to report on and to gate promotion, never to choose
or tune anything.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sklearn
import skops.io as sio
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from tqdm import tqdm

from classifier import card, gate, registry, routing_cv
from classifier.corpus import DATA_DIR, Example, data_hash, load_test, load_training
from classifier.evaluate import evaluate
from classifier.model import Tagger, load_model
from classifier.pipelines import CANDIDATES, SEED, build
from classifier.rules import danger_phrase
from classifier.taxonomy import HEADS
from store.vocabulary import CRITICAL

FOLDS = 3
# Urgency candidates must reach this kritis recall in CV (at the argmax) to be chosen on
# macro-F1; the decision threshold below then lifts recall towards KRITIS_RECALL_TARGET.
MIN_CV_KRITIS_RECALL = 0.80
# 3-fold CV macro-F1 differences below this are noise: among candidates that close to the
# best, the fastest to train wins (it keeps `tanggap train` under a minute).
TIE = 0.005
KRITIS_RECALL_TARGET = 0.97
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.50, 0.04, -0.025))
REVIEW_BELOW = 0.5

SELECTION_FILE = DATA_DIR / "model_selection.json"


@dataclass
class TrainResult:
    version: str
    folder: object
    metrics: dict[str, float]
    promoted: bool
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0
    verdict: gate.GateResult | None = None  # None: trained on the corpus alone, activated without a gate


def _cv(examples: list[Example], head: str, candidate: str, stem: bool) -> tuple[np.ndarray, list]:
    X = [ex.text for ex in examples]
    y = np.array([getattr(ex, head) for ex in examples])
    cv = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    proba = cross_val_predict(build(candidate, stem), X, y, cv=cv, method="predict_proba")
    return proba, sorted(set(y)), y


def cv_row(examples: list[Example], head: str, candidate: str, stem: bool) -> dict:
    start = time.perf_counter()
    proba, classes, y = _cv(examples, head, candidate, stem)
    pred = np.array(classes)[proba.argmax(axis=1)]
    row = {"head": head, "candidate": candidate, "stem": stem,
           "macro_f1": round(float(f1_score(y, pred, average="macro")), 4),
           "accuracy": round(float((pred == y).mean()), 4)}
    if head == "urgency":
        truth, flagged = y == CRITICAL, pred == CRITICAL
        row["kritis_recall"] = round(float((truth & flagged).sum() / max(truth.sum(), 1)), 4)
        row["kritis_precision"] = round(float((truth & flagged).sum() / max(flagged.sum(), 1)), 4)
    row["seconds"] = round(time.perf_counter() - start, 1)
    return row


def _best(head: str, rows: list[dict]) -> dict:
    rows = [r for r in rows if r["head"] == head]
    if head == "urgency":
        ok = [r for r in rows if r["kritis_recall"] >= MIN_CV_KRITIS_RECALL]
        if not ok:
            return max(rows, key=lambda r: (r["kritis_recall"], r["macro_f1"]))
        rows = ok
    top = max(r["macro_f1"] for r in rows)
    return min((r for r in rows if r["macro_f1"] >= top - TIE), key=lambda r: r["seconds"])


def select(examples: list[Example], progress: bool = True) -> tuple[dict, list[dict]]:
    """Compare every candidate per head by CV, then stemming on/off for the winner."""
    jobs = [(h, c) for h in HEADS for c in CANDIDATES]
    rows = []
    for head, cand in tqdm(jobs, desc="compare", unit="config", disable=not progress):
        rows.append(cv_row(examples, head, cand, stem=False))
    chosen = {}
    for head in tqdm(HEADS, desc="stemming", unit="head", disable=not progress):
        best = _best(head, rows)
        rows.append(cv_row(examples, head, best["candidate"], stem=True))
        same = [r for r in rows if r["head"] == head and r["candidate"] == best["candidate"]]
        winner = max(same, key=lambda r: r["macro_f1"])  # stemming only if it helps
        chosen[head] = {"candidate": winner["candidate"], "stem": winner["stem"]}
    return chosen, rows


def load_selection() -> dict:
    """The cached result of the last `tanggap train --select`."""
    return json.loads(SELECTION_FILE.read_text(encoding="utf-8"))


def save_selection(examples: list[Example], chosen: dict, rows: list[dict]) -> None:
    data = {"chosen": chosen, "cv": rows, "folds": FOLDS, "rows": len(examples),
            "data_hash": data_hash(examples), "date": datetime.now(UTC).date().isoformat()}
    SELECTION_FILE.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _labelled(examples: list[Example], head: str, weights: list[float] | None = None
              ) -> tuple[list[Example], list[float] | None]:
    """The rows that carry ``head``'s label (a category-only feedback row trains no urgency)."""
    keep = [i for i, ex in enumerate(examples) if getattr(ex, head) is not None]
    return [examples[i] for i in keep], (None if weights is None else [weights[i] for i in keep])


def kritis_threshold(examples: list[Example], spec: dict) -> tuple[float, dict]:
    """The highest P(kritis) threshold whose CV kritis recall reaches the target (training
    data only). Below the threshold the urgency head's argmax decides. The recall is that of
    the whole tagger: a message a danger rule raises to kritis counts as flagged whatever
    the threshold, so the rules' catches need no lower threshold (and its false alarms)."""
    examples, _ = _labelled(examples, "urgency")
    proba, classes, y = _cv(examples, "urgency", spec["candidate"], spec["stem"])
    k = classes.index(CRITICAL)
    argmax = proba.argmax(axis=1)
    truth = y == CRITICAL
    by_rule = np.array([(hit := danger_phrase(ex.text)) is not None and hit.urgency == CRITICAL
                        for ex in examples])
    best = None
    for t in THRESHOLDS:
        flagged = (argmax == k) | (proba[:, k] >= t) | by_rule
        recall = float((truth & flagged).sum() / max(truth.sum(), 1))
        precision = float((truth & flagged).sum() / max(flagged.sum(), 1))
        best = (t, {"cv_recall": round(recall, 4), "cv_precision": round(precision, 4)})
        if recall >= KRITIS_RECALL_TARGET:
            break
    return best


def routing_threshold(examples: list[Example], spec: dict) -> tuple[float | None, dict]:
    """The category probability at or above which cases are routed at intake, by CV on the
    training data (classifier.routing_cv)."""
    proba, classes, y = _cv(examples, "category", spec["candidate"], spec["stem"])
    return routing_cv.choose(proba, classes, y)


def fit(examples: list[Example], chosen: dict, weights: list[float] | None = None) -> dict:
    """One pipeline per head, each on the rows that carry its label; ``weights`` (one per
    row) weigh feedback above the corpus."""
    pipelines = {}
    for h in HEADS:
        rows, w = _labelled(examples, h, weights)
        extra = {} if w is None else {"clf__sample_weight": np.asarray(w)}
        pipelines[h] = build(chosen[h]["candidate"], chosen[h]["stem"]).fit(
            [ex.text for ex in rows], [getattr(ex, h) for ex in rows], **extra)
    return pipelines


def train_version(root: Path, examples: list[Example], chosen: dict, cv_rows: list[dict], note: str,
                  progress: bool = True, weights: list[float] | None = None) -> tuple[str, object, dict]:
    """Fit both heads, write the version folder and its model card; not yet activated."""
    digest = data_hash(examples)
    now = datetime.now(UTC)
    steps = tqdm(total=5, desc="train", unit="step", disable=not progress)
    threshold, threshold_cv = kritis_threshold(examples, chosen["urgency"])
    steps.update()
    routing, routing_cv_figures = routing_threshold(examples, chosen["category"])
    steps.update()
    pipelines = fit(examples, chosen, weights)
    steps.update()
    version = registry.new_version_name(root, digest, now)
    folder = registry.version_dir(root, version)
    folder.mkdir(parents=True)
    for head, pipe in pipelines.items():
        sio.dump(pipe, folder / f"{head}.skops")
    steps.update()
    settings = {"version": version, "created": now.isoformat(timespec="seconds"),
                "kritis_threshold": threshold, "review_below": REVIEW_BELOW, "routing_threshold": routing}
    tagger = Tagger(version, pipelines, settings)
    test = evaluate(tagger, load_test())
    steps.update()
    steps.close()
    settings.update({"test_metrics": test["summary"], "note": note})
    info = {"data_hash": digest, "rows": len(examples), "sklearn_version": sklearn.__version__,
            "skops_version": _skops_version(), "chosen": chosen,
            "kritis_threshold_cv": threshold_cv, "routing_threshold_cv": routing_cv_figures, "cv": cv_rows,
            "cv_folds": FOLDS, "seed": SEED}
    card.write(folder, settings, info, test)
    return version, folder, test


def _skops_version() -> str:
    from importlib.metadata import version
    return version("skops")


def train(root: Path, feedback: list[Example] | None = None, run_selection: bool = False,
          progress: bool = True, feedback_weight: float = 1.0,
          tolerance: float = gate.DEFAULT_TOLERANCE) -> TrainResult:
    """Train on the corpus into the model folder ``root`` and activate the result. With
    ``feedback`` (oldest first) the newest 20 % is held out, the rest trained on with
    ``feedback_weight`` per row, and the candidate is activated only when the promotion gate
    (classifier.gate) passes; either way the gate's checks go into its model card."""
    start = time.perf_counter()
    corpus = load_training()
    note, examples, weights, held_out = "corpus", corpus, None, []
    if feedback is not None:
        fit_rows, held_out = gate.split_feedback(feedback)
        examples = corpus + fit_rows
        weights = [1.0] * len(corpus) + [feedback_weight] * len(fit_rows)
        note = (f"corpus + {len(fit_rows)} feedback rows (weight {feedback_weight:g}; "
                f"{len(held_out)} newest held out)")
    if run_selection or not SELECTION_FILE.is_file():
        chosen, rows = select(corpus, progress)  # the choice is made on the corpus alone
        save_selection(corpus, chosen, rows)
    else:
        selection = load_selection()
        chosen, rows = selection["chosen"], selection["cv"]
    version, folder, test = train_version(root, examples, chosen, rows, note, progress, weights)
    verdict = None
    if feedback is not None:
        active_folder = registry.active_dir(root)
        verdict = gate.judge(load_model(folder), load_model(active_folder) if active_folder else None,
                             load_test(), held_out, len(examples) - len(corpus), tolerance)
        card.add_gate(folder, verdict.as_dict())
    else:
        card.add_gate(folder, None)
    promoted = verdict is None or verdict.promoted
    if promoted:
        registry.activate(root, version)
    return TrainResult(version, folder, test["summary"], promoted, verdict.reasons() if verdict else [],
                       round(time.perf_counter() - start, 1), verdict)
