"""form stash: a form sent after its login ended, kept sealed for a few minutes

Revision ID: a7c3e51f0b2d
Revises: b1d5e0c7a912
Create Date: 2026-12-06 16:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'a7c3e51f0b2d'
down_revision: str | None = 'b1d5e0c7a912'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'form_stash',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=True),
        sa.Column('author_hint', sa.String(length=64), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('had_files', sa.Boolean(), nullable=False),
        sa.Column('sealed', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['officer_id'], ['officer.id'],
                                name=op.f('fk_form_stash_officer_id_officer'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_form_stash')),
    )
    with op.batch_alter_table('form_stash', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_stash_officer_id'), ['officer_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_form_stash_expires_at'), ['expires_at'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('form_stash', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_stash_expires_at'))
        batch_op.drop_index(batch_op.f('ix_form_stash_officer_id'))
    op.drop_table('form_stash')
