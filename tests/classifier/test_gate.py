"""The promotion gate's three checks (classifier.gate), on taggers whose answers are written
out, so each case shows exactly which figure decides."""

from __future__ import annotations

from dataclasses import dataclass

from classifier import gate
from classifier.corpus import Example


@dataclass(frozen=True)
class Tag:
    category: str
    urgency: str

    @property
    def model_urgency(self) -> str:
        return self.urgency


class Answers:
    """A tagger that answers from a table (text → (category, urgency)), else ("lainnya", "rendah")."""

    def __init__(self, version: str, table: dict[str, tuple[str, str]]):
        self.version, self.table = version, table

    def tag(self, texts):
        return [Tag(*self.table.get(t, ("lainnya", "rendah"))) for t in texts]


TEST = [Example(f"uji {i}", c, u) for i, (c, u) in enumerate(
    [("kesehatan", "kritis"), ("kesehatan", "sedang"), ("bencana", "kritis"), ("bencana", "tinggi"),
     ("infrastruktur", "sedang"), ("infrastruktur", "rendah")])]
RIGHT = {ex.text: (ex.category, ex.urgency) for ex in TEST}
FEEDBACK = [Example(f"aduan MBR {i}", "kemiskinan", "tinggi" if i % 2 else None) for i in range(5)]
LEARNED = {ex.text: ("kemiskinan", "tinggi") for ex in FEEDBACK}


def _checks(result):
    return {c.name: c.passed for c in result.checks}


def test_newest_fifth_of_the_feedback_is_held_out():
    rows = [Example(str(i), "lainnya", None) for i in range(10)]
    trained, held = gate.split_feedback(rows)
    assert [ex.text for ex in held] == ["8", "9"] and len(trained) == 8
    assert gate.split_feedback(rows[:2]) == (rows[:2], [])  # too few to hold any out


def test_a_model_that_learned_the_feedback_and_kept_safety_is_promoted():
    result = gate.judge(Answers("new", RIGHT | LEARNED), Answers("old", RIGHT), TEST, FEEDBACK, trained_on=20)
    assert result.promoted and _checks(result) == {"feedback": True, "test_split": True, "kritis_recall": True}
    assert "1.0000 better than the active model's 0.0000" in result.checks[0].detail


def test_no_better_on_the_feedback_is_refused():
    result = gate.judge(Answers("new", RIGHT), Answers("old", RIGHT), TEST, FEEDBACK, trained_on=20)
    assert not result.promoted and _checks(result)["feedback"] is False
    assert result.reasons() == [result.checks[0].detail]


def test_test_split_drop_within_the_tolerance_passes_beyond_it_fails():
    # one infrastruktur message called lainnya: category macro-F1 on the test split drops
    worse = RIGHT | LEARNED | {"uji 5": ("lainnya", "rendah")}
    strict = gate.judge(Answers("new", worse), Answers("old", RIGHT), TEST, FEEDBACK, trained_on=20)
    assert _checks(strict)["test_split"] is False and "category_macro_f1 dropped" in strict.checks[1].detail
    loose = gate.judge(Answers("new", worse), Answers("old", RIGHT), TEST, FEEDBACK, trained_on=20, tolerance=0.5)
    assert _checks(loose)["test_split"] is True


def test_kritis_recall_may_not_drop_on_the_test_split_whatever_the_tolerance():
    missed = RIGHT | LEARNED | {"uji 2": ("bencana", "tinggi")}
    result = gate.judge(Answers("new", missed), Answers("old", RIGHT), TEST, FEEDBACK, trained_on=20,
                        tolerance=0.5)
    assert _checks(result) == {"feedback": True, "test_split": True, "kritis_recall": False}


def test_kritis_recall_may_not_drop_on_held_out_feedback_labelled_kritis():
    feedback = [*FEEDBACK, Example("ibu dipasung di kandang", "kesehatan", "kritis")]
    old = RIGHT | {"ibu dipasung di kandang": ("kesehatan", "kritis")}
    new = RIGHT | LEARNED | {"ibu dipasung di kandang": ("kesehatan", "tinggi")}
    result = gate.judge(Answers("new", new), Answers("old", old), TEST, feedback, trained_on=20)
    assert _checks(result)["kritis_recall"] is False
    assert "held-out feedback labelled kritis (1 rows) 0.0000 vs 1.0000" in result.checks[2].detail


def test_too_little_held_out_feedback_cannot_show_learning():
    result = gate.judge(Answers("new", RIGHT | LEARNED), Answers("old", RIGHT), TEST, FEEDBACK[:4], trained_on=16)
    assert _checks(result)["feedback"] is False and "only 4 feedback rows held out" in result.reasons()[0]


def test_the_first_model_is_promoted_with_nothing_to_compare():
    result = gate.judge(Answers("new", {}), None, TEST, [], trained_on=0)
    assert result.promoted and [c.name for c in result.checks] == ["first_model"]
