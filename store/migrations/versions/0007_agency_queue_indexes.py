"""agency queue indexes: an agency's supporting cases by key, the lowest open case id

Revision ID: 0007
Revises: 0003
Create Date: 2026-11-29 21:00:00
"""
from alembic import op

revision = '0007'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_casesupport_agency', 'casesupport', ['agency_code', 'case_id'], unique=False)
    op.create_index('ix_case_open_id', 'case', ['is_open', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_case_open_id', table_name='case')
    op.drop_index('ix_casesupport_agency', table_name='casesupport')
