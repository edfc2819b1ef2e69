"""Replies to the citizen: draft, approve or send back, send a failed one again, and read a
case's replies. Permissions from the policy (Action.REPLY, Action.APPROVE_REPLY); approval by
TANGGAP_REPLY_APPROVAL. The worker's sender (collectors/reply_sender.py) posts them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlmodel import Session, col, select

from console.services import policy, privacy
from console.services.auth import Principal, refresh_principal
from console.services.errors import NotFound, ServiceError
from console.services.policy import Action
from console.services.reply_text import check
from store import replies as store_replies
from store import sla
from store.cases import CaseError
from store.db import read_session, write_session
from store.replies import ReplyError
from store.settings import get_settings
from store.tables import Case, Mention, Reply, ReplyTemplate, StaffUser
from store.types import utcnow

POSTABLE = ("twitter", "facebook", "sms")
# What the public sees under a restricted case's comment when the answer went privately.
NEUTRAL_NOTE = "Terima kasih, laporan Anda sudah kami terima. Kami menghubungi Anda melalui pesan pribadi."
BLANK = "___"  # a template's gap for staff to fill in (e.g. who is in charge instead)


@dataclass(frozen=True)
class ReplyView:
    id: int
    state: str
    platform: str
    private: bool
    text: str
    public_note: str | None
    template: str | None
    kind: str
    drafted_by: str
    drafted_at: datetime
    approved_by: str | None
    review_comment: str | None
    platform_id: str | None
    platform_at: datetime | None
    error_code: str | None
    error_detail: str | None


@dataclass(frozen=True)
class Destination:
    platform: str
    target: str | None  # None: Tanggap cannot post there (an import): sent by hand
    private: bool


def destination(session: Session, case: Case) -> Destination:
    """Where the citizen wrote last in this case: their latest post, comment or number. A
    restricted case on Facebook is answered privately."""
    latest = session.exec(select(Mention).where(Mention.case_id == case.id)
                          .order_by(col(Mention.created_at).desc(), col(Mention.id).desc()).limit(1)).first()
    platform = latest.platform if latest else case.platform
    if latest is None or platform not in POSTABLE:
        return Destination(platform, None, False)
    target = latest.author_id or latest.author_handle if platform == "sms" else latest.external_id
    return Destination(platform, target, platform == "facebook" and case.restricted)


def destination_for(principal: Principal, case_id: int) -> Destination:
    """Where a reply to this case would go (the reply box says so before it is written)."""
    with read_session() as session:
        principal = refresh_principal(session, principal)
        case = _case(session, case_id)
        policy.require(principal, Action.READ, policy.facts(session, case))
        return destination(session, case)


def draft(principal: Principal, case_id: int, text: str, *, template: str | None = None,
          kind: str | None = None, allow_personal: bool = False) -> ReplyView:
    """Write a reply. It is queued at once when the drafter's reply needs no approval (see
    ``needs_approval``), else it waits as a draft. A public reply that names a phone number,
    a NIK or a child is refused unless ``allow_personal`` (the reply box asks first)."""
    text = text.strip()
    if not text:
        raise ServiceError("the reply is empty", "reply_empty")
    if kind is not None:
        try:
            sla.check_kind(kind)
        except sla.ResponseKindError as exc:
            raise ServiceError.of(exc) from exc
    if BLANK in text:
        raise ServiceError("the reply still has a ___ gap to fill in", "reply_blank")
    with write_session() as session:
        principal = refresh_principal(session, principal)
        case = _case(session, case_id)
        facts = policy.facts(session, case)
        policy.require(principal, Action.REPLY, facts)
        where = destination(session, case)
        checked = check(text, where.platform, public=where.platform in ("twitter", "facebook") and not where.private)
        if checked.too_long:
            raise ServiceError(f"the reply is {checked.length} characters as X counts them; at most {checked.limit}",
                               "reply_too_long", length=checked.length, limit=checked.limit)
        if checked.warnings and not allow_personal:
            raise ServiceError(f"a public reply should not contain: {', '.join(checked.warnings)}",
                               "reply_personal_data", what=", ".join(checked.warnings))
        template_kind = None
        if template:
            row = session.get(ReplyTemplate, template)
            template_kind = row.kind if row else None
        try:
            reply = store_replies.add(
                session, principal.actor, case_id=case_id, platform=where.platform, target=where.target, text=text,
                kind=kind or sla.default_kind("platform_reply", template_kind), manual=where.target is None,
                approved=not needs_approval(principal, facts), private=where.private,
                public_note=NEUTRAL_NOTE if where.private else None, template=template, now=utcnow())
        except (CaseError, sla.ResponseKindError) as exc:
            raise ServiceError.of(exc) from exc
        return _view(session, reply)


def needs_approval(principal: Principal, facts: policy.CaseFacts) -> bool:
    """none: nobody's reply waits; agency: a reply waits unless its writer may approve replies
    (the comms team, admins); all: every reply waits for a second person."""
    mode = get_settings().reply_approval
    if mode == "none":
        return False
    if mode == "agency":
        return not policy.allowed(principal, Action.APPROVE_REPLY, facts)
    return True


def approve(principal: Principal, reply_id: int) -> ReplyView:
    return _review(principal, reply_id, lambda s, who, r: store_replies.approve(s, r.id, who.actor, now=utcnow()))


def send_back(principal: Principal, reply_id: int, comment: str) -> ReplyView:
    return _review(principal, reply_id, lambda s, who, r: store_replies.send_back(
        s, r.id, who.actor, comment, now=utcnow()))


def retry(principal: Principal, reply_id: int) -> ReplyView:
    """Queue a failed reply again (after the token was replaced, the platform came back …)."""
    return _review(principal, reply_id, lambda s, who, r: store_replies.retry(s, r.id, who.actor, now=utcnow()))


def _review(principal: Principal, reply_id: int, action) -> ReplyView:
    with write_session() as session:
        principal = refresh_principal(session, principal)
        reply = session.get(Reply, reply_id)
        case = session.get(Case, reply.case_id) if reply else None
        if reply is None or case is None:
            raise NotFound(f"reply {reply_id} not found")
        policy.require(principal, Action.APPROVE_REPLY, policy.facts(session, case))
        if get_settings().reply_approval == "all" and reply.drafted_by == principal.id and reply.state == "draft":
            raise ServiceError("with TANGGAP_REPLY_APPROVAL=all, someone else approves your reply", "reply_own")
        try:
            return _view(session, action(session, principal, reply))
        except ReplyError as exc:
            raise ServiceError.of(exc) from exc


def case_replies(principal: Principal, case_id: int) -> list[ReplyView]:
    with read_session() as session:
        principal = refresh_principal(session, principal)
        facts = policy.facts(session, _case(session, case_id))
        policy.require(principal, Action.READ, facts)
        # A reply may name a number (confirmed by its writer): shown by the one phone rule.
        return [replace(view, text=privacy.text_for(principal, facts, view.text) or "")
                for view in (_view(session, r) for r in store_replies.case_replies(session, case_id))]


def failed_reply_cases(case_ids: list[int]) -> set[int]:
    """Which of these cases (already filtered by what the user may read) have a failed reply."""
    with read_session() as session:
        return store_replies.cases_with_failed_reply(session, case_ids)


def _case(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


def _view(session: Session, reply: Reply) -> ReplyView:
    def name(user_id: int | None) -> str | None:
        user = session.get(StaffUser, user_id) if user_id else None
        return user.display_name if user else None
    assert reply.id is not None  # a stored reply
    return ReplyView(id=reply.id, state=reply.state, platform=reply.platform, private=reply.private, text=reply.text,
                     public_note=reply.public_note, template=reply.template, kind=reply.kind,
                     drafted_by=name(reply.drafted_by) or "—", drafted_at=reply.drafted_at,
                     approved_by=name(reply.approved_by), review_comment=reply.review_comment,
                     platform_id=reply.platform_id, platform_at=reply.platform_at, error_code=reply.error_code,
                     error_detail=reply.error_detail)
