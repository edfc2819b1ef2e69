"""The X sources: the regent's mentions, his own timeline and a keyword search."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta

from collectors.batch import Batch, Snapshot, normalized
from collectors.errors import BudgetSpent
from collectors.mention import Mention
from collectors.normalize import from_tweet


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
    # An own reply whose case is not stored yet (the mentions source runs beside this one, or is
    # waiting out a 429) is kept with the checkpoint and offered to the store step again on each
    # run for this long; the store step logs it once its case is there, and only once.
    OWN_REPLY_WAIT = timedelta(hours=24)
    OWN_REPLY_WAIT_MAX = 1000

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
        waiting = self._reread(extra.pop("waiting", None) or [], extra.get("user_id"))
        offered = list(waiting)  # with the first page
        while True:
            remaining = s.x_monthly_read_budget - reads_used
            if remaining <= 0:
                raise BudgetSpent(f"monthly X read budget of {s.x_monthly_read_budget} posts is spent")
            page = self._page(adapter, extra.get("user_id"), snap.cursor, token, remaining, start)
            data = page.get("data") or []
            data = data if isinstance(data, list) else [data]
            meta = page.get("meta") or {}
            mentions, rejected = self._mentions(page, data, extra.get("user_id"))
            if self.name == "twitter-own":
                waiting = self._still_waiting([*mentions, *waiting], extra.get("user_id"), now)
                extra["waiting"] = [dict(m.raw) for m in waiting]
            pending = pending or meta.get("newest_id")
            token = meta.get("next_token")
            reads_used += len(data)
            if token:
                cursor, new_extra = snap.cursor, {**extra, "pending_newest": pending, "next_token": token}
                if start:
                    new_extra["start_time"] = start  # the next page is asked with the same query
            else:
                cursor, new_extra = (pending or snap.cursor), dict(extra)
            yield Batch(mentions, cursor, new_extra, fetched=len(data), reads=len(data), rejected=rejected,
                        waiting_own=offered)
            offered = []
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

    def _mentions(self, page: dict, data: list, own_id: str | None) -> tuple[list[Mention], int]:
        users = {u.get("id"): u for u in (page.get("includes") or {}).get("users", []) if isinstance(u, dict)}
        account = self.settings.x_account
        mentions, rejected = normalized(data, lambda t: from_tweet(
            t, users.get(t.get("author_id")) if isinstance(t, dict) else None, own_id, account))
        if self.name == "twitter-own":
            # Every post of the account's own timeline is the account's, whatever its payload says.
            handle = (account or "").lstrip("@") or None
            mentions = [replace(m, is_own=True, author_handle=m.author_handle or handle) for m in mentions]
        return mentions, rejected

    def _still_waiting(self, posts: list[Mention], own_id: str | None, now: datetime) -> list[Mention]:
        """The own replies to someone else (not to the account's own posts) of the last
        OWN_REPLY_WAIT, newest first, each once."""
        kept: dict[str, Mention] = {}
        for m in sorted(posts, key=lambda m: m.created_at, reverse=True):
            if (m.in_reply_to and m.raw.get("in_reply_to_user_id") != own_id
                    and now - m.created_at <= self.OWN_REPLY_WAIT):
                kept.setdefault(m.external_id, m)
        return list(kept.values())[:self.OWN_REPLY_WAIT_MAX]

    def _reread(self, raws: list, own_id: str | None) -> list[Mention]:
        """The waiting replies, from the payloads kept with the checkpoint (author included)."""
        tweets = [{k: v for k, v in r.items() if k != "author"} for r in raws if isinstance(r, dict)]
        users = [r["author"] for r in raws if isinstance(r, dict) and isinstance(r.get("author"), dict)]
        return self._mentions({"includes": {"users": users}}, tweets, own_id)[0]
