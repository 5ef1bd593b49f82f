"""a timeline entry keeps its sentence as message and values, read in each reader's language

Revision ID: f3a5c7e9b1d2
Revises: e19f5a6b7c80
Create Date: 2026-12-07 12:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'f3a5c7e9b1d2'
down_revision: str | None = 'e19f5a6b7c80'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Rows written before keep text NULL: their English summary is parsed back when shown.
    with op.batch_alter_table("timeline_entry") as batch:
        batch.add_column(sa.Column("text", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("timeline_entry") as batch:
        batch.drop_column("text")
