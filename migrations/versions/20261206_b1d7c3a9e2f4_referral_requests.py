"""referral requests: an officer shown a hit asks the holder to refer its case

Revision ID: b1d7c3a9e2f4
Revises: 7a1c0f3e9b21
Create Date: 2026-12-06 16:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b1d7c3a9e2f4'
down_revision: str | None = '7a1c0f3e9b21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'referral_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=40), nullable=True),
        sa.Column('asker_case_id', sa.Integer(), nullable=False),
        sa.Column('asker_agency_id', sa.Integer(), nullable=False),
        sa.Column('asker_country_code', sa.String(length=2), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('holder_agency_id', sa.Integer(), nullable=False),
        sa.Column('holder_country_code', sa.String(length=2), nullable=False),
        sa.Column('kinds', sa.JSON(), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('status', sa.Enum('open', 'referred', 'declined', name='requeststatus',
                                    native_enum=False, length=12), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('decline_reason', sa.Text(), nullable=True),
        sa.Column('referral_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['answered_by_id'], ['officer.id']),
        sa.ForeignKeyConstraint(['asker_agency_id'], ['agency.id']),
        sa.ForeignKeyConstraint(['asker_case_id'], ['case_file.id']),
        sa.ForeignKeyConstraint(['created_by_id'], ['officer.id']),
        sa.ForeignKeyConstraint(['holder_agency_id'], ['agency.id']),
        sa.ForeignKeyConstraint(['referral_id'], ['referral.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('reference'),
    )
    op.create_index('ix_referral_request_asker_case_id', 'referral_request',
                    ['asker_case_id'], unique=False)
    op.create_index('ix_referral_request_holder_agency_id', 'referral_request',
                    ['holder_agency_id'], unique=False)
    op.create_index('ix_referral_request_referral_id', 'referral_request',
                    ['referral_id'], unique=False)
    op.create_index('ix_referral_request_holder', 'referral_request',
                    ['holder_country_code', 'status'], unique=False)
    op.create_table(
        'referral_request_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=False),
        sa.Column('holder_case_id', sa.Integer(), nullable=False),
        sa.Column('identifiers', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['holder_case_id'], ['case_file.id']),
        sa.ForeignKeyConstraint(['request_id'], ['referral_request.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('request_id', 'holder_case_id'),
    )
    op.create_index('ix_referral_request_case_holder_case_id', 'referral_request_case',
                    ['holder_case_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_referral_request_case_holder_case_id',
                  table_name='referral_request_case')
    op.drop_table('referral_request_case')
    op.drop_index('ix_referral_request_holder', table_name='referral_request')
    op.drop_index('ix_referral_request_referral_id', table_name='referral_request')
    op.drop_index('ix_referral_request_holder_agency_id', table_name='referral_request')
    op.drop_index('ix_referral_request_asker_case_id', table_name='referral_request')
    op.drop_table('referral_request')
