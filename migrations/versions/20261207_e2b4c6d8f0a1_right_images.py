"""images of figurative and combined marks, with their Vienna codes

Revision ID: e2b4c6d8f0a1
Revises: f1a3c5e7b9d2
Create Date: 2026-12-07 00:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'e2b4c6d8f0a1'
down_revision: str | None = 'f1a3c5e7b9d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('right_image',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('vienna', sa.String(length=1000), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('thumb_key', sa.String(length=200), nullable=False),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'], name=op.f('fk_right_image_right_id_registered_right'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_right_image')),
    sa.UniqueConstraint('right_id', 'position', name='uq_right_image_right_position')
    )
    with op.batch_alter_table('right_image', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_right_image_right_id'), ['right_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_right_image_sha256'), ['sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('right_image', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_right_image_sha256'))
        batch_op.drop_index(batch_op.f('ix_right_image_right_id'))
    op.drop_table('right_image')
