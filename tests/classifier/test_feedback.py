"""Retraining with staff feedback: the promotion gate keeps a worse model inactive."""

from __future__ import annotations

from classifier import registry, train
from classifier.corpus import Example
from tests.classifier.conftest import SMALL, small_corpus

ACTIVE = {"category_macro_f1": 0.91, "urgency_macro_f1": 0.82, "kritis_recall": 0.98}


def test_gate_accepts_an_equal_or_better_model():
    assert registry.promotion_gate(dict(ACTIVE), ACTIVE) == []
    assert registry.promotion_gate({**ACTIVE, "urgency_macro_f1": 0.85}, ACTIVE) == []
    assert registry.promotion_gate(ACTIVE, None) == []  # nothing active yet


def test_gate_names_each_worse_metric():
    reasons = registry.promotion_gate({**ACTIVE, "kritis_recall": 0.95, "category_macro_f1": 0.9}, ACTIVE)
    assert len(reasons) == 2
    assert any(r.startswith("kritis_recall 0.9500 is worse") for r in reasons)


def test_feedback_that_makes_the_model_worse_is_not_promoted(model_root, monkeypatch):
    before = registry.active_version(model_root)
    examples = small_corpus(step=8)
    # Staff "feedback" that relabels every training text as nothing to do.
    poisoned = [Example(ex.text + " .", "lainnya", "rendah") for ex in examples]
    monkeypatch.setattr(train, "load_training", lambda: examples)
    monkeypatch.setattr(train, "load_selection", lambda: {"chosen": SMALL, "cv": []})
    result = train.train(model_root, feedback=poisoned, progress=False)
    assert not result.promoted and result.reasons
    assert registry.active_version(model_root) == before
    assert result.version in [m.version for m in registry.list_models(model_root)]  # kept, inactive
