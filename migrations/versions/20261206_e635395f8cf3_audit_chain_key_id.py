"""audit chain: the id of the audit key that links each row (NULL: a plain SHA-256 link)

Rows already written keep their plain links; `flask --app wsgi audit init-key` creates the key
(outside the database) and records where the keyed part of the chain begins.

Revision ID: e635395f8cf3
Revises: 4b7d2e91c0aa
Create Date: 2026-12-06 03:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e635395f8cf3'
down_revision: str | None = '4b7d2e91c0aa'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=40), nullable=True))
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key_id', sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_head', schema=None) as batch_op:
        batch_op.drop_column('key_id')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('key_id')
