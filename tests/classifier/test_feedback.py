"""Retraining with feedback: the gate keeps a worse model inactive, promotes one that learned
the team's data, and says why in the model card either way. Each test trains one small model
(word_lr on a slice of the corpus, as tests/classifier/conftest.py)."""

from __future__ import annotations

import json

import pytest

from classifier import registry, train
from classifier.corpus import Example
from tests.classifier.conftest import SMALL, small_corpus

# Two styles the corpus labels otherwise (issue 12): a poverty register named among civil-registry
# and school words, and a tree about to fall (environment, not a disaster). Alternating, so
# the newest fifth held out has both. Category only (as much of a team's history is): the
# urgency head is trained on exactly the active model's rows, so its safety figures match.
TREES = ["trembesi", "mahoni", "beringin", "asam"]
NEW_STYLE = [ex for n in range(6) for t in TREES for ex in (
    Example(f"Mohon dicek, NIK dan KK keluarga kami nomor {n} sudah valid tapi nama belum masuk data MBR, "
            f"padahal anak mau daftar sekolah tahun ini ({t})", "kemiskinan", None),
    Example(f"Pohon {t} besar di depan rumah warga RT {n} sudah miring dan akarnya terangkat, "
            "mohon segera dipangkas sebelum roboh", "lingkungan", None))]


@pytest.fixture
def same_corpus(monkeypatch):
    """The candidate trains on the active model's own corpus slice, so only the feedback differs."""
    monkeypatch.setattr(train, "load_training", lambda: small_corpus())
    monkeypatch.setattr(train, "load_selection", lambda: {"chosen": SMALL, "cv": []})


def test_feedback_that_makes_the_model_worse_is_not_promoted(model_root, same_corpus):
    before = registry.active_version(model_root)
    # Staff "feedback" that relabels corpus texts as nothing to do.
    poisoned = [Example(ex.text + " .", "lainnya", "rendah") for ex in small_corpus(step=8)]
    result = train.train(model_root, feedback=poisoned, progress=False)
    assert not result.promoted and result.reasons
    assert registry.active_version(model_root) == before
    kept = {m.version: m for m in registry.list_models(model_root)}[result.version]  # kept, inactive
    assert kept.gate["promoted"] is False
    card = (result.folder / "card.md").read_text(encoding="utf-8")
    assert "## Promotion gate" in card and "refused: the active model stays" in card


def test_feedback_in_a_new_style_is_learned_and_promoted(model_root, same_corpus):
    before = registry.active_version(model_root)
    result = train.train(model_root, feedback=NEW_STYLE, progress=False, feedback_weight=3.0)
    checks = {c.name: c for c in result.verdict.checks}
    assert checks["feedback"].passed, checks["feedback"].detail
    assert result.promoted, result.reasons
    assert registry.active_version(model_root) == result.version != before
    card = json.loads((result.folder / "card.json").read_text(encoding="utf-8"))
    assert [c["name"] for c in card["gate"]["checks"]] == ["feedback", "test_split", "kritis_recall"]
    assert card["gate"]["held_out"] == 10 and card["gate"]["trained_on"] == 38
    active = registry.read_settings(model_root / before)["test_metrics"]
    assert card["test_metrics"]["urgency_macro_f1"] == active["urgency_macro_f1"]  # urgency head untouched
    registry.activate(model_root, before)  # the session's model stays the baseline for other tests


def test_category_only_rows_train_the_category_head_only():
    rows = [Example("a b", "kesehatan", "kritis"), Example("c d", "kemiskinan", None),
            Example("e f", "bencana", "tinggi")]
    texts, weights = train._labelled(rows, "urgency", [1.0, 3.0, 3.0])
    assert [ex.text for ex in texts] == ["a b", "e f"] and weights == [1.0, 3.0]
    assert len(train._labelled(rows, "category")[0]) == 3


def test_a_model_trained_on_the_corpus_alone_says_so_in_its_card(trained):
    card = (trained / "card.md").read_text(encoding="utf-8")
    assert "## Promotion gate" in card and "not gated: trained on the corpus alone" in card


def test_train_with_feedback_prints_the_three_checks(monkeypatch, tmp_path, db):
    from typer.testing import CliRunner

    from classifier import gate
    from console.cli import app
    checks = (gate.Check("feedback", True, "held-out feedback (9 rows): category macro-F1 0.9100 better than …"),
              gate.Check("test_split", True, "test split: category_macro_f1 0.9300 vs 0.9320 (tolerance 0.010)"),
              gate.Check("kritis_recall", False, "kritis recall lower: test split 0.9800 vs 0.9933"))
    verdict = gate.GateResult(checks, held_out=9, trained_on=36)
    seen = {}

    def fake_training(root, feedback, run_selection, feedback_weight, tolerance):
        seen.update(feedback=feedback, weight=feedback_weight, tolerance=tolerance)
        return train.TrainResult("v2", tmp_path, {"category_macro_f1": 0.93}, False, verdict.reasons(), 1.0, verdict)

    monkeypatch.setattr(train, "train", fake_training)
    monkeypatch.setenv("TANGGAP_PROMOTION_TOLERANCE", "0.02")
    from store.settings import get_settings
    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["train", "--with-feedback"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "gate: refused: the active model stays (trained on 36 feedback rows, 9 newest held out)" in lines
    assert [line.split(":")[1].strip() for line in lines if line.startswith("gate: pass") or
            line.startswith("gate: FAIL")] == ["pass feedback", "pass test_split", "FAIL kritis_recall"]
    assert "kept v2 inactive: kritis recall lower: test split 0.9800 vs 0.9933" in lines
    assert seen == {"feedback": [], "weight": 1.0, "tolerance": 0.02}
