"""routing at intake: admin settings (the routing threshold), topic routes inside a category,
and the source of a feedback row (a re-tag or a re-route)

Revision ID: 0009_routing
Revises: 0008
Create Date: 2026-11-30 00:10:00
"""
import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision = '0009_routing'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'adminsetting',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.Column('updated_by', sa.Integer(), nullable=True),
        sa.Column('updated_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['updated_by'], ['staffuser.id']),
        sa.PrimaryKeyConstraint('name'),
    )
    op.create_table(
        'topicroute',
        sa.Column('topic', sa.String(length=32), nullable=False),
        sa.Column('category', sa.String(length=32), nullable=False),
        sa.Column('agency_code', sa.String(length=32), nullable=False),
        sa.Column('support_agency_code', sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(['agency_code'], ['agency.code']),
        sa.ForeignKeyConstraint(['support_agency_code'], ['agency.code']),
        sa.PrimaryKeyConstraint('topic'),
    )
    # Rows written before re-routes counted as feedback were all re-tags.
    with op.batch_alter_table('tagfeedback') as batch:
        batch.add_column(sa.Column('source', sa.String(length=16), server_default='retag', nullable=False))
    # The seed (store/reference.py, run after every upgrade) adds PDAM and the topic routes.


def downgrade() -> None:
    with op.batch_alter_table('tagfeedback') as batch:
        batch.drop_column('source')
    op.drop_table('topicroute')
    op.drop_table('adminsetting')
