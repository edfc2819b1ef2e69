"""two clocks: response kinds, the handling clock's first time, the acknowledgement due time

Existing responses are classified by channel (field_visit and phone: handling; platform_reply
and whatsapp: acknowledgement); staff can correct a kind afterwards. Each case's acknowledgement
due time comes from the settings' acknowledgement target at the time of the upgrade.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 21:00:00
"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa
import sqlmodel
import store.types


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BATCH = 5000
# Written out, not imported: this migration classifies the data as it was when it ran.
HANDLING_CHANNELS = ("field_visit", "phone")

case_t = sa.table(
    "case", sa.column("id", sa.Integer), sa.column("urgency", sa.String),
    sa.column("opened_at", store.types.UTCDateTime()), sa.column("due_at", store.types.UTCDateTime()),
    sa.column("ack_due_at", store.types.UTCDateTime()), sa.column("first_response_at", store.types.UTCDateTime()),
    sa.column("first_handling_at", store.types.UTCDateTime()), sa.column("handling_minutes", sa.Integer),
    sa.column("handling_met", sa.Integer), sa.column("response_met", sa.Integer))
event_t = sa.table(
    "caseevent", sa.column("case_id", sa.Integer), sa.column("action", sa.String),
    sa.column("response_channel", sa.String), sa.column("response_kind", sa.String),
    sa.column("happened_at", store.types.UTCDateTime()))


def upgrade() -> None:
    # Columns are only added (ALTER TABLE … ADD COLUMN, no copy of the case table, which SQLite
    # could not do inside this transaction with foreign keys on): ack_due_at stays NULL-able in
    # the schema, and store.cases / store.intake always set it.
    op.add_column('case', sa.Column('ack_due_at', store.types.UTCDateTime(timezone=True), nullable=True))
    op.add_column('case', sa.Column('first_handling_at', store.types.UTCDateTime(timezone=True), nullable=True))
    op.add_column('case', sa.Column('handling_minutes', sa.Integer(), nullable=True))
    op.add_column('case', sa.Column('handling_met', sa.Integer(), nullable=True))
    op.add_column('caseevent', sa.Column('response_kind', sqlmodel.sql.sqltypes.AutoString(length=16),
                                         nullable=True))

    _stats_indexes(NEW_INDEXES, OLD_INDEXES)
    bind = op.get_bind()
    bind.execute(event_t.update().where(event_t.c.action == "responded").values(
        response_kind=sa.case((event_t.c.response_channel.in_(HANDLING_CHANNELS), "handling"),
                              else_="acknowledgement")))
    _fill_cases(bind)


GROUPS = ("lead_agency_code", "category", "urgency", "platform")
RANGE = ["opened_at", "status", "lead_agency_code", "category", "urgency", "platform", "kecamatan_code"]
OLD_STATS = ["first_response_minutes", "status", "response_met", "is_open", "due_at"]
HANDLING_STATS = ["handling_minutes", "status", "handling_met", "is_open", "due_at"]
OLD_INDEXES = {
    "ix_case_stats_range": RANGE + ["first_response_minutes", "response_met", "is_open", "due_at"],
    "ix_case_stats": OLD_STATS,
    **{f"ix_case_stats_{col}": [col, *OLD_STATS] for col in GROUPS},
}
NEW_INDEXES = {
    "ix_case_stats_range": RANGE + ["first_response_minutes", "response_met", "handling_minutes", "handling_met",
                                    "is_open", "due_at", "ack_due_at"],
    "ix_case_stats": HANDLING_STATS,
    **{f"ix_case_stats_{col}": [col, *HANDLING_STATS] for col in GROUPS},
    "ix_case_ack_stats": ["first_response_minutes", "status", "response_met", "is_open", "ack_due_at"],
}


def _stats_indexes(new: dict, old: dict) -> None:
    """Statistics indexes that cover both clocks' columns (store.tables.Case)."""
    for name in old:
        op.drop_index(name, table_name="case")
    for name, columns in new.items():
        op.create_index(name, "case", columns, unique=False)


def _fill_cases(bind) -> None:
    from store.settings import get_settings
    settings = get_settings()

    def ack_due(opened, urgency):
        minutes = settings.ack_target_minutes_by_urgency.get(urgency or "", settings.ack_target_minutes)
        return opened + timedelta(minutes=minutes)

    first_handling = (sa.select(sa.func.min(event_t.c.happened_at))
                      .where(event_t.c.case_id == case_t.c.id, event_t.c.action == "responded",
                             event_t.c.response_kind == "handling").scalar_subquery())
    last_id = 0
    while True:
        rows = bind.execute(sa.select(case_t.c.id, case_t.c.urgency, case_t.c.opened_at, case_t.c.due_at,
                                      case_t.c.first_response_at, first_handling.label("handled"))
                            .where(case_t.c.id > last_id).order_by(case_t.c.id).limit(BATCH)).all()
        if not rows:
            return
        last_id = rows[-1].id
        values = []
        for r in rows:
            due_ack = ack_due(r.opened_at, r.urgency)
            handled = r.handled
            values.append({
                "case_id": r.id, "new_ack_due_at": due_ack, "new_first_handling_at": handled,
                "new_handling_minutes": int((handled - r.opened_at).total_seconds() // 60) if handled else None,
                "new_handling_met": None if handled is None else int(handled <= r.due_at),
                "new_response_met": None if r.first_response_at is None else int(r.first_response_at <= due_ack),
            })
        bind.execute(case_t.update().where(case_t.c.id == sa.bindparam("case_id")).values(
            ack_due_at=sa.bindparam("new_ack_due_at"), first_handling_at=sa.bindparam("new_first_handling_at"),
            handling_minutes=sa.bindparam("new_handling_minutes"), handling_met=sa.bindparam("new_handling_met"),
            response_met=sa.bindparam("new_response_met")), values)


def downgrade() -> None:
    # response_met meant "first response by due_at" before this revision.
    bind = op.get_bind()
    bind.execute(case_t.update().where(case_t.c.first_response_at.is_not(None)).values(
        response_met=sa.case((case_t.c.first_response_at <= case_t.c.due_at, 1), else_=0)))
    _stats_indexes(OLD_INDEXES, NEW_INDEXES)
    # Plain DROP COLUMN (SQLite 3.35+): these columns have no index or constraint, so no copy.
    for table, column in (('caseevent', 'response_kind'), ('case', 'handling_met'), ('case', 'handling_minutes'),
                          ('case', 'first_handling_at'), ('case', 'ack_due_at')):
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN {column}')
