"""case identifiers: when their links were announced (the announce job is idempotent)

Revision ID: 4b7d2e91c0aa
Revises: 12448ccbda2f
Create Date: 2026-11-26 02:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '4b7d2e91c0aa'
down_revision: str | None = '12448ccbda2f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case_identifier', schema=None) as batch_op:
        batch_op.add_column(sa.Column('announced_at',
                                      anice.models.types.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('case_identifier', schema=None) as batch_op:
        batch_op.drop_column('announced_at')
