"""restricted cases: children's cases and any case staff mark are kept private

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN: no copy of the case table.
    op.add_column('case', sa.Column('restricted', sa.Boolean(), server_default=sa.false(), nullable=False))
    # Cases already tagged as child protection become restricted now, as new ones will be.
    op.execute(sa.text("UPDATE \"case\" SET restricted = :yes WHERE category = 'perlindungan_anak'")
               .bindparams(yes=True))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+, PostgreSQL): the column has no index or constraint, so
    # no copy of the case table (which SQLite's foreign keys from caseevent would refuse).
    op.execute('ALTER TABLE "case" DROP COLUMN restricted')
