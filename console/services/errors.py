"""Errors the service layer raises; pages show them, CLI commands print them."""

from __future__ import annotations

from datetime import datetime

from store.errors import ExplainedError


class ServiceError(ExplainedError):
    """A request that cannot be done; the message is fit to show to staff."""

    @classmethod
    def of(cls, exc: ExplainedError) -> ServiceError:
        """The store's error as the service's, keeping its code and fields."""
        return cls(str(exc), exc.code, **exc.fields)


class BadInput(ServiceError):
    """The request itself is wrong (an unknown agency, a reversed date range): the CLI exits
    with 2, as for any bad argument."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the case since the caller read it; nothing was written."""

    def __init__(self, message: str, case_id: int, changed_by: str, changed_at: datetime, version: int):
        super().__init__(message)
        self.case_id, self.changed_by, self.changed_at, self.version = case_id, changed_by, changed_at, version
