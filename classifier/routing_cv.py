"""The routing threshold: the category probability at or above which a case is routed at
intake (store.routing), chosen on the training data by cross-validation, never on the test
split, and reported on the test split (classifier.evaluate.routing_scores).

A routed case is right when its category is the true one (the routing table then names the
right agency). The threshold is the lowest at which the CV predictions routed are right at
least ``ROUTED_RIGHT_TARGET`` of the time, at that threshold and at every higher one (the
right-rate of a thin top slice wobbles; a threshold whose higher neighbours fail the target
is luck, not a property of the model): the lowest such threshold routes the most cases.
"""

from __future__ import annotations

import numpy as np

ROUTED_RIGHT_TARGET = 0.95
CANDIDATES = tuple(round(t, 2) for t in np.arange(0.30, 0.995, 0.01))


def routed_right(confidence: np.ndarray, right: np.ndarray, threshold: float) -> tuple[int, float | None]:
    """(how many are routed at ``threshold``, the share of those that are right)."""
    routed = confidence >= threshold
    n = int(routed.sum())
    return n, (float(right[routed].mean()) if n else None)


def choose(proba: np.ndarray, classes: list[str], truth: np.ndarray) -> tuple[float | None, dict]:
    """The threshold from CV category probabilities (rows × classes) and the true labels;
    None when no candidate reaches the target (then nothing is routed by default)."""
    confidence = proba.max(axis=1)
    right = np.array(classes)[proba.argmax(axis=1)] == truth
    chosen = None
    for t in reversed(CANDIDATES):  # from the top: stop at the first that fails
        n, rate = routed_right(confidence, right, t)
        if rate is not None and rate < ROUTED_RIGHT_TARGET:
            break
        if n:
            chosen = t
    if chosen is None:
        return None, {"target": ROUTED_RIGHT_TARGET, "cv_routed_share": 0.0}
    n, rate = routed_right(confidence, right, chosen)
    return chosen, {"target": ROUTED_RIGHT_TARGET, "cv_routed_share": round(n / len(truth), 4),
                    "cv_right": round(rate or 0.0, 4), "cv_rows": len(truth)}
