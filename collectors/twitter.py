"""Fetches raw X API v2 payloads through tweepy.Client; nothing else.

Responses come back as the JSON dicts X sent (``return_type=dict``); tweepy's errors
become the collectors' named errors. tweepy never sleeps here (``wait_on_rate_limit``
is off): the poller decides when to come back, so a 429 never blocks other sources.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import requests
import tweepy

from collectors.errors import AuthFailed, CollectorError, RateLimited, TemporarilyUnavailable
from collectors.http import redirecting_session

TWEEPY_ORIGIN = "https://api.twitter.com"  # hard-coded in tweepy.BaseClient.request
TWEET_FIELDS = ["created_at", "author_id", "conversation_id", "in_reply_to_user_id", "referenced_tweets", "lang"]
USER_FIELDS = ["username", "name"]


class XAdapter:
    def __init__(self, bearer_token: str, api_base: str = TWEEPY_ORIGIN, timeout: float = 20.0):
        self.client = tweepy.Client(bearer_token=bearer_token, return_type=dict, wait_on_rate_limit=False)
        redirecting_session(self.client.session, TWEEPY_ORIGIN, api_base, timeout)

    @classmethod
    def from_settings(cls, settings) -> XAdapter:
        return cls(settings.x_bearer_token.get_secret_value(), settings.x_api_base, settings.http_timeout)

    def user_id(self, username: str) -> str:
        page = self._call(self.client.get_user, username=username.lstrip("@"))
        try:
            return str(page["data"]["id"])
        except (KeyError, TypeError):
            raise CollectorError(f"X account @{username} not found: {page.get('errors') or page}") from None

    def mentions(self, user_id: str, since_id: str | None, pagination_token: str | None,
                 max_results: int = 100) -> dict[str, Any]:
        return self._call(self.client.get_users_mentions, user_id, since_id=since_id,
                          pagination_token=pagination_token, max_results=max(5, min(100, max_results)),
                          tweet_fields=TWEET_FIELDS, expansions=["author_id"], user_fields=USER_FIELDS)

    def own_posts(self, user_id: str, since_id: str | None, pagination_token: str | None,
                  max_results: int = 100, start_time: datetime | None = None) -> dict[str, Any]:
        """The account's own timeline, replies included (they are what Tanggap looks for);
        retweets left out: they answer nobody and would only spend the read budget."""
        return self._call(self.client.get_users_tweets, user_id, since_id=since_id, start_time=start_time,
                          pagination_token=pagination_token, max_results=max(5, min(100, max_results)),
                          exclude=["retweets"], tweet_fields=TWEET_FIELDS, expansions=["author_id"],
                          user_fields=USER_FIELDS)

    def search(self, query: str, since_id: str | None, next_token: str | None,
               max_results: int = 100) -> dict[str, Any]:
        return self._call(self.client.search_recent_tweets, query, since_id=since_id, next_token=next_token,
                          max_results=max(10, min(100, max_results)), tweet_fields=TWEET_FIELDS,
                          expansions=["author_id"], user_fields=USER_FIELDS)

    @staticmethod
    def _call(method, *args, **params) -> dict[str, Any]:
        params = {k: v for k, v in params.items() if v is not None}
        try:
            page = method(*args, **params)
        except tweepy.TooManyRequests as exc:
            reset = getattr(exc, "reset_time", None)
            raise RateLimited(datetime.fromtimestamp(reset, tz=UTC) if reset else None, "X API 429") from exc
        except (tweepy.Unauthorized, tweepy.Forbidden) as exc:
            raise AuthFailed(f"X API {exc.response.status_code}") from exc
        except tweepy.TwitterServerError as exc:
            raise TemporarilyUnavailable(f"X API {exc.response.status_code}") from exc
        except tweepy.HTTPException as exc:
            raise CollectorError(f"X API refused the request: {exc}") from exc
        except requests.Timeout as exc:
            raise TemporarilyUnavailable("X API timed out") from exc
        except requests.ConnectionError as exc:
            raise TemporarilyUnavailable(f"X API unreachable: {exc.__class__.__name__}") from exc
        except ValueError as exc:  # requests' JSONDecodeError: a truncated or garbled body
            raise TemporarilyUnavailable(f"X API sent malformed JSON: {exc}") from exc
        if not isinstance(page, dict):
            raise TemporarilyUnavailable(f"X API sent {type(page).__name__}, expected an object")
        return page
