"""Reads Gammu SMSD's ``inbox`` table, read-only: never updates or deletes Gammu's rows.

Gammu stores each part of a long SMS as its own row, with the concatenation header in
``UDH`` (hex). Parts are joined by (sender, reference, part count), in part order. The
checkpoint is the inbox ID below which every row has been turned into a message: a long
SMS whose parts have not all arrived holds the checkpoint back, unless its last part
arrived more than ``PART_WAIT`` ago (then it is taken as it is, gaps marked).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, create_engine, select

PART_WAIT = timedelta(hours=1)
MISSING_PART = "[…]"

# Only the columns every Gammu SMSD schema (versions 13 to 17) has; quoted as Gammu
# creates them (mixed case on PostgreSQL).
INBOX = Table(
    "inbox", MetaData(),
    Column("ID", Integer, primary_key=True), Column("ReceivingDateTime", String),
    Column("SenderNumber", String), Column("UDH", Text), Column("TextDecoded", Text),
    Column("RecipientID", Text),
)


def parse_udh(udh: str | None) -> tuple[int, int, int] | None:
    """(reference, part count, part number) of a concatenated-SMS header, else None.
    IE 0x00 carries an 8-bit reference, IE 0x08 a 16-bit one (3GPP TS 23.040 9.2.3.24)."""
    if not udh:
        return None
    try:
        data = bytes.fromhex(udh.strip())
    except ValueError:
        return None
    if not data or data[0] + 1 > len(data):
        return None
    pos, end = 1, data[0] + 1
    while pos + 2 <= end:
        iei, length = data[pos], data[pos + 1]
        body = data[pos + 2:pos + 2 + length]
        if iei == 0x00 and length == 3 and len(body) == 3:
            ref, total, seq = body
        elif iei == 0x08 and length == 4 and len(body) == 4:
            ref, total, seq = (body[0] << 8) | body[1], body[2], body[3]
        else:
            pos += 2 + length
            continue
        if total >= 1 and 1 <= seq <= total:
            return ref, total, seq
        return None
    return None


@dataclass
class _Group:
    total: int
    parts: dict[int, dict[str, Any]] = field(default_factory=dict)

    def complete(self) -> bool:
        return len(self.parts) == self.total


def _received(value: Any, zone: ZoneInfo) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=zone)


def _message(rows: list[dict[str, Any]], total: int = 1) -> dict[str, Any]:
    by_seq = {r["_seq"]: r for r in rows}
    text = "".join(by_seq[i]["TextDecoded"] or "" if i in by_seq else MISSING_PART for i in range(1, total + 1))
    first = min(rows, key=lambda r: r["ID"])
    return {"id": first["ID"], "ids": sorted(r["ID"] for r in rows), "sender": first["SenderNumber"],
            "received": first["ReceivingDateTime"], "text": text, "recipient": first["RecipientID"],
            "parts": total, "parts_received": len(rows), "udh": [r["UDH"] for r in rows if r["UDH"]]}


class GammuInbox:
    def __init__(self, url: str, zone: ZoneInfo):
        self.engine = create_engine(url, pool_pre_ping=True)
        self.zone = zone

    def read(self, after: int, now: datetime, limit: int = 500) -> tuple[list[dict[str, Any]], int, int]:
        """(messages, new checkpoint, rows scanned) for inbox rows with ID > ``after``."""
        with self.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(
                select(INBOX).where(INBOX.c.ID > after).order_by(INBOX.c.ID).limit(limit))]
        singles: list[dict[str, Any]] = []
        groups: dict[tuple, _Group] = {}
        done: list[_Group] = []
        for row in rows:
            udh = parse_udh(row["UDH"])
            if udh is None or udh[1] == 1:
                row["_seq"] = 1
                singles.append(_message([row]))
                continue
            ref, total, seq = udh
            key = (row["SenderNumber"], ref, total)
            group = groups.get(key)
            if group is not None and seq in group.parts:  # the reference wrapped: a new message
                done.append(groups.pop(key))
                group = None
            group = group or groups.setdefault(key, _Group(total))
            row["_seq"] = seq
            group.parts[seq] = row
        hold = None  # the first inbox ID still waiting for its siblings
        messages = list(singles)
        for group in done + list(groups.values()):
            newest = max((_received(r["ReceivingDateTime"], self.zone) for r in group.parts.values()),
                         default=None, key=lambda t: t or now)
            if group.complete() or group in done or (newest is not None and now - newest > PART_WAIT):
                messages.append(_message(list(group.parts.values()), group.total))
            else:
                first = min(group.parts.values(), key=lambda r: r["ID"])["ID"]
                hold = first if hold is None else min(hold, first)
        checkpoint = (hold - 1) if hold is not None else (rows[-1]["ID"] if rows else after)
        # A message is taken only when every part lies at or below the checkpoint; the rest
        # are read again next time (the store drops what it already has).
        ready = [m for m in messages if max(m["ids"]) <= checkpoint]
        ready.sort(key=lambda m: m["id"])
        return ready, checkpoint, len(rows)
