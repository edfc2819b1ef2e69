"""The classifier as the app sees it: load a trained model safely and tag messages.

The only module the app imports. Models are skops files (never pickle or joblib); a file
is loaded only when every type in it that skops does not trust by default is on the
reviewed ``TRUSTED_TYPES`` list below, otherwise ``UntrustedModelError`` names the type.

    tagger = active_tagger()          # None until a model has been trained
    if tagger: tags = tagger.tag(["tolong anak sy kejang2 di genteng"])
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import skops.io as sio
from scipy.special import expit
from sklearn.calibration import CalibratedClassifierCV, _SigmoidCalibration
from sklearn.linear_model._base import LinearClassifierMixin

from classifier import registry
from classifier.gazetteer import find_place
from classifier.rules import raise_urgency
from classifier.taxonomy import HEADS
from classifier.text import normalize, stem
from store.cases import CaseTags
from store.reference import KECAMATAN

# Reviewed: the types in our pipelines that skops does not trust out of the box.
# Add a type here only after reading its __setstate__/constructor: loading runs its code.
TRUSTED_TYPES: frozenset[str] = frozenset({
    "classifier.text.TextNormalizer",  # our stateless normaliser (a bool parameter)
    # Our stateless char n-gram hasher: two parameters (ngram_range, n_features), no
    # fitted state, no __setstate__ of its own (BaseEstimator's only checks the version).
    "classifier.features.CharNgramHasher",
    "sklearn.calibration._CalibratedClassifier",  # inside CalibratedClassifierCV
    "sklearn.calibration._SigmoidCalibration",  # its fitted sigmoid (two floats)
})
CRITICAL = "kritis"
TOP_TERMS = 5


class ModelError(Exception):
    """A model cannot be loaded or used; the message says which file and why."""


class UntrustedModelError(ModelError):
    pass


def load_pipeline(path: Path):
    """One skops file → fitted Pipeline, refusing any type not on TRUSTED_TYPES."""
    if not path.is_file():
        raise ModelError(f"{path}: no such model file")
    try:
        found = sio.get_untrusted_types(file=path)
    except Exception as exc:  # not a zip, no schema, …
        raise ModelError(f"{path}: not a readable skops file ({exc})") from exc
    untrusted = sorted(t for t in found if t not in TRUSTED_TYPES)
    if untrusted:
        raise UntrustedModelError(
            f"{path} holds type(s) not on the reviewed list in classifier/model.py: "
            f"{', '.join(untrusted)}; refusing to load it")
    return sio.load(path, trusted=list(found))


@dataclass(frozen=True)
class Tag:
    category: str
    urgency: str
    category_confidence: float
    urgency_confidence: float
    category_probabilities: dict[str, float]
    urgency_probabilities: dict[str, float]
    category_terms: tuple[str, ...]  # the words that weighed most for the category
    urgency_terms: tuple[str, ...]
    kecamatan_code: str | None
    kecamatan: str | None
    desa: str | None
    model_version: str
    needs_review: bool
    model_urgency: str  # the model's own urgency, before the safety rules
    raised_by: str | None = None  # name of the danger rule that raised urgency, if any

    def to_case_tags(self) -> CaseTags:
        return CaseTags(category=self.category, urgency=self.urgency,
                        category_confidence=self.category_confidence,
                        urgency_confidence=self.urgency_confidence,
                        model_version=self.model_version, needs_review=self.needs_review,
                        kecamatan_code=self.kecamatan_code, desa=self.desa)

    def as_dict(self) -> dict:
        return asdict(self)


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


def _same_features(a, b) -> bool:
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


class _Head:
    def __init__(self, pipeline):
        self.pipeline = pipeline
        self.stem = bool(pipeline.named_steps["normalize"].stem)
        self.features = pipeline.named_steps["features"]
        self.clf = pipeline[-1]
        self.classes = [str(c) for c in self.clf.classes_]
        self.weights = _class_weights(self.clf)
        self.names, self.word_mask = _word_features(pipeline.named_steps["features"])
        self.steps = _feature_steps(self.features)
        self.fast = _SigmoidLinear(self.clf) if _SigmoidLinear.applies(self.clf) else None

    def transform(self, docs: list[str]):
        """The "features" step's matrix (CSR), as the pipeline computes it."""
        if self.steps is None:
            return self.features.transform(docs).tocsr()
        Xs = [step.transform(docs) for step in self.steps]
        return Xs[0].tocsr() if len(Xs) == 1 else sp.hstack(Xs, format="csr")

    def predict_proba(self, X) -> np.ndarray:
        return self.fast.predict_proba(X) if self.fast is not None else self.clf.predict_proba(X)

    def terms(self, X, cls: np.ndarray) -> list[tuple[str, ...]]:
        """Per row, the TOP_TERMS word features weighing most for class ``cls[row]``
        (largest positive value × weight first; ties in feature order)."""
        n = X.shape[0]
        if self.weights is None:
            return [()] * n
        row = np.repeat(np.arange(n), np.diff(X.indptr))
        contrib = X.data * self.weights[cls[row], X.indices]
        keep = self.word_mask[X.indices] & (contrib > 0)
        row, idx, contrib = row[keep], X.indices[keep], contrib[keep]
        order = np.lexsort((-contrib, row))  # by row, then by contribution; stable
        row, idx = row[order], idx[order]
        first = np.searchsorted(row, np.arange(n))
        top = np.arange(len(row)) - first[row] < TOP_TERMS
        names = self.names[idx[top]].tolist()
        bounds = np.searchsorted(row[top], np.arange(n + 1)).tolist()
        return [tuple(names[bounds[i]:bounds[i + 1]]) for i in range(n)]


