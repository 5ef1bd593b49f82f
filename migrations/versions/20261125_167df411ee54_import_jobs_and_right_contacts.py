"""import jobs and right contacts per country

Revision ID: 167df411ee54
Revises: a7847c04ad17
Create Date: 2026-11-25 21:45:20.262481
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '167df411ee54'
down_revision: str | None = 'a7847c04ad17'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('right_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['country'], ['country.code'], name=op.f('fk_right_contact_country_country')),
    sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'], name=op.f('fk_right_contact_right_id_registered_right'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_right_contact')),
    sa.UniqueConstraint('right_id', 'country', name='uq_right_contact_right_country')
    )
    with op.batch_alter_table('right_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_right_contact_right_id'), ['right_id'], unique=False)

    op.create_table('import_job',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('rights', 'cases', name='importkind', native_enum=False, length=12), nullable=False),
    sa.Column('step', sa.String(length=12), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'checked', 'done', 'refused', 'failed', 'expired', name='importstatus', native_enum=False, length=12), nullable=False),
    sa.Column('mode', sa.String(length=8), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('upload_id', sa.String(length=32), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=True),
    sa.Column('kek_id', sa.String(length=64), nullable=True),
    sa.Column('dek_id', sa.String(length=32), nullable=True),
    sa.Column('dek_wrapped', sa.LargeBinary(), nullable=True),
    sa.Column('done', sa.BigInteger(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('rq_id', sa.String(length=64), nullable=True),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_import_job_country_code_country')),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_import_job_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_job')),
    sa.UniqueConstraint('upload_id', name=op.f('uq_import_job_upload_id'))
    )
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.create_index('ix_import_job_officer_created', ['officer_id', 'created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('import_job', schema=None) as batch_op:
        batch_op.drop_index('ix_import_job_officer_created')

    op.drop_table('import_job')
    with op.batch_alter_table('right_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_right_contact_right_id'))

    op.drop_table('right_contact')
