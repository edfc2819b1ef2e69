"""responses carry the platform post they are (caseevent.external_ref, unique), so the
regent's own reply fetched by several X sources is one response

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 00:30:00
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN of a NULL-able column: no table copy on SQLite, no rewrite on PostgreSQL.
    op.add_column('caseevent', sa.Column('external_ref', sqlmodel.sql.sqltypes.AutoString(length=160),
                                         nullable=True))
    op.create_index('ux_caseevent_external_ref', 'caseevent', ['external_ref'], unique=True)


def downgrade() -> None:
    op.drop_index('ux_caseevent_external_ref', table_name='caseevent')
    with op.batch_alter_table('caseevent') as batch:
        batch.drop_column('external_ref')
