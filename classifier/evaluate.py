"""Scoring a tagger on labelled messages: per-class precision/recall/F1, macro-F1,
confusion matrices, and kritis recall/precision with and without the safety rules; and the
fixed test split and the hard split side by side, the hard split also per kind."""

from __future__ import annotations

from collections.abc import Sequence

from sklearn.metrics import classification_report, confusion_matrix, f1_score
from tqdm import tqdm

from classifier.corpus import Example
from classifier.taxonomy import LABELS_BY_HEAD
from store.vocabulary import CRITICAL

BATCH = 512


def head_report(head: str, y_true: Sequence[str], y_pred: Sequence[str]) -> dict:
    """Report for one head over the labels that occur in truth or prediction (taxonomy order)."""
    present = set(y_true) | set(y_pred)
    labels = [lab for lab in LABELS_BY_HEAD[head] if lab in present]
    report = classification_report(y_true, y_pred, labels=labels, output_dict=True, zero_division=0)
    return {
        "rows": len(y_true),
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=labels, average="macro",
                                         zero_division=0)), 4),
        "accuracy": round(sum(t == p for t, p in zip(y_true, y_pred, strict=True)) / max(len(y_true), 1), 4),
        "per_class": {lab: {k: round(float(v), 4) for k, v in report[lab].items()} for lab in labels},
        "labels": labels,
        "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def kritis_scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict:
    tp = sum(t == CRITICAL and p == CRITICAL for t, p in zip(y_true, y_pred, strict=True))
    truth = sum(t == CRITICAL for t in y_true)
    flagged = sum(p == CRITICAL for p in y_pred)
    return {"recall": round(tp / truth, 4) if truth else None,
            "precision": round(tp / flagged, 4) if flagged else None,
            "support": truth, "flagged": flagged}


def _tag_all(tagger, examples: list[Example], progress: bool) -> list:
    tags = []
    bar = tqdm(total=len(examples), desc="evaluate", unit="msg", disable=not progress, leave=False)
    for start in range(0, len(examples), BATCH):
        batch = examples[start:start + BATCH]
        tags.extend(tagger.tag([ex.text for ex in batch]))
        bar.update(len(batch))
    bar.close()
    return tags


def evaluate(tagger, examples: list[Example], progress: bool = False) -> dict:
    """Tag ``examples`` and score each head whose label the examples carry; when they carry
    a kind (the hard split), the summary figures per kind too."""
    tags = _tag_all(tagger, examples, progress)
    result = score(examples, tags)
    result["model_version"] = tagger.version
    threshold = getattr(tagger, "routing_threshold", None)
    if threshold is not None and "category" in result:
        result["routing"] = routing_scores(examples, tags, threshold)
    kinds = sorted({ex.kind for ex in examples if ex.kind})
    if kinds:
        result["by_kind"] = {}
        for kind in kinds:
            pairs = [(ex, t) for ex, t in zip(examples, tags, strict=True) if ex.kind == kind]
            part = score(*map(list, zip(*pairs, strict=True)))
            result["by_kind"][kind] = {"rows": part["rows"], **part["summary"]}
    return result


def score(examples: list[Example], tags: list) -> dict:
    """The report of ``evaluate`` for examples already tagged."""
    result: dict = {"rows": len(examples)}
    cat = [(ex.category, t.category) for ex, t in zip(examples, tags, strict=True) if ex.category]
    if cat:
        result["category"] = head_report("category", *zip(*cat, strict=True))
    urg = [(ex.urgency, t.urgency, t.model_urgency) for ex, t in zip(examples, tags, strict=True) if ex.urgency]
    if urg:
        truth, with_rules, without_rules = zip(*urg, strict=True)
        result["urgency"] = head_report("urgency", truth, with_rules)
        result["urgency_without_rules"] = head_report("urgency", truth, without_rules)
        result[CRITICAL] = {"with_rules": kritis_scores(truth, with_rules),
                            "without_rules": kritis_scores(truth, without_rules)}
    result["summary"] = summary(result)
    return result


def routing_scores(examples: list[Example], tags: list, threshold: float) -> dict:
    """Routing at intake at the model's threshold: how many messages would be routed (category
    probability at or above it) and how many of those to the wrong category."""
    pairs = [(ex.category, t) for ex, t in zip(examples, tags, strict=True) if ex.category]
    routed = [(truth, t.category) for truth, t in pairs if t.category_confidence >= threshold]
    wrong = sum(truth != predicted for truth, predicted in routed)
    return {"threshold": threshold, "rows": len(pairs), "routed": len(routed),
            "routed_share": round(len(routed) / len(pairs), 4) if pairs else None, "wrong": wrong,
            "right": round(1 - wrong / len(routed), 4) if routed else None}


