"""SQL expressions for the display time zone (week, weekday, hour of a UTC column).

Statistics group by WIB calendar units inside the database, so they never pull every case
into Python. SQLite has no time zones: it shifts by the zone's offset, which is fixed for
Indonesia's zones (no daylight saving). PostgreSQL converts with the zone's name.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, bindparam, cast, func, literal, literal_column


def _offset_minutes(zone: ZoneInfo) -> int:
    offset = datetime.now(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def local_week(column, zone: ZoneInfo, dialect: str):
    """Monday of the local week, as 'YYYY-MM-DD'."""
    if dialect == "sqlite":
        shifted = func.datetime(column, f"{_offset_minutes(zone)} minutes")
        return func.date(shifted, "-6 days", "weekday 1")
    local = func.timezone(literal(zone.key), column)
    return func.to_char(func.date_trunc("week", local), "YYYY-MM-DD")


def _written_zone(zone: ZoneInfo):
    """The zone name written into the SQL, not bound: the heat map's expressions must be the
    very ones migration 0007's extended statistics describe (a bound parameter is not)."""
    return bindparam("display_zone", zone.key, literal_execute=True)


def local_weekday(column, zone: ZoneInfo, dialect: str):
    """0 = Monday … 6 = Sunday."""
    if dialect == "sqlite":
        shifted = func.datetime(column, f"{_offset_minutes(zone)} minutes")
        return (cast(func.strftime("%w", shifted), Integer) + 6) % 7
    return cast(func.extract("isodow", func.timezone(_written_zone(zone), column)), Integer) - literal_column("1")


def local_hour(column, zone: ZoneInfo, dialect: str):
    if dialect == "sqlite":
        shifted = func.datetime(column, f"{_offset_minutes(zone)} minutes")
        return cast(func.strftime("%H", shifted), Integer)
    return cast(func.extract("hour", func.timezone(_written_zone(zone), column)), Integer)

