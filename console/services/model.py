"""The classifier as the console sees it: model version and metrics, the last training's
gate verdict, the terms behind a case's tags, place candidates, and staff feedback as
training examples. The console never trains: the worker does (console.services.retraining).

Everything here degrades to "no model" (None, empty terms) when no model is trained yet,
so the console runs before the first training. The model folder is the
``TANGGAP_MODEL_DIR`` setting, passed to the classifier (which reads no settings).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from classifier import explain, model, registry
from classifier.corpus import Example
from store import feedback
from store.db import read_session
from store.settings import get_settings
from store.tables import TagFeedback
from store.vocabulary import CATEGORIES, URGENCIES

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModelInfo:
    version: str
    metrics: dict[str, Any] = field(default_factory=dict)
    trained_at: str | None = None
    versions: int = 1  # how many model versions are kept


def model_info() -> ModelInfo | None:
    """The active model from the classifier's registry; None when there is none yet."""
    try:
        models = registry.list_models(get_settings().model_dir)
    except Exception:  # a broken model folder must not take the Admin page down
        log.exception("cannot read the model registry")
        return None
    active = next((m for m in models if m.active), None)
    if active is None:
        return None
    return ModelInfo(version=active.version, metrics=dict(active.metrics), trained_at=active.created or None,
                     versions=len(models))


@dataclass(frozen=True)
class GateRow:
    """One check of the promotion gate as the Admin page shows it (figures as text)."""
    name: str          # feedback, test_split, kritis_recall, first_model
    passed: bool
    candidate: str
    active: str
    rows: int | None = None
    tolerance: float | None = None


@dataclass(frozen=True)
class LastTraining:
    """The newest model version and what the promotion gate decided about it."""
    version: str
    active: bool
    gated: bool
    promoted: bool
    checks: list[GateRow] = field(default_factory=list)


def last_training() -> LastTraining | None:
    """The newest version (promoted or not): whether it was gated, and each check's figures."""
    try:
        models = registry.list_models(get_settings().model_dir)
    except Exception:  # a broken model folder must not take the Admin page down
        log.exception("cannot read the model registry")
        return None
    if not models:
        return None
    newest = max(models, key=lambda m: (m.created, m.version))
    verdict = newest.gate
    if verdict is None:
        return LastTraining(newest.version, newest.active, gated=False, promoted=newest.active)
    return LastTraining(newest.version, newest.active, gated=True, promoted=bool(verdict["promoted"]),
                        checks=[_gate_row(c) for c in verdict["checks"]])


def _gate_row(check: dict) -> GateRow:
    f = check.get("figures") or {}
    if check["name"] == "test_split":
        pairs = [f.get(k) or {} for k in ("category_macro_f1", "urgency_macro_f1")]
        return GateRow(check["name"], check["passed"], " / ".join(_num(p.get("candidate")) for p in pairs),
                       " / ".join(_num(p.get("active")) for p in pairs), tolerance=f.get("tolerance"))
    if check["name"] == "kritis_recall":
        parts = [f.get(k) or {} for k in ("test_split", "feedback")]
        return GateRow(check["name"], check["passed"], " / ".join(_num(p.get("candidate")) for p in parts),
                       " / ".join(_num(p.get("active")) for p in parts), rows=(f.get("feedback") or {}).get("rows"))
    return GateRow(check["name"], check["passed"], _num(f.get("candidate")), _num(f.get("active")), rows=f.get("rows"))


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def feedback_count() -> int:
    with read_session() as session:
        return session.execute(select(func.count()).select_from(TagFeedback)).scalar_one()


def terms_behind_tags(text: str) -> dict[str, list[str]]:
    """{'category': [...], 'urgency': [...]}: the words of the message that weighed most in the
    active model's tags, as the message wrote them (never a placeholder or a stopword), and
    'rule': ["rule: phrase"] when a danger phrase raised the urgency; empty when no model is
    trained yet."""
    if not text.strip():
        return {}
    try:
        tagger = model.active_tagger(get_settings().model_dir)
        if tagger is None:
            return {}
        tag = tagger.tag([text])[0]
    except Exception:  # an unloadable model: show no terms rather than fail the case page
        log.warning("no terms behind tags", exc_info=True)
        return {}
    terms = {"category": explain.in_message(tag.category_terms, text),
             "urgency": explain.in_message(tag.urgency_terms, text)}
    reason = tag.urgency_reason or {}
    if tag.raised_by:
        phrase = explain.in_message([reason.get("phrase") or ""], text) if reason.get("phrase") else []
        terms["rule"] = [f"{tag.raised_by}: {phrase[0] if phrase else reason.get('phrase', '')}".strip()]
    return terms


def place_candidates(text: str) -> list[tuple[str, str]]:
    """(desa, kecamatan code) for each kecamatan a desa named in ``text`` may be in, when
    nothing else in the message decides (staff pick one); empty otherwise."""
    from classifier.gazetteer import find_place
    return list(find_place(text).candidates)


def feedback_examples() -> list[Example]:
    """Feedback rows (staff re-tags and imported history) as training examples, oldest first by
    when the citizen wrote them; the latest label of a text wins when it was labelled more than
    once, and takes that label's place in time. Rows without urgency train the category only."""
    with read_session() as session:
        rows = feedback.training_rows(session)
    latest: dict[str, Example] = {}
    for r in rows:
        if r.category not in CATEGORIES or (r.urgency is not None and r.urgency not in URGENCIES):
            continue
        key = " ".join(r.text.lower().split())
        latest.pop(key, None)
        latest[key] = Example(r.text, r.category, r.urgency)
    return list(latest.values())
