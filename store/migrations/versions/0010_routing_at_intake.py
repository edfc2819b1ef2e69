"""routing at intake: admin settings (the routing threshold) and topic routes inside a category
(a feedback row's source, "reroute" for a re-route, is the column 0009 added)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 00:10:00
"""
import sqlalchemy as sa
from alembic import op

from store.types import UTCDateTime

revision = '0010'
down_revision = '0009'
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
    # The seed (store/reference.py, run after every upgrade) adds PDAM and the topic routes.


def downgrade() -> None:
    op.drop_table('topicroute')
    op.drop_table('adminsetting')
