"""One small model, trained once per session on a stratified slice of the corpus, in its
own model folder; tests that need it point TANGGAP_MODEL_DIR there."""

from __future__ import annotations

from pathlib import Path

import pytest

SMALL = {"category": {"candidate": "word_lr", "stem": False},
         "urgency": {"candidate": "word_lr", "stem": False}}


def small_corpus(step: int = 4):
    from classifier.corpus import load_training
    return load_training()[::step]


@pytest.fixture(scope="session")
def model_root(tmp_path_factory) -> Path:
    """A model folder with one trained, active version (word_lr on every 4th row)."""
    from classifier import registry
    from classifier.train import cv_row, train_version
    root = tmp_path_factory.mktemp("models")
    examples = small_corpus()
    rows = [cv_row(examples, h, SMALL[h]["candidate"], False) for h in SMALL]
    version, _, _ = train_version(root, examples, SMALL, rows, note="test slice", progress=False)
    registry.activate(root, version)
    return root


@pytest.fixture
def trained(model_root, monkeypatch) -> Path:
    """TANGGAP_MODEL_DIR → the session's trained model folder; returns the active version folder."""
    from classifier import registry
    from store.settings import get_settings
    monkeypatch.setenv("TANGGAP_MODEL_DIR", str(model_root))
    get_settings.cache_clear()
    return registry.active_dir(model_root)
