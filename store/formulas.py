"""The one formula guard for text bound for a spreadsheet cell: the exports (console.services
.sheets) and the import's rejects file (collectors.files) both go through ``neutralise``."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def neutralise(value: str) -> str:
    """'=HYPERLINK(…)' → "'=HYPERLINK(…)": shown as typed, never evaluated by Excel or Sheets."""
    return "'" + value if value and value[0] in _FORMULA_FIRST else value
