"""README's classifier figures are what the corpus gives: training is deterministic, so the
full model trained here scores exactly what README's table says on both splits, and the
lowering layer's count on the hard split is README's."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier import corpus
from classifier.evaluate import evaluate_splits
from classifier.train import load_selection, train_version

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")

# (split, figure, README's rounding): README's table, row by row.
FIGURES = {
    ("test", "category_macro_f1"): "0.933", ("hard", "category_macro_f1"): "0.838",
    ("test", "urgency_macro_f1"): "0.830", ("hard", "urgency_macro_f1"): "0.735",
    ("test", "kritis_recall"): "0.993", ("hard", "kritis_recall"): "0.933",
    ("test", "kritis_precision"): "0.734", ("hard", "kritis_precision"): "0.593",
}


@pytest.fixture(scope="module")
def full_model(tmp_path_factory):
    """The model `tanggap train` builds from the whole corpus (about 20 s)."""
    from classifier.model import load_model
    selection = load_selection()
    root = tmp_path_factory.mktemp("full")
    _, folder, _ = train_version(root, corpus.load_training(), selection["chosen"], selection["cv"],
                                 note="README figures", progress=False)
    return load_model(folder)


def test_readme_table_holds_both_splits_figures(full_model):
    result = evaluate_splits(full_model, {"test": corpus.load_test(), "hard": corpus.load_hard()})
    for (split, key), shown in FIGURES.items():
        assert f"{result['splits'][split]['summary'][key]:.3f}" == shown, (split, key)
    rows = {line.split("|")[1].strip(): line for line in README.splitlines() if line.startswith("| ")}
    assert "| 0.933 | **0.838**" in rows["category macro-F1"]
    assert "| 0.830 | **0.735**" in rows["urgency macro-F1"]
    assert "| 0.993 / 0.734 | **0.933 / 0.593**" in rows["`kritis` recall / precision"]
    alone = {split: result["splits"][split]["kritis"]["without_rules"] for split in ("test", "hard")}
    assert (f"| {alone['test']['recall']:.3f} / {alone['test']['precision']:.3f} | "
            f"{alone['hard']['recall']:.3f} / {alone['hard']['precision']:.3f} |"
            in rows["`kritis` recall / precision, model alone (no rules, no layer)"])


def test_the_layer_lowered_no_truly_kritis_hard_message(full_model):
    hard = corpus.load_hard()
    tags = full_model.tag([ex.text for ex in hard])
    lowered = [(ex, tag) for ex, tag in zip(hard, tags, strict=True)
               if tag.urgency_reason and tag.urgency_reason["action"] == "lower"]
    assert f"The lowering layer changed {len(lowered)} hard-split urgencies" in " ".join(README.split())
    assert not [ex for ex, _ in lowered if ex.urgency == "kritis"]


def test_readme_counts_the_corpus_and_the_hard_split():
    assert f"{len(corpus.load_training()):,} messages" in README  # "3,430 messages"
    assert f"`classifier/data/hard_test/`, {len(corpus.load_hard())} messages" in " ".join(README.split())


def test_readme_routing_figures_are_the_full_models(full_model):
    """README's routing figures: the threshold CV chose, and both splits' routed share and
    wrong count at it (evaluate's routing_scores)."""
    result = evaluate_splits(full_model, {"test": corpus.load_test(), "hard": corpus.load_hard()})
    test, hard = (result["splits"][split]["routing"] for split in ("test", "hard"))
    assert f"For the model `make run` trains: threshold {full_model.routing_threshold}" in README
    assert (f"test split {test['routed']} of {test['rows']} routed ({test['routed_share']:.1%}), "
            f"{test['wrong']} of them to the wrong category ({test['right']:.1%} right)") in " ".join(README.split())
    assert (f"hard split {hard['routed']} of {hard['rows']} ({hard['routed_share']:.1%}), "
            f"{hard['wrong']} wrong ({hard['right']:.1%} right") in " ".join(README.split())
