"""Posts replies on X through tweepy with the account's user-context keys (OAuth 1.0a), and
finds a reply posted before a crash among the account's own recent posts."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import requests
import tweepy

from collectors.errors import AuthFailed, MissingSettings, RateLimited, ReplyRefused, TemporarilyUnavailable
from collectors.http import redirecting_session
from collectors.reply_channel import Posted
from collectors.twitter import TWEEPY_ORIGIN
from store.replies import Outgoing

USER_KEYS = ("x_consumer_key", "x_consumer_secret", "x_access_token", "x_access_token_secret")
TWITTER_EPOCH_MS = 1288834974657  # snowflake ids carry their time since this instant
URL = re.compile(r"https?://\S+")


def snowflake_time(post_id: str) -> datetime:
    """When X made the post, from its id, to the second (as X's created_at gives it, so that
    the collectors' own-post pass sees the same time and does not log the reply twice)."""
    ms = (int(post_id) >> 22) + TWITTER_EPOCH_MS
    return datetime.fromtimestamp(ms // 1000, tz=UTC)


def same_text(ours: str, theirs: str) -> bool:
    """X shortens links to t.co: compare without them, whitespace collapsed."""
    def norm(text: str) -> str:
        return " ".join(URL.sub("", text).split())
    return norm(ours) == norm(theirs)


class XReplies:
    def __init__(self, keys: dict[str, str], api_base: str = TWEEPY_ORIGIN, timeout: float = 20.0):
        self.client = tweepy.Client(consumer_key=keys["x_consumer_key"], consumer_secret=keys["x_consumer_secret"],
                                    access_token=keys["x_access_token"],
                                    access_token_secret=keys["x_access_token_secret"],
                                    return_type=dict, wait_on_rate_limit=False)
        redirecting_session(self.client.session, TWEEPY_ORIGIN, api_base, timeout)

    @classmethod
    def from_settings(cls, settings) -> XReplies:
        missing = [key for key in USER_KEYS if getattr(settings, key) is None]
        if missing:
            raise MissingSettings("twitter replies", missing)
        return cls({key: getattr(settings, key).get_secret_value() for key in USER_KEYS}, settings.x_api_base,
                   settings.http_timeout)

    def post(self, reply: Outgoing) -> Posted:
        body = _call(self.client.create_tweet, text=reply.text, in_reply_to_tweet_id=reply.target)
        post_id = str((body.get("data") or {}).get("id") or "")
        if not post_id.isdigit():
            raise TemporarilyUnavailable(f"X answered the post without an id: {str(body)[:200]}")
        return Posted(post_id, snowflake_time(post_id))

    def find(self, reply: Outgoing) -> Posted | None:
        """Among the account's posts since the citizen's (one page of 100, newest first), a reply
        to it with the same text."""
        page = _call(self.client.get_users_tweets, self.account_id, since_id=reply.target, max_results=100,
                     tweet_fields=["created_at", "referenced_tweets", "conversation_id"], user_auth=True)
        for post in page.get("data") or []:
            refs = post.get("referenced_tweets") or []
            replied_to = {ref.get("id") for ref in refs if ref.get("type") == "replied_to"}
            if reply.target in replied_to and same_text(reply.text, post.get("text", "")):
                return Posted(str(post["id"]), snowflake_time(str(post["id"])))
        return None

    @cached_property
    def account_id(self) -> str:
        me = _call(self.client.get_me, user_auth=True)
        return str((me.get("data") or {}).get("id"))


def _call(method, *args, **params) -> dict[str, Any]:
    try:
        body = method(*args, **params)
    except tweepy.TooManyRequests as exc:
        reset = exc.response.headers.get("x-rate-limit-reset")
        raise RateLimited(datetime.fromtimestamp(int(reset), tz=UTC) if reset and reset.isdigit() else None,
                          "X API 429") from exc
    except tweepy.Unauthorized as exc:
        raise AuthFailed("X API 401") from exc
    except tweepy.Forbidden as exc:
        words = " ".join(exc.api_messages + [str(e) for e in exc.api_errors])
        if "duplicate" in words.lower():
            raise ReplyRefused("x_duplicate", words[:300]) from exc
        raise ReplyRefused("x_forbidden", words[:300]) from exc
    except tweepy.TwitterServerError as exc:
        raise TemporarilyUnavailable(f"X API {exc.response.status_code}") from exc
    except tweepy.HTTPException as exc:
        words = " ".join(exc.api_messages)[:300]
        raise ReplyRefused("x_refused", f"X API {exc.response.status_code}: {words}") from exc
    except requests.Timeout as exc:
        raise TemporarilyUnavailable("X API timed out") from exc
    except requests.ConnectionError as exc:
        raise TemporarilyUnavailable(f"X API unreachable: {exc.__class__.__name__}") from exc
    except ValueError as exc:
        raise TemporarilyUnavailable(f"X API sent malformed JSON: {exc}") from exc
    if not isinstance(body, dict):
        raise TemporarilyUnavailable(f"X API sent {type(body).__name__}, expected an object")
    return body
