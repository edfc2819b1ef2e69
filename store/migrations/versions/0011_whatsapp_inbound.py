"""WhatsApp webhook: raw deliveries awaiting ingest, and statuses of our own messages

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 00:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import store.types


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('whatsappdelivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('received_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('ingested_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_whatsappdelivery_pending', 'whatsappdelivery', ['state', 'id'], unique=False)
    op.create_table('whatsappstatus',
    sa.Column('wamid', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('happened_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recipient', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('wamid', 'status')
    )


def downgrade() -> None:
    op.drop_table('whatsappstatus')
    op.drop_index('ix_whatsappdelivery_pending', table_name='whatsappdelivery')
    op.drop_table('whatsappdelivery')
