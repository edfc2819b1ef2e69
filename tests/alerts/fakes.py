"""Local stand-ins for the alert channels: a Telegram Bot API on 127.0.0.1 and an SMTP
server with STARTTLS (aiosmtpd, a certificate from a throwaway CA made by trustme)."""

from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler

from tests.loopback import LoopbackServer


@dataclass
class Received:
    token: str
    chat_id: str
    text: str
    at: float  # time.monotonic() when the server accepted it


class FakeTelegram:
    """``POST /bot<token>/sendMessage``; ``down`` answers 502 to everything, and a chat id in
    ``missing_chats`` gets Telegram's 400 "chat not found"."""

    def __init__(self):
        self.messages: list[Received] = []
        self.down = False
        self.missing_chats: set[str] = set()
        self.on_message = None  # called with each accepted message (the crash test kills there)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the real Bot API allows
            disable_nagle_algorithm = True  # headers and body go out at once (no delayed-ACK stall)

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])))
                token, _, method = self.path.removeprefix("/bot").partition("/")
                if fake.down:
                    return self._reply(502, {"ok": False, "description": "Bad Gateway"})
                if method != "sendMessage":
                    return self._reply(404, {"ok": False, "description": "Not Found"})
                chat = str(body["chat_id"])
                if chat in fake.missing_chats:
                    return self._reply(400, {"ok": False, "error_code": 400,
                                             "description": "Bad Request: chat not found"})
                fake.messages.append(Received(token, chat, body["text"], time.monotonic()))
                if fake.on_message:
                    fake.on_message()
                return self._reply(200, {"ok": True, "result": {"message_id": len(fake.messages)}})

            def _reply(self, status: int, data: dict) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, *args):
                pass

        self.loopback = LoopbackServer(Handler)

    @property
    def url(self) -> str:
        return self.loopback.url

    def close(self) -> None:
        self.loopback.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """aiosmtpd handler keeping each message that arrived (over TLS only)."""

    def __init__(self):
        self.messages: list[dict] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append({"to": envelope.rcpt_tos, "data": envelope.content.decode("utf-8", "replace"),
                              "tls": session.ssl is not None})
        return "250 OK"
