"""international registrations (Madrid, office WO): designated member states; a right's
office is no longer a foreign key to country (WO is no member state)

Revision ID: d9a4b6e2c1f8
Revises: c4e8a2f1d7b3
Create Date: 2026-12-06 21:30:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'd9a4b6e2c1f8'
down_revision: str | None = 'c4e8a2f1d7b3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.add_column(sa.Column('designations', sa.String(length=100), nullable=False,
                                      server_default=''))
        batch_op.drop_constraint('fk_registered_right_office_country', type_='foreignkey')
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.alter_column('designations', server_default=None)


def downgrade() -> None:
    op.execute("DELETE FROM registered_right WHERE office = 'WO'")
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.create_foreign_key('fk_registered_right_office_country', 'country',
                                    ['office'], ['code'])
        batch_op.drop_column('designations')