def routing_line(routing: dict) -> str:
    share = "–" if routing["routed_share"] is None else f"{routing['routed_share']:.1%}"
    return (f"routed at intake (category probability ≥ {routing['threshold']}): {routing['routed']} of "
            f"{routing['rows']} ({share}), {routing['wrong']} of them to the wrong category")


def evaluate_splits(tagger, splits: dict[str, list[Example]], progress: bool = False) -> dict:
    """``evaluate`` on each named split (e.g. "test" and "hard"), for reporting side by side."""
    return {"model_version": tagger.version,
            "splits": {name: evaluate(tagger, examples, progress) for name, examples in splits.items()}}


# The figures compared side by side, in the order shown.
SIDE_BY_SIDE = ("category_macro_f1", "urgency_macro_f1", "kritis_recall", "kritis_precision")


def format_splits(result: dict) -> str:
    """The summary figures of every split in columns, the hard split's kinds below, then
    each split's full report."""
    names = list(result["splits"])
    rows = [[key, *(_figure(result["splits"][n]["summary"].get(key)) for n in names)]
            for key in SIDE_BY_SIDE]
    rows.insert(0, ["rows", *(str(result["splits"][n]["rows"]) for n in names)])
    lines = [f"model: {result['model_version']}", "", *_table(["measure", *names], rows, False)]
    for name in names:
        if "routing" in result["splits"][name]:
            lines += ["", f"{name}: {routing_line(result['splits'][name]['routing'])}"]
    for name in names:
        by_kind = result["splits"][name].get("by_kind")
        if by_kind:
            lines += ["", f"{name} split by kind:", ""]
            lines += _table(["kind", "rows", *SIDE_BY_SIDE],
                            [[kind, str(k["rows"]), *(_figure(k.get(key)) for key in SIDE_BY_SIDE)]
                             for kind, k in by_kind.items()], False)
    for name in names:
        lines += ["", f"== {name} split ==", format_report(result["splits"][name])]
    return "\n".join(lines)


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def summary(result: dict) -> dict[str, float]:
    """The figures the promotion gate and `tanggap model list` use."""
    out = {}
    if "category" in result:
        out["category_macro_f1"] = result["category"]["macro_f1"]
    if "urgency" in result:
        out["urgency_macro_f1"] = result["urgency"]["macro_f1"]
        k = result[CRITICAL]["with_rules"]
        if k["recall"] is not None:
            out["kritis_recall"] = k["recall"]
        if k["precision"] is not None:
            out["kritis_precision"] = k["precision"]
    return out


def format_report(result: dict, markdown: bool = False) -> str:
    """Human-readable report (plain text for the terminal, or Markdown for the model card)."""
    lines = [f"rows: {result['rows']}  model: {result.get('model_version', '')}", ""]
    for head in ("category", "urgency", "urgency_without_rules"):
        if head not in result:
            continue
        rep = result[head]
        title = head.replace("_", " ")
        lines += [f"{'### ' if markdown else ''}{title}: macro-F1 {rep['macro_f1']:.3f}, "
                  f"accuracy {rep['accuracy']:.3f}", ""]
        lines += _table(["class", "precision", "recall", "f1", "support"],
                        [[lab, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1-score']:.3f}",
                          str(int(m["support"]))] for lab, m in rep["per_class"].items()], markdown)
        lines += ["", "confusion (rows = truth, columns = predicted):", ""]
        short = [lab[:6] for lab in rep["labels"]]
        lines += _table(["truth \\ pred", *short],
                        [[lab, *map(str, row)] for lab, row in zip(rep["labels"], rep["confusion"], strict=True)],
                        markdown)
        lines.append("")
    if CRITICAL in result:
        for key in ("without_rules", "with_rules"):
            k = result[CRITICAL][key]
            lines.append(f"kritis {key.replace('_', ' ')}: recall {k['recall']}, precision "
                         f"{k['precision']} ({k['support']} true, {k['flagged']} flagged)")
    if "routing" in result:
        lines += ["", routing_line(result["routing"])]
    return "\n".join(lines)


def _table(header: list[str], rows: list[list[str]], markdown: bool) -> list[str]:
    if markdown:
        return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)] + [
            "| " + " | ".join(r) + " |" for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    fmt = "  ".join(f"{{:<{w}}}" if i == 0 else f"{{:>{w}}}" for i, w in enumerate(widths))
    return [fmt.format(*header)] + [fmt.format(*r) for r in rows]
