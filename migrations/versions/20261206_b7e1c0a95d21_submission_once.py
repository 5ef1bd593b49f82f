"""submission: a form token or API Idempotency-Key is done once per officer

Revision ID: b7e1c0a95d21
Revises: a7c3e51f0b2d
Create Date: 2026-12-06 16:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'b7e1c0a95d21'
down_revision: str | None = 'a7c3e51f0b2d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'submission',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=8), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('path', sa.String(length=500), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=True),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('location', sa.String(length=500), nullable=True),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], ondelete='CASCADE',
                                name=op.f('fk_submission_officer_id_officer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_submission')),
        sa.UniqueConstraint('officer_id', 'scope', 'key', name=op.f('uq_submission_officer_id')),
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_created_at'), ['created_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_created_at'))
    op.drop_table('submission')
