"""index on rights updated_at

Revision ID: 86f5e4237b3c
Revises: 843624a3624d
Create Date: 2026-11-25 21:20:09.474564
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '86f5e4237b3c'
down_revision: str | None = '843624a3624d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.create_index('ix_registered_right_updated_at', ['updated_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.drop_index('ix_registered_right_updated_at')

