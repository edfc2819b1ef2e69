"""Tokens never reach a log, even with -v: `tanggap collect --once --source … -v` runs in its
own process against the local fake servers, with every secret setting set, and its whole
output is searched for each secret. The libraries' debug lines (tweepy's request headers,
urllib3's request line with the Page token in its query) must be there, redacted."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys

import pytest

from store.redaction import REDACTED, RedactingFilter, configure_logging, redact
from tests.collectors.conftest import GAMMU_INBOX
from tests.collectors.fakes import Reply, fb_fixture, mentions_page, recorded, tweet

SECRETS = {  # every SECRET_FIELDS setting, each with a value that cannot occur by chance
    "x_bearer_token": "AAAA-bearer-7f3k2q9",
    "x_consumer_key": "ck-4h8s1m0v6",
    "x_consumer_secret": "cs-9d2j5t7w3",
    "x_access_token": "783214-at-2n6b8x1",
    "x_access_token_secret": "ats-5p0r3y9c",
    "facebook_page_token": "EAAB/page+token=8z1q",  # '/', '+' and '=' change when URL-encoded
    "whatsapp_app_secret": "wa-app-secret-3k8d",
    "whatsapp_verify_token": "wa-verify-6m2x",
    "whatsapp_access_token": "EAAG/wa+token=4t7y",
    "telegram_bot_token": "7001234567:AAbot-token_4kq9",  # in the URL path of every Bot API call
}
PAGE = "19292868552"


def test_every_secret_setting_is_in_this_probe():
    from store.settings import SECRET_FIELDS
    assert set(SECRETS) == set(SECRET_FIELDS)


def _collect(source: str, **settings: str) -> str:
    env = {**os.environ, **{f"TANGGAP_{k.upper()}": v for k, v in {**SECRETS, **settings}.items()}}
    done = subprocess.run([sys.executable, "-m", "console.cli", "collect", "--once", "--source", source, "-v"],
                          env=env, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def _assert_no_secret(output: str) -> None:
    from urllib.parse import quote, quote_plus
    for name, value in SECRETS.items():
        for form in (value, quote(value, safe=""), quote_plus(value)):
            assert form not in output, f"{name} leaked as {form!r}"


@pytest.mark.parametrize("source", ["twitter", "twitter-search"])
def test_x_debug_output_shows_the_request_but_no_token(source, db, fake_api):
    fake_api.add("/2/users/by/username/Twitter", recorded("test_client_get_user.yaml"))
    page = Reply(body=mentions_page([tweet(2), tweet(1)]))  # one page, no next_token
    fake_api.add("/2/users/783214/mentions", page)
    fake_api.add("/2/users/783214/tweets", page)  # the own timeline, run with `twitter`
    fake_api.add("/2/tweets/search/recent", page)
    output = _collect(source, x_account="Twitter", x_search_query="Tweepy", x_api_base=fake_api.url)
    assert "Making API request" in output and "'Authorization': 'Bearer [redacted]'" in output  # tweepy
    assert f"{source}: ok" in output
    _assert_no_secret(output)


def test_facebook_debug_output_shows_the_url_but_no_page_token(db, fake_api):
    fake_api.add(f"/v25.0/{PAGE}/feed", Reply(body=fb_fixture("posts/feed_fields_p1.json")))
    fake_api.add(f"/v25.0/{PAGE}/tagged", Reply(body={"data": []}))
    output = _collect("facebook", facebook_page_id=PAGE, facebook_graph_url=fake_api.url + "/")
    assert f'"GET /v25.0/{PAGE}/feed?' in output and "access_token=[redacted]" in output  # urllib3
    assert "facebook: ok" in output
    _assert_no_secret(output)


def test_sms_debug_output_holds_no_token(db, tmp_path):
    inbox = tmp_path / "smsd.db"
    with sqlite3.connect(inbox) as conn:
        conn.executescript(GAMMU_INBOX)
        conn.execute("INSERT INTO inbox (ReceivingDateTime, Text, SenderNumber, UDH, TextDecoded, RecipientID) "
                     "VALUES ('2026-11-29 09:00:00', '', '081234565678', '', ?, 'smsd')",
                     (f"token saya {SECRETS['x_bearer_token']} tolong",))
    output = _collect("sms", sms_gammu_url=f"sqlite:///{inbox}")
    assert "sms: ok, fetched 1, inserted 1" in output
    _assert_no_secret(output)


@pytest.mark.parametrize("line, secret_part", [
    # tweepy's request headers
    ("Headers: {'Authorization': 'Bearer abc.DEF-123'}", "abc.DEF-123"),
    # urllib3's request line with a Graph token in the query
    ('"GET /v25.0/1/feed?fields=id&access_token=EAAB123 HTTP/1.1" 200', "EAAB123"),
    # requests-oauthlib's signed header and oauthlib's collected parameters
    ('Authorization: OAuth oauth_nonce="n1", oauth_signature="sig%3D", oauth_token="tok-1"', "tok-1"),
    ("Collected params: [('oauth_consumer_key', 'ck-777'), ('oauth_nonce', 'x')]", "ck-777"),
    # oauthlib's signature base string, URL-encoded
    ("GET&https%3A%2F%2Fapi.x.com&oauth_consumer_key%3Dck-888%26oauth_nonce%3D1", "ck-888"),
    # a password inside a database URL
    ("cannot open postgresql://gammu:pw-gammu-1@db/gammu", "pw-gammu-1"),
])
def test_token_shaped_text_is_redacted_whatever_its_value(line, secret_part):
    cleaned = redact(line)
    assert secret_part not in cleaned and REDACTED in cleaned


def test_the_filter_redacts_arguments_and_tracebacks_of_any_library(caplog):
    configure_logging()
    logger = logging.getLogger("some.library")
    with caplog.at_level(logging.DEBUG):
        logger.debug("requesting %s", "https://graph.example/me?access_token=tok-in-args")
        try:
            raise ValueError("Bearer tok-in-traceback rejected")
        except ValueError:
            logger.exception("failed")
    text = caplog.text
    assert "tok-in-args" not in text and "tok-in-traceback" not in text and text.count(REDACTED) >= 2


def test_configured_secrets_are_redacted_even_without_a_token_shape():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "saw %s", ("plain-secret-42",), None)
    RedactingFilter(lambda: ("plain-secret-42",)).filter(record)
    assert record.getMessage() == f"saw {REDACTED}"
