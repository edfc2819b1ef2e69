"""Category and urgency ids (from store.vocabulary) and their labels (from
classifier.taxonomy, which describes each id in both languages)."""

from __future__ import annotations

from classifier import taxonomy
from store.vocabulary import CATEGORIES, URGENCIES


def categories() -> tuple[str, ...]:
    return CATEGORIES


def urgencies() -> tuple[str, ...]:
    """Most urgent first."""
    return URGENCIES


def label(label_id: str | None, lang: str = "id") -> str:
    """'Kesehatan' / 'Health' for 'kesehatan'; an unknown id is shown as it is."""
    if not label_id:
        return "—"
    try:
        found = taxonomy.label_of(label_id)
    except KeyError:
        return label_id
    return found.label_en if lang == "en" else found.label_id
