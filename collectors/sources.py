"""The four sources the poller runs, and which settings each needs.

A source turns its adapter's pages into Batches: the Mentions of one page plus the
checkpoint to save with them (collectors.poller commits both in one transaction). A
payload that fails normalisation is logged and left out; it never blocks the source.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from pydantic import SecretStr

from collectors.errors import BudgetSpent, MissingSettings, PayloadError
from collectors.mention import Mention
from collectors.normalize import from_fb_comment, from_fb_post, from_gammu_message, from_tweet

log = logging.getLogger(__name__)
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


def _normalized(items, build: Callable[[Any], Mention]) -> tuple[list[Mention], int]:
    out, rejected = [], 0
    for item in items:
        try:
            out.append(build(item))
        except PayloadError as exc:
            rejected += 1
            log.warning("left out an unreadable payload (%s): %.300r", exc, item)
    return out, rejected


class XSource:
    """One X stream: the account's mentions (``twitter``), its own timeline (``twitter-own``,
    run with ``twitter``) or a keyword search (``twitter-search``).

    X pages run newest first down to ``since_id``; the checkpoint moves to the newest id
    only after the last page. Until then the newest id and the next page token are kept
    in ``extra``, so a run cut short resumes where it stopped and loses nothing.

    Posts written by the account (TANGGAP_X_ACCOUNT, by id or username) come out ``is_own``
    from every stream: the store step logs a reply in a case's conversation as a response on
    that case and ignores the rest; none is ever a mention.
    """

    # The own timeline holds up to 3,200 posts: its first run reads back this far only (a
    # reply to a case older than that would answer a long-breached case).
    OWN_FIRST_RUN = timedelta(days=7)

    def __init__(self, name: str, settings, adapter_factory: Callable | None = None):
        from collectors.twitter import XAdapter
        self.name, self.settings = name, settings
        self.interval = settings.x_poll_seconds
        self.adapter_factory = adapter_factory or XAdapter.from_settings

    def batches(self, snap: Snapshot, now: datetime) -> Iterator[Batch]:
        s, adapter = self.settings, self.adapter_factory(self.settings)
        extra, reads_used = dict(snap.extra), snap.reads_used
        if s.x_account and (extra.get("account") != s.x_account or not extra.get("user_id")):
            extra.update(account=s.x_account, user_id=adapter.user_id(s.x_account))  # once, then kept
        token, pending = extra.pop("next_token", None), extra.pop("pending_newest", None)
        start = extra.pop("start_time", None)
        if snap.cursor is None and self.name == "twitter-own":
            start = start or (now - self.OWN_FIRST_RUN).isoformat()
        while True:
            remaining = s.x_monthly_read_budget - reads_used
            if remaining <= 0:
                raise BudgetSpent(f"monthly X read budget of {s.x_monthly_read_budget} posts is spent")
            page = self._page(adapter, extra.get("user_id"), snap.cursor, token, remaining, start)
            data = page.get("data") or []
            data = data if isinstance(data, list) else [data]
            meta = page.get("meta") or {}
            mentions, rejected = self._normalized(page, data, extra.get("user_id"))
            pending = pending or meta.get("newest_id")
            token = meta.get("next_token")
            reads_used += len(data)
            if token:
                cursor, new_extra = snap.cursor, {**extra, "pending_newest": pending, "next_token": token}
                if start:
                    new_extra["start_time"] = start  # the next page is asked with the same query
            else:
                cursor, new_extra = (pending or snap.cursor), dict(extra)
            yield Batch(mentions, cursor, new_extra, fetched=len(data), reads=len(data), rejected=rejected)
            if not token:
                return

    def _page(self, adapter, user_id: str | None, since_id: str | None, token: str | None, remaining: int,
              start: str | None) -> dict:
        if self.name == "twitter":
            return adapter.mentions(user_id, since_id, token, max_results=remaining)
        if self.name == "twitter-own":
            return adapter.own_posts(user_id, since_id, token, max_results=remaining,
                                     start_time=datetime.fromisoformat(start) if start else None)
        return adapter.search(self.settings.x_search_query, since_id, token, max_results=remaining)

    def _normalized(self, page: dict, data: list, own_id: str | None) -> tuple[list[Mention], int]:
        users = {u.get("id"): u for u in (page.get("includes") or {}).get("users", []) if isinstance(u, dict)}
        account = self.settings.x_account
        mentions, rejected = _normalized(data, lambda t: from_tweet(
            t, users.get(t.get("author_id")) if isinstance(t, dict) else None, own_id, account))
        if self.name == "twitter-own":
            # Every post of the account's own timeline is the account's, whatever its payload says.
            handle = (account or "").lstrip("@") or None
            mentions = [replace(m, is_own=True, author_handle=m.author_handle or handle) for m in mentions]
        return mentions, rejected


class FacebookSource:
    """The Page's feed, posts it is tagged in, and the comments on every Page post of the last
    TANGGAP_FACEBOOK_COMMENT_DAYS days.

    The feed and tagged posts are one batch, checkpointed by the newest created_time seen (as
    ``since``, OVERLAP back to catch items Graph makes visible late; the store drops what it
    has). They are listed back to the window's start on the first run (so posts published
    before Tanggap started are scanned too) and whenever the window reaches further back than
    the posts known. Each post's comments are then one batch with that post's own checkpoint
    (its newest comment's time, in ``extra["posts"]``): a run cut short resumes each post
    where it stopped, losing and repeating nothing.
    """

    POST_FIELDS = "id,message,story,created_time,from,permalink_url"
    COMMENT_FIELDS = "id,message,created_time,from,parent{id},permalink_url"
    OVERLAP = timedelta(minutes=5)
    MAX_PAGES = 50

    def __init__(self, settings, adapter_factory: Callable | None = None):
        from collectors.facebook import FacebookAdapter
        self.name, self.settings = "facebook", settings
        self.interval = settings.facebook_poll_seconds
        # Comments are read on the Page's posts of these last days: a post keeps drawing
        # complaints for a while, and every post in the window costs a request per run.
        self.comment_days = settings.facebook_comment_days
        self.adapter_factory = adapter_factory or FacebookAdapter.from_settings

    def _pages(self, adapter, node: str, edge: str, **params) -> Iterator[dict]:
        for _ in range(self.MAX_PAGES):
            page = adapter.connection(node, edge, **params)
            yield from (item for item in page.get("data", []))
            params = adapter.next_params(page)
            if params is None:
                return
        log.warning("facebook %s/%s: stopped after %d pages", node, edge, self.MAX_PAGES)

    def batches(self, snap: Snapshot, now: datetime) -> Iterator[Batch]:
        page_id, adapter = self.settings.facebook_page_id, self.adapter_factory(self.settings)
        overlap = int(self.OVERLAP.total_seconds())
        horizon = int((now - timedelta(days=self.comment_days)).timestamp())
        extra = dict(snap.extra)
        # ``listed_from``: the posts known are every feed post since then. The first run, or a
        # window now reaching further back, lists the feed from the window's start.
        listed_from = extra.get("listed_from")
        relist = snap.cursor is None or listed_from is None or horizon < listed_from
        since = horizon if relist else int(snap.cursor) - overlap
        newest = int(snap.cursor) if snap.cursor else horizon
        posts: dict[str, dict] = {pid: dict(p) for pid, p in (extra.get("posts") or {}).items()}
        mentions: list[Mention] = []
        fetched = rejected = 0
        for edge in ("feed", "tagged"):
            items = list(self._pages(adapter, page_id, edge, fields=self.POST_FIELDS, since=since))
            fetched += len(items)
            found, bad = _normalized(items, lambda p: from_fb_post(p, page_id))
            rejected += bad
            mentions += found
            for m in found:
                newest = max(newest, int(m.created_at.timestamp()))
                if edge == "feed":
                    posts.setdefault(m.external_id, {"owner": m.author_id, "t": int(m.created_at.timestamp())})
        posts = {pid: p for pid, p in posts.items() if p.get("t", 0) >= horizon}  # out of the window
        extra.update(posts=posts, listed_from=horizon if relist else max(horizon, listed_from))
        cursor = str(newest)
        yield Batch(mentions, cursor, _copy(extra), fetched=fetched, rejected=rejected)
        for post_id in list(posts):
            yield self._comments(adapter, page_id, post_id, cursor, extra, horizon)

    def _comments(self, adapter, page_id: str, post_id: str, cursor: str, extra: dict, horizon: int) -> Batch:
        """One post's new comments, with that post's checkpoint moved to the newest of them."""
        from collectors.facebook import NotFound
        posts, info = extra["posts"], extra["posts"][post_id]
        since = max(horizon, int(info.get("c", horizon)) - int(self.OVERLAP.total_seconds()))
        try:
            items = list(self._pages(adapter, post_id, "comments", fields=self.COMMENT_FIELDS,
                                     filter="stream", order="reverse_chronological", since=since))
        except NotFound as exc:  # deleted, or hidden from the Page token: stop asking
            log.info("facebook post %s dropped from the comment scan: %s", post_id, exc)
            posts.pop(post_id)
            return Batch([], cursor, _copy(extra))
        found, bad = _normalized(items, lambda c: from_fb_comment(c, page_id, post_id, info.get("owner")))
        if found:
            info["c"] = max([int(info.get("c", horizon)), *(int(m.created_at.timestamp()) for m in found)])
        return Batch(found, cursor, _copy(extra), fetched=len(items), rejected=bad)


def _copy(extra: dict) -> dict:
    """The checkpoint as it stands now: later batches change the running one."""
    return {**extra, "posts": {pid: dict(p) for pid, p in (extra.get("posts") or {}).items()}}


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
            mentions, rejected = _normalized(messages, lambda m: from_gammu_message(m, zone))
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
