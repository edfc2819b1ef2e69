"""SMS out through Gammu SMSD's own tables: the rows Gammu expects, long and Unicode texts
split as the modem sends them, queueing that cannot send twice, states read back."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from collectors.gammu_outbox import queue_sms, sms_parts, sms_state
from collectors.sms import parse_udh

WIB = ZoneInfo("Asia/Jakarta")


@pytest.mark.parametrize(("text", "coding", "lengths"), [
    ("a" * 160, "Default_No_Compression", [160]),  # one SMS holds 160 GSM characters
    ("a" * 161, "Default_No_Compression", [153, 8]),  # concatenated parts hold 153
    ("{" * 80, "Default_No_Compression", [80]),  # extension characters weigh two: 160 units
    ("{" * 81, "Default_No_Compression", [76, 5]),  # …and are never cut in half
    ("Terima kasih 🙏", "Unicode_No_Compression", [14]),  # an emoji needs Unicode
    ("ĕ" * 66 + "🙏" + "ĕ" * 3, "Unicode_No_Compression", [66, 4]),  # an emoji is two UTF-16 units, never cut
    ("ĕ" * 70, "Unicode_No_Compression", [70]),
    ("ĕ" * 71, "Unicode_No_Compression", [67, 4]),
])
def test_texts_are_split_as_the_modem_sends_them(text, coding, lengths):
    got_coding, parts = sms_parts(text)
    assert got_coding == coding and [len(p) for p in parts] == lengths and "".join(parts) == text


def test_a_short_sms_is_one_outbox_row(gammu_db):
    outbox_id = queue_sms(gammu_db.engine, "+6281234565678", "Laporan Anda kami terima.", "tanggap-reply-1")
    (row,) = gammu_db.rows("outbox")
    assert row["ID"] == outbox_id and row["DestinationNumber"] == "+6281234565678"
    assert row["TextDecoded"] == "Laporan Anda kami terima." and row["Coding"] == "Default_No_Compression"
    assert row["MultiPart"] in ("false", False) and row["CreatorID"] == "tanggap-reply-1"
    assert gammu_db.rows("outbox_multipart") == []


def test_a_long_unicode_sms_goes_in_parts_with_concatenation_headers(gammu_db):
    text = "Mohon maaf 🙏 " + "tim kami sedang menuju lokasi banjir di Desa Kemiren, " * 3
    outbox_id = queue_sms(gammu_db.engine, "+6281234565678", text, "tanggap-reply-2")
    (first,) = gammu_db.rows("outbox")
    rest = gammu_db.rows("outbox_multipart")
    assert first["MultiPart"] in ("true", True) and first["Coding"] == "Unicode_No_Compression"
    assert all(r["ID"] == outbox_id for r in rest)
    headers = [parse_udh(first["UDH"])] + [parse_udh(r["UDH"]) for r in rest]
    total = len(headers)
    assert total == 3 and [h[1:] for h in headers] == [(total, 1), (total, 2), (total, 3)]
    assert len({h[0] for h in headers}) == 1  # one reference joins the parts
    assert first["TextDecoded"] + "".join(r["TextDecoded"] for r in rest) == text


def test_queueing_again_with_the_same_creator_id_sends_nothing_more(gammu_db):
    first = queue_sms(gammu_db.engine, "+6281234565678", "Tim menuju lokasi.", "tanggap-reply-3")
    assert queue_sms(gammu_db.engine, "+6281234565678", "Tim menuju lokasi.", "tanggap-reply-3") == first
    gammu_db.deliver("tanggap-reply-3")
    assert queue_sms(gammu_db.engine, "+6281234565678", "Tim menuju lokasi.", "tanggap-reply-3") == first
    assert gammu_db.rows("outbox") == [] and len(gammu_db.rows("sentitems")) == 1


def test_states_are_read_back_from_the_outbox_and_sentitems(gammu_db):
    assert sms_state(gammu_db.engine, "tanggap-reply-4", WIB) is None
    outbox_id = queue_sms(gammu_db.engine, "+6281234565678", "x" * 200, "tanggap-reply-4")
    assert sms_state(gammu_db.engine, "tanggap-reply-4", WIB).state == "queued"
    gammu_db.deliver("tanggap-reply-4", sent_at="2026-11-29 12:05:00")
    state = sms_state(gammu_db.engine, "tanggap-reply-4", WIB)
    assert (state.state, state.outbox_id) == ("sent", outbox_id)
    assert state.at == datetime(2026, 11, 29, 12, 5, tzinfo=WIB)  # Gammu writes local time


def test_a_sending_error_is_a_failed_sms_with_gammus_status(gammu_db):
    queue_sms(gammu_db.engine, "+6281234565678", "Tim menuju lokasi.", "tanggap-reply-5")
    gammu_db.deliver("tanggap-reply-5", status="SendingError")
    state = sms_state(gammu_db.engine, "tanggap-reply-5", WIB)
    assert (state.state, state.error) == ("failed", "SendingError")


def test_delivery_reports_make_it_delivered(gammu_db):
    queue_sms(gammu_db.engine, "+6281234565678", "Tim menuju lokasi.", "tanggap-reply-6")
    gammu_db.deliver("tanggap-reply-6", status="DeliveryOK")
    assert sms_state(gammu_db.engine, "tanggap-reply-6", WIB).state == "delivered"
