"""Times as staff write them (collectors.dates): each accepted form, and day/month never guessed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from collectors.dates import DAY_FIRST, EXCEL, ISO, MONTH_FIRST, NAMED, DateError, DateOrder, parse_time


@pytest.mark.parametrize(("text", "expected", "form"), [
    ("29/11/2026", datetime(2026, 11, 29), DAY_FIRST),  # Excel, Indonesian locale, date only
    ("29/11/2026 10:00", datetime(2026, 11, 29, 10, 0), DAY_FIRST),
    ("29-11-2026 10:00:30", datetime(2026, 11, 29, 10, 0, 30), DAY_FIRST),  # dashes, seconds
    ("29/11/26 18.41", datetime(2026, 11, 29, 18, 41), DAY_FIRST),  # two-digit year, HH.MM
    ("9/1/26", datetime(2026, 1, 9), DAY_FIRST),  # D/M/YY (settled by the order: day first)
    ("29 Nov 2026", datetime(2026, 11, 29), NAMED),
    ("29 November 2026 pukul 18.41", datetime(2026, 11, 29, 18, 41), NAMED),
    ("3 Agu 2026", datetime(2026, 8, 3), NAMED),  # Indonesian short month
    ("3 Agustus 2026 07:05", datetime(2026, 8, 3, 7, 5), NAMED),
    ("1 Mei 2026", datetime(2026, 5, 1), NAMED),
    ("Minggu, 29 Nov 2026 18:41 WIB", datetime(2026, 11, 29, 18, 41), NAMED),  # weekday and zone name
    ("7 Okt 2026", datetime(2026, 10, 7), NAMED),
    ("12 Des 2026", datetime(2026, 12, 12), NAMED),
    ("2026-11-29T09:30:00", datetime(2026, 11, 29, 9, 30), ISO),
])
def test_each_accepted_form_reads_as_its_local_time(text, expected, form):
    order = DateOrder(fixed=DAY_FIRST)
    assert parse_time(text, order) == expected
    assert order.forms == [form]


def test_twelve_hour_times_are_read():
    order = DateOrder(fixed=MONTH_FIRST)
    assert parse_time("11/29/26 6:41 PM", order) == datetime(2026, 11, 29, 18, 41)
    assert parse_time("11/29/26 12:05 AM", order) == datetime(2026, 11, 29, 0, 5)


def test_excel_serials_and_cells():
    order = DateOrder()
    assert parse_time(46355.5, order) == datetime(2026, 11, 29, 12, 0)  # serial 46355 is 29 Nov 2026
    assert parse_time(datetime(2026, 11, 29, 8), order) == datetime(2026, 11, 29, 8)
    assert parse_time(date(2026, 11, 29), order) == datetime(2026, 11, 29)
    assert order.forms == [EXCEL]


def test_day_over_12_settles_the_order_and_a_month_first_date_after_it_is_refused():
    order = DateOrder()
    assert parse_time("29/11/2026", order) == datetime(2026, 11, 29)
    assert order.order == DAY_FIRST
    assert parse_time("05/11/2026", order) == datetime(2026, 11, 5)
    with pytest.raises(DateError, match="is not a DD/MM/YYYY date"):
        parse_time("11/29/2026", order)


def test_an_ambiguous_date_is_never_guessed():
    with pytest.raises(DateError, match="could be day/month or month/day; say which with --date-format"):
        parse_time("05/11/2026", DateOrder())
    assert parse_time("05/05/2026", DateOrder()) == datetime(2026, 5, 5)  # the same either way


@pytest.mark.parametrize(("text", "reason"), [
    ("kemarin sore", "is not an ISO 8601 time, nor a date such as"),
    ("31/02/2026", "is not a real time"),  # no 31 February
    ("29 Brumaire 2026", "names no month"),
    ("2026-13-01", "is not an ISO 8601 time"),
    ("1/2/26 13:00 PM", "not a 12-hour time"),
])
def test_what_is_not_a_time_says_why(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_time(text, DateOrder(fixed=DAY_FIRST))
