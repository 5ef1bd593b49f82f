"""a notification keeps its line as message and values, read in each reader's language

Revision ID: a4c6e8f0b2d3
Revises: f3a5c7e9b1d2
Create Date: 2026-12-07 13:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'a4c6e8f0b2d3'
down_revision: str | None = 'f3a5c7e9b1d2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows written before keep text NULL: their English line is parsed back when shown.
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("text", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.drop_column("text")
