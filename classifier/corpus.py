"""Labelled messages: the training corpus, the fixed test split, staff feedback, and the
hash that identifies a training set in the model card."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from store.vocabulary import CATEGORIES, URGENCIES

DATA_DIR = Path(__file__).parent / "data"
TRAIN_GLOB = "train/*.jsonl"
TEST_FILE = DATA_DIR / "test" / "test_split.jsonl"
# The hard split (issue 17): messages of kinds the ordinary split has few of (events that
# are over, negation, figures of speech, danger said quietly …), by a writer who never saw
# the model or the corpus. Like the test split it is only ever reported on.
HARD_FILE = DATA_DIR / "hard_test" / "hard_split.jsonl"


class CorpusError(Exception):
    """A corpus file is missing or holds a row Tanggap cannot use; the message says where."""


@dataclass(frozen=True)
class Example:
    text: str
    category: str | None
    urgency: str | None
    kind: str | None = None  # the hard split's kind of message ("over", "negation", …)


def read_examples(path: Path, require_labels: bool = True) -> list[Example]:
    """Rows of a JSONL file. Rows need ``text``; ``category``/``urgency`` are checked
    against the taxonomy and required unless ``require_labels`` is False."""
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    out: list[Example] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{path}:{lineno}: not JSON ({exc.msg})") from None
            if not isinstance(row, dict) or not str(row.get("text") or "").strip():
                raise CorpusError(f"{path}:{lineno}: a row needs a non-empty \"text\"")
            cat, urg = row.get("category"), row.get("urgency")
            if cat is not None and cat not in CATEGORIES:
                raise CorpusError(f"{path}:{lineno}: unknown category {cat!r}")
            if urg is not None and urg not in URGENCIES:
                raise CorpusError(f"{path}:{lineno}: unknown urgency {urg!r}")
            if require_labels and (cat is None or urg is None):
                raise CorpusError(f"{path}:{lineno}: a training row needs category and urgency")
            kind = row.get("kind")
            if kind is not None and not (isinstance(kind, str) and kind.strip()):
                raise CorpusError(f"{path}:{lineno}: \"kind\" must be a non-empty string")
            out.append(Example(row["text"], cat, urg, kind))
    return out


def training_files(data_dir: Path = DATA_DIR) -> list[Path]:
    files = sorted(data_dir.glob(TRAIN_GLOB))
    if not files:
        raise CorpusError(f"no training files match {data_dir / TRAIN_GLOB}")
    return files


def load_training(data_dir: Path = DATA_DIR) -> list[Example]:
    """The training corpus in a fixed order (files by name, rows as written)."""
    return [ex for path in training_files(data_dir) for ex in read_examples(path)]


def load_test(path: Path = TEST_FILE) -> list[Example]:
    """The fixed test split: never trained on, never used to choose a model."""
    return read_examples(path)


def load_hard(path: Path | None = None) -> list[Example] | None:
    """The hard split, or None while it does not exist: never trained on, never used to
    choose or tune anything (its folder is outside TRAIN_GLOB)."""
    path = HARD_FILE if path is None else path
    return read_examples(path) if path.is_file() else None


def data_hash(examples: Iterable[Example]) -> str:
    """sha256 over the labelled rows in order: the same training set gives the same hash."""
    h = hashlib.sha256()
    for ex in examples:
        h.update(json.dumps([ex.text, ex.category, ex.urgency], ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()
