"""login throttle per (client address, e-mail): an outsider cannot lock an officer out

Revision ID: 557b7809874f
Revises: f5c264790250
Create Date: 2026-12-06 03:15:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '557b7809874f'
down_revision: str | None = 'f5c264790250'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('locked_until', anice.models.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('updated_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle')),
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_updated_at'), ['updated_at'],
                              unique=False)
    # Account locks came from wrong passwords too; from now on only a wrong second factor
    # after the right password locks an account: lift the locks anyone could have set.
    op.execute("UPDATE officer SET failed_logins = 0, locked_until = NULL")


def downgrade() -> None:
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_updated_at'))
    op.drop_table('login_throttle')
