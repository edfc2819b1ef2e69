"""A local HTTP server on 127.0.0.1 standing in for the X API and the Graph API, the
recorded-response loader, and a settable clock. No test traffic leaves the machine."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml

from tests.loopback import LoopbackServer

FIXTURES = Path(__file__).parent.parent / "fixtures"


@dataclass
class Reply:
    status: int = 200
    body: bytes | dict | list | str = b"{}"
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # never answer (until the server stops): the client times out


def recorded(cassette: str, index: int = 0) -> Reply:
    """A response exactly as the cassette recorded it (gzip body and headers included)."""
    data = yaml.safe_load((FIXTURES / "tweepy" / cassette).read_text())
    response = data["interactions"][index]["response"]
    headers = {k: v[0] for k, v in response["headers"].items()
               if k.lower() in ("content-type", "content-encoding", "x-rate-limit-limit",
                                "x-rate-limit-remaining", "x-rate-limit-reset")}
    return Reply(response["status"]["code"], response["body"]["string"], headers)


def recorded_json(cassette: str, index: int = 0) -> dict:
    reply = recorded(cassette, index)
    body = reply.body
    if reply.headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return json.loads(body)


def fb_fixture(name: str) -> dict:
    return json.loads((FIXTURES / "facebook" / name).read_text())


class FakeAPI:
    """Routes: path → a list of replies served in turn (the last one repeats), or a
    function of the query returning a Reply."""

    def __init__(self):
        self.routes: dict[str, list[Reply] | Callable[[dict], Reply]] = {}
        self.requests: list[tuple[str, dict]] = []
        # POSTs as sent: (path, the JSON or form body, headers)
        self.posted: list[tuple[str, dict, dict[str, str]]] = []
        self.release = threading.Event()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlparse(self.path)
                self._serve(url.path, {k: v[0] for k, v in parse_qs(url.query).items()})

            def do_POST(self):
                """A POST's JSON or form body joins its query, with "_method": "POST", so one
                route function can serve both (Graph reads and writes share their paths)."""
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                if "json" in (self.headers.get("content-type") or ""):
                    body = json.loads(raw or b"{}")
                else:
                    body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                api.posted.append((url.path, body, dict(self.headers)))
                query.update(body)
                query["_method"] = "POST"
                self._serve(url.path, query)

            def _serve(self, path: str, query: dict) -> None:
                api.requests.append((path, query))
                route = api.routes.get(path)
                if route is None:
                    reply = Reply(404, {"error": {"message": f"no route {path}", "code": 803}})
                elif callable(route):
                    reply = route(query)
                else:
                    reply = route.pop(0) if len(route) > 1 else route[0]
                if reply.hang:
                    api.release.wait(10)
                    return
                body = reply.body
                if isinstance(body, dict | list):
                    body = json.dumps(body).encode()
                elif isinstance(body, str):
                    body = body.encode()
                self.send_response(reply.status)
                headers = {"content-type": "application/json; charset=utf-8", **reply.headers}
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.loopback = LoopbackServer(Handler)

    @property
    def url(self) -> str:
        return self.loopback.url

    def add(self, path: str, *replies: Reply | Callable[[dict], Reply]) -> None:
        self.routes[path] = replies[0] if len(replies) == 1 and callable(replies[0]) else list(replies)

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]

    def close(self) -> None:
        self.release.set()
        self.loopback.stop()


class Clock:
    """A settable clock for the poller (no test sleeps for time)."""

    def __init__(self, now: datetime | None = None):
        self.now = now or datetime(2026, 11, 29, 4, 0, tzinfo=UTC)
        self.slept: list[float] = []

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(seconds)


def tweet(n: int, text: str | None = None, author: str = "100", conversation: int | None = None,
          base: int = 1_600_000_000_000_000_000) -> dict:
    """A tweet as X sends it with the fields Tanggap asks for; ids grow with n."""
    tid = base + n * (1 << 22) * 1000  # one second apart
    return {"id": str(tid), "text": text or f"jalan rusak nomor {n}", "author_id": author,
            "conversation_id": str(conversation or tid), "created_at": None, "lang": "in",
            "edit_history_tweet_ids": [str(tid)]}


def mentions_page(tweets: list[dict], next_token: str | None = None, users: list[dict] | None = None) -> dict:
    tweets = [{k: v for k, v in t.items() if v is not None} for t in tweets]
    meta = {"result_count": len(tweets)}
    if tweets:
        meta.update(newest_id=tweets[0]["id"], oldest_id=tweets[-1]["id"])
    if next_token:
        meta["next_token"] = next_token
    page = {"data": tweets, "meta": meta} if tweets else {"meta": meta}
    if users:
        page["includes"] = {"users": users}
    return page
