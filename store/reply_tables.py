"""The reply outbox and the reply templates (store/replies.py, store/reply_templates.py).
Registered on SQLModel.metadata by store/tables.py, which imports this module."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from store.types import UTCDateTime, utcnow


class Reply(SQLModel, table=True):
    """One reply to the citizen, from draft to the platform. Each change of state is written
    with its case event in one transaction (store/replies.py)."""
    __table_args__ = (
        # The sender's claim: approved replies due now, and sending ones whose lease ran out.
        Index("ix_reply_outbox", "state", "next_attempt_at", "id"),
        Index("ix_reply_case", "case_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    platform: str = Field(max_length=16)  # store.vocabulary.PLATFORMS: where the citizen wrote
    # What the reply answers on the platform: the tweet id, the Facebook comment or post id, or
    # the SMS number. None for a manual reply.
    target: str | None = Field(default=None, max_length=128)
    private: bool = False  # Facebook private reply (restricted cases), with a neutral public note
    text: str = Field(sa_column=Column(Text, nullable=False))
    public_note: str | None = Field(default=None, sa_column=Column(Text))  # the neutral public acknowledgement
    template: str | None = Field(default=None, max_length=64)
    kind: str = Field(max_length=16)  # the response kind it logs when sent (store.sla.RESPONSE_KINDS)
    state: str = Field(default="draft", max_length=16)  # store.vocabulary.REPLY_STATES
    drafted_by: int | None = Field(default=None, foreign_key="staffuser.id")
    drafted_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
    approved_by: int | None = Field(default=None, foreign_key="staffuser.id")
    approved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    review_comment: str | None = Field(default=None, sa_column=Column(Text))  # why it was sent back
    attempts: int = 0
    # approved: not before this time (a 429's reset); sending: the claim's lease ends then.
    next_attempt_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    claimed_by: str | None = Field(default=None, max_length=128)  # the worker, host:pid
    platform_id: str | None = Field(default=None, max_length=128)  # the platform's id of the post
    platform_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    error_code: str | None = Field(default=None, max_length=32)  # console/i18n "reply_error.<code>"
    error_detail: str | None = Field(default=None, sa_column=Column(Text))  # the platform's words, redacted
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))


class ReplyTemplate(SQLModel, table=True):
    """A canned response (templat balasan), per category or for any (category None)."""
    name: str = Field(primary_key=True, max_length=64)
    category: str | None = Field(default=None, max_length=32)
    kind: str = Field(default="acknowledgement", max_length=16)
    text: str = Field(sa_column=Column(Text, nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="staffuser.id")
    updated_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False))
