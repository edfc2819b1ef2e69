"""The classifier as the app sees it: load a trained model safely and tag messages.

The only module the app imports. Models are skops files (never pickle or joblib); a file
is loaded only when every type in it that skops does not trust by default is on the
reviewed ``TRUSTED_TYPES`` list below, otherwise ``UntrustedModelError`` names the type.

    tagger = active_tagger(model_root)   # None until a model has been trained
    if tagger: tags = tagger.tag(["tolong anak sy kejang2 di genteng"])
"""

from __future__ import annotations

import gc
import json
import threading
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import skops.io as sio

from classifier import registry
from classifier.context import lower_if_over, raised_reason
from classifier.gazetteer import find_place, gazetteer
from classifier.heads import TOP_TERMS, Head, same_features  # noqa: F401  (TOP_TERMS re-exported)
from classifier.rules import raise_urgencies
from classifier.taxonomy import HEADS
from classifier.text import normalize, stem
from classifier.topics import find_topic
from store.vocabulary import CRITICAL

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
    # Why urgency differs from model_urgency (classifier.context.Reason.as_dict()): a danger
    # rule raised it, or the over/denied/figurative layer lowered it; None when it does not.
    urgency_reason: dict | None = None
    # A desa of several kecamatan that the message does not decide: (desa, kecamatan code) each.
    place_candidates: tuple[tuple[str, str], ...] = ()
    # A topic another agency handles inside the category (classifier.topics), e.g. street lights.
    topic: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@contextmanager
