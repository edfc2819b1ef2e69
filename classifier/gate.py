"""The promotion gate: a model retrained with feedback replaces the active one only when it
learned the team's data and unlearned no safety.

Three checks, each reported in the model card, `tanggap train --with-feedback` and the Admin
page:

(a) **feedback**: on the held-out slice of the feedback (its newest 20 %, which the candidate
    was not trained on) the candidate's category macro-F1 is higher than the active model's;
(b) **test split**: neither head's macro-F1 on the fixed test split drops by more than the
    tolerance (``TANGGAP_PROMOTION_TOLERANCE``, 0.01 by default);
(c) **kritis recall**: on the test split and on the held-out feedback labelled ``kritis`` it
    does not drop at all.

With no active model there is nothing to compare with: the candidate is promoted.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from classifier.corpus import Example
from classifier.evaluate import evaluate
from store.vocabulary import CRITICAL

HELD_OUT_FRACTION = 0.2
MIN_HELD_OUT = 5  # fewer held-out rows than this say nothing about the team's data
DEFAULT_TOLERANCE = 0.01


@dataclass(frozen=True)
class Check:
    name: str           # "feedback", "test_split", "kritis_recall"
    passed: bool
    detail: str         # in words, with the figures
    figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class GateResult:
    checks: tuple[Check, ...]
    held_out: int
    trained_on: int

    @property
    def promoted(self) -> bool:
        return all(c.passed for c in self.checks)

    def reasons(self) -> list[str]:
        return [c.detail for c in self.checks if not c.passed]

    def as_dict(self) -> dict:
        return {"promoted": self.promoted, "held_out": self.held_out, "trained_on": self.trained_on,
                "checks": [asdict(c) for c in self.checks]}


def split_feedback(feedback: list[Example]) -> tuple[list[Example], list[Example]]:
    """(rows to train on, the newest 20 % held out); ``feedback`` is oldest first."""
    held = round(len(feedback) * HELD_OUT_FRACTION)
    return (feedback[:len(feedback) - held], feedback[len(feedback) - held:]) if held else (feedback, [])


def judge(candidate, active, test: list[Example], held_out: list[Example], trained_on: int,
          tolerance: float = DEFAULT_TOLERANCE) -> GateResult:
    """Run the three checks of ``candidate`` against ``active`` (taggers; ``active`` None: the
    first model, promoted with nothing to compare)."""
    if active is None:
        check = Check("first_model", True, "no active model: nothing to compare with")
        return GateResult((check,), len(held_out), trained_on)
    new_test, old_test = evaluate(candidate, test)["summary"], evaluate(active, test)["summary"]
    labelled = [ex for ex in held_out if ex.category]
    new_fb = evaluate(candidate, labelled)["summary"] if labelled else {}
    old_fb = evaluate(active, labelled)["summary"] if labelled else {}
    kritis = [ex for ex in held_out if ex.urgency == CRITICAL]
    checks = (_feedback_check(new_fb, old_fb, len(labelled)),
              _test_check(new_test, old_test, tolerance),
              _kritis_check(new_test, old_test, candidate, active, kritis))
    return GateResult(checks, len(held_out), trained_on)


def _feedback_check(new: dict, old: dict, rows: int) -> Check:
    if rows < MIN_HELD_OUT:
        return Check("feedback", False, f"only {rows} feedback rows held out (needs {MIN_HELD_OUT}, i.e. "
                                        f"{MIN_HELD_OUT * 5} feedback rows): cannot tell whether it learned")
    a, b = new["category_macro_f1"], old["category_macro_f1"]
    figures = {"rows": rows, "candidate": a, "active": b}
    verdict = "better than" if a > b else "not better than"
    return Check("feedback", a > b, f"held-out feedback ({rows} rows): category macro-F1 {a:.4f} {verdict} "
                                    f"the active model's {b:.4f}", figures)


def _test_check(new: dict, old: dict, tolerance: float) -> Check:
    drops, parts, figures = [], [], {"tolerance": tolerance}
    for key in ("category_macro_f1", "urgency_macro_f1"):
        a, b = new.get(key), old.get(key)
        figures[key] = {"candidate": a, "active": b}
        if a is None or b is None:
            continue
        parts.append(f"{key} {a:.4f} vs {b:.4f}")
        if round(b - a, 4) > tolerance:
            drops.append(key)
    detail = f"test split: {', '.join(parts)} (tolerance {tolerance:.3f})"
    if drops:
        detail += f"; {' and '.join(drops)} dropped by more than the tolerance"
    return Check("test_split", not drops, detail, figures)


def _kritis_check(new_test: dict, old_test: dict, candidate, active, kritis: list[Example]) -> Check:
    a, b = new_test.get("kritis_recall"), old_test.get("kritis_recall")
    figures: dict = {"test_split": {"candidate": a, "active": b}}
    passed = a is not None and b is not None and round(a, 4) >= round(b, 4)
    parts = [f"test split {_f(a)} vs {_f(b)}"]
    if kritis:
        fa, fb = _recall(candidate, kritis), _recall(active, kritis)
        figures["feedback"] = {"rows": len(kritis), "candidate": fa, "active": fb}
        passed = passed and round(fa, 4) >= round(fb, 4)
        parts.append(f"held-out feedback labelled kritis ({len(kritis)} rows) {fa:.4f} vs {fb:.4f}")
    else:
        parts.append("no held-out feedback labelled kritis")
    verdict = "not lower" if passed else "lower"
    return Check("kritis_recall", passed, f"kritis recall {verdict}: {'; '.join(parts)}", figures)


def _recall(tagger, kritis: list[Example]) -> float:
    return sum(t.urgency == CRITICAL for t in tagger.tag([ex.text for ex in kritis])) / len(kritis)


def _f(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"
