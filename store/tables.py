"""The tables. Times are UTC (see types.UTCDateTime); ids of categories, urgencies,
statuses, platforms and roles come from store.vocabulary. Columns marked *derived* are kept by store.cases so that the
triage queue and statistics can be answered from indexes alone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

# The reply outbox and templates live in their own module; imported here so that every table
# is registered wherever store.tables is.
from store.reply_tables import Reply as Reply
from store.reply_tables import ReplyTemplate as ReplyTemplate
from store.types import UTCDateTime, utcnow

ADMIN_ACTIONS = ("user_added", "user_activated", "user_deactivated", "user_role_changed", "password_reset",
                 "agency_added", "agency_changed", "routing_changed", "sla_target_changed",
                 "user_contacts_changed", "roster_shift_added", "roster_shift_removed", "alert_rule_changed",
                 "routing_threshold_changed", "template_saved", "template_removed")
# The source of the feedback staff give by re-tagging a case (console or `tanggap case retag`).
FEEDBACK_FROM_CONSOLE = "console"


def _time(**kw: Any):
    return Field(sa_column=Column(UTCDateTime(), **kw))


class Agency(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=32)
    name: str
    kind: str = Field(default="dinas", max_length=16)  # dinas, badan, kecamatan, bagian
    active: bool = True


class Kecamatan(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=16)  # Kemendagri code, e.g. 35.10.01
    name: str = Field(index=True, unique=True)
    agency_code: str | None = Field(default=None, foreign_key="agency.code")  # its office


class CategoryRoute(SQLModel, table=True):
    category: str = Field(primary_key=True, max_length=32)
    agency_code: str = Field(foreign_key="agency.code")


class TopicRoute(SQLModel, table=True):
    """A finer route inside one category: messages of the category that name the topic
    (classifier.topics) go to this agency, with an optional supporting unit, instead of the
    category's route (street lights go to DISHUB, not to the roads agency)."""
    topic: str = Field(primary_key=True, max_length=32)
    category: str = Field(max_length=32)
    agency_code: str = Field(foreign_key="agency.code")
    support_agency_code: str | None = Field(default=None, foreign_key="agency.code")


class AdminSetting(SQLModel, table=True):
    """A setting the admin changes in the console (Admin page, `tanggap` CLI) rather than in
    the environment: e.g. the routing threshold. A missing row means the default applies."""
    name: str = Field(primary_key=True, max_length=64)
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    updated_by: int | None = Field(default=None, foreign_key="staffuser.id")
    updated_at: datetime = _time(nullable=False, default=utcnow)


class SlaTarget(SQLModel, table=True):
    """Admin overrides of the settings' SLA targets; scope is 'default' or an urgency id."""
    scope: str = Field(primary_key=True, max_length=16)
    minutes: int
    updated_by: int | None = Field(default=None, foreign_key="staffuser.id")
    updated_at: datetime = _time(nullable=False, default=utcnow)


class StaffUser(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True, max_length=64)
    display_name: str
    role: str = Field(max_length=16)
    agency_code: str | None = Field(default=None, foreign_key="agency.code")
    password_hash: str
    active: bool = True
    last_login_at: datetime | None = _time(nullable=True)
    created_at: datetime = _time(nullable=False, default=utcnow)
    # Where alerts reach them (store/contacts.py checks each): mobile as E.164, e.g. +6281234567890.
    mobile: str | None = Field(default=None, max_length=20)
    email: str | None = Field(default=None, max_length=254)
    telegram_chat_id: str | None = Field(default=None, max_length=32)
    # The channels they chose besides the in-console list, comma-separated (store.vocabulary.ALERT_CHANNELS).
    alert_channels: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})


