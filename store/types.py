"""Column types and time helpers: every datetime is stored in UTC and leaves the store aware."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.types import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    SQLite has no time zone type: values are stored as naive UTC text, which sorts and
    compares correctly. PostgreSQL stores ``timestamptz``. Naive datetimes are refused on
    the way in, because a naive time from a collector is a bug that would shift the SLA.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: Tanggap stores aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def result_processor(self, dialect, coltype):
        if dialect.name != "sqlite":
            return super().result_processor(dialect, coltype)
        return utc_from_sqlite_text


def utc_from_sqlite_text(value: str | None) -> datetime | None:
    """SQLite's stored naive-UTC text straight to an aware datetime in one C call.

    Reads of queue pages and exports convert several datetimes per row; the general path
    (parse, then ``replace(tzinfo=…)``) costs about five times as much per value.
    """
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value + "+00:00")
    except (TypeError, ValueError):  # not naive text (a datetime, or text with an offset)
        parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)
