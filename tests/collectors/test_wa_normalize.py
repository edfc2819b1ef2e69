"""One normaliser per WhatsApp message kind, fed the recorded payloads (tests/fixtures/whatsapp):
the expected Mention written out literally; unknown kinds fail loudly, ignored kinds say why."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collectors.errors import PayloadError
from collectors.mention import Mention
from collectors.wa_normalize import IGNORED_KINDS, Line, UnknownKind, from_wa_message, read_delivery
from tests.collectors.wa import body, delivery, message_of, recorded
from tests.frozen import AT_NOON_WIB

pytestmark = AT_NOON_WIB
LINE = Line("1122334455667", "972123456789", {"972987654321": "Test Name"})


def _one(kind: str, file: str = "message.json") -> Mention:
    read = read_delivery(body(recorded(kind, file)))
    assert read.errors == [] and len(read.mentions) == 1
    return read.mentions[0]


def test_text_becomes_a_whatsapp_mention_on_its_senders_thread():
    m = _one("text")
    assert (m.platform, m.external_id, m.text, m.created_at) == (
        "whatsapp", "wamid.xyzxyz", "Body Text", datetime(2023, 10, 11, 16, 53, 43, tzinfo=UTC))
    assert (m.author_id, m.author_handle, m.author_name, m.thread_key) == (
        "+972987654321", "+972987654321", "Test Name", "wa:+972987654321")
    assert m.raw["phone_number_id"] == "1122334455667" and m.raw["message"]["text"] == {"body": "Body Text"}
    assert not m.is_own and m.in_reply_to is None


@pytest.mark.parametrize(("kind", "text", "reference"), [
    # an image without a caption: the placeholder, the media kept as a reference only
    ("image", "[gambar]", {"kind": "image", "id": "65463453", "mime_type": "image/jpeg", "caption": None,
                           "filename": None}),
    # a forwarded PDF with its caption
    ("document", "caption", {"kind": "document", "id": "1234567890987654321", "mime_type": "application/pdf",
                             "caption": "caption", "filename": "filename.pdf"}),
    ("audio", "[audio]", {"kind": "audio", "id": "1234567890987654321", "mime_type": "audio/ogg; codecs=opus",
                          "caption": None, "filename": None}),
    # a voice note is an audio message with voice: true
    ("voice", "[pesan suara]", {"kind": "audio", "id": "1234567890987654321",
                                "mime_type": "audio/ogg; codecs=opus", "caption": None, "filename": None}),
    ("video", "caption", None),
    ("static_sticker", "[stiker]", {"kind": "sticker", "id": "1234567890987654321", "mime_type": "image/webp",
                                    "caption": None, "filename": None}),
])
def test_media_is_kept_as_a_reference_with_its_caption(kind, text, reference):
    m = _one(kind)
    assert m.text == text
    if reference:
        assert m.raw["media"] == reference


def test_media_without_caption_reads_as_its_kind():
    d = recorded("video")
    del message_of(d)["video"]["caption"]
    [m] = read_delivery(body(d)).mentions
    assert (m.text, m.raw["media"]["kind"]) == ("[video]", "video")


def test_a_document_without_caption_reads_as_its_file_name():
    d = recorded("document")
    del message_of(d)["document"]["caption"]
    [m] = read_delivery(body(d)).mentions
    assert m.text == "[dokumen] filename.pdf"


def test_a_shared_location_is_kept_with_its_coordinates():
    m = _one("chosen_location")
    assert m.text == "[lokasi] Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025"
    assert m.raw["location"] == {"latitude": 37.4611978, "longitude": -122.2164385, "name": "Facebook HQ",
                                 "address": "1 Hacker Way, Menlo Park, CA 94025"}
    assert _one("current_location").text == "[lokasi] 12.25089, 43.90539"


@pytest.mark.parametrize(("kind", "text"), [
    ("button_reply", "Ya, masih terjadi"),
    ("list_reply", "Air bersih — PDAM mati tiga hari"),  # the row's description follows its title
    ("template_button", "Hubungi saya"),
])
def test_interactive_and_template_replies_are_the_chosen_titles(kind, text):
    m = _one(kind, "interactive.json")
    assert (m.text, m.in_reply_to) == (text, "wamid.ourquestion")


def test_a_reply_names_the_message_it_answers():
    assert _one("reply").in_reply_to == "wamid.xyzxyz=="


def test_a_reaction_is_kept_and_a_removed_reaction_ignored():
    m = _one("reaction")
    assert (m.text, m.in_reply_to) == ("[reaksi 😮]", "wamid.yzxyzx=")
    removed = read_delivery(body(recorded("unreaction_empty")))
    assert removed.mentions == [] and removed.errors == []
    assert removed.ignored == ["reaction removed: nothing new was said"]


def test_an_unsupported_message_still_shows_the_citizen_wrote():
    assert _one("unsupported").text == "[pesan yang tidak didukung WhatsApp]"


@pytest.mark.parametrize("kind", ["contacts", "order"])
def test_deliberately_ignored_kinds_are_logged_with_their_reason(kind):
    read = read_delivery(body(recorded(kind)))
    assert read.mentions == [] and read.errors == []
    assert read.ignored == [f"{kind}: {IGNORED_KINDS[kind]}"]


def test_an_unknown_kind_fails_loudly_naming_it():
    d = delivery("text", wamid="wamid.1")
    message_of(d)["type"] = "hologram"
    read = read_delivery(body(d))
    assert read.mentions == [] and len(read.errors) == 1
    assert isinstance(read.errors[0], UnknownKind) and "'hologram' is not a kind Tanggap reads" in str(read.errors[0])


def test_an_interactive_message_without_its_content_is_a_payload_error():
    read = read_delivery(body(recorded("interactive_message_with_err")))
    assert [str(e) for e in read.errors] == ["whatsapp.interactive: interactive must be an object, got NoneType"]


def test_one_bad_message_does_not_hide_the_others_of_its_delivery():
    good, bad = delivery("text", wamid="wamid.ok"), delivery("text", wamid="wamid.bad")
    del message_of(bad)["timestamp"]
    d = good
    d["entry"][0]["changes"][0]["value"]["messages"].append(message_of(bad))
    read = read_delivery(body(d))
    assert [m.external_id for m in read.mentions] == ["wamid.ok"]
    assert [str(e) for e in read.errors] == ["whatsapp.text: timestamp is missing"]


def test_statuses_of_our_messages_are_read_with_their_errors():
    read = read_delivery(body(recorded("failed", "message_status.json")))
    [status] = read.statuses
    assert (status.wamid, status.status, status.recipient) == ("wamid.xyzxyz", "failed", "972987654321")
    assert status.error == "130472: User's number is part of an experiment"
    assert read.mentions == []


def test_a_body_that_is_no_whatsapp_delivery_raises():
    with pytest.raises(PayloadError, match="is not JSON"):
        read_delivery(b"<html>")
    with pytest.raises(UnknownKind, match="whatsapp_business_account"):
        read_delivery(json.dumps({"object": "page", "entry": []}).encode())


def test_a_message_from_the_future_is_refused():
    d = delivery("text", at=datetime(2026, 12, 1, tzinfo=UTC))
    assert "in the future" in str(read_delivery(body(d)).errors[0])


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["type", "id", "from", "timestamp", "text", "image", "location",
                                        "interactive", "reaction", "button", "context"]),
                       st.one_of(st.none(), st.text(max_size=5), st.integers(), st.floats(allow_nan=False),
                                 st.dictionaries(st.text(max_size=8), st.one_of(st.text(max_size=5), st.integers()),
                                                 max_size=3)),
                       max_size=8))
def test_every_normaliser_returns_a_mention_or_raises_payload_error(message):
    try:
        result = from_wa_message(message, LINE)
    except PayloadError:
        return
    assert result is None or isinstance(result, Mention)
