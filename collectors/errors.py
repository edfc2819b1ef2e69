"""The few named errors collectors raise. Adapters turn library errors into these; the
poller decides what each one means for the schedule (collectors.poller)."""

from __future__ import annotations

from datetime import datetime


class CollectorError(Exception):
    """Base of every collector error."""


class PayloadError(CollectorError):
    """A payload lacks a required field or has one of the wrong type (one per payload)."""

    def __init__(self, kind: str, field: str, reason: str):
        self.kind, self.field, self.reason = kind, field, reason
        super().__init__(f"{kind}: {field} {reason}")


class MissingSettings(CollectorError):
    """A source was asked for but its settings are absent; the message names them."""

    def __init__(self, source: str, missing: list[str]):
        self.source, self.missing = source, missing
        names = ", ".join(f"TANGGAP_{m.upper()}" for m in missing)
        super().__init__(f"source {source!r} is not configured: set {names}")


class AuthFailed(CollectorError):
    """401/403 from X, Graph error 190: the source stops until its token is replaced."""

    def __init__(self, detail: str = ""):
        super().__init__("token invalid or expired" + (f" ({detail})" if detail else ""))


class RateLimited(CollectorError):
    """The platform asked us to wait; ``retry_at`` is when (None: back off)."""

    def __init__(self, retry_at: datetime | None, detail: str = ""):
        self.retry_at = retry_at
        when = f" until {retry_at.isoformat()}" if retry_at else ""
        super().__init__(f"rate limited{when}" + (f" ({detail})" if detail else ""))


class TemporarilyUnavailable(CollectorError):
    """5xx, a timeout, a broken connection or an unreadable body: retry with backoff."""


class BudgetSpent(CollectorError):
    """The monthly X read budget is used up; the source waits for the next month."""


class ReplyRefused(CollectorError):
    """The platform refused a reply for good (duplicate text, blocked, the post deleted, SMS not
    sent): the reply fails with ``code`` (words in console/i18n.py, "reply_error.<code>")."""

    def __init__(self, code: str, detail: str = ""):
        self.code, self.detail = code, detail
        super().__init__(f"{code}: {detail}" if detail else code)
