"""The reply outbox: a reply's states, each change written with its case event in one
transaction.

    draft ──approve──▶ approved ──claim──▶ sending ──▶ sent | failed
      └──send back──▶ returned           ▲      │
                                          └──────┘ retry: a 429 puts it back to approved (X
                                            refused it, nothing was posted); an outcome the
                                            sender could not see (5xx, timeout, SMS not yet
                                            delivered) leaves it sending until its lease ends

A ``sending`` reply may be on the platform already: whoever claims it next (after a crash,
when its lease ``next_attempt_at`` has passed) looks for it there before posting again. The
claim commits before the platform is called; on PostgreSQL several senders claim with
``FOR UPDATE SKIP LOCKED``, on SQLite the write lock taken at BEGIN makes the claim exclusive.
Claims are not case events (they are the sender's bookkeeping, many per reply on a bad
day); drafting, approval, sending back, sent and failed are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlmodel import Session, col

from store.cases import Actor, CaseError, get_case, log_response, record_event
from store.errors import ExplainedError
from store.reply_tables import Reply
from store.tables import CaseEvent
from store.types import utcnow
from store.vocabulary import OPEN_STATUSES

SENDER = Actor(None, "system:replies")
CLAIM_LEASE = timedelta(minutes=5)  # a claimed reply nobody finished is looked up after this


class ReplyError(ExplainedError):
    """A reply change that cannot be made (wrong state, not found); the message says why."""


@dataclass(frozen=True)
class Outgoing:
    """A claimed reply, as the sender needs it."""
    id: int
    case_id: int
    platform: str
    target: str | None
    private: bool
    text: str
    public_note: str | None
    attempts: int  # including this one
    recovering: bool  # it was sending already: look for it on the platform before posting


def add(session: Session, actor: Actor, *, case_id: int, platform: str, target: str | None, text: str,
        kind: str, approved: bool, manual: bool = False, private: bool = False,
        public_note: str | None = None, template: str | None = None, now: datetime | None = None) -> Reply:
    """Write a reply: a draft waiting for approval, approved (queued for the sender) or, on a
    platform Tanggap cannot post to, manual (staff send it by hand)."""
    now = now or utcnow()
    case = get_case(session, case_id)
    if case.status not in OPEN_STATUSES:
        raise CaseError(f"case {case_id} is {case.status}; reopen it before replying", "respond_not_open",
                        status=case.status)
    state = ("manual" if manual else "approved") if approved else "draft"
    reply = Reply(case_id=case_id, platform=platform, target=target, text=text, kind=kind, state=state,
                  private=private, public_note=public_note, template=template, drafted_by=actor.id,
                  drafted_at=now, updated_at=now, approved_by=actor.id if approved else None,
                  approved_at=now if approved else None)
    session.add(reply)
    session.flush()
    record_event(session, case_id, actor, "reply_drafted", None,
                 {"reply": reply.id, "state": state, "platform": platform, "private": private}, now=now)
    return reply


def get(session: Session, reply_id: int) -> Reply:
    reply = session.get(Reply, reply_id, populate_existing=True)
    if reply is None:
        raise ReplyError(f"reply {reply_id} does not exist", "reply_not_found", reply=reply_id)
    return reply


def approve(session: Session, reply_id: int, actor: Actor, now: datetime | None = None) -> Reply:
    return _review(session, reply_id, actor, "approved", None, now or utcnow())


def send_back(session: Session, reply_id: int, actor: Actor, comment: str, now: datetime | None = None) -> Reply:
    if not comment.strip():
        raise ReplyError("say why the reply is sent back (--comment)", "reply_comment_empty")
    return _review(session, reply_id, actor, "returned", comment.strip(), now or utcnow())


def _review(session: Session, reply_id: int, actor: Actor, state: str, comment: str | None,
            now: datetime) -> Reply:
    reply = get(session, reply_id)
    if state == "approved" and reply.target is None:
        state = "manual"  # nothing Tanggap can post to: approved for staff to send by hand
    values: dict[str, object] = {"state": state, "updated_at": now, "review_comment": comment}
    if state in ("approved", "manual"):
        values.update(approved_by=actor.id, approved_at=now)
    if not _move(session, reply_id, ("draft",), values):
        raise ReplyError(f"reply {reply_id} is {reply.state}, not waiting for approval", "reply_not_draft",
                         reply=reply_id, state=reply.state)
    record_event(session, reply.case_id, actor, "reply_sent_back" if state == "returned" else "reply_approved",
                 {"reply": reply_id, "state": "draft"}, {"reply": reply_id, "state": state}, note=comment, now=now)
    session.refresh(reply)
    return reply


def claim(session: Session, worker: str, now: datetime, limit: int = 50,
          lease: timedelta = CLAIM_LEASE) -> list[Outgoing]:
    """Take up to ``limit`` replies to send: approved ones that are due, and sending ones whose
    lease ended (a sender died, or the outcome was not known). Commit before calling out."""
    state, next_at = col(Reply.state), col(Reply.next_attempt_at)
    due = or_(and_(state == "approved", or_(next_at.is_(None), next_at <= now)),
              and_(state == "sending", next_at <= now))
    fields = (col(Reply.id), col(Reply.case_id), col(Reply.platform), col(Reply.target), col(Reply.private),
              col(Reply.text), col(Reply.public_note), col(Reply.attempts), col(Reply.state))
    query = select(*fields).where(due).order_by(col(Reply.id)).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    claimed = [Outgoing(r.id, r.case_id, r.platform, r.target, r.private, r.text, r.public_note, r.attempts + 1,
                        r.state == "sending") for r in session.execute(query)]
    if claimed:
        session.execute(update(Reply).where(col(Reply.id).in_([r.id for r in claimed])).values(
            state="sending", claimed_by=worker, attempts=col(Reply.attempts) + 1, next_attempt_at=now + lease,
            updated_at=now).execution_options(synchronize_session=False))
    return claimed


def mark_sent(session: Session, reply_id: int, worker: str, platform_id: str, platform_at: datetime,
              now: datetime | None = None) -> bool:
    """The platform has the reply: sent, and the case's response at the platform's time (the
    first response if none came earlier). False if another sender took the reply over."""
    now = now or utcnow()
    sent = session.execute(
        update(Reply).where(col(Reply.id) == reply_id, col(Reply.state) == "sending", col(Reply.claimed_by) == worker)
        .values(state="sent", platform_id=platform_id, platform_at=platform_at, error_code=None, error_detail=None,
                next_attempt_at=None, updated_at=now)
        .returning(col(Reply.case_id), col(Reply.drafted_by), col(Reply.text), col(Reply.kind), col(Reply.platform),
                   col(Reply.private))
        .execution_options(synchronize_session=False)).first()
    if sent is None:
        return False
    case_id, drafted_by, text, kind, platform, private = sent
    record_event(session, case_id, SENDER, "reply_sent", None,
                 {"reply": reply_id, "platform_id": platform_id, "at": platform_at}, now=now)
    ref = response_ref(platform, private, platform_id)
    if ref is None or not logged_refs(session, [ref]):
        _log_response(session, case_id, Actor(drafted_by, SENDER.label), text, kind, platform_at, now, ref)
    return True


def response_ref(platform: str, private: bool, platform_id: str) -> str | None:
    """The response's ``external_ref`` ('twitter:<post id>', 'facebook:<comment id>'): the
    collectors read the account's own posts too, and log each post once by this ref, so the
    reply Tanggap sent is not logged a second time when the own timeline brings it back."""
    return f"{platform}:{platform_id}" if platform in ("twitter", "facebook") and not private else None


def logged_refs(session: Session, refs: list[str]) -> set[str]:
    """Which of these posts are a response already (the own timeline may have seen a reply
    before a sender that crashed recorded it)."""
    return set(session.execute(select(col(CaseEvent.external_ref)).where(
        col(CaseEvent.external_ref).in_(refs))).scalars()) if refs else set()


def _log_response(session: Session, case_id: int, author: Actor, text: str, kind: str, platform_at: datetime,
                  now: datetime, external_ref: str | None) -> None:
    case = get_case(session, case_id)
    if case.status not in OPEN_STATUSES:
        return  # resolved while the reply waited: it is on the timeline, the clocks are over
    # Clocks of the platform and the server may disagree by a little; the response is never
    # before the case opened nor after now.
    at = min(max(platform_at, case.opened_at), now)
    log_response(session, case_id, None, author, text=text, channel="platform_reply", kind=kind, happened_at=at,
                 now=now, external_ref=external_ref)


def mark_failed(session: Session, reply_id: int, worker: str | None, code: str, detail: str,
                now: datetime | None = None) -> bool:
    now = now or utcnow()
    if not _move(session, reply_id, ("sending",), {"state": "failed", "error_code": code,
                                                   "error_detail": detail[:2000], "next_attempt_at": None,
                                                   "updated_at": now}, worker):
        return False
    reply = get(session, reply_id)
    record_event(session, reply.case_id, SENDER, "reply_failed", None, {"reply": reply_id, "error": code},
                 note=detail[:500], now=now)
    return True


def retry_later(session: Session, reply_id: int, worker: str, at: datetime, *, maybe_posted: bool,
                platform_id: str | None = None, now: datetime | None = None) -> bool:
    """Try again at ``at``: as approved when the platform surely has nothing (it refused with a
    429), else still sending, so that the next claim looks for it first."""
    values: dict[str, object] = {"state": "sending" if maybe_posted else "approved", "next_attempt_at": at,
                                 "updated_at": now or utcnow()}
    if platform_id:  # the platform holds it (an SMS in the modem's queue): waiting is not failing
        values.update(platform_id=platform_id, attempts=0)
    return _move(session, reply_id, ("sending",), values, worker)


def retry(session: Session, reply_id: int, actor: Actor, now: datetime | None = None) -> Reply:
    """Staff send a failed reply again (e.g. after the token was replaced)."""
    now = now or utcnow()
    reply = get(session, reply_id)
    if not _move(session, reply_id, ("failed",), {"state": "approved", "attempts": 0, "next_attempt_at": None,
                                                  "updated_at": now}):
        raise ReplyError(f"reply {reply_id} is {reply.state}; only a failed reply is sent again",
                         "reply_not_failed", reply=reply_id, state=reply.state)
    record_event(session, reply.case_id, actor, "reply_retried", {"reply": reply_id, "state": "failed"},
                 {"reply": reply_id, "state": "approved"}, now=now)
    session.refresh(reply)
    return reply


def case_replies(session: Session, case_id: int) -> list[Reply]:
    return list(session.execute(select(Reply).where(col(Reply.case_id) == case_id).order_by(col(Reply.id))).scalars())


def sent_from_tanggap(session: Session, platform: str, post_ids: list[str]) -> set[str]:
    """Which of these posts of the regent's own accounts are replies Tanggap sent (already
    logged as responses when they were sent): the collectors' own-post pass skips them."""
    if not post_ids:
        return set()
    return set(session.execute(select(col(Reply.platform_id)).where(
        col(Reply.platform) == platform, col(Reply.state) == "sent", col(Reply.platform_id).in_(post_ids))).scalars())


def cases_with_failed_reply(session: Session, case_ids: list[int]) -> set[int]:
    """Of these cases, those whose latest reply failed (the triage list marks them)."""
    if not case_ids:
        return set()
    latest = (select(col(Reply.case_id), col(Reply.state)).where(col(Reply.case_id).in_(case_ids))
              .order_by(col(Reply.case_id), col(Reply.id).desc()))
    seen: dict[int, str] = {}
    for case_id, state in session.execute(latest):
        seen.setdefault(case_id, state)
    return {case_id for case_id, state in seen.items() if state == "failed"}


def _move(session: Session, reply_id: int, from_states: tuple[str, ...], values: dict,
          worker: str | None = None) -> bool:
    """Change a reply only if it is still in one of ``from_states`` (and, for the sender, still
    its own claim): the state machine's guard against a second sender or reviewer."""
    cond = [col(Reply.id) == reply_id, col(Reply.state).in_(from_states)]
    if worker is not None:
        cond.append(col(Reply.claimed_by) == worker)
    result = session.execute(update(Reply).where(*cond).values(**values)
                             .execution_options(synchronize_session=False))
    return result.rowcount == 1  # type: ignore[attr-defined]  # a CursorResult: an UPDATE's result
