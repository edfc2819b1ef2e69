"""agency queue indexes (an agency's supporting cases by key, the lowest open case id);
PostgreSQL: extended statistics for the heat map's WIB weekday × hour grouping

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 21:00:00
"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


# Without these PostgreSQL estimates ~870,000 groups for the heat map's 168 (it knows
# opened_at has a million values, not that weekday × hour has 168), sorts instead of
# hashing, and spills. The expressions are exactly those store/localtime.py writes for the
# display time zone Asia/Jakarta (WIB, the default); another zone keeps the old estimate.
HEATMAP_STATISTICS = """CREATE STATISTICS IF NOT EXISTS st_case_opened_wib_weekday_hour (ndistinct) ON
(CAST(EXTRACT(isodow FROM timezone('Asia/Jakarta', opened_at)) AS INTEGER) - 1),
(CAST(EXTRACT(hour FROM timezone('Asia/Jakarta', opened_at)) AS INTEGER)) FROM "case"
"""


def upgrade() -> None:
    op.create_index('ix_casesupport_agency', 'casesupport', ['agency_code', 'case_id'], unique=False)
    op.create_index('ix_case_open_id', 'case', ['is_open', 'id'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(HEATMAP_STATISTICS)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP STATISTICS IF EXISTS st_case_opened_wib_weekday_hour')
    op.drop_index('ix_case_open_id', table_name='case')
    op.drop_index('ix_casesupport_agency', table_name='casesupport')
