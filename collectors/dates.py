"""Times as Indonesian staff write them in spreadsheets and exports.

Accepted: ISO 8601; ``DD/MM/YYYY`` and ``DD-MM-YYYY`` (``D/M/YY`` too), optionally followed by
``HH:MM[:SS]`` or ``HH.MM[.SS]`` (and ``AM``/``PM``); a day, an Indonesian or English month name
and a year (``29 Nov 2026``, ``29 November 2026 pukul 18.41``, ``Minggu, 3 Agu 2026``); Excel
serial numbers and date cells. A time without a zone is read in the import's zone (WIB).

Day and month are never guessed: ``05/11/2026`` is 5 November in Indonesia and 11 May in the
US. A file's order is settled by its first date whose day is over 12 (``DateOrder.settle``);
until then it is unknown, and a file whose dates all could be either is refused by the caller,
asking for ``--date-format``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

DAY_FIRST = "DD/MM/YYYY"
MONTH_FIRST = "MM/DD/YYYY"
DATE_FORMATS = (DAY_FIRST, MONTH_FIRST)
ISO = "ISO 8601"
NAMED = "D Month YYYY"
EXCEL = "Excel date"

MONTHS = {  # Indonesian first; English where it differs. Both full and short forms.
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "august": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "october": 10, "oct": 10,
    "november": 11, "nov": 11, "nop": 11, "nopember": 11,
    "desember": 12, "des": 12, "december": 12, "dec": 12,
}
_TIME = r"(?:[ ,T]+(?:pukul\s+|jam\s+)?(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*([AaPp][Mm])?)?(?:\s*WIB)?"
_NUMERIC = re.compile(r"(\d{1,2})([/-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_NAMED = re.compile(r"(?:[A-Za-z']+,\s*)?(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})" + _TIME)
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 is 1900-01-01 (with Lotus's 29 Feb 1900)


class DateError(ValueError):
    """A value that is not a time in any accepted form (the message says what it is not)."""


@dataclass
class DateOrder:
    """The file's day/month order: given (``--date-format``) or settled by its dates."""
    fixed: str | None = None
    seen: str | None = None
    forms: list[str] = field(default_factory=list)  # the forms met, in order, for the report

    @property
    def order(self) -> str | None:
        return self.fixed or self.seen

    def settle(self, value: str) -> None:
        """Learn the order from a numeric date whose day is plainly the day (over 12)."""
        if self.order is not None:
            return
        match = _NUMERIC.fullmatch(value.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(3))
            if first > 12 >= second:
                self.seen = DAY_FIRST
            elif second > 12 >= first:
                self.seen = MONTH_FIRST

    def note(self, form: str) -> None:
        if form not in self.forms:
            self.forms.append(form)


def is_ambiguous(value: str) -> bool:
    """A numeric date whose first two numbers could each be the day or the month."""
    match = _NUMERIC.fullmatch(value.strip())
    if not match:
        return False
    first, second = int(match.group(1)), int(match.group(3))
    return first <= 12 and second <= 12 and first != second


def parse_time(value: object, order: DateOrder) -> datetime:
    """A datetime (naive = the import's zone, or aware) from a cell; DateError says why not."""
    if isinstance(value, datetime):
        order.note(EXCEL)
        return value
    if isinstance(value, date):
        order.note(EXCEL)
        return datetime.combine(value, time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value, order)
    if not isinstance(value, str):
        raise DateError(f"must be a time, got {type(value).__name__}")
    text = " ".join(value.split())
    if text[:4].isdigit():
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise DateError(f"is not an ISO 8601 time: {value[:40]!r}") from None
        order.note(ISO)
        return parsed
    if match := _NUMERIC.fullmatch(text):
        return _numeric(match, text, order)
    if match := _NAMED.fullmatch(text):
        month = MONTHS.get(match.group(2).lower())
        if month is None:
            raise DateError(f"names no month: {match.group(2)[:20]!r} in {value[:40]!r}")
        order.note(NAMED)
        return _build(int(match.group(3)), month, int(match.group(1)), match.groups()[3:], value)
    raise DateError(f"is not an ISO 8601 time, nor a date such as 29/11/2026 18:41 or 29 November 2026 "
                    f"18.41: {value[:40]!r}")


def _numeric(match: re.Match, value: str, order: DateOrder) -> datetime:
    first, second, year = int(match.group(1)), int(match.group(3)), match.group(4)
    if order.order is None:
        if first <= 12 and second <= 12 and first != second:
            raise DateError(f"{value[:40]!r} could be day/month or month/day; say which with "
                            f"--date-format {DAY_FIRST} or --date-format {MONTH_FIRST}")
        order.settle(value)
        current = order.order or DAY_FIRST  # first == second, or both over 12 (refused below)
    else:
        current = order.order
    day, month = (first, second) if current == DAY_FIRST else (second, first)
    if month > 12:
        raise DateError(f"{value[:40]!r} is not a {current} date (the file's dates are {current})")
    order.note(current)
    full_year = int(year) + 2000 if len(year) == 2 else int(year)
    return _build(full_year, month, day, match.groups()[4:], value)


def _build(year: int, month: int, day: int, clock: tuple, value: str) -> datetime:
    hour, minute, second, half = clock
    hour, minute, second = int(hour or 0), int(minute or 0), int(second or 0)
    if half:
        if not 1 <= hour <= 12:
            raise DateError(f"has an hour {hour} that is not a 12-hour time: {value[:40]!r}")
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError as exc:
        raise DateError(f"is not a real time: {value[:40]!r} ({exc})") from None


def _excel_serial(serial: float, order: DateOrder) -> datetime:
    if not 1 <= serial < 2_958_466:  # 2_958_466 is 10000-01-01
        raise DateError(f"is a number ({serial}) but not an Excel date serial")
    order.note(EXCEL)
    return (_EXCEL_EPOCH + timedelta(days=serial)).replace(microsecond=0)