class LoginAttempt(SQLModel, table=True):
    """Failed password tries per attempted name, whether or not an account has that name, so
    that an unknown name locks after as many failures as a real one (names cannot be probed).
    Keyed by the SHA-256 of the normalised name: people type passwords into the name box."""
    name_sha256: str = Field(primary_key=True, max_length=64)
    # Tries since the last success or the end of the last lockout, counted before the password
    # is checked, so parallel tries cannot all pass the limit (store/logins.py).
    attempts: int = 0
    locked_until: datetime | None = _time(nullable=True)
    last_attempt_at: datetime = _time(nullable=False, index=True, default=utcnow)


class LoginSession(SQLModel, table=True):
    """A browser's login, so that reloading the page does not log the user out. The browser
    holds a random token in a cookie; only its SHA-256 is stored, so the table cannot be used
    to log in. Ended by logging out, by the inactivity timeout, by deactivating the user, and
    by a new password or a new role for the user."""
    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(unique=True, index=True, max_length=64)
    user_id: int = Field(foreign_key="staffuser.id", index=True)
    created_at: datetime = _time(nullable=False, default=utcnow)
    last_seen_at: datetime = _time(nullable=False, default=utcnow)
    ended_at: datetime | None = _time(nullable=True)


class Case(SQLModel, table=True):
    __table_args__ = (
        # Triage: open cases, unassigned first, by urgency then due time (keyset on id).
        Index("ix_case_triage", "is_open", "queue_rank", "urgency_rank", "due_at", "id"),
        Index("ix_case_agency_queue", "lead_agency_code", "is_open", "due_at", "id"),
        # The lowest open case id in one index step: supporting-unit lookups of open cases skip
        # the (long closed) older cases below it.
        Index("ix_case_open_id", "is_open", "id"),
        # Date-range statistics of both clocks read only this index (no table rows).
        Index("ix_case_stats_range", "opened_at", "status", "lead_agency_code", "category", "urgency", "platform",
              "kecamatan_code", "first_response_minutes", "response_met", "handling_minutes", "handling_met",
              "is_open", "due_at", "ack_due_at"),
        # Statistics over all time: a histogram of minutes per group read in index order, so 1M
        # cases are counted without sorting or touching the wide table rows. Handling (the SOP's
        # clock, which the league table ranks by) per grouping; acknowledgement overall.
        Index("ix_case_stats", "handling_minutes", "status", "handling_met", "is_open", "due_at"),
        *(Index(f"ix_case_stats_{col}", col, "handling_minutes", "status", "handling_met", "is_open", "due_at")
          for col in ("lead_agency_code", "category", "urgency", "platform")),
        Index("ix_case_ack_stats", "first_response_minutes", "status", "response_met", "is_open", "ack_due_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default="new", max_length=20)
    category: str | None = Field(default=None, max_length=32)
    urgency: str | None = Field(default=None, max_length=16)
    category_confidence: float | None = None
    urgency_confidence: float | None = None
    model_version: str | None = Field(default=None, max_length=64)
    tagged_by: str | None = Field(default=None, max_length=8)  # model, staff
    needs_review: bool = False
    # Children's cases (and any case staff mark): readable only by admins, the comms team,
    # the child-protection agency and agencies on the case; see console/services/policy.py.
    restricted: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    lead_agency_code: str | None = Field(default=None, foreign_key="agency.code")
    assignee_id: int | None = Field(default=None, foreign_key="staffuser.id")
    kecamatan_code: str | None = Field(default=None, foreign_key="kecamatan.code")
    desa: str | None = None
    platform: str = Field(max_length=16)  # of the first mention (derived)
    summary: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))  # derived
    author: str | None = Field(default=None, max_length=255)  # derived: first mention's handle or name
    mention_count: int = 1  # derived
    opened_at: datetime = _time(nullable=False)
    # Two clocks (store.sla): handling (the SOP's) and acknowledgement, both from opened_at.
    due_at: datetime = _time(nullable=False)  # the handling clock's due time
    # The acknowledgement clock's due time: always set (store.cases, store.intake); NULL-able in
    # the schema only so that migration 0006 could add it without copying the case table.
    ack_due_at: datetime = _time(nullable=True)
    first_response_at: datetime | None = _time(nullable=True)  # any kind: stops the acknowledgement clock
    first_handling_at: datetime | None = _time(nullable=True)  # kind handling: stops the handling clock
    resolved_at: datetime | None = _time(nullable=True)
    last_mention_at: datetime = _time(nullable=False)
    first_response_minutes: int | None = None  # derived: whole minutes, floor
    handling_minutes: int | None = None  # derived: whole minutes to the first handling, floor
    resolution_minutes: int | None = None  # derived: whole minutes, floor
    response_met: int | None = None  # derived: 1 first response by ack_due_at, 0 late, NULL none yet
    handling_met: int | None = None  # derived: 1 first handling by due_at, 0 late, NULL not handled yet
    is_open: bool = True  # derived: status in OPEN_STATUSES
    queue_rank: int = 0  # derived: 0 unassigned, 1 assigned
    urgency_rank: int = 4  # derived: kritis 0 … rendah 3, untagged 4
    version: int = 1
    updated_at: datetime = _time(nullable=False, default=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="staffuser.id")


