"""login attempts counted per attempted name; the per-account counter goes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 20:55:00
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import store.types


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('loginattempt',
    sa.Column('name_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('locked_until', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_attempt_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name_sha256')
    )
    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loginattempt_last_attempt_at'), ['last_attempt_at'], unique=False)

    # The per-account counts are not carried over: they would need login_max_failures to
    # translate, and the worst lost is one lockout of login_lockout_minutes (15 by default).
    with op.batch_alter_table('staffuser', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade() -> None:
    with op.batch_alter_table('staffuser', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', store.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('loginattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loginattempt_last_attempt_at'))

    op.drop_table('loginattempt')
