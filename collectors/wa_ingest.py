"""Ingests the stored WhatsApp deliveries: the worker's half of the webhook.

One pass claims the oldest pending deliveries, reads each (collectors/wa_normalize.py),
stores their messages through the store step every source uses (collectors.ingest:
exactly once by wamid, one sender's messages within 24 hours on one case, tagging), puts a
camat's line's kecamatan office on the case as supporting unit, keeps the statuses of our
own messages, and marks the deliveries done, all in one transaction. A crash anywhere
rolls it all back and the deliveries stay pending: the next pass ingests them, once.

Claiming: on PostgreSQL ``FOR UPDATE SKIP LOCKED``, so several workers take different
deliveries; on SQLite the write transaction (BEGIN IMMEDIATE) is the claim.

A delivery whose body is not a WhatsApp delivery, or that holds a message of a kind
Tanggap does not know, is marked ``failed`` with the error (its other messages are still
stored): it fails loudly, and can be ingested again (``retry_failed``) once the code reads
that kind, without storing anything twice.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from collectors import tagging
from collectors.errors import PayloadError
from collectors.ingest import Tagger, store_batch
from collectors.mention import Mention
from collectors.wa_normalize import Delivery, StatusUpdate, read_delivery
from store.cases import Actor, add_support
from store.db import read_session, write_session
from store.tables import Agency, WhatsAppDelivery, WhatsAppStatus
from store.tables import Mention as MentionRow
from store.types import utcnow

log = logging.getLogger(__name__)
SOURCE = "whatsapp"
BATCH = 50  # deliveries per transaction: keeps the write lock short beside the webhook's inserts
REGENT_LINE = "bupati"


class UnknownLine(Exception):
    """TANGGAP_WHATSAPP_NUMBERS names a unit that is not an agency."""


@dataclass
class IngestResult:
    deliveries: int = 0
    failed: int = 0
    inserted: int = 0
    duplicates: int = 0
    cases_opened: int = 0
    statuses: int = 0
    supporting_added: int = 0

    def note(self) -> str:
        return (f"{self.deliveries} deliveries, {self.inserted} new messages, {self.duplicates} duplicates, "
                f"{self.cases_opened} cases opened, {self.statuses} statuses")


def ingest_pending(engine: Engine | None = None, numbers: dict[str, str] | None = None, *,
                   now: datetime | None = None, limit: int = BATCH, tagger: Tagger = tagging.tag_texts
                   ) -> IngestResult:
    """One pass over up to ``limit`` pending deliveries, in the order they arrived.

    The bodies are read and parsed before the write transaction, so the write lock (SQLite's
    one writer, which the webhook's inserts wait for) is held only to store."""
    tagging.warm_up()  # the model loads before the write lock is taken, not inside it
    with read_session(engine) as session:
        candidates = session.execute(
            select(col(WhatsAppDelivery.id), col(WhatsAppDelivery.body))
            .where(col(WhatsAppDelivery.state) == "pending").order_by(col(WhatsAppDelivery.id)).limit(limit)).all()
    if not candidates:
        return IngestResult()
    parsed = {row_id: _read(row_id, bytes(raw)) for row_id, raw in candidates}
    with write_session(engine) as session:
        claimed = _claim(session, list(parsed))
        if not claimed:
            return IngestResult()  # another worker took them
        return _ingest(session, [(row_id, parsed[row_id]) for row_id in claimed], numbers or {}, now, tagger)


def retry_failed(engine: Engine | None = None) -> int:
    """Put failed deliveries back in the queue (after a release that reads their kind)."""
    with write_session(engine) as session:
        result = session.execute(update(WhatsAppDelivery).where(col(WhatsAppDelivery.state) == "failed")
                                 .values(state="pending", error=None))
        return getattr(result, "rowcount", 0)


def _claim(session: Session, ids: list[int]) -> list[int]:
    """Those of ``ids`` still pending, locked for this transaction (in order)."""
    query = (select(col(WhatsAppDelivery.id)).where(col(WhatsAppDelivery.id).in_(ids),
                                                     col(WhatsAppDelivery.state) == "pending")
             .order_by(col(WhatsAppDelivery.id)))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return list(session.execute(query).scalars())


def _read(row_id: int, body: bytes) -> Delivery:
    try:
        delivery = read_delivery(body)
    except PayloadError as exc:
        delivery = Delivery(errors=[exc])
    for reason in delivery.ignored:
        log.info("WhatsApp delivery %s: ignored %s", row_id, reason)
    return delivery


def _ingest(session: Session, claimed: list[tuple[int, Delivery]], numbers: dict[str, str],
            now: datetime | None, tagger: Tagger) -> IngestResult:
    result = IngestResult(deliveries=len(claimed))
    mentions: list[Mention] = []
    statuses: list[StatusUpdate] = []
    outcome: dict[int, str | None] = {}
    for row_id, delivery in claimed:
        mentions += delivery.mentions
        statuses += delivery.statuses
        outcome[row_id] = "; ".join(str(e) for e in delivery.errors)[:2000] or None
        if delivery.errors:
            log.error("WhatsApp delivery %s failed: %s", row_id, outcome[row_id])
    stored = store_batch(session, mentions, SOURCE, tagger=tagger, now=now)
    result.inserted, result.duplicates, result.cases_opened = stored.inserted, stored.duplicates, stored.cases_opened
    result.statuses = _keep_statuses(session, statuses)
    result.supporting_added = _support_from_lines(session, mentions, numbers, now)
    done = [row_id for row_id, error in outcome.items() if not error]
    session.execute(update(WhatsAppDelivery).where(col(WhatsAppDelivery.id).in_(done))
                    .values(state="ingested", ingested_at=now or utcnow()))
    for row_id, error in outcome.items():
        if error:
            session.execute(update(WhatsAppDelivery).where(col(WhatsAppDelivery.id) == row_id)
                            .values(state="failed", error=error, ingested_at=now or utcnow()))
    result.failed = len(outcome) - len(done)
    return result


def _keep_statuses(session: Session, statuses: Sequence[StatusUpdate]) -> int:
    """Each (wamid, status) once, however often Meta delivers it."""
    if not statuses:
        return 0
    rows = {(s.wamid, s.status): {"wamid": s.wamid, "status": s.status, "happened_at": s.happened_at,
                                  "recipient": s.recipient, "error": s.error} for s in statuses}
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    stmt = (insert(WhatsAppStatus).on_conflict_do_nothing(index_elements=["wamid", "status"])
            .returning(col(WhatsAppStatus.wamid)))
    return len(session.execute(stmt, list(rows.values())).all())  # RETURNING: the rows really inserted


def _support_from_lines(session: Session, mentions: Sequence[Mention], numbers: dict[str, str],
                        now: datetime | None) -> int:
    """A message to a camat's line puts that kecamatan office on its case as supporting unit
    (whether it opened the case or joined one)."""
    units: dict[str, str] = {}
    for m in mentions:
        unit = numbers.get(str(m.raw.get("phone_number_id")))
        if unit and unit != REGENT_LINE:
            units[m.external_id] = unit
    if not units:
        return 0
    for unit in set(units.values()):
        if session.get(Agency, unit) is None:
            raise UnknownLine(f"TANGGAP_WHATSAPP_NUMBERS: {unit!r} is not an agency code (e.g. KEC_GENTENG) "
                              f"nor {REGENT_LINE!r}")
    rows = session.execute(select(col(MentionRow.external_id), col(MentionRow.case_id)).where(
        col(MentionRow.platform) == "whatsapp", col(MentionRow.external_id).in_(list(units)))).all()
    pairs = {(case_id, units[wamid]) for wamid, case_id in rows if case_id is not None}
    actor = Actor(None, f"system:{SOURCE}")
    return sum(add_support(session, case_id, unit, actor, now=now) for case_id, unit in sorted(pairs))
