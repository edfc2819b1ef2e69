"""What a source hands the poller: the Snapshot it starts from and the Batches it yields (the
Mentions of one page plus the checkpoint to save with them; collectors.poller commits both in
one transaction). A payload that fails normalisation is logged and left out; it never blocks
the source."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from collectors.errors import PayloadError
from collectors.mention import Mention

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    """What the poller knows of a source when a run starts."""
    cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    reads_used: int = 0  # this month


@dataclass
class Batch:
    mentions: list[Mention]
    cursor: str | None
    extra: dict[str, Any]
    fetched: int = 0
    reads: int = 0  # billable reads (X)
    rejected: int = 0
    waiting_own: list[Mention] = field(default_factory=list)  # own replies of earlier runs, offered again


def normalized(items: Iterable, build: Callable[[Any], Mention]) -> tuple[list[Mention], int]:
    out, rejected = [], 0
    for item in items:
        try:
            out.append(build(item))
        except PayloadError as exc:
            rejected += 1
            log.warning("left out an unreadable payload (%s): %.300r", exc, item)
    return out, rejected


