"""The two heads of a model (category, urgency) as the Tagger runs them: feature steps
called directly and probabilities computed with numpy from the fitted parameters, which
gives the same numbers as ``pipeline.predict_proba`` (tests/classifier/test_fast_path.py)
without sklearn's per-call input checks, which cost milliseconds per message.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model._base import LinearClassifierMixin
from sklearn.pipeline import Pipeline

from classifier.explain import readable
from classifier.features import CharNgramHasher, WordTfidf, tfidf_inplace

TOP_TERMS = 5


def _class_weights(clf) -> np.ndarray | None:
    """Per-class feature weights of a linear classifier (n_classes × n_features)."""
    if hasattr(clf, "coef_"):
        return np.asarray(clf.coef_)
    if hasattr(clf, "feature_log_prob_"):  # ComplementNB: argmax of X @ feature_log_prob_.T
        return np.asarray(clf.feature_log_prob_)
    if hasattr(clf, "calibrated_classifiers_"):
        return np.mean([c.estimator.coef_ for c in clf.calibrated_classifiers_], axis=0)
    return None


def _word_features(features) -> tuple[np.ndarray, np.ndarray]:
    """Feature names and a mask of word (not character) features, for showing terms."""
    if hasattr(features, "transformer_list"):  # word features first, then hashed characters
        words = np.asarray(features.transformer_list[0][1].get_feature_names_out(), dtype=object)
        return words, np.arange(_n_features(features)) < len(words)
    names = np.asarray(features.get_feature_names_out(), dtype=object)
    return names, np.ones(len(names), dtype=bool)


def _n_features(features) -> int:
    total = 0
    for _, step in features.transformer_list:
        last = step[-1] if hasattr(step, "steps") else step
        total += len(last.idf_)
    return total


def same_features(a, b) -> bool:
    """True when two fitted feature steps compute the same matrix (same parameters, same
    vocabulary and idf), so the tagger can compute it once for both heads."""
    if repr(a) != repr(b):
        return False
    va = getattr(a, "transformer_list", [("", a)])
    vb = getattr(b, "transformer_list", [("", b)])
    for (_, x), (_, y) in zip(va, vb, strict=True):
        x, y = (x[-1], y[-1]) if hasattr(x, "steps") else (x, y)
        if getattr(x, "vocabulary_", None) != getattr(y, "vocabulary_", None):
            return False
        if not np.array_equal(x.idf_, y.idf_):
            return False
    return True


def _feature_steps(features) -> list | None:
    """The steps of a FeatureUnion, to run one after the other and hstack (its own
    transform goes through joblib, which costs milliseconds per call); None when the union
    uses weights or dropped steps and must run itself."""
    if not hasattr(features, "transformer_list"):
        return [features]
    steps = [step for _, step in features.transformer_list]
    if features.transformer_weights or any(isinstance(s, str) for s in steps):
        return None
    return steps


def _fast_step(step):
    """One feature step's transform, with the fast paths of classifier.features for the
    word TF-IDF and for a hashed-characters → TfidfTransformer pipeline."""
    if isinstance(step, TfidfVectorizer):
        return WordTfidf(step).transform
    if isinstance(step, Pipeline) and [type(s) for _, s in step.steps] == [CharNgramHasher, TfidfTransformer]:
        hasher, tfidf = step.steps[0][1], step.steps[1][1]
        return lambda docs: tfidf_inplace(tfidf, hasher.transform(docs))
    return step.transform


class _SigmoidLinear:
    """predict_proba of a CalibratedClassifierCV(method="sigmoid") over linear classifiers
    (our LinearSVC), computed from its fitted parameters with the same arithmetic as
    sklearn 1.9's _CalibratedClassifier.predict_proba, without its per-call validation
    (3 folds × one sigmoid per class, each validating its input: ~30 ms per message).
    All folds' decision functions come from one sparse × dense product."""

    def __init__(self, clf):
        folds = clf.calibrated_classifiers_
        self.n_classes = len(clf.classes_)
        self.n_folds = len(folds)
        self.coef = np.ascontiguousarray(np.hstack([f.estimator.coef_.T for f in folds]))
        self.intercept = np.concatenate([np.ravel(f.estimator.intercept_) for f in folds])
        self.a = np.array([c.a_ for f in folds for c in f.calibrators], dtype=np.float64)
        self.b = np.array([c.b_ for f in folds for c in f.calibrators], dtype=np.float64)
        self.columns = []  # per fold: (its slice of decision columns, the classes they are for)
        start = 0
        for f in folds:
            k = len(f.estimator.classes_)
            self.columns.append((slice(start, start + k),
                                 np.searchsorted(clf.classes_, f.estimator.classes_)))
            start += k

    @staticmethod
    def applies(clf) -> bool:
        if not (isinstance(clf, CalibratedClassifierCV) and clf.method == "sigmoid"
                and len(clf.classes_) > 2):
            return False
        for f in clf.calibrated_classifiers_:
            est = f.estimator
            if not (f.method == "sigmoid" and isinstance(est, LinearClassifierMixin)
                    and est.coef_.shape[0] == len(est.classes_) > 2
                    and len(f.calibrators) == len(est.classes_)
                    and all(type(c) is _SigmoidCalibration for c in f.calibrators)
                    and np.isin(est.classes_, clf.classes_).all()):
                return False
        return True

    def predict_proba(self, X) -> np.ndarray:
        decision = X @ self.coef + self.intercept
        sigmoid = expit(-(self.a * decision + self.b))
        mean = np.zeros((X.shape[0], self.n_classes))
        for cols, classes in self.columns:
            proba = np.zeros((X.shape[0], self.n_classes))
            proba[:, classes] = sigmoid[:, cols]
            denominator = np.sum(proba, axis=1)[:, np.newaxis]  # uniform when all are 0
            mean += np.divide(proba, denominator, out=np.full_like(proba, 1 / self.n_classes),
                              where=denominator != 0)
        mean /= self.n_folds
        return mean


