"""Fake X and Graph APIs that keep what was posted, on tests/collectors/fakes.FakeAPI: a
reply posted there can be looked up there, and a test counts each post exactly."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

from collectors.x_replies import TWITTER_EPOCH_MS
from tests.collectors.fakes import FakeAPI, Reply, recorded_json

ACCOUNT_ID = "9000"
PAGE = "1122334455"
GRAPH = "/v25.0"
POSTED_AT = datetime(2026, 11, 29, 12, 10, tzinfo=UTC)  # the fake platform's clock: 19:10 WIB


def snowflake(at: datetime, sequence: int = 0) -> str:
    return str(((int(at.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22) | sequence)


class FakeX:
    """POST /2/tweets (the recorded create_tweet response's shape), GET /2/users/me and the
    account's timeline GET /2/users/:id/tweets with every post made here."""

    def __init__(self, api: FakeAPI):
        self.api, self.posted, self.errors = api, [], []
        self.lock = threading.Lock()  # two senders post at once; ids stay unique
        self.shape = recorded_json("test_client_create_and_delete_tweet.yaml", 0)  # {"data": {"id", "text"}}
        api.add("/2/tweets", self._create)
        api.add("/2/users/me", Reply(body={"data": {"id": ACCOUNT_ID, "name": "Bupati", "username": "bupati"}}))
        api.add(f"/2/users/{ACCOUNT_ID}/tweets", self._timeline)

    def fail_next(self, *replies: Reply) -> None:
        self.errors.extend(replies)

    def _create(self, body: dict) -> Reply:
        with self.lock:
            return self._create_one(body)

    def _create_one(self, body: dict) -> Reply:
        if self.errors:
            return self.errors.pop(0)
        post_id = snowflake(POSTED_AT + timedelta(seconds=len(self.posted)))
        target = (body.get("reply") or {}).get("in_reply_to_tweet_id")
        self.posted.append({"id": post_id, "text": body["text"], "edit_history_tweet_ids": [post_id],
                            "referenced_tweets": [{"type": "replied_to", "id": target}] if target else []})
        data = {**self.shape["data"], "id": post_id, "text": body["text"]}
        return Reply(201, {"data": data})

    def _timeline(self, query: dict) -> Reply:
        since = int(query.get("since_id") or 0)
        posts = [p for p in reversed(self.posted) if int(p["id"]) > since]
        return Reply(body={"data": posts, "meta": {"result_count": len(posts)}} if posts else
                     {"meta": {"result_count": 0}})

    def replies_to(self, target: str) -> list[dict]:
        return [p for p in self.posted if {"type": "replied_to", "id": target} in p["referenced_tweets"]]


class FakeGraph:
    """Comments under an object (GET and POST /{id}/comments), a comment's fields, and the
    Page's private replies (POST /{page}/messages with recipient.comment_id)."""

    def __init__(self, api: FakeAPI, *objects: str):
        self.api, self.errors = api, []
        self.comments: dict[str, list[dict]] = {}
        self.private: list[dict] = []
        api.add(f"{GRAPH}/{PAGE}/messages", self._message)
        for object_id in objects:
            self.add_object(object_id)

    def add_object(self, object_id: str) -> None:
        self.comments.setdefault(object_id, [])
        self.api.add(f"{GRAPH}/{object_id}/comments", lambda q: self._comments(object_id, q))
        self.api.add(f"{GRAPH}/{object_id}", lambda q: self._object(object_id))

    def fail_next(self, *replies: Reply) -> None:
        self.errors.extend(replies)

    def _comments(self, object_id: str, query: dict) -> Reply:
        if query.get("_method") != "POST":
            return Reply(body={"data": list(reversed(self.comments[object_id]))})
        if self.errors:
            return self.errors.pop(0)
        comment_id = f"{object_id.split('_')[0]}_{900 + sum(map(len, self.comments.values()))}"
        created = (POSTED_AT + timedelta(seconds=len(self.comments[object_id]))).strftime("%Y-%m-%dT%H:%M:%S+0000")
        self.comments[object_id].append({"id": comment_id, "from": {"id": PAGE, "name": "Bupati Banyuwangi"},
                                         "message": query["message"], "created_time": created})
        self.api.add(f"{GRAPH}/{comment_id}", lambda q: Reply(body={"id": comment_id, "created_time": created}))
        return Reply(body={"id": comment_id})

    def _object(self, object_id: str) -> Reply:
        replied = any(m["comment_id"] == object_id for m in self.private)
        return Reply(body={"id": object_id, "can_reply_privately": not replied,
                           "created_time": "2026-11-29T11:00:00+0000"})

    def _message(self, body: dict) -> Reply:
        if self.errors:
            return self.errors.pop(0)
        comment_id = json.loads(body["recipient"])["comment_id"]
        self.private.append({"comment_id": comment_id, "text": json.loads(body["message"])["text"]})
        return Reply(body={"recipient_id": "2001", "message_id": f"m_{len(self.private)}"})

    def page_comments(self, object_id: str) -> list[str]:
        return [c["message"] for c in self.comments[object_id]]
