"""Sent replies recorded in bulk: the form of store.replies.mark_sent for a whole pass of the
sender, as store/intake.py is for a page of mentions.

Each reply becomes exactly what ``mark_sent`` makes of it (sent with the platform's id and
time, a ``reply_sent`` event, and the case's ``platform_reply`` response through the same
rules as store.cases.log_response: the clocks from sla.first_times, the derived columns from
cases.derived_values, the version up by one), but with one executemany per statement kind
instead of a dozen ORM round trips per reply. Every write is guarded (the reply still this
sender's claim, the case still at the version read); when a guard does not hold, StaleBatch
is raised, the transaction rolls back, and the sender records the pass one reply at a time
through ``mark_sent``. tests/replies/test_bulk_record.py checks both give the same rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlmodel import Session

from store import sla
from store.cases import derived_values
from store.replies import SENDER, logged_refs, response_ref
from store.tables import Case, CaseEvent, Reply
from store.vocabulary import OPEN_STATUSES

REPLY, CASE, EVENT = Reply.__table__, Case.__table__, CaseEvent.__table__  # type: ignore[attr-defined]
CASE_COLUMNS = ("status", "urgency", "lead_agency_code", "opened_at", "due_at", "ack_due_at", "first_response_at",
                "first_handling_at", "resolved_at", "version")


class StaleBatch(Exception):
    """A reply or case changed under the batch: record it one reply at a time instead."""


@dataclass(frozen=True)
class Sent:
    reply_id: int
    platform_id: str
    platform_at: datetime


def mark_sent_many(session: Session, worker: str, sent: list[Sent], now: datetime) -> None:
    if not sent:
        return
    claimed = session.execute(
        update(REPLY).where(REPLY.c.id == bindparam("rid"), REPLY.c.state == "sending",
                            REPLY.c.claimed_by == worker)
        .values(state="sent", platform_id=bindparam("pid"), platform_at=bindparam("pat"), error_code=None,
                error_detail=None, next_attempt_at=None, updated_at=now),
        [{"rid": s.reply_id, "pid": s.platform_id, "pat": s.platform_at} for s in sent])
    if claimed.rowcount != len(sent):  # type: ignore[attr-defined]  # an UPDATE's CursorResult
        raise StaleBatch(f"{len(sent) - claimed.rowcount} of {len(sent)} replies are no longer this sender's")  # type: ignore[attr-defined]
    rows = {r.id: r for r in session.execute(select(REPLY.c.id, REPLY.c.case_id, REPLY.c.drafted_by, REPLY.c.text,
                                                    REPLY.c.kind, REPLY.c.platform, REPLY.c.private)
                                             .where(REPLY.c.id.in_([s.reply_id for s in sent])))}
    refs = {s.reply_id: response_ref(rows[s.reply_id].platform, rows[s.reply_id].private, s.platform_id) for s in sent}
    logged = logged_refs(session, [ref for ref in refs.values() if ref])
    cases = {c.id: dict(c._mapping) for c in session.execute(
        select(CASE.c.id, *(CASE.c[name] for name in CASE_COLUMNS))
        .where(CASE.c.id.in_({r.case_id for r in rows.values()})))}
    events: list[dict[str, Any]] = []
    changes: dict[int, dict[str, Any]] = {}
    for s in sent:
        reply = rows[s.reply_id]
        events.append(_event(reply.case_id, None, SENDER.label, "reply_sent", None,
                             {"reply": s.reply_id, "platform_id": s.platform_id, "at": s.platform_at.isoformat()},
                             now, now))
        case = changes.get(reply.case_id) or cases[reply.case_id]
        if case["status"] not in OPEN_STATUSES or refs[s.reply_id] in logged:
            continue  # resolved while the reply waited, or the own timeline logged the post already
        at = min(max(s.platform_at, case["opened_at"]), now)
        changes[reply.case_id] = _responded(case, at, reply.kind, reply.drafted_by, now)
        events.append(_event(reply.case_id, reply.drafted_by, SENDER.label, "responded", {"status": case["status"]},
                             {"status": changes[reply.case_id]["status"], "kind": reply.kind}, at, now,
                             response_text=reply.text, response_channel="platform_reply", response_kind=reply.kind,
                             external_ref=refs[s.reply_id]))
    _update_cases(session, cases, changes)
    session.execute(insert(EVENT), events)


def _responded(case: dict[str, Any], at: datetime, kind: str, actor_id: int | None, now: datetime) -> dict[str, Any]:
    """The case after one more response, as store.cases.log_response computes it."""
    earlier = [(t, k) for t, k in ((case["first_response_at"], sla.ACKNOWLEDGEMENT),
                                   (case["first_handling_at"], sla.HANDLING)) if t is not None]
    status = "responded" if case["status"] in ("new", "assigned") else case["status"]
    merged = {**case, "status": status, **sla.first_times([*earlier, (at, kind)])}
    values = {k: merged[k] for k in CASE_COLUMNS if k != "version"}
    values.update(derived_values(**values))
    return {**merged, **values, "updated_by": actor_id, "updated_at": now, "id": case["id"],
            "read_version": case.get("read_version", case["version"]), "version": case["version"] + 1}


def _update_cases(session: Session, cases: dict[int, dict[str, Any]], changes: dict[int, dict[str, Any]]) -> None:
    if not changes:
        return
    columns = [k for k in next(iter(changes.values())) if k not in ("id", "read_version", "urgency",
                                                                     "lead_agency_code", "opened_at", "due_at",
                                                                     "ack_due_at", "resolved_at")]
    result = session.execute(
        update(CASE).where(CASE.c.id == bindparam("cid"), CASE.c.version == bindparam("read"))
        .values({k: bindparam(f"new_{k}") for k in columns}),
        [{"cid": c["id"], "read": cases[c["id"]]["version"], **{f"new_{k}": c[k] for k in columns}}
         for c in changes.values()])
    if result.rowcount != len(changes):  # type: ignore[attr-defined]  # an UPDATE's CursorResult
        raise StaleBatch("a case changed while its replies were recorded")


def _event(case_id: int, actor_id: int | None, label: str, action: str, old: Any, new: Any, happened: datetime,
           logged: datetime, **response: Any) -> dict[str, Any]:
    return {"case_id": case_id, "actor_id": actor_id, "actor_label": label, "action": action, "old_value": old,
            "new_value": new, "note": None, "response_text": response.get("response_text"),
            "response_channel": response.get("response_channel"), "response_kind": response.get("response_kind"),
            "external_ref": response.get("external_ref"), "happened_at": happened, "logged_at": logged}
