"""people who act: contacts on staff accounts, the duty roster, alert rules and the alert outbox

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 00:30:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import store.types


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs: no copy of the staffuser table (other tables point at it).
    op.add_column('staffuser', sa.Column('mobile', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True))
    op.add_column('staffuser', sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True))
    op.add_column('staffuser', sa.Column('telegram_chat_id', sqlmodel.sql.sqltypes.AutoString(length=32),
                                         nullable=True))
    op.add_column('staffuser', sa.Column('alert_channels', sqlmodel.sql.sqltypes.AutoString(length=64),
                                         server_default='', nullable=False))
    op.create_table(
        'dutyshift',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('team', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('weekday', sa.Integer(), nullable=True),
        sa.Column('on_date', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column('start_minute', sa.Integer(), nullable=False),
        sa.Column('end_minute', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['staffuser.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_dutyshift_team', 'dutyshift', ['team'], unique=False)
    op.create_table(
        'alertrule',
        sa.Column('rule', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('recipients', sa.JSON(), nullable=True),
        sa.Column('threshold', sa.Integer(), nullable=True),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['updated_by'], ['staffuser.id']),
        sa.PrimaryKeyConstraint('rule'),
    )
    op.create_table(
        'alert',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('rule', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('recipient_id', sa.Integer(), nullable=False),
        sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('due_at', store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('next_try_at', store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('claimed_at', store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('sent_at', store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('read_at', store.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.ForeignKeyConstraint(['recipient_id'], ['staffuser.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'rule', 'recipient_id', 'channel', name='uq_alert_case_rule_recipient_channel'),
    )
    op.create_index('ix_alert_pending', 'alert', ['state', 'next_try_at', 'id'], unique=False)
    op.create_index('ix_alert_recipient', 'alert', ['recipient_id', 'channel', 'id'], unique=False)
    op.create_table(
        'incident',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column('kecamatan_code', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('first_at', store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_at', store.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('case_count', sa.Integer(), nullable=False),
        sa.Column('announced_case_id', sa.Integer(), nullable=False),
        sa.Column('created_at', store.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['announced_case_id'], ['case.id']),
        sa.ForeignKeyConstraint(['kecamatan_code'], ['kecamatan.code']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_incident_place', 'incident', ['category', 'kecamatan_code', 'last_at'], unique=False)
    op.create_table(
        'incidentcase',
        sa.Column('incident_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id']),
        sa.ForeignKeyConstraint(['incident_id'], ['incident.id']),
        sa.PrimaryKeyConstraint('incident_id', 'case_id'),
        sa.UniqueConstraint('case_id'),
    )


def downgrade() -> None:
    op.drop_table('incidentcase')
    op.drop_index('ix_incident_place', table_name='incident')
    op.drop_table('incident')
    op.drop_index('ix_alert_recipient', table_name='alert')
    op.drop_index('ix_alert_pending', table_name='alert')
    op.drop_table('alert')
    op.drop_table('alertrule')
    op.drop_index('ix_dutyshift_team', table_name='dutyshift')
    op.drop_table('dutyshift')
    for column in ('alert_channels', 'telegram_chat_id', 'email', 'mobile'):
        op.execute(f'ALTER TABLE staffuser DROP COLUMN {column}')