def _cyclic_gc_paused():
    """Tagging allocates many small objects (and fills the per-word caches), which sets off
    collections of the cyclic garbage collector that walk every object the process holds:
    they took about a third of a batch's time. Reference counting still frees what tagging
    discards; any cyclic garbage waits for the next collection after the batch."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _round4(P: np.ndarray) -> list[list[float]]:
    """``[[round(p, 4) for p in row] for row in P.tolist()]``, vectorised: rint(p·10⁴)/10⁴ is
    the same float as Python's correctly rounded round(p, 4) unless p·10⁴ lies within 10⁻⁶
    of a half (its own rounding error is ~10⁻¹²); those few are rounded by Python."""
    scaled = P * 1e4
    fast = (np.rint(scaled) / 1e4).tolist()
    near_half = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    near_half |= ~np.isfinite(scaled)
    if near_half.any():
        plain = P.tolist()
        for i, j in zip(*np.nonzero(near_half), strict=True):
            fast[i][j] = round(plain[i][j], 4)
    return fast


class Tagger:
    """Both heads of one model version, its decision settings, the rules and the gazetteer."""

    def __init__(self, version: str, pipelines: dict, settings: dict):
        self.version = version
        self.heads = {h: Head(pipelines[h]) for h in HEADS}
        self.kritis_threshold = float(settings.get("kritis_threshold", 1.0))
        self.review_below = float(settings.get("review_below", 0.5))
        # The category probability at or above which a case is routed at intake, chosen by CV
        # (classifier.routing_cv); None for a model trained before routing existed.
        threshold = settings.get("routing_threshold")
        self.routing_threshold = None if threshold is None else float(threshold)
        self.shared_features = same_features(self.heads["category"].pipeline.named_steps["features"],
                                              self.heads["urgency"].pipeline.named_steps["features"])
        self.shared_features &= (repr(self.heads["category"].pipeline.named_steps["normalize"])
                                 == repr(self.heads["urgency"].pipeline.named_steps["normalize"]))
        self._warm_up()

    def _warm_up(self) -> None:
        """Fill the per-word caches (hashed character n-grams, gazetteer look-ups) with the
        words the model knows, so that the first messages after loading cost what later
        ones do rather than several times more (a few tenths of a second, once)."""
        words = sorted({w for h in self.heads.values() for w in h.names.tolist()
                        if " " not in w})
        doc = " ".join(words)
        for head in self.heads.values():
            head.transform([doc])
        find_place(doc)

    def tag(self, texts: list[str], apply_rules: bool = True) -> list[Tag]:
        texts = [t if isinstance(t, str) else "" for t in texts]
        if not texts:
            return []
        with _cyclic_gc_paused():
            return self._tag(texts, apply_rules)

    def _tag(self, texts: list[str], apply_rules: bool) -> list[Tag]:
        cat, urg = self.heads["category"], self.heads["urgency"]
        # The pipelines' own steps, run one by one so that the normalised text is computed
        # once for both heads and the rules (same result as pipeline.predict_proba).
        plain = [normalize(t) for t in texts]
        Xc, Wc = cat.transform([stem(p) for p in plain] if cat.stem else plain)
        Xu, Wu = (Xc, Wc) if self.shared_features else urg.transform(
            [stem(p) for p in plain] if urg.stem else plain)
        pc, pu = cat.predict_proba(Xc), urg.predict_proba(Xu)
        ci = np.argmax(pc, axis=1)
        ui = np.argmax(pu, axis=1)
        k = urg.classes.index(CRITICAL) if CRITICAL in urg.classes else None
        if k is not None:
            ui[pu[:, k] >= self.kritis_threshold] = k
        cat_terms, urg_terms = cat.terms(Wc, ci), urg.terms(Wu, ui)
        cat_rounded, urg_rounded = _round4(pc), _round4(pu)
        rows = np.arange(len(texts))
        review = ((pc[rows, ci] < self.review_below) | (pu[rows, ui] < self.review_below)).tolist()
        ci_list, ui_list = ci.tolist(), ui.tolist()
        model_urgencies = [urg.classes[u] for u in ui_list]
        raised = (raise_urgencies(model_urgencies, texts, plain) if apply_rules
                  else [(u, None) for u in model_urgencies])
        cat_classes, urg_classes = cat.classes, urg.classes
        kecamatan_names = gazetteer().kecamatan_names
        out = []
        for i, text in enumerate(texts):
            c, u = ci_list[i], ui_list[i]
            urgency, hit = raised[i]
            reason = raised_reason(hit) if hit is not None else None
            if apply_rules and urgency == CRITICAL and hit is None:
                urgency, reason = lower_if_over(urgency, hit, plain[i], cat_classes[c],
                                                dict(zip(urg_classes, pu[i].tolist(), strict=True)))
            place = find_place(text)
            out.append(Tag(
                category=cat_classes[c], urgency=urgency,
                category_confidence=cat_rounded[i][c], urgency_confidence=urg_rounded[i][u],
                category_probabilities=dict(zip(cat_classes, cat_rounded[i], strict=True)),
                urgency_probabilities=dict(zip(urg_classes, urg_rounded[i], strict=True)),
                category_terms=cat_terms[i], urgency_terms=urg_terms[i],
                kecamatan_code=place.kecamatan_code,
                kecamatan=kecamatan_names.get(place.kecamatan_code or ""), desa=place.desa,
                model_version=self.version,
                needs_review=reason is not None or review[i],
                model_urgency=model_urgencies[i], raised_by=hit.rule if hit else None,
                urgency_reason=reason.as_dict() if reason is not None else None,
                place_candidates=place.candidates,
                topic=find_topic(plain[i])))
        return out


def load_model(path: Path | str) -> Tagger:
    """A Tagger from a model version folder."""
    folder = Path(path)
    settings_file = folder / registry.SETTINGS_FILE
    if not settings_file.is_file():
        raise ModelError(f"{folder}: not a model folder (no {registry.SETTINGS_FILE})")
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    pipelines = {h: load_pipeline(folder / f"{h}.skops") for h in HEADS}
    return Tagger(settings.get("version", folder.name), pipelines, settings)


_cache: dict[tuple, Tagger] = {}
_lock = threading.Lock()


def active_tagger(root: Path) -> Tagger | None:
    """The Tagger of the version active in the model folder ``root``, loaded once per
    activation; None when no model exists (callers then store cases untagged)."""
    folder = registry.active_dir(root)
    if folder is None:
        return None
    key = (str(folder), registry.active_stamp(root))
    with _lock:
        if key not in _cache:
            _cache.clear()
            _cache[key] = load_model(folder)
        return _cache[key]
