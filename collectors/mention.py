"""The one shape every collector produces: a frozen, normalised Mention.

Adapters fetch raw payloads, normalisers (collectors.normalize) turn each payload into a
Mention, and the store step (collectors.ingest) writes it. ``raw`` is the payload as the
platform sent it, stored with the row so nothing the platform told us is ever lost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Mention:
    platform: str  # one of store.vocabulary.PLATFORMS
    external_id: str  # unique per platform
    text: str
    created_at: datetime  # aware, UTC
    author_id: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    permalink: str | None = None
    thread_key: str | None = None  # mentions with the same key join the same open case
    in_reply_to: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict)
    # Written by the regency's own account (the Facebook Page, the regent's X account):
    # an answer on the thread's case, never a new mention.
    is_own: bool = False


_NON_DIGITS = re.compile(r"[^\d+]")


def normalize_phone(number: str) -> str:
    """Indonesian numbers in one form, +62…: '0812-3456-5678' and '6281234565678' both
    become '+6281234565678'. Short codes and foreign numbers keep their digits."""
    cleaned = _NON_DIGITS.sub("", number.strip())
    if cleaned.startswith("+"):
        return "+" + cleaned[1:].replace("+", "")
    cleaned = cleaned.replace("+", "")
    if cleaned.startswith("62") and len(cleaned) >= 10:
        return "+" + cleaned
    if cleaned.startswith("0") and len(cleaned) >= 9:
        return "+62" + cleaned[1:]
    return cleaned
