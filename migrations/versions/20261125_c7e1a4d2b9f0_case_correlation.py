"""case correlation: identifiers, noise marks, hits, lookups; contact and shipment fields

Revision ID: c7e1a4d2b9f0
Revises: e34ef59d779f
Create Date: 2026-11-25 22:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'c7e1a4d2b9f0'
down_revision: str | None = 'e34ef59d779f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ('seller_name', 'seller_id', 'url', 'domain', 'email', 'phone', 'company_number',
         'national_id', 'passport', 'container', 'airway_bill', 'vehicle_plate', 'right')


def _kind(nullable: bool = False) -> sa.Column:
    return sa.Column('kind', sa.Enum(*KINDS, name='identifierkind', native_enum=False,
                                     length=24), nullable=nullable)


def upgrade() -> None:
    op.create_table('case_identifier',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    _kind(),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_case_identifier_agency_id_agency')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_case_identifier_case_id_case_file'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_identifier')),
    sa.UniqueConstraint('case_id', 'kind', 'value', name=op.f('uq_case_identifier_case_id'))
    )
    with op.batch_alter_table('case_identifier', schema=None) as batch_op:
        batch_op.create_index('ix_case_identifier_lookup', ['kind', 'value', 'case_id', 'country_code'], unique=False)

    op.create_table('identifier_noise',
    sa.Column('id', sa.Integer(), nullable=False),
    _kind(),
    sa.Column('value', sa.String(length=255), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('marked_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.Column('lifted_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['officer.id'], name=op.f('fk_identifier_noise_lifted_by_id_officer')),
    sa.ForeignKeyConstraint(['marked_by_id'], ['officer.id'], name=op.f('fk_identifier_noise_marked_by_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identifier_noise'))
    )
    with op.batch_alter_table('identifier_noise', schema=None) as batch_op:
        batch_op.create_index('ix_identifier_noise_value', ['kind', 'value'], unique=False)

    op.create_table('correlation_hit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('viewer_id', sa.Integer(), nullable=False),
    sa.Column('viewer_case_id', sa.Integer(), nullable=True),
    sa.Column('holder_case_id', sa.Integer(), nullable=False),
    sa.Column('holder_agency_id', sa.Integer(), nullable=False),
    _kind(),
    sa.Column('via', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['holder_agency_id'], ['agency.id'], name=op.f('fk_correlation_hit_holder_agency_id_agency')),
    sa.ForeignKeyConstraint(['holder_case_id'], ['case_file.id'], name=op.f('fk_correlation_hit_holder_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['viewer_case_id'], ['case_file.id'], name=op.f('fk_correlation_hit_viewer_case_id_case_file'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['viewer_id'], ['officer.id'], name=op.f('fk_correlation_hit_viewer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_correlation_hit'))
    )
    with op.batch_alter_table('correlation_hit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_correlation_hit_holder_case_id'), ['holder_case_id'], unique=False)
        batch_op.create_index('ix_correlation_hit_viewer', ['viewer_id', 'holder_case_id'], unique=False)

    op.create_table('identifier_lookup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    _kind(nullable=True),
    sa.Column('visible', sa.Integer(), nullable=False),
    sa.Column('hits', sa.Integer(), nullable=False),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_identifier_lookup_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identifier_lookup'))
    )
    with op.batch_alter_table('identifier_lookup', schema=None) as batch_op:
        batch_op.create_index('ix_identifier_lookup_officer_at', ['officer_id', 'at'], unique=False)

    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seller_phone', sa.String(length=40), nullable=True))
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('passport_number', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('email', sa.String(length=320), nullable=True))
    with op.batch_alter_table('seizure_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('container_number', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('airway_bill', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('vehicle_plate', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('seizure_item', schema=None) as batch_op:
        batch_op.drop_column('vehicle_plate')
        batch_op.drop_column('airway_bill')
        batch_op.drop_column('container_number')
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_column('email')
        batch_op.drop_column('phone')
        batch_op.drop_column('passport_number')
    with op.batch_alter_table('listing', schema=None) as batch_op:
        batch_op.drop_column('seller_phone')

    with op.batch_alter_table('identifier_lookup', schema=None) as batch_op:
        batch_op.drop_index('ix_identifier_lookup_officer_at')
    op.drop_table('identifier_lookup')
    with op.batch_alter_table('correlation_hit', schema=None) as batch_op:
        batch_op.drop_index('ix_correlation_hit_viewer')
        batch_op.drop_index(batch_op.f('ix_correlation_hit_holder_case_id'))
    op.drop_table('correlation_hit')
    with op.batch_alter_table('identifier_noise', schema=None) as batch_op:
        batch_op.drop_index('ix_identifier_noise_value')
    op.drop_table('identifier_noise')
    with op.batch_alter_table('case_identifier', schema=None) as batch_op:
        batch_op.drop_index('ix_case_identifier_lookup')
    op.drop_table('case_identifier')
