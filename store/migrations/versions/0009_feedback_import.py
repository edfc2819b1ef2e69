"""feedback import: labelled history from files beside staff re-tags

TagFeedback rows may now come from a file (no case; category only when the file has no
urgency), with their source, platform, the citizen's time and a key that makes a second
import of the same file a no-op.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 00:10:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel

import store.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # case_id and urgency become nullable: SQLite needs a batch copy of this table (no other
    # table points at it, so the copy is safe with foreign keys off; see store/migrate.py).
    with op.batch_alter_table('tagfeedback', schema=None) as batch_op:
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('urgency', existing_type=sqlmodel.sql.sqltypes.AutoString(length=16),
                              nullable=True)
        batch_op.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=64),
                                      server_default='console', nullable=False))
        batch_op.add_column(sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True))
        batch_op.add_column(sa.Column('message_at', store.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('row_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index('ux_tagfeedback_row_key', ['row_key'], unique=True)
        batch_op.create_index('ix_tagfeedback_source', ['source', 'category'], unique=False)


def downgrade() -> None:
    # Imported rows have no case (and some no urgency): they cannot stay in the old table.
    op.execute("DELETE FROM tagfeedback WHERE case_id IS NULL OR urgency IS NULL")
    with op.batch_alter_table('tagfeedback', schema=None) as batch_op:
        batch_op.drop_index('ix_tagfeedback_source')
        batch_op.drop_index('ux_tagfeedback_row_key')
        batch_op.drop_column('row_key')
        batch_op.drop_column('message_at')
        batch_op.drop_column('platform')
        batch_op.drop_column('source')
        batch_op.alter_column('urgency', existing_type=sqlmodel.sql.sqltypes.AutoString(length=16),
                              nullable=False)
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
