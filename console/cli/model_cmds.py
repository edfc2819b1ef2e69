"""`tanggap train`, `evaluate`, `classify` and `model list/activate`: the classifier."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from console.cli.app import app, echo, fail, friendly_errors, print_json
from console.cli.terminal import json_safe
from store.settings import get_settings

model_app = typer.Typer(help="Trained classifier versions: list them, activate one.",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")


def classifier_errors(func: Callable) -> Callable:
    """The classifier's named errors become one line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any):
        from classifier.corpus import CorpusError
        from classifier.model import ModelError
        from classifier.registry import RegistryError
        try:
            return func(*args, **kwargs)
        except (ModelError, RegistryError, CorpusError) as exc:
            fail(str(exc))

    return wrapper


def _tagger():
    from classifier.model import ModelError, active_tagger
    tagger = active_tagger(get_settings().model_dir)
    if tagger is None:
        raise ModelError("no active model: run `tanggap train` first")
    return tagger


@app.command("train")
@friendly_errors
@classifier_errors
def train(with_feedback: bool = typer.Option(False, "--with-feedback",
                                             help="add feedback (staff re-tags, imported history); "
                                                  "promote only if the promotion gate passes"),
          if_missing: bool = typer.Option(False, "--if-missing",
                                          help="do nothing when a model is already active"),
          select: bool = typer.Option(False, "--select",
                                      help="re-run the comparison of candidate pipelines (slow)")
          ) -> None:
    """Train the category and urgency model on the corpus and activate it.

    Example: tanggap train --with-feedback
    """
    from classifier import registry
    root = get_settings().model_dir
    if if_missing and registry.active_version(root):
        echo(f"model {registry.active_version(root)} is active; nothing to do")
        return
    from classifier.card import gate_lines
    from classifier.train import train as run_training
    from console.services.model import feedback_examples
    settings = get_settings()
    result = run_training(root, feedback=feedback_examples() if with_feedback else None, run_selection=select,
                          feedback_weight=settings.feedback_weight, tolerance=settings.promotion_tolerance)
    figures = ", ".join(f"{k} {v:.3f}" for k, v in result.metrics.items())
    echo(f"trained {result.version} in {result.seconds:.0f} s ({result.folder})")
    echo(f"test split: {figures}")
    if with_feedback:
        for line in gate_lines(result.verdict.as_dict() if result.verdict else None):
            echo(f"gate: {line}")
    if result.promoted:
        echo(f"activated {result.version}")
    else:
        echo(f"kept {result.version} inactive: " + "; ".join(result.reasons))


@app.command("evaluate")
@friendly_errors
@classifier_errors
def evaluate(data: Path | None = typer.Option(None, "--data", help="JSONL file with text and "
                                              "category and/or urgency (default: the fixed test "
                                              "split and the hard split, side by side)"),
             as_json: bool = typer.Option(False, "--json")) -> None:
    """Score the active model: per-class precision/recall/F1, macro-F1, confusion matrices.

    Without --data, the fixed test split and the hard split (classifier/data/hard_test)
    are scored side by side, the hard split also per kind of message.

    Example: tanggap evaluate --data complaints.jsonl --json
    """
    from classifier import corpus
    from classifier.evaluate import evaluate as run_evaluation
    from classifier.evaluate import evaluate_splits, format_report, format_splits
    tagger = _tagger()
    if data is not None:
        result = run_evaluation(tagger, corpus.read_examples(data, require_labels=False), progress=True)
        text = None if as_json else format_report(result)
    else:
        splits = {"test": corpus.load_test()}
        hard = corpus.load_hard()
        if hard is None:
            echo(f"no hard split at {corpus.HARD_FILE}: scoring the test split only", err=True)
        else:
            splits["hard"] = hard
        result = evaluate_splits(tagger, splits, progress=True)
        text = None if as_json else format_splits(result)
    if as_json:
        print_json(result)
    else:
        echo(text)


@app.command("classify")
@friendly_errors
@classifier_errors
def classify(text: str | None = typer.Argument(None, help="one message"),
             jsonl: str | None = typer.Option(None, "--jsonl", help="JSONL file, or - for stdin")
             ) -> None:
    """Tag one message, or a JSONL stream of objects with a "text" field.

    With --jsonl each object is written back on stdout, one per line, with category,
    urgency, their probabilities and kecamatan added; a malformed line is reported on
    stderr with its line number and skipped (exit code 1 at the end).

    Example: tanggap classify "tolong pak anak sy kejang2 di genteng"
    Example: cat mentions.jsonl | tanggap classify --jsonl -
    """
    if (text is None) == (jsonl is None):
        fail('give either a TEXT or --jsonl FILE (or - for stdin)')
    tagger = _tagger()
    if text is not None:
        print_json(tagger.tag([text])[0].as_dict())
        return
    bad = _classify_stream(tagger, jsonl)
    if bad:
        fail(f"{bad} malformed line(s) skipped")


def _classify_stream(tagger, source: str) -> int:
    stream = sys.stdin if source == "-" else _open(source)
    bad = 0
    try:
        for lineno, line in enumerate(stream, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                bad += 1
                echo(f"line {lineno}: not JSON ({exc.msg})", err=True)
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                bad += 1
                echo(f'line {lineno}: expected an object with a "text" string', err=True)
                continue
            tag = tagger.tag([obj["text"]])[0]
            obj.update(category=tag.category, category_probability=tag.category_confidence,
                       urgency=tag.urgency, urgency_probability=tag.urgency_confidence,
                       kecamatan=tag.kecamatan, kecamatan_code=tag.kecamatan_code, desa=tag.desa,
                       place_candidates=[list(c) for c in tag.place_candidates],
                       needs_review=tag.needs_review, model_version=tag.model_version)
            sys.stdout.write(json_safe(json.dumps(obj, ensure_ascii=False)) + "\n")
            sys.stdout.flush()
    finally:
        if stream is not sys.stdin:
            stream.close()
    return bad


def _open(path: str):
    try:
        return open(path, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")


@model_app.command("list")
@friendly_errors
def list_models(as_json: bool = typer.Option(False, "--json")) -> None:
    """Model versions, oldest first; * marks the active one, with test-split figures.

    Example: tanggap model list
    """
    from classifier.registry import list_models as versions
    rows = versions(get_settings().model_dir)
    if as_json:
        print_json([r.__dict__ for r in rows])
        return
    if not rows:
        echo("no models yet: run `tanggap train`")
    for r in rows:
        figures = "  ".join(f"{k}={v:.3f}" for k, v in r.metrics.items())
        echo(f"{'*' if r.active else ' '} {r.version:<28} {r.created:<26} {figures}  {r.note}")


@model_app.command("activate")
@friendly_errors
@classifier_errors
def activate(version: str = typer.Argument(..., help="a version from `tanggap model list`")) -> None:
    """Make VERSION the model that tags new mentions.

    Example: tanggap model activate 20261129-0815-3fa2b1c0
    """
    from classifier.registry import activate as make_active
    make_active(get_settings().model_dir, version)
    echo(f"activated {version}")
