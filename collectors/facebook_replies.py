"""Posts replies on the Facebook Page through facebook-sdk: a comment under the citizen's
comment or visitor post, or, for a restricted case, a private reply (Messenger's
``recipient: {comment_id}`` form; Graph allows one per comment, within 7 days) followed by a
neutral public comment. Finds what a crashed sender posted: the Page's comments on the
object, and the comment's ``can_reply_privately`` (false once the private reply is sent)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import facebook
import requests

from collectors.errors import (
    AuthFailed,
    CollectorError,
    MissingSettings,
    RateLimited,
    ReplyRefused,
    TemporarilyUnavailable,
)
from collectors.facebook import RATE_LIMIT_CODES, TRANSIENT_CODES, FacebookAdapter
from collectors.reply_channel import Posted
from store.replies import Outgoing
from store.types import utcnow

# Graph error codes a reply fails on for good, with the words' code (console/i18n.py).
REFUSED = {368: "fb_blocked", 100: "fb_deleted", 10: "fb_permission", 200: "fb_permission"}


class FacebookReplies:
    def __init__(self, adapter: FacebookAdapter, page_id: str):
        self.adapter, self.page_id = adapter, page_id

    @classmethod
    def from_settings(cls, settings) -> FacebookReplies:
        missing = [k for k in ("facebook_page_id", "facebook_page_token") if getattr(settings, k) is None]
        if missing:
            raise MissingSettings("facebook replies", missing)
        return cls(FacebookAdapter.from_settings(settings), settings.facebook_page_id)

    def post(self, reply: Outgoing) -> Posted:
        if reply.private:
            return self._post_private(reply)
        comment = self._call("put_object", reply.target, "comments", message=reply.text)
        return self._posted(str(comment.get("id") or ""))

    def _post_private(self, reply: Outgoing) -> Posted:
        """The private reply, then the public note; each only if it is not there yet, so a
        sender that died between the two finishes the second without repeating the first."""
        message_id = None
        if self._may_reply_privately(reply.target):
            recipient = json.dumps({"comment_id": reply.target})
            sent = self._call("put_object", self.page_id, "messages", recipient=recipient,
                              message=json.dumps({"text": reply.text}), messaging_type="RESPONSE")
            message_id = str(sent.get("message_id") or "")
        note = self._page_comment(reply.target, reply.public_note) if reply.public_note else None
        if reply.public_note and note is None:
            self._call("put_object", reply.target, "comments", message=reply.public_note)
        return Posted(message_id or f"private:{reply.target}", utcnow())

    def find(self, reply: Outgoing) -> Posted | None:
        if reply.private:
            done = not self._may_reply_privately(reply.target)
            note_done = not reply.public_note or self._page_comment(reply.target, reply.public_note) is not None
            return Posted(f"private:{reply.target}", utcnow()) if done and note_done else None
        found = self._page_comment(reply.target, reply.text)
        return self._posted(found["id"], found.get("created_time")) if found else None

    def _may_reply_privately(self, comment_id: str | None) -> bool:
        return bool(self._call("get_object", comment_id, fields="can_reply_privately").get("can_reply_privately"))

    def _page_comment(self, parent: str | None, text: str | None) -> dict[str, Any] | None:
        """The Page's comment with this text under ``parent`` (newest first, one page of 100)."""
        page = self._call("get_connections", parent, "comments", fields="id,from,message,created_time",
                          order="reverse_chronological", limit=100)
        for comment in page.get("data") or []:
            if (comment.get("from") or {}).get("id") == self.page_id and comment.get("message") == text:
                return comment
        return None

    def _posted(self, comment_id: str, created_time: str | None = None) -> Posted:
        if not comment_id:
            raise TemporarilyUnavailable("Graph answered the comment without an id")
        if created_time is None:
            created_time = self._call("get_object", comment_id, fields="created_time").get("created_time")
        try:
            at = datetime.strptime(str(created_time), "%Y-%m-%dT%H:%M:%S%z")
        except ValueError:
            at = utcnow()  # the comment is there; its time is the nearest we know
        return Posted(comment_id, at)

    def _call(self, method: str, *args: Any, **params: Any) -> dict[str, Any]:
        facebook.FACEBOOK_GRAPH_URL = self.adapter.graph_url
        try:
            body = getattr(self.adapter.graph, method)(*args, **params)
        except facebook.GraphAPIError as exc:
            raise _named(exc) from exc
        except requests.Timeout as exc:
            raise TemporarilyUnavailable("Graph API timed out") from exc
        except requests.ConnectionError as exc:
            raise TemporarilyUnavailable(f"Graph API unreachable: {exc.__class__.__name__}") from exc
        except (ValueError, KeyError) as exc:
            raise TemporarilyUnavailable(f"Graph API sent an unreadable response: {exc!r}") from exc
        if not isinstance(body, dict):
            raise TemporarilyUnavailable("Graph API sent an unexpected body")
        return body


def _named(exc: facebook.GraphAPIError) -> CollectorError:
    code = exc.code if isinstance(exc.code, int) else None
    if code == 190:
        return AuthFailed(f"Graph error 190: {exc.message}")
    if code in RATE_LIMIT_CODES:
        return RateLimited(None, f"Graph error {code}")
    if code in TRANSIENT_CODES:
        return TemporarilyUnavailable(f"Graph error {code}: {exc.message}")
    return ReplyRefused(REFUSED.get(code or 0, "fb_refused"), f"Graph error {code}: {exc.message}"[:300])
