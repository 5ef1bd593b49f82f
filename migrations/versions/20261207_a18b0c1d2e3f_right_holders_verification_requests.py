"""right holders in the network (issue 18): holder organisations and their accounts
(officer rows with the role "holder" and no agency), their links to rights, contacts,
product identification guides, recordations and sealed files; verification requests and
the calendars their working-day deadlines are counted on; holder alerts and the agency's
and case's say on them

Revision ID: a18b0c1d2e3f
Revises: c6e8a0b2d4f6
Create Date: 2026-12-07 01:25:23.079516
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'a18b0c1d2e3f'
down_revision: str | None = 'c6e8a0b2d4f6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('holder_org',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.Enum('owner', 'counsel', name='holderkind', native_enum=False, length=12), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('identity_checked', sa.Text(), nullable=False),
    sa.Column('alerts', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_holder_org_country_code_country')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_org')),
    sa.UniqueConstraint('name', name=op.f('uq_holder_org_name'))
    )
    with op.batch_alter_table('holder_org', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_org_country_code'), ['country_code'], unique=False)

    op.create_table('holder_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('hours', sa.String(length=200), nullable=True),
    sa.Column('languages', sa.String(length=100), nullable=True),
    sa.Column('updated_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_holder_contact_country_code_country')),
    sa.ForeignKeyConstraint(['org_id'], ['holder_org.id'], name=op.f('fk_holder_contact_org_id_holder_org')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_contact'))
    )
    with op.batch_alter_table('holder_contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_contact_org_id'), ['org_id'], unique=False)

    op.create_table('holder_guide',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('product', sa.String(length=300), nullable=False),
    sa.Column('genuine_features', sa.Text(), nullable=False),
    sa.Column('counterfeit_features', sa.Text(), nullable=False),
    sa.Column('packaging', sa.Text(), nullable=False),
    sa.Column('checks', sa.Text(), nullable=False),
    sa.Column('usual_prices', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['holder_org.id'], name=op.f('fk_holder_guide_org_id_holder_org')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_guide'))
    )
    with op.batch_alter_table('holder_guide', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_guide_org_id'), ['org_id'], unique=False)

    op.create_table('public_holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_public_holiday_country_code_country')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_holiday')),
    sa.UniqueConstraint('country_code', 'day', name=op.f('uq_public_holiday_country_code'))
    )
    op.create_table('holder_guide_distributor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guide_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('licensee', sa.Boolean(), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_holder_guide_distributor_country_code_country')),
    sa.ForeignKeyConstraint(['guide_id'], ['holder_guide.id'], name=op.f('fk_holder_guide_distributor_guide_id_holder_guide'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_guide_distributor'))
    )
    with op.batch_alter_table('holder_guide_distributor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_guide_distributor_guide_id'), ['guide_id'], unique=False)

    op.create_table('holder_alert',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('agency_name', sa.String(length=200), nullable=False),
    sa.Column('confirmed_on', sa.Date(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('quantity', sa.String(length=60), nullable=True),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_holder_alert_case_id_case_file')),
    sa.ForeignKeyConstraint(['org_id'], ['holder_org.id'], name=op.f('fk_holder_alert_org_id_holder_org')),
    sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'], name=op.f('fk_holder_alert_right_id_registered_right')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_alert')),
    sa.UniqueConstraint('org_id', 'right_id', 'case_id', name=op.f('uq_holder_alert_org_id'))
    )
    with op.batch_alter_table('holder_alert', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_alert_org_id'), ['org_id'], unique=False)

    op.create_table('holder_guide_right',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('guide_id', sa.Integer(), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['guide_id'], ['holder_guide.id'], name=op.f('fk_holder_guide_right_guide_id_holder_guide'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'], name=op.f('fk_holder_guide_right_right_id_registered_right')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_guide_right')),
    sa.UniqueConstraint('guide_id', 'right_id', name=op.f('uq_holder_guide_right_guide_id'))
    )
    with op.batch_alter_table('holder_guide_right', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_guide_right_guide_id'), ['guide_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_holder_guide_right_right_id'), ['right_id'], unique=False)

    op.create_table('holder_recordation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('authority', sa.Enum('customs', 'police', 'other', name='recordationauthority', native_enum=False, length=12), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('withdrawn_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['country_code'], ['country.code'], name=op.f('fk_holder_recordation_country_code_country')),
    sa.ForeignKeyConstraint(['org_id'], ['holder_org.id'], name=op.f('fk_holder_recordation_org_id_holder_org')),
    sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'], name=op.f('fk_holder_recordation_right_id_registered_right')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_recordation'))
    )
    with op.batch_alter_table('holder_recordation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_recordation_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_holder_recordation_right_id'), ['right_id'], unique=False)

    op.create_table('holder_right',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Enum('owner', 'representative', name='holdercapacity', native_enum=False, length=16), nullable=False),
    sa.Column('holder_name', sa.String(length=300), nullable=False),
    sa.Column('power_of_attorney', sa.String(length=300), nullable=True),
    sa.Column('linked_by_id', sa.Integer(), nullable=True),
    sa.Column('linked_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['linked_by_id'], ['officer.id'], name=op.f('fk_holder_right_linked_by_id_officer')),
    sa.ForeignKeyConstraint(['org_id'], ['holder_org.id'], name=op.f('fk_holder_right_org_id_holder_org')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['officer.id'], name=op.f('fk_holder_right_revoked_by_id_officer')),
    sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'], name=op.f('fk_holder_right_right_id_registered_right')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_right'))
    )
    with op.batch_alter_table('holder_right', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_right_org_id'), ['org_id'], unique=False)
        batch_op.create_index('ix_holder_right_org_right', ['org_id', 'right_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_holder_right_right_id'), ['right_id'], unique=False)

    op.create_table('holder_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('guide_id', sa.Integer(), nullable=True),
    sa.Column('recordation_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('caption', sa.String(length=300), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_backend', sa.String(length=16), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('dek_id', sa.String(length=32), nullable=False),
    sa.Column('dek_wrapped', sa.LargeBinary(), nullable=True),
    sa.Column('kek_id', sa.String(length=64), nullable=True),
    sa.Column('segment_size', sa.Integer(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('removed_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['guide_id'], ['holder_guide.id'], name=op.f('fk_holder_file_guide_id_holder_guide')),
    sa.ForeignKeyConstraint(['org_id'], ['holder_org.id'], name=op.f('fk_holder_file_org_id_holder_org')),
    sa.ForeignKeyConstraint(['recordation_id'], ['holder_recordation.id'], name=op.f('fk_holder_file_recordation_id_holder_recordation')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['officer.id'], name=op.f('fk_holder_file_uploaded_by_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holder_file')),
    sa.UniqueConstraint('public_id', name=op.f('uq_holder_file_public_id')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_holder_file_storage_key'))
    )
    with op.batch_alter_table('holder_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holder_file_guide_id'), ['guide_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_holder_file_kek_id'), ['kek_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_holder_file_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_holder_file_recordation_id'), ['recordation_id'], unique=False)

    op.create_table('verification_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('match_id', sa.Integer(), nullable=True),
    sa.Column('right_id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('detention_date', sa.Date(), nullable=False),
    sa.Column('working_days', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('handling_code', sa.Enum('agency_only', 'within_country', 'court_after_consent', 'open', name='handlingcode', native_enum=False, length=24), nullable=False),
    sa.Column('status', sa.Enum('sent', 'answered', 'withdrawn', name='verificationstatus', native_enum=False, length=12), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('withdrawn_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('withdraw_reason', sa.Text(), nullable=True),
    sa.Column('answered_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('verdict', sa.Enum('counterfeit', 'genuine', 'cannot_tell', name='verdict', native_enum=False, length=12), nullable=True),
    sa.Column('statement', sa.Text(), nullable=True),
    sa.Column('examiner', sa.String(length=200), nullable=True),
    sa.Column('intent', sa.Enum('complaint', 'destruction', 'no_action', name='holderintent', native_enum=False, length=12), nullable=True),
    sa.Column('reminded_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('overdue_noted_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_verification_request_agency_id_agency')),
    sa.ForeignKeyConstraint(['answered_by_id'], ['officer.id'], name=op.f('fk_verification_request_answered_by_id_officer')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_verification_request_case_id_case_file')),
    sa.ForeignKeyConstraint(['match_id'], ['case_match.id'], name=op.f('fk_verification_request_match_id_case_match')),
    sa.ForeignKeyConstraint(['org_id'], ['holder_org.id'], name=op.f('fk_verification_request_org_id_holder_org')),
    sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'], name=op.f('fk_verification_request_right_id_registered_right')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['officer.id'], name=op.f('fk_verification_request_sent_by_id_officer')),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['officer.id'], name=op.f('fk_verification_request_withdrawn_by_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_request')),
    sa.UniqueConstraint('public_id', name=op.f('uq_verification_request_public_id'))
    )
    with op.batch_alter_table('verification_request', schema=None) as batch_op:
        batch_op.create_index('ix_verification_org_status', ['org_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_verification_request_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_verification_request_right_id'), ['right_id'], unique=False)
        batch_op.create_index('ix_verification_status_deadline', ['status', 'deadline'], unique=False)

    op.create_table('verification_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('seizure_id', sa.Integer(), nullable=True),
    sa.Column('listing_id', sa.Integer(), nullable=True),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_verification_item_evidence_id_evidence')),
    sa.ForeignKeyConstraint(['listing_id'], ['listing.id'], name=op.f('fk_verification_item_listing_id_listing')),
    sa.ForeignKeyConstraint(['request_id'], ['verification_request.id'], name=op.f('fk_verification_item_request_id_verification_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seizure_id'], ['seizure_item.id'], name=op.f('fk_verification_item_seizure_id_seizure_item')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verification_item'))
    )
    with op.batch_alter_table('verification_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verification_item_request_id'), ['request_id'], unique=False)

    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tell_holders', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tell_holder', sa.Boolean(), nullable=True))

    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.add_column(sa.Column('weekend', sa.String(length=13), server_default='6,7', nullable=False))

    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holder_org_id', sa.Integer(), nullable=True))
        batch_op.alter_column('agency_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_officer_holder_org_id'), ['holder_org_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_officer_holder_org_id_holder_org'), 'holder_org', ['holder_org_id'], ['id'])
        batch_op.create_check_constraint(
            'agency_or_holder', '(agency_id IS NULL) <> (holder_org_id IS NULL)')


def downgrade() -> None:
    holders = op.get_bind().execute(
        sa.text("SELECT count(*) FROM officer WHERE holder_org_id IS NOT NULL")).scalar()
    if holders:
        raise RuntimeError(f"{holders} right holder account(s) exist: an officer row needs "
                           "an agency before this revision; deactivate and remove them first")
    with op.batch_alter_table('officer', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_officer_agency_or_holder'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_officer_holder_org_id_holder_org'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_officer_holder_org_id'))
        batch_op.alter_column('agency_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('holder_org_id')

    with op.batch_alter_table('country', schema=None) as batch_op:
        batch_op.drop_column('weekend')

    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_column('tell_holder')

    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('tell_holders')

    with op.batch_alter_table('verification_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verification_item_request_id'))

    op.drop_table('verification_item')
    with op.batch_alter_table('verification_request', schema=None) as batch_op:
        batch_op.drop_index('ix_verification_status_deadline')
        batch_op.drop_index(batch_op.f('ix_verification_request_right_id'))
        batch_op.drop_index(batch_op.f('ix_verification_request_case_id'))
        batch_op.drop_index('ix_verification_org_status')

    op.drop_table('verification_request')
    with op.batch_alter_table('holder_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_file_recordation_id'))
        batch_op.drop_index(batch_op.f('ix_holder_file_org_id'))
        batch_op.drop_index(batch_op.f('ix_holder_file_kek_id'))
        batch_op.drop_index(batch_op.f('ix_holder_file_guide_id'))

    op.drop_table('holder_file')
    with op.batch_alter_table('holder_right', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_right_right_id'))
        batch_op.drop_index('ix_holder_right_org_right')
        batch_op.drop_index(batch_op.f('ix_holder_right_org_id'))

    op.drop_table('holder_right')
    with op.batch_alter_table('holder_recordation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_recordation_right_id'))
        batch_op.drop_index(batch_op.f('ix_holder_recordation_org_id'))

    op.drop_table('holder_recordation')
    with op.batch_alter_table('holder_guide_right', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_guide_right_right_id'))
        batch_op.drop_index(batch_op.f('ix_holder_guide_right_guide_id'))

    op.drop_table('holder_guide_right')
    with op.batch_alter_table('holder_alert', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_alert_org_id'))

    op.drop_table('holder_alert')
    with op.batch_alter_table('holder_guide_distributor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_guide_distributor_guide_id'))

    op.drop_table('holder_guide_distributor')
    op.drop_table('public_holiday')
    with op.batch_alter_table('holder_guide', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_guide_org_id'))

    op.drop_table('holder_guide')
    with op.batch_alter_table('holder_contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_contact_org_id'))

    op.drop_table('holder_contact')
    with op.batch_alter_table('holder_org', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holder_org_country_code'))

    op.drop_table('holder_org')
