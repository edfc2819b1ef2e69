"""The sources the poller runs, and which settings each needs.

A source turns its adapter's pages into Batches (collectors.batch): the Mentions of one page
plus the checkpoint to save with them (collectors.poller commits both in one transaction).
The X sources live in collectors.x_source, the Page's in collectors.facebook_source.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import datetime

from pydantic import SecretStr

from collectors.batch import Batch, Snapshot, normalized
from collectors.errors import MissingSettings
from collectors.facebook_source import FacebookSource
from collectors.normalize import from_gammu_message
from collectors.x_source import XSource

__all__ = [
    "Batch",
    "FacebookSource",
    "SmsSource",
    "Snapshot",
    "XSource",
    "build_sources",
    "credentials_digest",
    "missing_settings",
]

SOURCE_NAMES = ("twitter", "twitter-own", "twitter-search", "facebook", "sms")
X_SOURCES = ("twitter", "twitter-own", "twitter-search")  # read from X, within the monthly read budget
IMPLIED = {"twitter": ("twitter-own",)}  # the regent's own replies are read wherever his mentions are
REQUIRED = {
    "twitter": ("x_account", "x_bearer_token"),
    "twitter-own": ("x_account", "x_bearer_token"),
    "twitter-search": ("x_search_query", "x_bearer_token"),
    "facebook": ("facebook_page_id", "facebook_page_token"),
    "sms": ("sms_gammu_url",),
}


class SmsSource:
    """Gammu SMSD's inbox, in ID order; the checkpoint is the last inbox ID consumed."""

    BATCH = 500

    def __init__(self, settings, inbox_factory: Callable | None = None):
        from collectors.sms import GammuInbox
        self.name, self.settings = "sms", settings
        self.interval = settings.sms_poll_seconds
        self.inbox_factory = inbox_factory or (lambda s: GammuInbox(s.sms_gammu_url, s.zone))
        self._inbox = None

    def batches(self, snap: Snapshot, now: datetime) -> Iterator[Batch]:
        self._inbox = self._inbox or self.inbox_factory(self.settings)
        after = int(snap.cursor or 0)
        zone = self.settings.zone
        while True:
            messages, checkpoint, scanned = self._inbox.read(after, now, limit=self.BATCH)
            if checkpoint == after and not messages:
                return
            mentions, rejected = normalized(messages, lambda m: from_gammu_message(m, zone))
            yield Batch(mentions, str(checkpoint), {}, fetched=len(messages), rejected=rejected)
            if scanned < self.BATCH or checkpoint == after:
                return
            after = checkpoint


def credentials_digest(source, settings=None) -> str:
    """A digest of the settings ``source`` needs (its token among them), from ``settings``
    or the source's own: it changes when any of them is replaced. Tokens are never kept."""
    settings = settings if settings is not None else getattr(source, "settings", None)
    values = [getattr(settings, key, None) for key in REQUIRED.get(source.name, ())]
    plain = [v.get_secret_value() if isinstance(v, SecretStr) else v for v in values]
    return hashlib.sha256(json.dumps(plain, default=str).encode()).hexdigest()


def missing_settings(name: str, settings) -> list[str]:
    return [key for key in REQUIRED[name] if not getattr(settings, key, None)]


def build_sources(settings, names: list[str] | None = None) -> tuple[list, list[str]]:
    """The sources to run and a note for each one skipped. Naming a source whose settings
    are absent is an error (MissingSettings) that lists them."""
    wanted = list(names or SOURCE_NAMES)
    wanted = list(dict.fromkeys(n for name in wanted for n in (name, *IMPLIED.get(name, ()))))
    unknown = [n for n in wanted if n not in SOURCE_NAMES]
    if unknown:
        raise ValueError(f"unknown source {unknown[0]!r}; sources are {', '.join(SOURCE_NAMES)}")
    sources, notes = [], []
    for name in wanted:
        missing = missing_settings(name, settings)
        if missing:
            if names:
                raise MissingSettings(name, missing)
            notes.append(f"{name}: skipped, not configured "
                         f"(set {', '.join('TANGGAP_' + m.upper() for m in missing)})")
            continue
        if name in X_SOURCES:
            sources.append(XSource(name, settings))
        elif name == "facebook":
            sources.append(FacebookSource(settings))
        else:
            sources.append(SmsSource(settings))
    return sources, notes
