"""Normalisers on recorded payloads (expected results written out) and property tests:
every normaliser returns a Mention or raises PayloadError, nothing else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collectors.errors import PayloadError
from collectors.mention import Mention, normalize_phone
from collectors.normalize import (
    from_fb_comment,
    from_fb_post,
    from_gammu_message,
    from_import_row,
    from_tweet,
)
from console.services.privacy import mask_author
from tests.collectors.fakes import fb_fixture, recorded_json


def test_recorded_tweet():
    t = recorded_json("test_client_get_users_mentions.yaml")["data"][3]
    assert from_tweet(t) == Mention(
        platform="twitter", external_id="1578516242867945475", text="@MercyKnifed @Twitter what the fuck???",
        created_at=datetime(2022, 10, 7, 22, 42, 54, 370000, tzinfo=UTC), permalink=
        "https://x.com/i/web/status/1578516242867945475", thread_key="x:1578516242867945475", raw=t)


def test_recorded_comment_without_id_is_named_by_its_permalink():
    c = fb_fixture("comments/comments_p1.json")["data"][6]
    m = from_fb_comment(c, "19292868552", "19292868552_10158407654328553", "19292868552")
    assert (m.external_id, m.in_reply_to, m.thread_key, m.text, m.created_at) == (
        "10158407654328553_10158409984053553", "10158407654328553_10158407903973553",
        "fb:10158407654328553_10158407903973553", "Facebook for Developers they don’t respond 😞",
        datetime(2021, 8, 11, 23, 23, 3, tzinfo=UTC))


def test_recorded_comment_with_id():
    c = fb_fixture("comments/comment_info.json")
    m = from_fb_comment(c, "19292868552", "19292868552_10158371815748553", "555")
    assert (m.external_id, m.thread_key, m.is_own) == ("10158371815748553_10158371930463553",
                                                      "fb:19292868552_10158371815748553", False)


def test_page_post_is_own():
    post = {"id": "1_2", "created_time": "2026-11-29T01:00:00+0000", "from": {"id": "1"}}
    m = from_fb_post(post, page_id="1")
    assert m.is_own and m.text == "[lampiran tanpa teks]"


@pytest.mark.parametrize("tweet,field", [
    ({"text": "x"}, "id"),  # no id
    ({"id": "12a", "text": "x"}, "id"),  # not a snowflake
    ({"id": "1"}, "text"),  # no text
    ({"id": "1", "text": "x", "created_at": "kemarin"}, "created_at"),  # not a time
    ({"id": "1", "text": "x", "referenced_tweets": "no"}, "referenced_tweets"),  # mistyped
])
def test_tweet_missing_or_mistyped_field(tweet, field):
    with pytest.raises(PayloadError) as err:
        from_tweet(tweet)
    assert err.value.field == field and err.value.kind == "x.tweet"


@pytest.mark.parametrize("raw,stored,masked", [
    ("0812-3456-5678", "+6281234565678", "+*********5678"),
    ("6281234565678", "+6281234565678", "+*********5678"),
    ("3636", "3636", "3636"),  # an operator's short code is not personal data
])
def test_phone_numbers_are_stored_whole_and_masked_for_display(raw, stored, masked):
    assert normalize_phone(raw) == stored and mask_author(stored) == masked


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20)
FIELDS = ["id", "text", "created_at", "author_id", "conversation_id", "referenced_tweets", "message", "story",
          "created_time", "from", "parent", "permalink_url", "sender", "received", "platform", "external_id",
          "author", "thread_key", "in_reply_to", "author_name", "permalink", "username", "name", "type"]
payloads = st.one_of(json_values, st.dictionaries(st.sampled_from(FIELDS), json_values | st.text(max_size=40)
                                                  | st.sampled_from(["2026-11-29T10:00:00+07:00", "1578516242867945475",
                                                                     "2026-11-29 10:00"]), max_size=8))
NORMALISERS = {
    "tweet": lambda p, q: from_tweet(p, q if isinstance(q, dict) else None, "1"),
    "tweet_author": lambda p, q: from_tweet({"id": "1", "text": "x"}, p),
    "fb_post": lambda p, q: from_fb_post(p, "1"),
    "fb_comment": lambda p, q: from_fb_comment(p, "1", "1_2", "9"),
    "gammu": lambda p, q: from_gammu_message(p),
    "import_row": lambda p, q: from_import_row(p),
}


@pytest.mark.parametrize("name", NORMALISERS)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=payloads, other=payloads)
def test_every_normaliser_returns_a_mention_or_raises_payload_error(name, payload, other):
    try:
        mention = NORMALISERS[name](payload, other)
    except PayloadError:
        return
    assert isinstance(mention, Mention)
    assert mention.created_at.tzinfo is not None and mention.text and mention.external_id
    assert len(mention.external_id) <= 128 and (mention.thread_key is None or len(mention.thread_key) <= 131)


@pytest.mark.parametrize(("author_id", "handle", "account_id", "account"), [
    ("783214", None, "783214", None),  # by id: the account's own timeline, the mentions source
    ("999", "Bupati_BWI", None, "@bupati_bwi"),  # by username, in any case, with or without @
])
def test_the_accounts_own_tweet_is_own(author_id, handle, account_id, account):
    post = {"id": "1600000000000000000", "text": "Sudah kami teruskan", "author_id": author_id}
    m = from_tweet(post, {"id": author_id, "username": handle} if handle else None, account_id, account)
    assert m.is_own


def test_a_citizens_tweet_is_not_own():
    post = {"id": "1600000000000000000", "text": "@bupati_bwi tolong", "author_id": "100"}
    assert not from_tweet(post, {"id": "100", "username": "warga"}, "783214", "bupati_bwi").is_own
