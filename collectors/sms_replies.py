"""Replies by SMS: a message queued in Gammu SMSD's outbox (collectors/gammu_outbox.py) under
the CreatorID ``tanggap-reply-<id>``, and its fate read back from ``sentitems``. A queued SMS
is not sent yet: the sender keeps the reply ``sending`` and asks again on later passes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from collectors.errors import MissingSettings, ReplyRefused, TemporarilyUnavailable
from collectors.gammu_outbox import gammu_engine, queue_sms, sms_state
from collectors.reply_channel import Posted
from store.replies import Outgoing


def creator_id(reply: Outgoing) -> str:
    return f"tanggap-reply-{reply.id}"


class SmsReplies:
    def __init__(self, gammu: Engine, zone: ZoneInfo):
        self.gammu, self.zone = gammu, zone

    @classmethod
    def from_settings(cls, settings) -> SmsReplies:
        if not settings.sms_gammu_url:
            raise MissingSettings("sms replies", ["sms_gammu_url"])
        return cls(gammu_engine(settings.sms_gammu_url), settings.zone)

    def post(self, reply: Outgoing) -> Posted:
        if not reply.target:
            raise ReplyRefused("sms_no_number", f"case of reply {reply.id} has no number to answer")
        try:
            outbox_id = queue_sms(self.gammu, reply.target, reply.text, creator_id(reply))
        except SQLAlchemyError as exc:  # Gammu's database is down, or Tanggap may not write to it
            raise TemporarilyUnavailable(f"Gammu outbox: {type(exc).__name__}: {str(exc).splitlines()[0]}") from exc
        except ValueError as exc:  # more than 255 parts: no phone joins them
            raise ReplyRefused("sms_too_long", str(exc)) from exc
        return Posted(str(outbox_id), None)

    def find(self, reply: Outgoing) -> Posted | None:
        try:
            state = sms_state(self.gammu, creator_id(reply), self.zone)
        except SQLAlchemyError as exc:
            raise TemporarilyUnavailable(f"Gammu sentitems: {type(exc).__name__}") from exc
        if state is None:
            return None
        if state.state == "failed":
            raise ReplyRefused("sms_failed", f"Gammu: {state.error}")
        return Posted(str(state.outbox_id), state.at if state.state in ("sent", "delivered") else None)
