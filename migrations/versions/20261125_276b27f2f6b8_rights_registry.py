"""Rights registry: registered rights and other spellings of their word element.

Revision ID: 276b27f2f6b8
Revises: 253263d8f7f9
Create Date: 2026-11-25 20:30:50.796373
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '276b27f2f6b8'
down_revision: str | None = '253263d8f7f9'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('registered_right',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('type', sa.Enum('trademark', 'design', 'patent', 'gi', name='rightkind', native_enum=False, length=16), nullable=False),
    sa.Column('office', sa.String(length=2), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('filed', 'registered', 'expired', 'refused', 'cancelled', name='rightstatus', native_enum=False, length=16), nullable=False),
    sa.Column('filing_date', sa.Date(), nullable=True),
    sa.Column('registration_date', sa.Date(), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('owner', sa.String(length=300), nullable=True),
    sa.Column('representative', sa.String(length=300), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=64), nullable=True),
    sa.Column('mark_text', sa.String(length=500), nullable=True),
    sa.Column('classes', sa.String(length=200), nullable=False),
    sa.Column('goods', sa.Text(), nullable=True),
    sa.Column('identification_notes', sa.Text(), nullable=True),
    sa.Column('gi_product', sa.String(length=300), nullable=True),
    sa.Column('gi_area', sa.String(length=300), nullable=True),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['office'], ['country.code'], name=op.f('fk_registered_right_office_country')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registered_right')),
    sa.UniqueConstraint('office', 'number', name='uq_registered_right_office_number')
    )
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.create_index('ix_registered_right_mark_text', ['mark_text'], unique=False)

    op.create_table('right_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('script', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'], name=op.f('fk_right_name_right_id_registered_right'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_right_name'))
    )
    with op.batch_alter_table('right_name', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_right_name_right_id'), ['right_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('right_name', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_right_name_right_id'))

    op.drop_table('right_name')
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.drop_index('ix_registered_right_mark_text')

    op.drop_table('registered_right')
