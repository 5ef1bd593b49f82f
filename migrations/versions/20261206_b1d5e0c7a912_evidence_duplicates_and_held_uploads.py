"""evidence duplicates: the item a kept duplicate repeats and why; uploads held for a reason

Revision ID: b1d5e0c7a912
Revises: a1c3e5f70b29
Create Date: 2026-12-06 16:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'b1d5e0c7a912'
down_revision: str | None = 'a1c3e5f70b29'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duplicate_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_evidence_duplicate_of_id_evidence'),
                                    'evidence', ['duplicate_of_id'], ['id'])
        batch_op.create_index('ix_evidence_case_id_sha256', ['case_id', 'sha256'],
                              unique=False)
    op.create_table(
        'held_upload',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('duplicate_of_id', sa.Integer(), nullable=False),
        sa.Column('public_id', sa.String(length=32), nullable=False),
        sa.Column('storage_backend', sa.String(length=16), nullable=False),
        sa.Column('storage_key', sa.String(length=300), nullable=False),
        sa.Column('original_name', sa.String(length=255), nullable=False),
        sa.Column('media_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('dek_id', sa.String(length=32), nullable=False),
        sa.Column('dek_wrapped', sa.LargeBinary(), nullable=False),
        sa.Column('kek_id', sa.String(length=64), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('expires_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case_file.id'],
                                name=op.f('fk_held_upload_case_id_case_file')),
        sa.ForeignKeyConstraint(['duplicate_of_id'], ['evidence.id'],
                                name=op.f('fk_held_upload_duplicate_of_id_evidence')),
        sa.ForeignKeyConstraint(['officer_id'], ['officer.id'],
                                name=op.f('fk_held_upload_officer_id_officer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_held_upload')),
        sa.UniqueConstraint('public_id', name=op.f('uq_held_upload_public_id')),
        sa.UniqueConstraint('storage_key', name=op.f('uq_held_upload_storage_key')),
    )
    with op.batch_alter_table('held_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_held_upload_expires_at'), ['expires_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('held_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_held_upload_expires_at'))
    op.drop_table('held_upload')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index('ix_evidence_case_id_sha256')
        batch_op.drop_constraint(batch_op.f('fk_evidence_duplicate_of_id_evidence'),
                                 type_='foreignkey')
        batch_op.drop_column('duplicate_reason')
        batch_op.drop_column('duplicate_of_id')
