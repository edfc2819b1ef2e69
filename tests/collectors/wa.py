"""WhatsApp webhook deliveries for tests: the recorded payloads (tests/fixtures/whatsapp) with
the wamid, sender, time and line a test needs, signed with the test's own app secret."""

from __future__ import annotations

import copy
import json
from datetime import datetime
from functools import cache
from pathlib import Path

from collectors.wa_webhook import signature_of

FIXTURES = Path(__file__).parent.parent / "fixtures" / "whatsapp"
APP_SECRET = "test-app-secret-0123456789"
VERIFY_TOKEN = "test-verify-token-42"
REGENT_LINE = "1122334455667"  # the recorded payloads' phone_number_id
CAMAT_LINE = "5566778899001"


@cache
def _fixtures(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def recorded(kind: str, file: str = "message.json") -> dict:
    """A fresh copy of one recorded delivery."""
    return copy.deepcopy(_fixtures(file)[kind])


def message_of(delivery: dict) -> dict:
    return delivery["entry"][0]["changes"][0]["value"]["messages"][0]


def delivery(kind: str = "text", *, wamid: str | None = None, sender: str = "6281234567890",
             at: datetime | None = None, line: str = REGENT_LINE, text: str | None = None,
             file: str = "message.json") -> dict:
    """A recorded delivery of ``kind`` with its one message changed as asked."""
    d = recorded(kind, file)
    value = d["entry"][0]["changes"][0]["value"]
    value["metadata"]["phone_number_id"] = line
    value["contacts"][0]["wa_id"] = sender
    msg = value["messages"][0]
    msg["from"] = sender
    if wamid:
        msg["id"] = wamid
    if at:
        msg["timestamp"] = str(int(at.timestamp()))
    if text is not None:
        msg["text"]["body"] = text
    return d


def batch(*deliveries: dict) -> dict:
    """Several deliveries' messages in one delivery, as Meta batches them."""
    first = copy.deepcopy(deliveries[0])
    value = first["entry"][0]["changes"][0]["value"]
    value["messages"] = [message_of(d) for d in deliveries]
    return first


def body(payload: dict) -> bytes:
    return json.dumps(payload).encode()


def signed_headers(raw: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    return {"Content-Type": "application/json", "X-Hub-Signature-256": signature_of(raw, secret)}
