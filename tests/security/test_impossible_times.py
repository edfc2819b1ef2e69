"""A mention dated more than 10 minutes ahead is refused with a reason wherever mentions
enter: every normaliser (X, Facebook posts and comments, SMS, import rows) and so the
collectors, the importer and the demo that loads through it. The clock is frozen; the
boundary is exact: 10 minutes ahead is accepted, 10 minutes and 1 second is not."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from collectors.errors import PayloadError
from collectors.files import import_file
from collectors.normalize import from_fb_comment, from_fb_post, from_gammu_message, from_import_row, from_tweet

NOW = datetime(2026, 11, 29, 4, 0, tzinfo=UTC)  # 11:00 WIB
JUST_OK = NOW + timedelta(minutes=10)
TOO_LATE = NOW + timedelta(minutes=10, seconds=1)


def _fb(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S+0000")


NORMALISERS = {  # kind → a payload dated at a given time, normalised
    "x.tweet": lambda t: from_tweet({"id": "1600000000000000000", "text": "jalan rusak",
                                     "created_at": t.isoformat().replace("+00:00", "Z")}),
    "facebook.post": lambda t: from_fb_post({"id": "1_2", "message": "banjir", "created_time": _fb(t)}, "9"),
    "facebook.comment": lambda t: from_fb_comment({"id": "2_3", "message": "tolong", "created_time": _fb(t)},
                                                  "9", "1_2", "9"),
    "gammu.sms": lambda t: from_gammu_message({"id": 1, "sender": "081234565678", "text": "lampu mati",
                                               "received": t.astimezone(UTC).replace(tzinfo=None)},
                                              zone=UTC),
    "file.row": lambda t: from_import_row({"text": "sampah", "created_at": t.isoformat()}),
}


@pytest.mark.parametrize("kind", NORMALISERS)
def test_ten_minutes_ahead_is_accepted(kind):
    with time_machine.travel(NOW, tick=False):
        assert NORMALISERS[kind](JUST_OK).created_at == JUST_OK


@pytest.mark.parametrize("kind", NORMALISERS)
def test_ten_minutes_and_one_second_ahead_is_refused_with_a_reason(kind):
    with time_machine.travel(NOW, tick=False), pytest.raises(PayloadError) as refused:
        NORMALISERS[kind](TOO_LATE)
    assert refused.value.kind == kind
    assert refused.value.reason == ("is 10 min 1 s in the future (2026-11-29 04:10:01 UTC); "
                                    "more than 10 min ahead is refused")


def test_a_tweet_whose_id_says_the_future_is_refused():
    future_id = ((int(TOO_LATE.timestamp() * 1000) - 1288834974657) << 22) + 1
    with time_machine.travel(NOW, tick=False), pytest.raises(PayloadError, match="id is 10 min 1 s in the future"):
        from_tweet({"id": str(future_id), "text": "x"})


def test_the_importer_rejects_the_year_2099_with_its_line(db, tmp_path):
    rows = [{"text": "hari ini", "created_at": NOW.isoformat()},
            {"text": "dari masa depan", "created_at": "2099-01-01T08:00:00+07:00"}]
    source = tmp_path / "m.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    with time_machine.travel(NOW, tick=False):
        report = import_file(source, tmp_path / "r.csv")
    assert (report.imported, report.rejected) == (1, 1)
    rejected = (tmp_path / "r.csv").read_text().splitlines()[1]
    assert rejected.startswith("2,created_at is 26330 days in the future (2099-01-01 01:00:00 UTC)")
