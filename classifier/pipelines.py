"""The candidate pipelines train.py compares: one scikit-learn Pipeline per head, with the
text normalisation inside it (step "normalize"), then the features (step "features"), then
the classifier (step "clf"). Every random state is fixed."""

from __future__ import annotations

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfTransformer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import ComplementNB
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from classifier.features import CharNgramHasher
from classifier.text import TextNormalizer

SEED = 20261129
TOKEN_PATTERN = r"(?u)\b\w\w+\b"


def _word() -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False,
                           token_pattern=TOKEN_PATTERN, dtype=np.float64)


def _word_char() -> FeatureUnion:
    # Character n-grams are hashed: a vocabulary of tens of thousands of n-grams makes the
    # skops file slow to write and load (tens of seconds), a hashed one has no vocabulary.
    # CharNgramHasher computes HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5),
    # n_features=2**17, alternate_sign=False, norm=None, lowercase=False), several times faster.
    char = Pipeline([
        ("hash", CharNgramHasher(ngram_range=(2, 5), n_features=2**17)),
        ("tfidf", TfidfTransformer(sublinear_tf=True))])
    return FeatureUnion([("word", _word()), ("char", char)])


def _lr(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, class_weight="balanced", max_iter=2000, random_state=SEED)


def _clf(name: str):
    if name in ("word_lr", "word_char_lr"):
        return _lr(C=5.0)
    if name == "svc_calibrated":
        return CalibratedClassifierCV(LinearSVC(C=0.5, class_weight="balanced", random_state=SEED),
                                      cv=3, method="sigmoid")
    if name == "complement_nb":
        return ComplementNB(alpha=0.3)
    if name == "sgd":
        return SGDClassifier(loss="modified_huber", alpha=1e-4, class_weight="balanced",
                             max_iter=50, tol=None, random_state=SEED)
    raise KeyError(f"unknown candidate {name!r}; use one of {', '.join(CANDIDATES)}")


CANDIDATES = ("word_lr", "word_char_lr", "svc_calibrated", "complement_nb", "sgd")
WORD_ONLY = {"word_lr", "complement_nb"}


def build(name: str, stem: bool = False) -> Pipeline:
    """A fresh, unfitted pipeline for the candidate ``name``."""
    features = _word() if name in WORD_ONLY else _word_char()
    return Pipeline([("normalize", TextNormalizer(stem=stem)), ("features", features),
                     ("clf", _clf(name))])
