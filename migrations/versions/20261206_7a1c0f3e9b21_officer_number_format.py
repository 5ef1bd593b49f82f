"""officer number format: how an officer writes figures (1,234.5 or 1.234,5)

Empty for every existing officer: the country's format applies until they choose one.

Revision ID: 7a1c0f3e9b21
Revises: 557b7809874f
Create Date: 2026-12-06 16:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '7a1c0f3e9b21'
down_revision: str | None = '557b7809874f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('officer', sa.Column('number_format',
                                       sa.Enum('point', 'comma', name='numberformat',
                                               native_enum=False, length=8),
                                       nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('officer') as batch:
        batch.drop_column('number_format')
