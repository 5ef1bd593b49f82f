"""officers choose the language pages are shown in (None: their country's)

Revision ID: e19f5a6b7c80
Revises: d18e4f506172
Create Date: 2026-12-07 02:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e19f5a6b7c80'
down_revision: str | None = 'd18e4f506172'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("officer") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("officer") as batch:
        batch.drop_column("language")
