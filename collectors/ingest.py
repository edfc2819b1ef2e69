"""The store step: write a batch of Mentions exactly once and put each on a case.

- Insert-on-conflict-do-nothing on (platform, external_id), on SQLite and PostgreSQL, so a
  mention fetched twice (a retry, a post repeated across pages, two collectors) is stored
  once; the rows that were really inserted come back through RETURNING.
- Each new mention joins the open case of its thread (same X conversation, same Facebook
  comment thread; for SMS and an imported WhatsApp chat the same number within 24 hours of
  its case's last message), else the open case of the message its ``in_reply_to`` names
  (stored before, on any platform, or earlier in the batch), otherwise it opens a new case,
  tagged on arrival (collectors.tagging).
- The regency's own comments and replies (``Mention.is_own``) are answers: they are logged
  as a platform_reply response on the open case they answer (an acknowledgement: it stops the
  acknowledgement clock, not the handling clock), once per post (collectors.own_replies).
- Every new mention is tagged, follow-ups included, in one classifier call per batch: a new
  case is routed at intake when the model is sure enough of its category (store.routing), and
  a follow-up can raise its case's urgency, change an unassigned case's category and route it
  (store.follow_ups).

The caller owns the transaction: the poller commits the rows and the source's checkpoint
together (collectors.poller).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from collectors.mention import Mention
from collectors.own_replies import record_responses
from collectors.tagging import model_routing_threshold, tag_texts
from store.cases import Actor, CaseTags, load_targets
from store.follow_ups import apply_follow_ups
from store.intake import StoredMention, attach_mentions, open_cases
from store.routing import routing_table
from store.tables import Case
from store.tables import Mention as MentionRow
from store.types import utcnow
from store.vocabulary import PLATFORMS

log = logging.getLogger(__name__)
SMS_JOIN_WINDOW = timedelta(hours=24)
WINDOWED_THREADS = ("sms:", "wa:")  # one sender's messages: a new case after 24 hours of quiet
Tagger = Callable[[Sequence[str]], list[CaseTags | None]]


@dataclass
class StoreResult:
    inserted: int = 0
    duplicates: int = 0
    cases_opened: int = 0
    responses: int = 0
    own_ignored: int = 0  # the regency's own posts on no open case


def mention_row(m: Mention, source: str, now: datetime) -> dict:
    return {"platform": m.platform, "external_id": m.external_id, "source": source,
            "author_id": m.author_id, "author_handle": m.author_handle, "author_name": m.author_name,
            "text": m.text, "permalink": m.permalink, "created_at": m.created_at, "ingested_at": now,
            "thread_key": m.thread_key, "in_reply_to": m.in_reply_to, "raw": dict(m.raw)}


def insert_new(session: Session, rows: list[dict]) -> dict[tuple[str, str], int]:
    """Insert the rows that are not stored yet; {(platform, external_id): id} of those inserted."""
    if not rows:
        return {}
    table = MentionRow.__table__
    insert = sqlite_insert if session.get_bind().dialect.name == "sqlite" else pg_insert
    stmt = (insert(table).on_conflict_do_nothing(index_elements=["platform", "external_id"])
            .returning(table.c.id, table.c.platform, table.c.external_id))
    result = session.connection().execute(stmt, rows)
    return {(platform, external_id): row_id for row_id, platform, external_id in result}


def store_batch(session: Session, mentions: Sequence[Mention], source: str, *,
                tagger: Tagger = tag_texts, now: datetime | None = None,
                own_channel: str = "platform_reply", waiting_own: Sequence[Mention] = (),
                routing_default: Callable[[], float | None] = model_routing_threshold) -> StoreResult:
    """``own_channel``: how the regency's own messages answered (a WhatsApp chat's owner
    answered by WhatsApp). ``waiting_own``: own replies of earlier runs still looking for their
    case (collectors.own_replies). ``routing_default``: the routing threshold when the admin
    has set none (the active model's)."""
    now = now or utcnow()
    result = StoreResult()
    actor = Actor(None, f"system:{source}")
    unique: dict[tuple[str, str], Mention] = {}
    for m in mentions:
        if not m.is_own:
            unique.setdefault((m.platform, m.external_id), m)
    inbound = len([m for m in mentions if not m.is_own])
    ids = insert_new(session, [mention_row(m, source, now) for m in unique.values()])
    result.inserted = len(ids)
    result.duplicates = inbound - len(ids)
    if ids:
        new = sorted((unique[key] for key in ids), key=lambda m: (m.created_at, m.external_id))
        result.cases_opened = _put_on_cases(session, new, ids, actor, tagger, routing_default)
    own = [m for m in mentions if m.is_own]
    if own or waiting_own:
        answered = record_responses(session, own, source, now, own_channel,
                                    thread_cases=lambda keys: _open_threads(session, keys),
                                    replied_cases=lambda names: _replied_cases(session, names),
                                    windowed=_windowed, waiting=waiting_own)
        result.responses, result.own_ignored = answered.responses, answered.ignored
        result.duplicates += answered.repeated
    return result


def _open_threads(session: Session, platform_keys: set[tuple[str, str]]) -> dict[tuple[str, str], Case]:
    """The open case of each (platform, thread_key), the most recent if several."""
    found: dict[tuple[str, str], Case] = {}
    by_platform: dict[str, list[str]] = {}
    for platform, key in platform_keys:
        by_platform.setdefault(platform, []).append(key)
    for platform, keys in by_platform.items():
        for start in range(0, len(keys), 500):
            rows = session.execute(
                select(MentionRow.thread_key, Case)
                .join(Case, Case.id == MentionRow.case_id)
                .where(MentionRow.platform == platform, MentionRow.thread_key.in_(keys[start:start + 500]),
                       Case.is_open.is_(True))
                .order_by(Case.last_mention_at)).all()
            for key, case in rows:
                found[(platform, key)] = case
    return found


def _windowed(m: Mention) -> bool:
    return m.platform == "sms" or (m.thread_key or "").startswith(WINDOWED_THREADS)


def _joinable(case: Case, m: Mention) -> bool:
    return not _windowed(m) or m.created_at - case.last_mention_at <= SMS_JOIN_WINDOW


def _replied_cases(session: Session, names: set[str]) -> dict[str, Case]:
    """The open case of each stored mention named by an ``in_reply_to``, whatever its platform."""
    found: dict[str, Case] = {}
    names_list = sorted(names)
    for start in range(0, len(names_list), 500):
        rows = session.execute(
            select(MentionRow.external_id, Case).join(Case, Case.id == MentionRow.case_id)
            .where(MentionRow.platform.in_(PLATFORMS), MentionRow.external_id.in_(names_list[start:start + 500]),
                   Case.is_open.is_(True))
            .order_by(Case.last_mention_at)).all()
        for name, case in rows:
            found[name] = case
    return found


def _put_on_cases(session: Session, new: list[Mention], ids: dict[tuple[str, str], int],
                  actor: Actor, tagger: Tagger, routing_default: Callable[[], float | None]) -> int:
    threads = {(m.platform, m.thread_key) for m in new if m.thread_key}
    thread_cases = _open_threads(session, threads) if threads else {}
    names = {m.in_reply_to for m in new if m.in_reply_to}
    reply_cases = _replied_cases(session, names) if names else {}
    # where each mention of this batch went: its case, or the mention opening its case
    placed: dict[str, tuple[Case | None, Mention | None]] = {}
    # Plan first (which mention opens a case, which joins one) so the classifier tags the
    # whole batch in one call and cases are written with one statement per kind.
    plan: list[tuple[Mention, Case | None, Mention | None]] = []
    first_of_thread: dict[tuple[str, str], tuple[Mention, datetime]] = {}
    to_open: list[Mention] = []
    for m in new:
        key = (m.platform, m.thread_key) if m.thread_key else None
        case = thread_cases.get(key) if key else None
        if case is not None and _joinable(case, m):
            plan.append((m, case, None))
            placed[m.external_id] = (case, None)
            continue
        opener = first_of_thread.get(key) if key else None
        if opener is not None and (not _windowed(m) or m.created_at - opener[1] <= SMS_JOIN_WINDOW):
            plan.append((m, None, opener[0]))
            placed[m.external_id] = (None, opener[0])
            first_of_thread[key] = (opener[0], m.created_at)
            continue
        answered = placed.get(m.in_reply_to) if m.in_reply_to else None
        if answered is None and m.in_reply_to in reply_cases:
            answered = (reply_cases[m.in_reply_to], None)
        if answered is not None:
            plan.append((m, *answered))
            placed[m.external_id] = answered
            if key and key not in first_of_thread and answered[1] is not None:
                first_of_thread[key] = (answered[1], m.created_at)
            continue
        placed[m.external_id] = (None, m)
        plan.append((m, None, None))
        to_open.append(m)
        if key:
            first_of_thread[key] = (m, m.created_at)
    # Every new mention is tagged, follow-ups too, in one classifier call for the batch.
    tags = {id(m): _with_mention(t, ids[(m.platform, m.external_id)])
            for m, t in zip(new, tagger([m.text for m in new]), strict=True)}
    targets = load_targets(session)
    table = routing_table(session, routing_default())

    def stored(m: Mention) -> StoredMention:
        return StoredMention.of(m, id=ids[(m.platform, m.external_id)])

    case_ids = open_cases(session, [(stored(m), tags[id(m)]) for m in to_open], targets, actor, table)
    opened = {id(m): case_id for m, case_id in zip(to_open, case_ids, strict=True)}
    joined = [(case.id if case is not None else opened[id(opener)], m)
              for m, case, opener in plan if case is not None or opener is not None]
    attach_mentions(session, [(case_id, stored(m)) for case_id, m in joined], targets, actor)
    follow_ups: dict[int, list[CaseTags | None]] = {}
    for case_id, m in joined:
        follow_ups.setdefault(case_id, []).append(tags[id(m)])
    apply_follow_ups(session, follow_ups, targets, table, utcnow())
    return len(to_open)


def _with_mention(tags: CaseTags | None, mention_id: int) -> CaseTags | None:
    return None if tags is None else replace(tags, mention_id=mention_id)
