"""evidence derivatives

Revision ID: 253263d8f7f9
Revises: 83bf6eba8cdd
Create Date: 2026-11-25 20:07:26.752848
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '253263d8f7f9'
down_revision: str | None = '83bf6eba8cdd'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('evidence_derivative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('thumbnail', 'exif', name='derivativekind', native_enum=False, length=12), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('dek_id', sa.String(length=32), nullable=False),
    sa.Column('dek_wrapped', sa.LargeBinary(), nullable=False),
    sa.Column('kek_id', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_evidence_derivative_evidence_id_evidence')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_derivative')),
    sa.UniqueConstraint('evidence_id', 'kind', name=op.f('uq_evidence_derivative_evidence_id')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_evidence_derivative_storage_key'))
    )
    with op.batch_alter_table('evidence_derivative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_derivative_kek_id'), ['kek_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('evidence_derivative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_derivative_kek_id'))

    op.drop_table('evidence_derivative')