class Head:
    def __init__(self, pipeline):
        self.pipeline = pipeline
        self.stem = bool(pipeline.named_steps["normalize"].stem)
        self.features = pipeline.named_steps["features"]
        self.clf = pipeline[-1]
        self.classes = [str(c) for c in self.clf.classes_]
        self.weights = _class_weights(self.clf)
        self.names, self.word_mask = _word_features(pipeline.named_steps["features"])
        # Terms staff may read: word features without placeholders, not only stopwords.
        self.shown = self.word_mask.copy()
        self.shown[:len(self.names)] &= np.array([readable(str(n)) for n in self.names], dtype=bool)
        self.steps = _feature_steps(self.features)
        self.runs = [_fast_step(step) for step in self.steps or []]
        # terms() needs only word features; in a union they are the first step's columns.
        self.words_first = bool(self.steps) and self.word_mask.sum() == len(self.names) == (
            self.steps[0].idf_.shape[0] if hasattr(self.steps[0], "idf_") else -1)
        self.fast = _SigmoidLinear(self.clf) if _SigmoidLinear.applies(self.clf) else None

    def transform(self, docs: list[str]):
        """The "features" step's matrix (CSR) as the pipeline computes it, and the matrix of
        its word features alone (the first columns) for terms()."""
        if self.steps is None:
            X = self.features.transform(docs).tocsr()
            return X, X
        Xs = [run(docs) for run in self.runs]
        X = Xs[0].tocsr() if len(Xs) == 1 else sp.hstack(Xs, format="csr")
        return X, (Xs[0].tocsr() if self.words_first else X)

    def predict_proba(self, X) -> np.ndarray:
        return self.fast.predict_proba(X) if self.fast is not None else self.clf.predict_proba(X)

    def terms(self, X, cls: np.ndarray) -> list[tuple[str, ...]]:
        """Per row, the TOP_TERMS readable word features (classifier.explain.readable)
        weighing most for class ``cls[row]`` (largest positive value × weight first; ties in
        feature order)."""
        n = X.shape[0]
        if self.weights is None:
            return [()] * n
        row = np.repeat(np.arange(n), np.diff(X.indptr))
        idx = X.indices.astype(np.intp)
        contrib = X.data * self.weights[cls[row], idx]
        keep = self.shown[idx] & (contrib > 0)
        row, idx, contrib = row[keep], idx[keep], contrib[keep]
        order = np.lexsort((-contrib, row))  # by row, then by contribution; stable
        row, idx = row[order], idx[order]
        first = np.searchsorted(row, np.arange(n))
        top = np.arange(len(row)) - first[row] < TOP_TERMS
        names = self.names[idx[top]].tolist()
        bounds = np.searchsorted(row[top], np.arange(n + 1)).tolist()
        return [tuple(names[bounds[i]:bounds[i + 1]]) for i in range(n)]
