"""SMS centre: a Gammu SMSD inbox in SQLite with Gammu's own schema (version 17),
multipart messages included; read-only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from collectors.poller import Poller
from collectors.sms import parse_udh
from collectors.sources import SmsSource
from store.db import read_session
from store.tables import Case, CollectorState, Mention
from tests.collectors.fakes import Clock

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)  # 10:00 WIB


def _run(settings, clock):
    [summary] = Poller([SmsSource(settings)], clock=clock, sleep=clock.sleep).run_once()
    return summary


def test_multipart_messages_are_joined_and_gammu_rows_left_alone(gammu):
    gammu("081234565678", "Lampu PJU di Jl. Ahmad Yani mati", "2026-11-29 09:00:00")
    gammu("+6281299990000", "Assalamualaikum, jembatan di Desa Kemiren ", "2026-11-29 09:05:00", "050003A70201")
    gammu("+6281299990000", "retak dan berbahaya untuk anak sekolah.", "2026-11-29 09:05:02", "050003A70202")
    gammu("+6285233334444", "bagian dua ", "2026-11-29 09:06:01", "06080412340302")  # 16-bit ref, out of order
    gammu("+6285233334444", "Banjir di Muncar, ", "2026-11-29 09:06:00", "06080412340301")
    gammu("+6285233334444", "mohon bantuan.", "2026-11-29 09:06:02", "06080412340303")
    before = gammu.dump()
    summary = _run(gammu.settings, Clock(NOW))
    assert (summary.status, summary.fetched, summary.inserted) == ("ok", 3, 3)
    assert gammu.dump() == before  # never altered
    with read_session() as s:
        rows = {m.author_id: m for m in s.exec(select(Mention)).all()}
    assert rows["+6281299990000"].text == (
        "Assalamualaikum, jembatan di Desa Kemiren retak dan berbahaya untuk anak sekolah.")
    assert rows["+6285233334444"].text == "Banjir di Muncar, bagian dua mohon bantuan."
    assert rows["+6281234565678"].created_at == datetime(2026, 11, 29, 2, 0, tzinfo=UTC)  # 09:00 WIB
    assert rows["+6281234565678"].external_id == "1@20261129T020000Z"
    with read_session() as s:
        assert s.get(CollectorState, "sms").cursor == "6"


def test_a_long_sms_waits_for_its_last_part(gammu):
    gammu("+6281299990000", "Sampah menumpuk di pasar ", "2026-11-29 09:00:00", "050003110201")
    gammu("+6281234565678", "Terima kasih", "2026-11-29 09:01:00")
    assert _run(gammu.settings, Clock(NOW)).inserted == 0  # the single after it waits too
    with read_session() as s:
        assert s.get(CollectorState, "sms").cursor is None  # nothing consumed yet
    gammu("+6281299990000", "Genteng sejak seminggu.", "2026-11-29 09:02:00", "050003110202")
    assert _run(gammu.settings, Clock(NOW + timedelta(minutes=1))).inserted == 2
    with read_session() as s:
        texts = sorted(s.exec(select(Mention.text)).all())
    assert texts == ["Sampah menumpuk di pasar Genteng sejak seminggu.", "Terima kasih"]


def test_a_part_that_never_arrives_is_marked_after_an_hour(gammu):
    gammu("+6281299990000", "Tolong ambulans ke ", "2026-11-29 09:00:00", "050003220201")
    assert _run(gammu.settings, Clock(NOW)).inserted == 0
    assert _run(gammu.settings, Clock(NOW + timedelta(hours=1))).inserted == 1
    with read_session() as s:
        assert s.exec(select(Mention.text)).one() == "Tolong ambulans ke […]"


def test_same_number_within_24_hours_joins_its_open_case(gammu):
    gammu("0812-3456-5678", "Air PDAM mati", "2026-11-28 09:00:00")
    gammu("081234565678", "Masih mati sampai sekarang", "2026-11-28 20:00:00")
    gammu("6281234565678", "Sudah dua hari", "2026-11-29 21:00:00")  # 25 h after the last one
    _run(gammu.settings, Clock(NOW + timedelta(days=1)))
    with read_session() as s:
        cases = s.exec(select(Case).order_by(Case.id)).all()
    assert [c.mention_count for c in cases] == [2, 1]


@pytest.mark.parametrize("udh,expected", [
    ("050003A70201", (0xA7, 2, 1)),  # 8-bit reference
    ("06080412340302", (0x1234, 3, 2)),  # 16-bit reference
    ("", None), ("zz", None), ("050003A70203", None),  # none, not hex, part 3 of 2
])
def test_parse_udh(udh, expected):
    assert parse_udh(udh) == expected
