"""case matches

Revision ID: 843624a3624d
Revises: 276b27f2f6b8
Create Date: 2026-11-25 20:42:06.308353
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '843624a3624d'
down_revision: str | None = '276b27f2f6b8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('case_match',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('decision', sa.Enum('pending', 'confirmed', 'rejected', name='matchdecision', native_enum=False, length=12), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_match_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['officer.id'], name=op.f('fk_case_match_decided_by_id_officer')),
    sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'], name=op.f('fk_case_match_right_id_registered_right')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_match')),
    sa.UniqueConstraint('case_id', 'source', 'right_id', name=op.f('uq_case_match_case_id'))
    )
    with op.batch_alter_table('case_match', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_match_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_match_right_id'), ['right_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('case_match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_match_right_id'))
        batch_op.drop_index(batch_op.f('ix_case_match_case_id'))

    op.drop_table('case_match')
