"""The regency's own messages (``Mention.is_own``: the Facebook Page's comments, the regent's
X posts, a WhatsApp chat owner's answers) as responses on the cases they answer.

- A message answers the open case of its thread (the X conversation, the Facebook comment
  thread; for one sender's windowed thread, the case open when it was written), else the open
  case of the message it replies to (X ``replied_to``, a Facebook parent comment).
- It is logged once: the response carries the message's ``platform:external_id`` as its
  ``external_ref`` (unique in the store), so the same post fetched again by another run, by
  the search source or by the mentions timeline is never a second response. Responses without
  a ref (logged before refs existed; imported chat messages, whose id is a hash of their words)
  are matched by case, time and text.
- A message on no open case (an announcement, a reply to someone without a case) is ignored
  and counted; it is never stored as a mention.

The caller owns the transaction (collectors.ingest.store_batch).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from collectors.errors import TemporarilyUnavailable
from collectors.mention import Mention
from store.cases import Actor, CaseError, ConflictError, log_response
from store.sla import ResponseTimeError
from store.tables import Case, CaseEvent
from store.tables import Mention as MentionRow

log = logging.getLogger(__name__)
PLATFORM_LABELS = {"twitter": "X"}  # how a responder's handle is labelled on the case's timeline
LABEL_MAX = 64  # CaseEvent.actor_label
CONTENT_HASH = "sha256:"  # collectors.normalize.from_import_row's id for a row without one


@dataclass
class OwnResult:
    responses: int = 0  # logged now
    repeated: int = 0  # logged before: fetched again
    ignored: int = 0  # on no open case


def external_ref(m: Mention) -> str | None:
    """'twitter:<id>' for a post the platform named; None for an imported message whose id is a
    hash of its content (a chat owner may send the same words to two people in one minute)."""
    return None if m.external_id.startswith(CONTENT_HASH) else f"{m.platform}:{m.external_id}"


def _key(m: Mention) -> tuple[str, str]:
    return m.platform, m.external_id


def responder(m: Mention, source: str) -> Actor:
    """'@bupati_bwi (X)' for the regent's X posts; 'system:<source>' where the platform gives
    no handle (the Page's comments carry only its name)."""
    label = PLATFORM_LABELS.get(m.platform)
    if label and m.author_handle:
        return Actor(None, f"@{m.author_handle} ({label})"[:LABEL_MAX])
    return Actor(None, f"system:{source}")


def record_responses(session: Session, own: list[Mention], source: str, now: datetime, channel: str, *,
                     thread_cases: Callable[[set[tuple[str, str]]], dict[tuple[str, str], Case]],
                     replied_cases: Callable[[set[str]], dict[str, Case]],
                     windowed: Callable[[Mention], bool], waiting: Sequence[Mention] = ()) -> OwnResult:
    """Log each own message as a ``channel`` response on the case it answers. The case lookups
    are the store step's own (collectors.ingest), so answers find cases the way mentions do.

    ``waiting``: own replies fetched on earlier runs whose case may have arrived since (the X
    own timeline keeps them a while); one that finds its case now counts as a response, the
    rest are not counted again."""
    result = OwnResult()
    fetched = {_key(m) for m in own}
    offered = [*own, *(m for m in waiting if _key(m) not in fetched)]
    logged = _logged_refs(session, {ref for m in offered if (ref := external_ref(m))})
    fresh = [m for m in offered if external_ref(m) not in logged]
    result.repeated = len(own) - len([m for m in fresh if _key(m) in fetched])
    keys = {(m.platform, m.thread_key) for m in fresh if m.thread_key}
    by_thread = thread_cases(keys) if keys else {}
    names = {m.in_reply_to for m in fresh if m.in_reply_to}
    by_reply = replied_cases(names) if names else {}
    for m in sorted(fresh, key=lambda m: (m.created_at, m.external_id)):
        if windowed(m):
            case = _case_at(session, m)
        else:
            case = by_thread.get((m.platform, m.thread_key or "")) or by_reply.get(m.in_reply_to or "")
        if case is None or case.id is None:
            outcome = "refused"
        elif _logged_without_ref(session, case.id, m):
            outcome = "repeated"
        else:
            outcome = _log(session, case.id, m, source, now, channel)
        result.responses += outcome == "logged"
        if _key(m) in fetched:
            result.repeated += outcome == "repeated"
            result.ignored += outcome == "refused"
    return result


def _log(session: Session, case_id: int, m: Mention, source: str, now: datetime, channel: str) -> str:
    try:
        # A savepoint: a second collector logging the same post at the same moment (PostgreSQL)
        # trips the unique external_ref and only this response is left out, not the batch.
        with session.begin_nested():
            log_response(session, case_id, None, responder(m, source), text=m.text, channel=channel,
                         happened_at=m.created_at, now=max(now, m.created_at), external_ref=external_ref(m))
    except IntegrityError:
        return "repeated"
    except ConflictError as exc:
        # The case changed under us (staff, another collector): the batch is rolled back and
        # retried whole with the poller's backoff, so the answer is not lost.
        raise TemporarilyUnavailable(f"case {case_id} changed while its reply was logged; retrying") from exc
    except (CaseError, ResponseTimeError) as exc:  # a closed case, a reply older than the case
        log.info("own reply %s %s not logged on case %s: %s", m.platform, m.external_id, case_id, exc)
        return "refused"
    return "logged"


def _logged_refs(session: Session, refs: set[str]) -> set[str]:
    found: set[str] = set()
    ordered = sorted(refs)
    for start in range(0, len(ordered), 500):
        found.update(ref for ref in session.execute(select(col(CaseEvent.external_ref)).where(
            col(CaseEvent.external_ref).in_(ordered[start:start + 500]))).scalars() if ref)
    return found


def _logged_without_ref(session: Session, case_id: int, m: Mention) -> bool:
    """A response logged without a ref (before migration 0008, or an imported chat message), by
    case, time and text."""
    return session.execute(select(col(CaseEvent.id)).where(
        col(CaseEvent.case_id) == case_id, col(CaseEvent.action) == "responded",
        col(CaseEvent.external_ref).is_(None), col(CaseEvent.happened_at) == m.created_at,
        col(CaseEvent.response_text) == m.text).limit(1)).first() is not None


def _case_at(session: Session, m: Mention) -> Case | None:
    """The open case of a windowed thread (one sender) that the answer ``m`` was written in:
    the latest opened before it, not a later one the same sender opened after 24 hours."""
    return session.execute(
        select(Case).join(MentionRow, col(MentionRow.case_id) == col(Case.id))
        .where(col(MentionRow.platform) == m.platform, col(MentionRow.thread_key) == m.thread_key,
               col(Case.is_open).is_(True), col(Case.opened_at) <= m.created_at)
        .order_by(col(Case.opened_at).desc()).limit(1)).scalars().first()
