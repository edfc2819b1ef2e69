"""Category and urgency ids and their labels, read from classifier.taxonomy (the one place).

The taxonomy module is owned by the classifier; this adapter keeps the console to the
names it needs, so a renamed constant there breaks one function here, not every page.
"""

from __future__ import annotations

from classifier import taxonomy


def categories() -> tuple[str, ...]:
    return tuple(taxonomy.CATEGORIES)


def urgencies() -> tuple[str, ...]:
    """Most urgent first."""
    return tuple(getattr(taxonomy, "URGENCY", None) or taxonomy.URGENCIES)


def label(label_id: str | None, lang: str = "id") -> str:
    """'Kesehatan' / 'Health' for 'kesehatan'; an unknown id is shown as it is."""
    if not label_id:
        return "—"
    try:
        found = taxonomy.label_of(label_id)
    except KeyError:
        return label_id
    return found.label_en if lang == "en" else found.label_id
