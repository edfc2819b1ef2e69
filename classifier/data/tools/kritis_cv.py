"""How far `kritis` precision can go at 0.97 recall, by 3-fold cross-validation on the
training data only (never the test or hard split): the urgency head as trained, a binary
`kritis` head, cue words (over, denied, figurative, ongoing) appended as features, and the
lowering layer limited to threshold-only `kritis` (as shipped) or applied to every model
`kritis`. The danger rules count as flagged in every variant, as in train.kritis_threshold.

Usage: .venv/bin/python classifier/data/tools/kritis_cv.py   (about a minute)
"""

from __future__ import annotations

import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from classifier.context import lower_if_over
from classifier.corpus import load_training
from classifier.cues import DENIED, FIGURATIVE, ONGOING, OVER
from classifier.pipelines import SEED, build
from classifier.rules import danger_phrase
from classifier.text import normalize
from classifier.train import KRITIS_RECALL_TARGET, _labelled, load_selection
from store.vocabulary import CRITICAL


def with_cues(text: str) -> str:
    norm = normalize(text)
    marks = [f"cuex{name}" for name, p in (("over", OVER), ("denied", DENIED), ("figurative", FIGURATIVE),
                                           ("ongoing", ONGOING)) if p.search(norm)]
    return " ".join([text, *marks])


def at_target(score: np.ndarray, truth: np.ndarray, by_rule: np.ndarray) -> tuple[float, float, float]:
    """(threshold, recall, precision) at the highest threshold reaching the recall target."""
    for t in np.sort(np.unique(np.round(score, 3)))[::-1]:
        flagged = (score >= t) | by_rule
        recall = (flagged & truth).sum() / truth.sum()
        if recall >= KRITIS_RECALL_TARGET:
            return float(t), float(recall), float((flagged & truth).sum() / flagged.sum())
    return 0.0, 1.0, float(truth.mean())


def layer_scores(proba, classes, examples, norms, every_kritis: bool) -> np.ndarray:
    """P(kritis), set to 0 where the lowering layer would lower the message's kritis."""
    k = classes.index(CRITICAL)
    out = proba[:, k].copy()
    for i, ex in enumerate(examples):
        probs = dict(zip(classes, proba[i].tolist(), strict=True))
        if every_kritis:
            probs[CRITICAL] = -1.0  # as if kritis were never the model's top choice
        if lower_if_over(CRITICAL, None, norms[i], ex.category, probs)[0] != CRITICAL:
            out[i] = 0.0
    return out


def main() -> None:
    examples, _ = _labelled(load_training(), "urgency")
    spec = load_selection()["chosen"]["urgency"]
    y = np.array([ex.urgency for ex in examples])
    truth = y == CRITICAL
    by_rule = np.array([(h := danger_phrase(ex.text)) is not None and h.urgency == CRITICAL for ex in examples])
    norms = [normalize(ex.text) for ex in examples]
    folds = StratifiedKFold(3, shuffle=True, random_state=SEED)
    texts = [ex.text for ex in examples]
    proba = cross_val_predict(build(spec["candidate"], spec["stem"]), texts, y, cv=folds, method="predict_proba")
    classes = sorted(set(y))
    k = classes.index(CRITICAL)
    rows = {"urgency head (as trained)": proba[:, k],
            "+ layer on threshold-only kritis (shipped)": layer_scores(proba, classes, examples, norms, False),
            "+ layer on every model kritis": layer_scores(proba, classes, examples, norms, True)}
    cued = cross_val_predict(build(spec["candidate"], spec["stem"]), [with_cues(t) for t in texts], y,
                             cv=folds, method="predict_proba")
    rows["cue words as features"] = cued[:, k]
    binary = cross_val_predict(build(spec["candidate"], spec["stem"]), texts, truth.astype(int), cv=folds,
                               method="predict_proba")[:, 1]
    rows["binary kritis head"] = binary
    rows["mean of binary and urgency head"] = (binary + proba[:, k]) / 2
    print(f"{'variant':45} threshold  recall  precision")
    for name, score in rows.items():
        t, recall, precision = at_target(score, truth, by_rule)
        print(f"{name:45} {t:9.3f}  {recall:6.3f}  {precision:9.3f}")


if __name__ == "__main__":
    main()
