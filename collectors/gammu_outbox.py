"""Writes SMS to Gammu SMSD's ``outbox`` and reads their fate back from ``sentitems``.

The one place that sends SMS (replies and alerts both call it). Gammu SMSD picks rows up
from ``outbox`` (the first part; further parts of a long SMS in ``outbox_multipart`` under
the same ID), sends them through the modem and moves each part to ``sentitems`` with a
``Status``. ``CreatorID`` carries our own id for the message, which makes queueing
idempotent: a sender that crashed after queueing finds its row again instead of sending a
second SMS.

GSM 03.38 text goes as ``Default_No_Compression`` (160 characters, 153 per part when
concatenated; the extension characters count twice); anything else as
``Unicode_No_Compression`` (70 UTF-16 units, 67 per part). Parts carry the 8-bit-reference
concatenation header (3GPP TS 23.040 9.2.3.24.1) in ``UDH``, as hex.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    insert,
    literal_column,
    select,
)

GSM_BASIC = ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
             "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM_EXTENSION = "^{}\\[~]|€\f"
SENT = {"SendingOK", "SendingOKNoReport", "DeliveryPending", "DeliveryUnknown"}
FAILED = {"SendingError", "DeliveryFailed", "Error"}

_META = MetaData()
# Only the columns every Gammu SMSD schema since version 14 has, quoted as Gammu creates
# them (mixed case on PostgreSQL).
OUTBOX = Table(
    "outbox", _META,
    Column("ID", Integer, primary_key=True), Column("DestinationNumber", String), Column("TextDecoded", Text),
    Column("Coding", String), Column("UDH", Text), Column("MultiPart", String), Column("CreatorID", Text),
    Column("DeliveryReport", String), Column("Class", Integer),
)
OUTBOX_MULTIPART = Table(
    "outbox_multipart", _META,
    Column("ID", Integer, primary_key=True), Column("SequencePosition", Integer, primary_key=True),
    Column("TextDecoded", Text), Column("Coding", String), Column("UDH", Text), Column("Class", Integer),
)
SENTITEMS = Table(
    "sentitems", _META,
    Column("ID", Integer, primary_key=True), Column("SequencePosition", Integer, primary_key=True),
    Column("Status", String), Column("StatusError", Integer), Column("CreatorID", Text),
    Column("SendingDateTime", String), Column("DeliveryDateTime", String),
)


@dataclass(frozen=True)
class SmsState:
    state: str  # queued | sent | delivered | failed
    outbox_id: int
    at: datetime | None = None  # when the modem sent it (failed: when it gave up)
    error: str | None = None  # Gammu's status for a failed part, e.g. "SendingError"


def is_gsm7(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def sms_parts(text: str) -> tuple[str, list[str]]:
    """(Gammu coding, the text cut into the parts the modem sends)."""
    if is_gsm7(text):
        weight, single, part = (lambda ch: 2 if ch in GSM_EXTENSION else 1), 160, 153
        coding = "Default_No_Compression"
    else:
        weight, single, part = (lambda ch: 2 if ord(ch) > 0xFFFF else 1), 70, 67
        coding = "Unicode_No_Compression"
    if sum(map(weight, text)) <= single:
        return coding, [text]
    parts, current, used = [], "", 0
    for ch in text:  # never split a character that weighs two units
        if used + weight(ch) > part:
            parts.append(current)
            current, used = "", 0
        current += ch
        used += weight(ch)
    parts.append(current)
    return coding, parts


def _udh(reference: int, total: int, seq: int) -> str:
    return f"050003{reference:02X}{total:02X}{seq:02X}"


@functools.cache
def gammu_engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True)


def queue_sms(gammu: Engine, number: str, text: str, creator_id: str) -> int:
    """Queue one SMS (all its parts, in one transaction); the outbox ID. When a message with
    this ``creator_id`` is already queued or sent, nothing is written and its ID returned."""
    coding, parts = sms_parts(text)
    if len(parts) > 255:
        raise ValueError(f"the text needs {len(parts)} SMS parts; at most 255 can be joined")
    reference = zlib.crc32(creator_id.encode()) & 0xFF  # the same message always gets the same one
    multipart = len(parts) > 1
    with gammu.begin() as conn:
        existing = _find_id(conn, creator_id)
        if existing is not None:
            return existing
        outbox_id = conn.execute(insert(OUTBOX).values(
            DestinationNumber=number, TextDecoded=parts[0], Coding=coding,
            UDH=_udh(reference, len(parts), 1) if multipart else "",
            # an untyped literal: Gammu's column is text on SQLite and MySQL, boolean on PostgreSQL
            MultiPart=literal_column("'true'" if multipart else "'false'"),
            CreatorID=creator_id, DeliveryReport="yes", Class=-1,
        ).returning(OUTBOX.c.ID)).scalar_one()
        if multipart:
            conn.execute(insert(OUTBOX_MULTIPART), [
                {"ID": outbox_id, "SequencePosition": seq, "TextDecoded": body, "Coding": coding,
                 "UDH": _udh(reference, len(parts), seq), "Class": -1}
                for seq, body in enumerate(parts[1:], start=2)])
    return outbox_id


def _find_id(conn, creator_id: str) -> int | None:
    for table in (OUTBOX, SENTITEMS):
        found = conn.execute(select(table.c.ID).where(table.c.CreatorID == creator_id).limit(1)).scalar()
        if found is not None:
            return found
    return None


def sms_state(gammu: Engine, creator_id: str, zone: ZoneInfo) -> SmsState | None:
    """What became of the message queued with ``creator_id``; None when it was never queued.
    A message is failed when any part failed, delivered when every part was, sent when
    every part left the modem, else queued. Gammu's times are local (``zone``)."""
    with gammu.connect() as conn:
        sent = conn.execute(select(SENTITEMS).where(SENTITEMS.c.CreatorID == creator_id)).mappings().all()
        queued = conn.execute(select(OUTBOX.c.ID).where(OUTBOX.c.CreatorID == creator_id)).scalar()
    if not sent:
        return None if queued is None else SmsState("queued", queued)
    outbox_id = sent[0]["ID"]
    failed = [row for row in sent if row["Status"] in FAILED]
    times = [t for row in sent if (t := _local(row["SendingDateTime"], zone)) is not None]
    at = max(times) if times else None
    if failed:
        return SmsState("failed", outbox_id, at, failed[0]["Status"])
    if queued is not None:  # some parts still wait in the outbox
        return SmsState("queued", outbox_id)
    if all(row["Status"] == "DeliveryOK" for row in sent):
        return SmsState("delivered", outbox_id, at)
    return SmsState("sent", outbox_id, at)


def _local(value, zone: ZoneInfo) -> datetime | None:
    if value is None:
        return None
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)
