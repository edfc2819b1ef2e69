"""The webhook over real HTTP (uvicorn on 127.0.0.1): Meta's verification handshake, signed
deliveries stored as they came and acknowledged, anything unsigned or altered refused with
nothing stored, oversized bodies refused."""

from __future__ import annotations

import hashlib
import hmac

import pytest
import requests
from sqlmodel import select

from store.db import read_session
from store.tables import WhatsAppDelivery
from tests.collectors.wa import APP_SECRET, VERIFY_TOKEN, body, delivery, signed_headers
from tests.collectors.wa_server import WebhookServer


@pytest.fixture
def webhook(db, settings_env):
    settings = settings_env(whatsapp_app_secret=APP_SECRET, whatsapp_verify_token=VERIFY_TOKEN,
                            whatsapp_max_body_bytes=4096)
    with WebhookServer(settings, db) as server:
        yield server


def _stored() -> list[bytes]:
    with read_session() as s:
        return [bytes(b) for b in s.exec(select(WhatsAppDelivery.body).order_by(WhatsAppDelivery.id)).all()]


def test_meta_verification_echoes_the_challenge_only_with_our_token(webhook):
    ok = requests.get(webhook.url, params={"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
                                           "hub.challenge": "1158201444"}, timeout=5)
    assert (ok.status_code, ok.text) == (200, "1158201444")
    for params in ({"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"},
                   {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
                   {"hub.challenge": "1"}):
        refused = requests.get(webhook.url, params=params, timeout=5)
        assert (refused.status_code, refused.text) == (403, "forbidden")


def test_a_signed_delivery_is_stored_byte_for_byte_and_acknowledged(webhook):
    raw = body(delivery("text", wamid="wamid.A1"))
    response = requests.post(webhook.url, data=raw, headers=signed_headers(raw), timeout=5)
    assert (response.status_code, response.text) == (200, "ok")
    assert _stored() == [raw]
    with read_session() as s:
        assert s.exec(select(WhatsAppDelivery.state)).one() == "pending"


def _changed_byte(raw: bytes) -> bytes:
    i = raw.index(b"Body Text")
    return raw[:i] + b"Bady" + raw[i + 4:]


@pytest.mark.parametrize("tamper", [
    "missing",  # no signature header at all
    "bad",  # a signature made with another secret
    "changed_byte",  # a body replayed with one byte changed, under the original's signature
    "no_prefix",  # the right hex without "sha256="
    "sha1",  # the old X-Hub-Signature (SHA-1) scheme's value
])
def test_unsigned_or_altered_deliveries_are_refused_and_nothing_is_stored(webhook, tamper):
    raw = body(delivery("text", wamid="wamid.B1"))
    headers = signed_headers(raw)
    sent = raw
    if tamper == "missing":
        del headers["X-Hub-Signature-256"]
    elif tamper == "bad":
        headers = signed_headers(raw, secret="another-secret")
    elif tamper == "changed_byte":
        sent = _changed_byte(raw)
    elif tamper == "no_prefix":
        headers["X-Hub-Signature-256"] = headers["X-Hub-Signature-256"].removeprefix("sha256=")
    elif tamper == "sha1":
        headers["X-Hub-Signature-256"] = "sha1=" + hmac.new(APP_SECRET.encode(), raw, hashlib.sha1).hexdigest()
    response = requests.post(webhook.url, data=sent, headers=headers, timeout=5)
    assert (response.status_code, response.text) == (403, "forbidden")
    assert _stored() == []


def test_a_body_over_the_limit_is_refused_before_it_is_stored(webhook):
    raw = body(delivery("text", wamid="wamid.C1", text="x" * 5000))
    response = requests.post(webhook.url, data=raw, headers=signed_headers(raw), timeout=5)
    assert response.status_code == 413
    # the same without Content-Length (chunked): cut off while streaming
    chunked = requests.post(webhook.url, data=iter([raw[:3000], raw[3000:]]), headers=signed_headers(raw), timeout=5)
    assert chunked.status_code == 413
    assert _stored() == []


def test_the_same_delivery_twice_is_stored_twice_and_ingested_once_later(webhook):
    raw = body(delivery("text", wamid="wamid.D1"))
    for _ in range(2):
        assert requests.post(webhook.url, data=raw, headers=signed_headers(raw), timeout=5).status_code == 200
    assert _stored() == [raw, raw]  # Meta's retries are stored as they come; the wamid dedups (test_wa_ingest)


def test_the_app_will_not_start_without_its_secrets(db, settings_env):
    from collectors.errors import MissingSettings
    from collectors.wa_webhook import create_app
    with pytest.raises(MissingSettings, match="TANGGAP_WHATSAPP_APP_SECRET, TANGGAP_WHATSAPP_VERIFY_TOKEN"):
        create_app(settings_env(), db)


def test_a_burst_of_concurrent_deliveries_is_stored_whole_each_before_its_answer(webhook):
    from concurrent.futures import ThreadPoolExecutor
    raws = [body(delivery("text", wamid=f"wamid.burst{n}")) for n in range(60)]

    def send(raw: bytes) -> int:
        return requests.post(webhook.url, data=raw, headers=signed_headers(raw), timeout=10).status_code

    with ThreadPoolExecutor(12) as pool:
        assert list(pool.map(send, raws)) == [200] * 60
    assert sorted(_stored()) == sorted(raws)


def test_a_database_that_cannot_store_answers_500_so_meta_retries(db, settings_env):
    from sqlalchemy import text
    settings = settings_env(whatsapp_app_secret=APP_SECRET, whatsapp_verify_token=VERIFY_TOKEN)
    with db.begin() as conn:
        conn.execute(text("ALTER TABLE whatsappdelivery RENAME TO whatsappdelivery_away"))
    try:
        with WebhookServer(settings, db) as server:
            raw = body(delivery("text", wamid="wamid.lost"))
            assert requests.post(server.url, data=raw, headers=signed_headers(raw), timeout=5).status_code == 500
    finally:
        with db.begin() as conn:
            conn.execute(text("ALTER TABLE whatsappdelivery_away RENAME TO whatsappdelivery"))
