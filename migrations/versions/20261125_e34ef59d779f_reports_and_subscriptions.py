"""reports and subscriptions

Revision ID: e34ef59d779f
Revises: 167df411ee54
Create Date: 2026-11-25 21:50:10.164988
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'e34ef59d779f'
down_revision: str | None = '167df411ee54'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope_level', sa.Enum('agency', 'country', 'region', name='scopelevel', native_enum=False, length=10), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('period_kind', sa.Enum('month', 'quarter', 'year', 'custom', name='periodkind', native_enum=False, length=10), nullable=False),
    sa.Column('period_key', sa.String(length=24), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='reportstatus', native_enum=False, length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('figures', sa.JSON(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('job_id', sa.String(length=64), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('generated_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('changes', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_report_agency_id_agency')),
    sa.ForeignKeyConstraint(['previous_id'], ['report.id'], name=op.f('fk_report_previous_id_report')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['officer.id'], name=op.f('fk_report_requested_by_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report'))
    )
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index('ix_report_generated', ['generated_at'], unique=False)
        batch_op.create_index('ix_report_scope_period', ['scope_level', 'country_code', 'agency_id', 'period_key', 'id'], unique=False)

    op.create_table('report_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('period_kind', sa.Enum('month', 'quarter', 'year', 'custom', name='periodkind', native_enum=False, length=10), nullable=False),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_report_subscription_officer_id_officer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_subscription')),
    sa.UniqueConstraint('officer_id', 'period_kind', name=op.f('uq_report_subscription_officer_id'))
    )
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index('ix_case_report_closed', ['closed_on', 'country_code', 'agency_id', 'kind', 'outcome', 'right_types_mask'], unique=False)
        batch_op.create_index('ix_case_report_opened', ['opened_on', 'country_code', 'agency_id', 'kind', 'right_types_mask'], unique=False)

    with op.batch_alter_table('case_match', schema=None) as batch_op:
        batch_op.create_index('ix_case_match_report_decided', ['decided_at', 'decision'], unique=False)

    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.create_index('ix_listing_report_takedown', ['takedown_requested_on', 'case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.drop_index('ix_listing_report_takedown')

    with op.batch_alter_table('case_match', schema=None) as batch_op:
        batch_op.drop_index('ix_case_match_report_decided')

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_report_opened')
        batch_op.drop_index('ix_case_report_closed')

    op.drop_table('report_subscription')
    with op.batch_alter_table('report', schema=None) as batch_op:
        batch_op.drop_index('ix_report_scope_period')
        batch_op.drop_index('ix_report_generated')
        batch_op.drop_index(batch_op.f('ix_report_agency_id'))

    op.drop_table('report')
