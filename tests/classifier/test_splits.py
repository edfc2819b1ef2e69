"""`tanggap evaluate` scores the fixed test split and the hard split side by side (the hard
split also per kind), and the hard split never reaches training."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from classifier import corpus
from classifier.evaluate import evaluate_splits, format_splits
from classifier.model import load_model
from console.cli import app

runner = CliRunner()

# A tiny stand-in for the hard split: two kinds, kritis in one only.
PLACEHOLDER = [
    {"text": "tolong anak saya kejang tidak sadar", "category": "kesehatan", "urgency": "kritis",
     "channel": "sms", "kind": "short"},
    {"text": "usul lampu jalan ditambah", "category": "infrastruktur", "urgency": "rendah",
     "channel": "x", "kind": "short"},
    {"text": "api di gudang sudah padam, terima kasih damkar", "category": "lainnya",
     "urgency": "rendah", "channel": "x", "kind": "over"},
]


@pytest.fixture
def hard_file(tmp_path, monkeypatch):
    path = tmp_path / "hard_split.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in PLACEHOLDER), encoding="utf-8")
    monkeypatch.setattr(corpus, "HARD_FILE", path)
    return path


def test_training_never_reads_the_hard_split():
    assert corpus.HARD_FILE.parent.name == "hard_test"
    assert corpus.HARD_FILE not in corpus.training_files()
    assert all(path.parent == corpus.DATA_DIR / "train" for path in corpus.training_files())


def test_no_hard_split_message_is_in_the_training_corpus():
    hard = corpus.load_hard()
    if hard is None:
        pytest.fail(f"{corpus.HARD_FILE} is missing: the hard split is part of the repository")
    training = {" ".join(ex.text.lower().split()) for ex in corpus.load_training()}
    shared = [ex.text for ex in hard if " ".join(ex.text.lower().split()) in training]
    # Two writers who never saw each other's files both wrote a few very short messages
    # ("tes"); anything longer than three words in both would mean one was copied.
    assert all(len(text.split()) <= 3 for text in shared) and len(shared) <= 5
    assert len(hard) >= 400 and all(ex.kind for ex in hard)


def test_a_kind_must_be_a_non_empty_string(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "a", "category": "lainnya", "urgency": "rendah", "kind": 3}\n',
                    encoding="utf-8")
    with pytest.raises(corpus.CorpusError, match=r"bad\.jsonl:1: \"kind\" must be a non-empty string"):
        corpus.read_examples(path)


def test_evaluate_splits_reports_each_split_and_the_hard_one_per_kind(trained, hard_file):
    tagger = load_model(trained)
    result = evaluate_splits(tagger, {"test": corpus.load_test()[:40], "hard": corpus.load_hard()})
    test, hard = result["splits"]["test"], result["splits"]["hard"]
    assert test["rows"] == 40 and hard["rows"] == 3 and "by_kind" not in test
    assert set(hard["by_kind"]) == {"over", "short"}
    assert hard["by_kind"]["short"]["rows"] == 2 and hard["by_kind"]["over"]["rows"] == 1
    assert "kritis_recall" not in hard["by_kind"]["over"]  # no kritis there: no recall to report
    assert set(hard["by_kind"]["short"]) >= {"category_macro_f1", "urgency_macro_f1"}
    text = format_splits(result)
    header = next(line for line in text.splitlines() if line.startswith("measure"))
    assert header.split() == ["measure", "test", "hard"]
    assert "hard split by kind:" in text and "== test split ==" in text and "== hard split ==" in text
    over = next(line for line in text.splitlines() if line.startswith("over "))
    assert over.split()[1] == "1" and "–" in over


def test_cli_evaluate_shows_both_splits_in_json_and_text(trained, hard_file):
    out = runner.invoke(app, ["evaluate", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert list(report["splits"]) == ["test", "hard"]
    assert report["splits"]["hard"]["rows"] == 3 and report["splits"]["test"]["rows"] == len(corpus.load_test())
    assert set(report["splits"]["hard"]["by_kind"]) == {"over", "short"}
    text = runner.invoke(app, ["evaluate"])
    assert text.exit_code == 0 and "hard split by kind:" in text.stdout
    assert text.stdout.splitlines()[2].split() == ["measure", "test", "hard"]


def test_cli_evaluate_without_a_hard_split_says_so(trained, tmp_path, monkeypatch):
    monkeypatch.setattr(corpus, "HARD_FILE", tmp_path / "missing.jsonl")
    out = runner.invoke(app, ["evaluate", "--json"])
    assert out.exit_code == 0, out.output
    assert list(json.loads(out.stdout)["splits"]) == ["test"]
    assert "no hard split at" in out.stderr and "missing.jsonl" in out.stderr
