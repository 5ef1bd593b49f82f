"""job outbox

Revision ID: 5c1f0e7a9b2d
Revises: c7e1a4d2b9f0
Create Date: 2026-11-25 22:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '5c1f0e7a9b2d'
down_revision: str | None = 'c7e1a4d2b9f0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('pending_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('func', sa.String(length=200), nullable=False),
    sa.Column('queue', sa.String(length=50), nullable=False),
    sa.Column('args', sa.JSON(), nullable=False),
    sa.Column('kwargs', sa.JSON(), nullable=False),
    sa.Column('job_timeout', sa.Integer(), nullable=True),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_job'))
    )


def downgrade() -> None:
    op.drop_table('pending_job')