class Tagger:
    """Both heads of one model version, its decision settings, the rules and the gazetteer."""

    def __init__(self, version: str, pipelines: dict, settings: dict):
        self.version = version
        self.heads = {h: _Head(pipelines[h]) for h in HEADS}
        self.kritis_threshold = float(settings.get("kritis_threshold", 1.0))
        self.review_below = float(settings.get("review_below", 0.5))
        self.shared_features = _same_features(self.heads["category"].pipeline.named_steps["features"],
                                              self.heads["urgency"].pipeline.named_steps["features"])
        self.shared_features &= (repr(self.heads["category"].pipeline.named_steps["normalize"])
                                 == repr(self.heads["urgency"].pipeline.named_steps["normalize"]))

    def tag(self, texts: list[str], apply_rules: bool = True) -> list[Tag]:
        texts = [t if isinstance(t, str) else "" for t in texts]
        if not texts:
            return []
        cat, urg = self.heads["category"], self.heads["urgency"]
        # The pipelines' own steps, run one by one so that the normalised text is computed
        # once for both heads and the rules (same result as pipeline.predict_proba).
        plain = [normalize(t) for t in texts]
        Xc = cat.transform([stem(p) for p in plain] if cat.stem else plain)
        Xu = Xc if self.shared_features else urg.transform(
            [stem(p) for p in plain] if urg.stem else plain)
        pc, pu = cat.predict_proba(Xc), urg.predict_proba(Xu)
        ci = np.argmax(pc, axis=1)
        ui = np.argmax(pu, axis=1)
        k = urg.classes.index(CRITICAL) if CRITICAL in urg.classes else None
        if k is not None:
            ui[pu[:, k] >= self.kritis_threshold] = k
        cat_terms, urg_terms = cat.terms(Xc, ci), urg.terms(Xu, ui)
        cat_rounded = [[round(p, 4) for p in row] for row in pc.tolist()]
        urg_rounded = [[round(p, 4) for p in row] for row in pu.tolist()]
        out = []
        for i, text in enumerate(texts):
            c, u = int(ci[i]), int(ui[i])
            model_urgency = urg.classes[u]
            urgency, hit = (raise_urgency(model_urgency, text, plain[i]) if apply_rules
                            else (model_urgency, None))
            place = find_place(text)
            out.append(Tag(
                category=cat.classes[c], urgency=urgency,
                category_confidence=cat_rounded[i][c], urgency_confidence=urg_rounded[i][u],
                category_probabilities=dict(zip(cat.classes, cat_rounded[i], strict=True)),
                urgency_probabilities=dict(zip(urg.classes, urg_rounded[i], strict=True)),
                category_terms=cat_terms[i], urgency_terms=urg_terms[i],
                kecamatan_code=place.kecamatan_code,
                kecamatan=KECAMATAN.get(place.kecamatan_code or ""), desa=place.desa,
                model_version=self.version,
                needs_review=bool(hit is not None or pc[i, c] < self.review_below
                              or pu[i, u] < self.review_below),
                model_urgency=model_urgency, raised_by=hit.rule if hit else None))
        return out


def load_model(path: Path | str | None = None) -> Tagger:
    """A Tagger from a model version folder (default: the active version)."""
    folder = Path(path) if path is not None else registry.active_dir()
    if folder is None:
        raise ModelError("no active model: run `tanggap train` first")
    settings_file = folder / registry.SETTINGS_FILE
    if not settings_file.is_file():
        raise ModelError(f"{folder}: not a model folder (no {registry.SETTINGS_FILE})")
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    pipelines = {h: load_pipeline(folder / f"{h}.skops") for h in HEADS}
    return Tagger(settings.get("version", folder.name), pipelines, settings)


_cache: dict[tuple, Tagger] = {}
_lock = threading.Lock()


def active_tagger() -> Tagger | None:
    """The active model's Tagger, loaded once per activation; None when no model exists
    (callers then store cases untagged)."""
    folder = registry.active_dir()
    if folder is None:
        return None
    key = (str(folder), registry.active_stamp())
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = load_model(folder)
        return _cache[key]
