"""The Facebook Page source: its feed, the posts it is tagged in, and the comments on its posts."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from collectors.batch import Batch, Snapshot, normalized
from collectors.mention import Mention
from collectors.normalize import from_fb_comment, from_fb_post

log = logging.getLogger(__name__)


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
        listed_from: int | None = extra.get("listed_from")
        checkpoint = int(snap.cursor) if snap.cursor else None
        if checkpoint is None or listed_from is None or horizon < listed_from:
            since = listed_from = horizon
        else:
            since, listed_from = checkpoint - overlap, max(horizon, listed_from)
        newest = checkpoint or horizon
        posts: dict[str, dict] = {pid: dict(p) for pid, p in (extra.get("posts") or {}).items()}
        mentions: list[Mention] = []
        fetched = rejected = 0
        for edge in ("feed", "tagged"):
            items = list(self._pages(adapter, page_id, edge, fields=self.POST_FIELDS, since=since))
            fetched += len(items)
            found, bad = normalized(items, lambda p: from_fb_post(p, page_id))
            rejected += bad
            mentions += found
            for m in found:
                newest = max(newest, int(m.created_at.timestamp()))
                if edge == "feed":
                    posts.setdefault(m.external_id, {"owner": m.author_id, "t": int(m.created_at.timestamp())})
        posts = {pid: p for pid, p in posts.items() if p.get("t", 0) >= horizon}  # out of the window
        extra.update(posts=posts, listed_from=listed_from)
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
        found, bad = normalized(items, lambda c: from_fb_comment(c, page_id, post_id, info.get("owner")))
        if found:
            info["c"] = max([int(info.get("c", horizon)), *(int(m.created_at.timestamp()) for m in found)])
        return Batch(found, cursor, _copy(extra), fetched=len(items), rejected=bad)


def _copy(extra: dict) -> dict:
    """The checkpoint as it stands now: later batches change the running one."""
    return {**extra, "posts": {pid: dict(p) for pid, p in (extra.get("posts") or {}).items()}}