class CaseSupport(SQLModel, table=True):
    """Supporting units on a case besides the lead agency (e.g. the kecamatan office)."""
    # The agency queue's "or supporting" half reads one agency's cases by key.
    __table_args__ = (Index("ix_casesupport_agency", "agency_code", "case_id"),)
    case_id: int = Field(foreign_key="case.id", primary_key=True)
    agency_code: str = Field(foreign_key="agency.code", primary_key=True)


class Mention(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_mention_platform_external_id"),
        Index("ix_mention_thread", "platform", "thread_key"),
        Index("ix_mention_case", "case_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=128)
    source: str = Field(default="", max_length=32)  # collector source that fetched it
    author_id: str | None = Field(default=None, max_length=128)
    author_handle: str | None = Field(default=None, max_length=128)
    author_name: str | None = None
    text: str = Field(sa_column=Column(Text, nullable=False))
    permalink: str | None = None
    created_at: datetime = _time(nullable=False)
    ingested_at: datetime = _time(nullable=False, default=utcnow)
    thread_key: str | None = Field(default=None, max_length=128)
    in_reply_to: str | None = Field(default=None, max_length=128)
    raw: dict | None = Field(default=None, sa_column=Column(JSON))
    case_id: int | None = Field(default=None, foreign_key="case.id")


class CaseEvent(SQLModel, table=True):
    """Append-only timeline and audit trail of a case. The one field ever changed afterwards is a
    response's response_kind (its current kind), and each change appends a response_kind_changed
    event with the old and new kind."""
    __table_args__ = (Index("ix_caseevent_case", "case_id", "id"),
                      # One response per platform post, however often collectors fetch it.
                      Index("ux_caseevent_external_ref", "external_ref", unique=True))
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    actor_id: int | None = Field(default=None, foreign_key="staffuser.id")
    actor_label: str = Field(default="", max_length=64)  # username, or system:<source>
    action: str = Field(max_length=32)
    old_value: Any | None = Field(default=None, sa_column=Column(JSON))
    new_value: Any | None = Field(default=None, sa_column=Column(JSON))
    note: str | None = Field(default=None, sa_column=Column(Text))
    response_text: str | None = Field(default=None, sa_column=Column(Text))
    response_channel: str | None = Field(default=None, max_length=16)
    response_kind: str | None = Field(default=None, max_length=16)  # store.sla.RESPONSE_KINDS
    # The platform post that is this response, '<platform>:<external id>' (the regent's X reply,
    # the Page's comment); NULL for responses logged by staff.
    external_ref: str | None = Field(default=None, max_length=160)
    happened_at: datetime = _time(nullable=False)  # when it really happened
    logged_at: datetime = _time(nullable=False, default=utcnow)  # when it was recorded


class AdminEvent(SQLModel, table=True):
    """Append-only audit trail of administration: accounts, agencies, routing, SLA targets.
    Old and new values are plain field → value dicts; never a password or its hash."""
    __table_args__ = (Index("ix_adminevent_logged_at", "logged_at", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="staffuser.id")
    actor_label: str = Field(default="", max_length=64)  # username at the time
    action: str = Field(max_length=32)  # one of ADMIN_ACTIONS
    target: str = Field(max_length=64)  # username, agency code, category or SLA scope
    old_value: Any | None = Field(default=None, sa_column=Column(JSON))
    new_value: Any | None = Field(default=None, sa_column=Column(JSON))
    logged_at: datetime = _time(nullable=False, default=utcnow)


class TagFeedback(SQLModel, table=True):
    """A labelled example for retraining: a staff re-tag of a case (source "console"), or a row
    of a file of the team's handled complaints (``tanggap feedback import``; source: the
    file's name or the row's own). A row without urgency trains the category head only.
    ``row_key`` (sha256 of source and text) makes importing the same file twice a no-op."""
    __table_args__ = (Index("ux_tagfeedback_row_key", "row_key", unique=True),
                      Index("ix_tagfeedback_source", "source", "category"))
    id: int | None = Field(default=None, primary_key=True)
    case_id: int | None = Field(default=None, foreign_key="case.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    category: str = Field(max_length=32)
    urgency: str | None = Field(default=None, max_length=16)
    model_category: str | None = None
    model_urgency: str | None = None
    user_id: int | None = Field(default=None, foreign_key="staffuser.id")
    source: str = Field(default=FEEDBACK_FROM_CONSOLE, max_length=64,
                        sa_column_kwargs={"server_default": FEEDBACK_FROM_CONSOLE})
    platform: str | None = Field(default=None, max_length=32)
    message_at: datetime | None = _time(nullable=True)  # when the citizen wrote it, if known
    row_key: str | None = Field(default=None, max_length=64)
    created_at: datetime = _time(nullable=False, default=utcnow)


class CollectorState(SQLModel, table=True):
    """Per-source cursor, lease and last-run status."""
    source: str = Field(primary_key=True, max_length=32)
    cursor: str | None = None
    extra: dict | None = Field(default=None, sa_column=Column(JSON))
    status: str = Field(default="idle", max_length=32)  # ok, failing, stopped, budget_spent …
    status_detail: str | None = None
    last_run_at: datetime | None = _time(nullable=True)
    last_success_at: datetime | None = _time(nullable=True)
    retry_after: datetime | None = _time(nullable=True)
    reads_month: str | None = Field(default=None, max_length=7)  # YYYY-MM of reads_used
    reads_used: int = 0
    lease_owner: str | None = Field(default=None, max_length=128)
    lease_expires_at: datetime | None = _time(nullable=True)


class CollectorRun(SQLModel, table=True):
    __table_args__ = (Index("ix_collectorrun_source", "source", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)
    started_at: datetime = _time(nullable=False)
    ended_at: datetime | None = _time(nullable=True)
    fetched: int = 0
    inserted: int = 0
    duplicates: int = 0
    error: str | None = None


class WhatsAppDelivery(SQLModel, table=True):
    """A webhook delivery exactly as Meta sent it (the signed bytes), written before the 200
    and ingested by the worker (collectors/wa_ingest.py). Nothing is lost between the two:
    a crash leaves the row pending and the next pass ingests it."""
    __table_args__ = (Index("ix_whatsappdelivery_pending", "state", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    body: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    received_at: datetime = _time(nullable=False)
    state: str = Field(default="pending", max_length=16)  # pending, ingested, failed
    ingested_at: datetime | None = _time(nullable=True)
    error: str | None = Field(default=None, sa_column=Column(Text))


class WhatsAppStatus(SQLModel, table=True):
    """Sent, delivered, read, failed for our own messages, by their wamid, once per status;
    the reply outbox joins them to its replies."""
    wamid: str = Field(primary_key=True, max_length=128)
    status: str = Field(primary_key=True, max_length=16)
    happened_at: datetime = _time(nullable=False)
    recipient: str | None = Field(default=None, max_length=32)
    error: str | None = Field(default=None, sa_column=Column(Text))


class DutyShift(SQLModel, table=True):
    """One person on duty (jadwal piket) for a team: the comms team (vocabulary.COMMS_TEAM) or
    an agency. Weekly (``weekday`` 0 = Monday) or one-off (``on_date``); times are WIB wall
    clock, and an end at or before the start runs past midnight into the next day. A one-off
    shift replaces the team's weekly shifts while it lasts (store/roster.py)."""
    __table_args__ = (Index("ix_dutyshift_team", "team"),)
    id: int | None = Field(default=None, primary_key=True)
    team: str = Field(max_length=32)
    user_id: int = Field(foreign_key="staffuser.id")
    weekday: int | None = None
    on_date: str | None = Field(default=None, max_length=10)  # YYYY-MM-DD (WIB)
    start_minute: int  # minutes after 00:00 WIB
    end_minute: int


class AlertRule(SQLModel, table=True):
    """An admin's change to an alert rule's defaults (store/alert_rules.py): who gets it and,
    for the timed rules, its number (minutes, cases)."""
    rule: str = Field(primary_key=True, max_length=32)
    enabled: bool = True
    recipients: list | None = Field(default=None, sa_column=Column(JSON))
    threshold: int | None = None
    updated_by: int | None = Field(default=None, foreign_key="staffuser.id")
    updated_at: datetime = _time(nullable=False, default=utcnow)


class Alert(SQLModel, table=True):
    """The alert outbox: one row per (case, rule, recipient, channel), written in the same
    transaction as the event that causes it and sent by the worker (console/services/alert_sender.py)."""
    __table_args__ = (
        UniqueConstraint("case_id", "rule", "recipient_id", "channel", name="uq_alert_case_rule_recipient_channel"),
        Index("ix_alert_pending", "state", "next_try_at", "id"),
        Index("ix_alert_recipient", "recipient_id", "channel", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="case.id")
    rule: str = Field(max_length=32)
    recipient_id: int = Field(foreign_key="staffuser.id")
    channel: str = Field(max_length=16)
    state: str = Field(default="pending", max_length=16)  # pending, sending, sent, failed
    attempts: int = 0
    due_at: datetime = _time(nullable=False)  # when the rule fired (a late timer says how late)
    created_at: datetime = _time(nullable=False, default=utcnow)
    next_try_at: datetime = _time(nullable=False, default=utcnow)
    claimed_at: datetime | None = _time(nullable=True)
    sent_at: datetime | None = _time(nullable=True)
    read_at: datetime | None = _time(nullable=True)  # the in-console list: seen by the recipient
    last_error: str | None = Field(default=None, sa_column=Column(Text))


class Incident(SQLModel, table=True):
    """A burst of cases of one category in one kecamatan (a flood, a fire): grouped by the
    timers job (store/incidents.py) and announced once."""
    __table_args__ = (Index("ix_incident_place", "category", "kecamatan_code", "last_at"),)
    id: int | None = Field(default=None, primary_key=True)
    category: str = Field(max_length=32)
    kecamatan_code: str = Field(foreign_key="kecamatan.code")
    first_at: datetime = _time(nullable=False)  # the first case's opened_at
    last_at: datetime = _time(nullable=False)  # the latest case's opened_at
    case_count: int = 0
    announced_case_id: int = Field(foreign_key="case.id")  # the case its alert is about
    created_at: datetime = _time(nullable=False, default=utcnow)


class IncidentCase(SQLModel, table=True):
    incident_id: int = Field(foreign_key="incident.id", primary_key=True)
    case_id: int = Field(foreign_key="case.id", primary_key=True, unique=True)  # a case is in one incident
