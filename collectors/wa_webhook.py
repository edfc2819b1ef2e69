"""The WhatsApp webhook: a small ASGI app (Starlette, served by uvicorn) at /webhook/whatsapp.

- ``GET``: Meta's subscription check. ``hub.mode=subscribe`` with ``hub.verify_token`` equal
  to TANGGAP_WHATSAPP_VERIFY_TOKEN answers ``hub.challenge``; anything else is 403.
- ``POST``: a delivery. It is accepted only when ``X-Hub-Signature-256`` is the HMAC-SHA256
  of the raw body under TANGGAP_WHATSAPP_APP_SECRET (compared in constant time); otherwise
  403 and nothing is stored. A body over TANGGAP_WHATSAPP_MAX_BODY_BYTES is refused (413)
  before it is read whole. An accepted delivery is written as it came and answered 200 as
  soon as its transaction commits: Meta retries deliveries it sees unanswered, and parsing
  or classifying here would make it wait. The worker ingests it (collectors/wa_ingest.py).
  Deliveries that arrive while a write is running are written together in the next
  transaction (group commit): one commit, and one wait for the database's write lock, for
  many deliveries, which is what keeps a burst answered quickly.

No message content is logged: deliveries carry citizens' numbers and words.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import time
from collections.abc import Callable

from sqlalchemy import Engine, insert
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from collectors.errors import MissingSettings
from store.db import SQLITE_BUSY_TIMEOUT_MS
from store.settings import Settings
from store.tables import WhatsAppDelivery
from store.types import utcnow

log = logging.getLogger(__name__)
PATH = "/webhook/whatsapp"
SIGNATURE_HEADER = "x-hub-signature-256"


MAX_GROUP = 500  # deliveries written in one transaction at most


class BodyTooLarge(Exception):
    pass


class GroupWriter:
    """Writes each body before its request is answered; bodies that arrive while a write is
    running go together in the next one. Runs on the server's event loop (one thread), so the
    queue needs no lock; the database write itself runs in a worker thread."""

    def __init__(self, write_many: Callable[[list[bytes]], None]):
        self.write_many = write_many
        self.queue: list[tuple[bytes, asyncio.Future[None]]] = []
        self.drainer: asyncio.Task[None] | None = None

    async def write(self, body: bytes) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.queue.append((body, done))
        if self.drainer is None or self.drainer.done():
            self.drainer = asyncio.get_running_loop().create_task(self._drain())
        await done  # raises what the write raised: the request is answered 500 and Meta retries

    async def _drain(self) -> None:
        while self.queue:
            group, self.queue = self.queue[:MAX_GROUP], self.queue[MAX_GROUP:]
            try:
                await run_in_threadpool(self.write_many, [body for body, _ in group])
            except (SQLAlchemyError, OSError) as exc:
                log.error("WhatsApp deliveries not stored (%d answered 500, Meta retries them): %s", len(group), exc)
                for _, done in group:
                    done.set_exception(exc)
            else:
                for _, done in group:
                    done.set_result(None)
            finally:  # anything else (a bug, a cancelled task): no request may wait for ever
                for _, done in group:
                    if not done.done():
                        done.set_exception(RuntimeError("delivery not stored"))


def signature_of(body: bytes, app_secret: str) -> str:
    """The header value Meta sends with ``body``: ``sha256=<hex HMAC-SHA256>``."""
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def signed(body: bytes, app_secret: str, header: str | None) -> bool:
    if not header:
        return False
    return hmac.compare_digest(signature_of(body, app_secret).encode(), header.strip().encode())


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise BodyTooLarge
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:  # chunked or lying about its length
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def write_sqlite(writer: Engine, rows: list[dict]) -> None:
    """The insert on SQLite, taking the write lock as soon as it is free.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries, so a writer
    that keeps committing back to back (the worker draining a backlog, batch after batch)
    can make the webhook wait 100 ms and more. Here the webhook asks without waiting and
    polls every millisecond instead, up to the same timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    with writer.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    with conn.begin():
                        conn.execute(insert(WhatsAppDelivery), rows)
                    return
                except OperationalError as exc:
                    if "locked" not in str(exc.orig) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.001)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")


def create_app(settings: Settings, engine: Engine | None = None) -> Starlette:
    """The webhook app; refuses to build without the app secret and the verify token."""
    missing = [name for name in ("whatsapp_app_secret", "whatsapp_verify_token") if getattr(settings, name) is None]
    if missing:
        raise MissingSettings("whatsapp", missing)
    app_secret = settings.whatsapp_app_secret.get_secret_value()  # type: ignore[union-attr]
    verify_token = settings.whatsapp_verify_token.get_secret_value().encode()  # type: ignore[union-attr]
    limit = settings.whatsapp_max_body_bytes
    if engine is None:
        from store.db import get_engine
        engine = get_engine()
    # SQLite: take the write lock at BEGIN, so a busy database queues the insert (busy timeout).
    writer = engine.execution_options(sqlite_begin="IMMEDIATE") if engine.dialect.name == "sqlite" else engine
    def store(bodies: list[bytes]) -> None:
        rows = [{"body": body, "received_at": utcnow(), "state": "pending"} for body in bodies]
        if writer.dialect.name == "sqlite":
            write_sqlite(writer, rows)
        else:
            with writer.begin() as conn:
                conn.execute(insert(WhatsAppDelivery), rows)

    group = GroupWriter(store)

    async def verify(request: Request) -> Response:
        params = request.query_params
        token = params.get("hub.verify_token", "").encode()
        if params.get("hub.mode") == "subscribe" and hmac.compare_digest(token, verify_token):
            return PlainTextResponse(params.get("hub.challenge", ""))
        return PlainTextResponse("forbidden", status_code=403)

    async def receive(request: Request) -> Response:
        try:
            body = await _read_limited(request, limit)
        except BodyTooLarge:
            return PlainTextResponse("body too large", status_code=413)
        if not signed(body, app_secret, request.headers.get(SIGNATURE_HEADER)):
            log.warning("WhatsApp delivery refused: missing or wrong %s", SIGNATURE_HEADER)
            return PlainTextResponse("forbidden", status_code=403)
        await group.write(body)
        return PlainTextResponse("ok")

    async def health(_request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(PATH, verify, methods=["GET"]), Route(PATH, receive, methods=["POST"]),
                             Route("/webhook/health", health, methods=["GET"])])


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the app with uvicorn until SIGTERM or Ctrl+C (uvicorn finishes the requests in flight)."""
    import uvicorn

    # log_config=None: uvicorn's records go to the root handlers, where the redacting filter
    # sits (the verification request carries the verify token in its query string).
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False,
                server_header=False, date_header=False)
