"""The model card of a version folder: card.json (everything) and card.md (for people),
plus model.json (what the tagger needs at run time)."""

from __future__ import annotations

import json
from pathlib import Path

from classifier.evaluate import format_report
from classifier.registry import SETTINGS_FILE


def write(folder: Path, settings: dict, info: dict, test: dict) -> None:
    (folder / SETTINGS_FILE).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    data = {**settings, **info, "test_split": test}
    (folder / "card.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    (folder / "card.md").write_text(markdown(data), encoding="utf-8")


def add_gate(folder: Path, verdict: dict | None) -> None:
    """Record the promotion gate's checks (``None``: trained on the corpus alone, activated
    without a gate) in the card and in model.json, where the Admin page reads them."""
    settings = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
    data = json.loads((folder / "card.json").read_text(encoding="utf-8"))
    settings["gate"] = data["gate"] = verdict
    (folder / SETTINGS_FILE).write_text(json.dumps(settings, indent=2) + "\n", encoding="utf-8")
    (folder / "card.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "card.md").write_text(markdown(data), encoding="utf-8")


def gate_lines(verdict: dict | None) -> list[str]:
    """The gate's three checks, one line each (the card, `tanggap train`, the Admin page)."""
    if verdict is None:
        return ["not gated: trained on the corpus alone (`tanggap train`), activated by the operator"]
    head = "promoted" if verdict["promoted"] else "refused: the active model stays"
    lines = [f"{head} (trained on {verdict['trained_on']} feedback rows, {verdict['held_out']} newest held out)"]
    lines += [f"{'pass' if c['passed'] else 'FAIL'} {c['name']}: {c['detail']}" for c in verdict["checks"]]
    return lines


def cv_table(rows: list[dict]) -> list[str]:
    out = ["| head | candidate | stem | macro-F1 | accuracy | kritis recall | kritis precision | s |",
           "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| {r['head']} | {r['candidate']} | {'yes' if r['stem'] else 'no'} | "
                   f"{r['macro_f1']:.4f} | {r['accuracy']:.4f} | {r.get('kritis_recall', '')} | "
                   f"{r.get('kritis_precision', '')} | {r['seconds']} |")
    return out


def _routing(d: dict) -> str:
    cv = d.get("routing_threshold_cv") or {}
    if d.get("routing_threshold") is None:
        return (f"- routing threshold: none (no category probability routed ≥ {cv.get('target', 0.95):.0%} "
                "right in CV): cases stay in triage unless an admin sets one")
    return (f"- routing threshold: route at intake when P(category) ≥ {d['routing_threshold']} (chosen by "
            f"{d['cv_folds']}-fold CV on training data: the lowest at which routed cases are right ≥ "
            f"{cv['target']:.0%} of the time; CV routed {cv['cv_routed_share']:.1%}, right {cv['cv_right']:.1%})")


def markdown(d: dict) -> str:
    chosen = ", ".join(f"{h}: {c['candidate']}{' + stemming' if c['stem'] else ''}"
                       for h, c in d["chosen"].items())
    lines = [
        f"# Model card: {d['version']}", "",
        "Tags Indonesian messages to Pemkab Banyuwangi with a category (which agency) and an "
        "urgency (how fast), for the Tanggap console. Trained on the project's own written "
        "corpus (classifier/data/train); evaluated on the fixed, separately written test split "
        "(classifier/data/test), which is never trained on or used for choosing.", "",
        f"- created (UTC): {d['created']}",
        f"- training data: {d['rows']} rows, sha256 {d['data_hash']} ({d.get('note', '')})",
        f"- scikit-learn {d['sklearn_version']}, skops {d['skops_version']}, seed {d['seed']}",
        f"- chosen pipelines: {chosen}",
        f"- kritis threshold: P(kritis) ≥ {d['kritis_threshold']} (chosen by {d['cv_folds']}-fold "
        f"CV on training data: {d['kritis_threshold_cv']})",
        _routing(d),
        f"- needs_review below confidence {d['review_below']}, or when a danger rule raised urgency",
        "", f"## Cross-validation on training data ({d['cv_folds']}-fold, argmax decisions)", "",
        *cv_table(d["cv"]), "",
        "## Promotion gate", "", *(f"- {line}" for line in gate_lines(d.get("gate"))), "",
        "## Fixed test split", "", format_report(d["test_split"], markdown=True), "",
        "## Limits", "",
        "- Written corpus, not real traffic: expect lower figures on real complaints.",
        "- Location comes from a gazetteer of names, not from the model.", ""]
    return "\n".join(lines)
