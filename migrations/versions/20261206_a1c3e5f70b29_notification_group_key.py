"""notification group key: correlation notices of one case and day are one entry

Revision ID: a1c3e5f70b29
Revises: b1d7c3a9e2f4
Create Date: 2026-12-06 16:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a1c3e5f70b29'
down_revision: str | None = 'b1d7c3a9e2f4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows keep no key: each stays an entry of its own.
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_key', sa.String(length=120), nullable=True))
        batch_op.create_index('ix_notification_officer_group', ['officer_id', 'group_key'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_officer_group')
        batch_op.drop_column('group_key')
