"""One pure function per payload kind; each source calls the one for its payloads.

Every function returns a Mention or raises PayloadError naming the kind and the field
that is missing or of the wrong type; nothing else escapes (a property test in
tests/collectors/test_normalize.py feeds them arbitrary payloads to hold them to that).

Deliberately not normalised, and why:
- the Facebook Page's Messenger conversations: not a public channel the SOP covers;
- X retweets: the search query excludes them (``-is:retweet``), they repeat a mention;
- Gammu SMSD's sent items and outbox: our own messages, never an inbound report.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

from collectors.errors import PayloadError
from collectors.mention import Mention, normalize_phone
from collectors.plausible import not_future, plain_text, within_size
from store.vocabulary import PLATFORMS

WIB = ZoneInfo("Asia/Jakarta")
MAX_KEY = 128  # the store's limit for ids, thread keys and handles
TWITTER_EPOCH_MS = 1288834974657
NO_TEXT = "[lampiran tanpa teks]"  # a photo or sticker without a caption is still a report


# --- typed reads --------------------------------------------------------------------

def _mapping(kind: str, name: str, value: Any) -> Mapping:
    if not isinstance(value, Mapping):
        raise PayloadError(kind, name, f"must be an object, got {type(value).__name__}")
    return value


def _clean(text: str) -> str:
    return text.replace("\x00", "")  # PostgreSQL text cannot hold NUL


def _str(kind: str, data: Mapping, key: str, *, required: bool = True, limit: int | None = None,
         allow_int: bool = False) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise PayloadError(kind, key, "is missing")
        return None
    if allow_int and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PayloadError(kind, key, f"must be a string, got {type(value).__name__}")
    value = _clean(value).strip()
    if not value:
        if required:
            raise PayloadError(kind, key, "is empty")
        return None
    if limit and len(value) > limit:
        raise PayloadError(kind, key, f"is longer than {limit} characters")
    return value


def _time(kind: str, key: str, value: Any, naive_zone: ZoneInfo | None = None) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            raise PayloadError(kind, key, f"is not an ISO 8601 time: {value[:40]!r}") from None
    else:
        raise PayloadError(kind, key, f"must be a time string, got {type(value).__name__}")
    if parsed.tzinfo is None:
        if naive_zone is None:
            raise PayloadError(kind, key, "has no UTC offset")
        parsed = parsed.replace(tzinfo=naive_zone)
    try:
        parsed = parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        raise PayloadError(kind, key, "is out of range") from None
    return not_future(kind, key, parsed)


def snowflake_time(tweet_id: int) -> datetime:
    """When a tweet was posted, from its id: X ids are snowflakes whose top 42 bits count
    milliseconds since 2010-11-04 (X's epoch), so ms = (id >> 22) + 1288834974657."""
    return datetime.fromtimestamp(((tweet_id >> 22) + TWITTER_EPOCH_MS) / 1000, tz=UTC)


# --- X / Twitter ----------------------------------------------------------------------

_DIGITS = re.compile(r"^\d{1,20}$")


def from_tweet(tweet: Any, author: Any = None, account_id: str | None = None,
               account_handle: str | None = None) -> Mention:
    """A tweet of API v2 (``data[]`` of mentions, search or a user's timeline), with its author
    from ``includes.users`` when the request expanded it. It is the regent's own (``is_own``)
    when its author is ``account_id`` or, by name, ``account_handle`` (TANGGAP_X_ACCOUNT)."""
    kind = "x.tweet"
    t = _mapping(kind, "tweet", tweet)
    plain_text(kind, t)
    tweet_id = _str(kind, t, "id", allow_int=True)
    if not _DIGITS.match(tweet_id) or int(tweet_id) >= 2**64:
        raise PayloadError(kind, "id", f"is not a tweet id: {tweet_id[:40]!r}")
    text = _str(kind, t, "text")
    if t.get("created_at") is not None:
        created_at = _time(kind, "created_at", t["created_at"])
    else:
        # The recorded mentions carry no created_at (it was not requested): derive it from
        # the snowflake id, which is exact to the millisecond for every tweet since 2010.
        created_at = not_future(kind, "id", snowflake_time(int(tweet_id)))
    user = _mapping(kind, "author", author) if author is not None else {}
    plain_text(kind, user, "author")
    author_id = _str(kind, t, "author_id", required=False, limit=MAX_KEY, allow_int=True)
    handle = _str(kind, user, "username", required=False, limit=MAX_KEY)
    conversation = _str(kind, t, "conversation_id", required=False, limit=MAX_KEY, allow_int=True)
    in_reply_to = None
    refs = t.get("referenced_tweets")
    if refs is not None:
        if not isinstance(refs, list):
            raise PayloadError(kind, "referenced_tweets", "must be a list")
        for ref in refs:
            ref = _mapping(kind, "referenced_tweets[]", ref)
            if ref.get("type") == "replied_to":
                in_reply_to = _str(kind, ref, "id", limit=MAX_KEY, allow_int=True)
    raw = dict(t)
    if user:
        raw["author"] = dict(user)
    return Mention(
        platform="twitter", external_id=tweet_id, text=text, created_at=created_at,
        author_id=author_id, author_handle=handle,
        author_name=_str(kind, user, "name", required=False),
        permalink=f"https://x.com/{handle or 'i/web'}/status/{tweet_id}",
        thread_key=f"x:{conversation or tweet_id}", in_reply_to=in_reply_to, raw=raw,
        is_own=_written_by(author_id, handle, account_id, account_handle))


def _written_by(author_id: str | None, handle: str | None, account_id: str | None,
                account_handle: str | None) -> bool:
    if account_id is not None and author_id == account_id:
        return True
    # X usernames are case-insensitive; the setting may be written with its @.
    own = (account_handle or "").lstrip("@").lower()
    return bool(own) and (handle or "").lower() == own


# --- Facebook Page --------------------------------------------------------------------

def _from(kind: str, item: Mapping) -> tuple[str | None, str | None]:
    who = item.get("from")
    if who is None:
        return None, None
    who = _mapping(kind, "from", who)
    return (_str(kind, who, "id", required=False, limit=MAX_KEY, allow_int=True),
            _str(kind, who, "name", required=False))


def from_fb_post(post: Any, page_id: str) -> Mention:
    """A post on the Page's feed or a post the Page is tagged in. The Page's own posts
    come back with ``is_own`` (announcements: the store step never opens a case for them)."""
    kind = "facebook.post"
    p = _mapping(kind, "post", post)
    plain_text(kind, p)
    post_id = _str(kind, p, "id", limit=MAX_KEY, allow_int=True)
    created_at = _time(kind, "created_time", p.get("created_time") or _missing(kind, "created_time"))
    author_id, author_name = _from(kind, p)
    text = _str(kind, p, "message", required=False) or _str(kind, p, "story", required=False) or NO_TEXT
    return Mention(
        platform="facebook", external_id=post_id, text=text, created_at=created_at,
        author_id=author_id, author_name=author_name,
        permalink=_str(kind, p, "permalink_url", required=False) or f"https://www.facebook.com/{post_id}",
        thread_key=f"fb:{post_id}", raw=dict(p), is_own=author_id == page_id)


def from_fb_comment(comment: Any, page_id: str, post_id: str, post_owner_id: str | None) -> Mention:
    """A comment (``filter=stream``: replies included) on a post of the Page's feed.

    The thread is the post itself when a visitor wrote it (the post is the report), and
    the top-level comment on the Page's own posts (each commenter's own report). A
    comment by the Page is an answer on that thread (``is_own``).
    """
    kind = "facebook.comment"
    c = _mapping(kind, "comment", comment)
    plain_text(kind, c)
    link = _str(kind, c, "permalink_url", required=False)
    link_ids = _comment_ids_from_link(link)
    comment_id = _str(kind, c, "id", required=False, limit=MAX_KEY, allow_int=True) or link_ids[0]
    if comment_id is None:
        raise PayloadError(kind, "id", "is missing (and permalink_url names no comment)")
    created_at = _time(kind, "created_time", c.get("created_time") or _missing(kind, "created_time"))
    parent = c.get("parent")
    parent_id = (_str(kind, _mapping(kind, "parent", parent), "id", limit=MAX_KEY, allow_int=True)
                 if parent is not None else link_ids[1])
    author_id, author_name = _from(kind, c)
    visitor_post = post_owner_id is not None and post_owner_id != page_id
    thread = post_id if visitor_post else (parent_id or comment_id)
    return Mention(
        platform="facebook", external_id=comment_id,
        text=_str(kind, c, "message", required=False) or NO_TEXT, created_at=created_at,
        author_id=author_id, author_name=author_name,
        permalink=link or f"https://www.facebook.com/{comment_id}",
        thread_key=f"fb:{thread}", in_reply_to=parent_id or post_id, raw=dict(c),
        is_own=author_id == page_id)


def _comment_ids_from_link(link: str | None) -> tuple[str | None, str | None]:
    """(comment id, parent id) from a permalink such as …/posts/123/?comment_id=4&reply_comment_id=5.
    The recorded comments carry no ``id``; their permalink names them exactly."""
    if not link:
        return None, None
    try:
        parsed = urlparse(link)
        query = parse_qs(parsed.query)
    except ValueError:
        return None, None
    match = re.search(r"/posts/(\d+)", parsed.path)
    top, reply = query.get("comment_id", [None])[0], query.get("reply_comment_id", [None])[0]
    if not (match and top and top.isdigit()) or (reply is not None and not reply.isdigit()):
        return None, None
    post = match.group(1)
    if reply:
        return f"{post}_{reply}", f"{post}_{top}"
    return f"{post}_{top}", None


def _missing(kind: str, key: str):
    raise PayloadError(kind, key, "is missing")


# --- SMS (Gammu SMSD) ------------------------------------------------------------------

def from_gammu_message(message: Any, zone: ZoneInfo = WIB) -> Mention:
    """One SMS as collectors.sms joins it from Gammu's inbox rows (multipart joined).
    ReceivingDateTime is the SMSD host's local time, hence ``zone``."""
    kind = "gammu.sms"
    m = _mapping(kind, "message", message)
    plain_text(kind, m)
    first_id = m.get("id")
    if not isinstance(first_id, int) or isinstance(first_id, bool):
        raise PayloadError(kind, "id", "must be an integer inbox ID")
    sender = normalize_phone(_str(kind, m, "sender", limit=MAX_KEY) or "")
    if not sender:
        raise PayloadError(kind, "sender", "has no digits")
    received = _time(kind, "received", m.get("received") or _missing(kind, "received"), naive_zone=zone)
    text = m.get("text")
    if not isinstance(text, str):
        raise PayloadError(kind, "text", "must be a string")
    return Mention(
        # Inbox IDs restart when an SMS centre's database is rebuilt: the time keeps ids unique.
        platform="sms", external_id=f"{first_id}@{received:%Y%m%dT%H%M%SZ}",
        text=_clean(text).strip() or NO_TEXT, created_at=received,
        author_id=sender, author_handle=sender, thread_key=f"sms:{sender}",
        raw={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in m.items()})


# --- file import ------------------------------------------------------------------------

_FB_POST = re.compile(r"(?:/posts/|[?&]story_fbid=|/permalink/)(\d+)")

def from_import_row(row: Any, default_platform: str = "import", zone: ZoneInfo = WIB) -> Mention:
    """A row of a CSV or JSONL import (columns: collectors/README.md). A naive created_at
    is WIB; a missing external_id is a hash of platform, author, created_at and text."""
    kind = "file.row"
    r = _mapping(kind, "row", row)
    plain_text(kind, r)
    within_size(kind, r)
    text = _str(kind, r, "text")
    created_at = _time(kind, "created_at", r.get("created_at") or _missing(kind, "created_at"), naive_zone=zone)
    platform = (_str(kind, r, "platform", required=False) or default_platform).lower()
    if platform not in PLATFORMS:
        raise PayloadError(kind, "platform", f"must be one of {', '.join(PLATFORMS)}, got {platform[:20]!r}")
    author = _str(kind, r, "author", required=False, limit=MAX_KEY, allow_int=True)
    if platform == "sms" and author:
        author = normalize_phone(author) or author
    external_id = _str(kind, r, "external_id", required=False, limit=MAX_KEY, allow_int=True)
    if external_id is None:
        key = "\x1f".join([platform, author or "", created_at.isoformat(), text])
        external_id = "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    thread = _str(kind, r, "thread_key", required=False, limit=MAX_KEY, allow_int=True)
    if thread is None and platform == "sms" and author:
        thread = f"sms:{author}"  # the same number within 24 h joins its open case
    permalink = _str(kind, r, "permalink", required=False)
    if thread is None and platform == "facebook" and (post := _FB_POST.search(permalink or "")):
        thread = f"fb:{post.group(1)}"  # the collector's key for a post's thread
    return Mention(
        platform=platform, external_id=external_id, text=text, created_at=created_at,
        author_id=author, author_handle=author, author_name=_str(kind, r, "author_name", required=False),
        permalink=permalink, thread_key=thread, in_reply_to=_str(kind, r, "in_reply_to", required=False, limit=MAX_KEY,
                                            allow_int=True),
        raw={str(k): v for k, v in r.items()})
