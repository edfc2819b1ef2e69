"""replies: the reply outbox and reply templates, with four default templates

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 00:30:00
"""
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import store.types

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# The templates Tanggap ships (templat balasan), written here rather than imported so that
# this migration does the same thing whatever the code becomes. Admins change them later.
DEFAULT_TEMPLATES = [
    ("diterima-diteruskan", None, "acknowledgement",
     "Terima kasih atas laporannya. Laporan Anda kami catat dengan nomor {nomor_kasus} dan sudah kami "
     "teruskan ke {dinas} untuk ditindaklanjuti paling lambat {batas_waktu}."),
    ("tim-menuju-lokasi", None, "acknowledgement",
     "Terima kasih, laporan nomor {nomor_kasus} sudah kami terima. Petugas {dinas} sedang menuju lokasi di "
     "Kecamatan {kecamatan}. Mohon tetap berhati-hati sampai petugas tiba."),
    ("selesai-mohon-konfirmasi", None, "handling",
     "Laporan nomor {nomor_kasus} sudah ditangani oleh {dinas}. Mohon konfirmasi dengan membalas pesan ini "
     "apakah masalahnya sudah teratasi. Terima kasih atas kepeduliannya."),
    ("bukan-kewenangan", None, "handling",
     "Terima kasih atas laporannya (nomor {nomor_kasus}). Urusan ini bukan kewenangan Pemerintah Kabupaten "
     "Banyuwangi, melainkan ___. Laporan Anda sudah kami sampaikan kepada mereka."),
]


def upgrade() -> None:
    op.create_table('reply',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('private', sa.Boolean(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('public_note', sa.Text(), nullable=True),
    sa.Column('template', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('drafted_by', sa.Integer(), nullable=True),
    sa.Column('drafted_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('approved_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('review_comment', sa.Text(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('platform_id', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('platform_at', store.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('error_code', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('error_detail', sa.Text(), nullable=True),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['approved_by'], ['staffuser.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ),
    sa.ForeignKeyConstraint(['drafted_by'], ['staffuser.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_reply_case', 'reply', ['case_id', 'id'], unique=False)
    op.create_index('ix_reply_outbox', 'reply', ['state', 'next_attempt_at', 'id'], unique=False)
    templates = op.create_table('replytemplate',
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('category', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.Integer(), nullable=True),
    sa.Column('updated_at', store.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by'], ['staffuser.id'], ),
    sa.PrimaryKeyConstraint('name')
    )
    shipped = datetime(2026, 11, 30, tzinfo=UTC)
    op.bulk_insert(templates, [{"name": name, "category": category, "kind": kind, "text": text,
                                "updated_by": None, "updated_at": shipped}
                               for name, category, kind, text in DEFAULT_TEMPLATES])


def downgrade() -> None:
    op.drop_table('replytemplate')
    op.drop_index('ix_reply_outbox', table_name='reply')
    op.drop_index('ix_reply_case', table_name='reply')
    op.drop_table('reply')
