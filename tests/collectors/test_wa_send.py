"""Sending through the Cloud API against a local fake Graph server: a text inside the 24-hour
window reaches it once, a template outside it, Graph errors become the named errors; media
fetched only on demand, with the token sent only where Graph's media URLs live. The window
itself with a frozen clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from collectors.errors import AuthFailed, MissingSettings, RateLimited, TemporarilyUnavailable
from collectors.wa_send import OutsideWindow, SendRejected, WhatsAppSender
from collectors.wa_window import last_inbound_at, reply_mode, window_closes_at
from store.db import write_session
from store.tables import Mention
from tests.collectors.fakes import Reply
from tests.frozen import AT_NOON_WIB, NOON_WIB

pytestmark = AT_NOON_WIB
LINE = "1122334455667"
MESSAGES = f"/v25.0/{LINE}/messages"
OK = {"messaging_product": "whatsapp", "contacts": [{"input": "6281234567890", "wa_id": "6281234567890"}],
      "messages": [{"id": "wamid.HBgMNjI4MTIzNDU2Nzg5MBUCABEYEjQ"}]}


@pytest.fixture
def sender(fake_api, settings_env):
    settings = settings_env(whatsapp_access_token="wa-system-token", whatsapp_graph_url=fake_api.url + "/",
                            http_timeout=2)
    return WhatsAppSender.from_settings(settings, LINE)


def _graph_error(code: int, status: int = 400) -> Reply:
    return Reply(status, {"error": {"message": f"error {code}", "type": "OAuthException", "code": code,
                                    "fbtrace_id": "A"}})


def test_a_reply_inside_the_window_reaches_graph_once_as_text(fake_api, sender):
    fake_api.add(MESSAGES, Reply(body=OK))
    last_inbound = NOON_WIB - timedelta(hours=2)
    assert reply_mode(last_inbound, NOON_WIB) == "free_form"
    sent = sender.send_text("+6281234567890", "Terima kasih, tim PU sudah kami teruskan.", reply_to="wamid.in1")
    assert sent.wamid == "wamid.HBgMNjI4MTIzNDU2Nzg5MBUCABEYEjQ"
    [(path, payload, headers)] = fake_api.posted
    assert path == MESSAGES and headers["Authorization"] == "Bearer wa-system-token"
    assert payload == {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "6281234567890",
                       "type": "text", "text": {"preview_url": False,
                                                "body": "Terima kasih, tim PU sudah kami teruskan."},
                       "context": {"message_id": "wamid.in1"}}


def test_outside_the_window_only_the_approved_template_goes(fake_api, sender):
    fake_api.add(MESSAGES, Reply(body=OK))
    assert reply_mode(NOON_WIB - timedelta(hours=25), NOON_WIB) == "template"
    sender.send_template("+6281234567890", "tanggapan_laporan", "id", body_params=["42"])
    [(_, payload, _)] = fake_api.posted
    assert payload["type"] == "template"
    assert payload["template"] == {"name": "tanggapan_laporan", "language": {"code": "id"},
                                   "components": [{"type": "body", "parameters": [{"type": "text", "text": "42"}]}]}


@pytest.mark.parametrize(("reply", "error"), [
    (_graph_error(190, 401), AuthFailed),  # expired token: stop until replaced
    (_graph_error(130429), RateLimited),  # throughput limit
    (_graph_error(131056), RateLimited),  # too many messages to one number
    (_graph_error(131000, 500), TemporarilyUnavailable),  # 5xx
    (_graph_error(131016), TemporarilyUnavailable),  # service unavailable
    (_graph_error(131047), OutsideWindow),  # more than 24 hours: send the template instead
    (_graph_error(131026), SendRejected),  # undeliverable: not retried
    (_graph_error(132001), SendRejected),  # template does not exist
    (Reply(200, "<html>"), TemporarilyUnavailable),  # garbled body
    (Reply(200, {"messages": []}), TemporarilyUnavailable),  # no message id
    (Reply(hang=True), TemporarilyUnavailable),  # timeout
])
def test_graph_errors_become_the_named_errors(fake_api, sender, reply, error):
    fake_api.add(MESSAGES, reply)
    with pytest.raises(error):
        sender.send_text("+6281234567890", "halo")


def test_media_is_fetched_only_when_asked_with_the_token(fake_api, sender):
    fake_api.add("/v25.0/65463453", Reply(body={"url": fake_api.url + "/media/65463453", "mime_type": "image/jpeg",
                                                "id": "65463453"}))
    fake_api.add("/media/65463453", Reply(body=b"\xff\xd8\xff\xe0jpeg", headers={"content-type": "image/jpeg"}))
    media = sender.fetch_media("65463453")
    assert (media.content, media.mime_type) == (b"\xff\xd8\xff\xe0jpeg", "image/jpeg")
    assert fake_api.paths() == ["/v25.0/65463453", "/media/65463453"]


def test_the_token_is_never_sent_to_a_media_url_off_metas_hosts(fake_api, sender):
    fake_api.add("/v25.0/1", Reply(body={"url": "https://evil.example/steal", "mime_type": "image/jpeg"}))
    with pytest.raises(SendRejected, match=r"unexpected host 'evil\.example'"):
        sender.fetch_media("1")


def test_sending_needs_the_access_token(settings_env):
    with pytest.raises(MissingSettings, match="TANGGAP_WHATSAPP_ACCESS_TOKEN"):
        WhatsAppSender.from_settings(settings_env(), LINE)


@pytest.mark.parametrize(("last", "mode"), [
    (NOON_WIB - timedelta(hours=24), "free_form"),  # exactly 24 hours: the last instant still counts
    (NOON_WIB - timedelta(hours=24, seconds=1), "template"),  # one second later: closed
    (NOON_WIB - timedelta(minutes=1), "free_form"),
    (None, "template"),  # the citizen never wrote on WhatsApp (a case from X or SMS)
])
def test_the_24_hour_window_from_the_last_inbound_message(last, mode):
    assert reply_mode(last, datetime.now(UTC)) == mode
    assert window_closes_at(last) == (None if last is None else last + timedelta(hours=24))


def test_the_window_counts_from_the_cases_last_whatsapp_message(make_case):
    case = make_case("jalan rusak", created_at=NOON_WIB - timedelta(hours=30), platform="whatsapp")
    with write_session() as s:
        s.add(Mention(platform="whatsapp", external_id="wamid.later", text="masih rusak", case_id=case.id,
                      created_at=NOON_WIB - timedelta(hours=3), thread_key="wa:+6281"))
        s.add(Mention(platform="sms", external_id="sms-1", text="sms", case_id=case.id,
                      created_at=NOON_WIB - timedelta(hours=1), thread_key="sms:+6281"))
    with write_session() as s:
        assert last_inbound_at(s, case.id) == NOON_WIB - timedelta(hours=3)
    assert reply_mode(NOON_WIB - timedelta(hours=3), NOON_WIB) == "free_form"
