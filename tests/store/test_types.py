"""UTCDateTime: aware UTC in, aware UTC out, on every backend; naive times are refused."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from store.db import read_session, write_session
from store.tables import Case
from store.types import utc_from_sqlite_text

WIB = timezone(timedelta(hours=7))


@pytest.mark.parametrize(("stored", "expected"), [
    ("2026-11-28 23:18:40.123456", datetime(2026, 11, 28, 23, 18, 40, 123456, tzinfo=UTC)),
    ("2026-11-28 23:18:40", datetime(2026, 11, 28, 23, 18, 40, tzinfo=UTC)),
    ("2026-11-29T06:18:40+07:00", datetime(2026, 11, 28, 23, 18, 40, tzinfo=UTC)),  # an offset is honoured
    (datetime(2026, 11, 28, 23, 18, 40), datetime(2026, 11, 28, 23, 18, 40, tzinfo=UTC)),  # noqa: DTZ001 - naive read as UTC
    (None, None),
])
def test_sqlite_text_reads_as_aware_utc(stored, expected):
    value = utc_from_sqlite_text(stored)
    assert value == expected
    assert value is None or value.utcoffset() == timedelta(0)


def test_a_time_written_in_wib_reads_back_as_the_same_instant_in_utc(db, make_case):
    opened = datetime(2026, 11, 29, 6, 18, 40, 5, tzinfo=WIB)
    case = make_case("banjir", created_at=opened)
    with read_session() as s:
        loaded = s.exec(select(Case).where(Case.id == case.id)).one()
        assert loaded.opened_at == opened and loaded.opened_at.tzinfo == UTC
        row = s.connection().execute(select(Case.__table__.c.opened_at).where(Case.id == case.id)).one()
        assert row.opened_at == opened and row.opened_at.tzinfo == UTC


def test_a_naive_time_is_refused(db, make_case):
    case = make_case("banjir", created_at=datetime(2026, 11, 29, tzinfo=UTC))
    with pytest.raises(Exception, match="naive datetime"), write_session() as s:
        s.get(Case, case.id).opened_at = datetime(2026, 11, 29, 6, 0)  # noqa: DTZ001 - naive on purpose
