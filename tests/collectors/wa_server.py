"""The webhook app served by a real uvicorn on 127.0.0.1 in a thread, for tests and the benchmark."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from collectors.wa_webhook import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebhookServer:
    def __init__(self, settings, engine=None):
        self.port = free_port()
        config = uvicorn.Config(create_app(settings, engine), host="127.0.0.1", port=self.port, log_config=None,
                                access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}/webhook/whatsapp"

    def __enter__(self) -> WebhookServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the webhook server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)
