"""referrals and notifications

Revision ID: a7847c04ad17
Revises: 86f5e4237b3c
Create Date: 2026-11-25 21:43:04.272455
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'a7847c04ad17'
down_revision: str | None = '86f5e4237b3c'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('message', sa.String(length=300), nullable=False),
    sa.Column('url', sa.String(length=300), nullable=True),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['officer_id'], ['officer.id'], name=op.f('fk_notification_officer_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index('ix_notification_officer_read', ['officer_id', 'read_at', 'id'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('from_agency_id', sa.Integer(), nullable=False),
    sa.Column('from_country_code', sa.String(length=2), nullable=False),
    sa.Column('to_country_code', sa.String(length=2), nullable=False),
    sa.Column('to_agency_id', sa.Integer(), nullable=True),
    sa.Column('requested_action', sa.Enum('investigate', 'seize', 'take_down', 'identify_suspect', 'trace_goods', 'assist_prosecution', 'information_only', name='requestedaction', native_enum=False, length=24), nullable=False),
    sa.Column('handling_code', sa.Enum('agency_only', 'within_country', 'court_after_consent', name='handlingcode', native_enum=False, length=24), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('share_until', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'pending_approval', 'sent', 'routed', 'info_requested', 'accepted', 'declined', 'withdrawn', name='referralstatus', native_enum=False, length=20), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('routed_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('first_response_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('linked_case_id', sa.Integer(), nullable=True),
    sa.Column('court_consent_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_days', sa.Integer(), nullable=True),
    sa.Column('updated_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by_id'], ['officer.id'], name=op.f('fk_referral_approved_by_id_officer')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_referral_case_id_case_file')),
    sa.ForeignKeyConstraint(['created_by_id'], ['officer.id'], name=op.f('fk_referral_created_by_id_officer')),
    sa.ForeignKeyConstraint(['from_agency_id'], ['agency.id'], name=op.f('fk_referral_from_agency_id_agency')),
    sa.ForeignKeyConstraint(['linked_case_id'], ['case_file.id'], name=op.f('fk_referral_linked_case_id_case_file')),
    sa.ForeignKeyConstraint(['to_agency_id'], ['agency.id'], name=op.f('fk_referral_to_agency_id_agency')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral')),
    sa.UniqueConstraint('reference', name=op.f('uq_referral_reference'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_from_agency_id'), ['from_agency_id'], unique=False)
        batch_op.create_index('ix_referral_from_sent', ['from_country_code', 'sent_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_to_agency_id'), ['to_agency_id'], unique=False)
        batch_op.create_index('ix_referral_to_sent', ['to_country_code', 'sent_at'], unique=False)
        batch_op.create_index('ix_referral_to_status', ['to_country_code', 'status'], unique=False)

    op.create_table('referral_copy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('field', 'seizure', 'listing', 'party', 'match', 'evidence', name='sharekind', native_enum=False, length=12), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('copy_id', sa.Integer(), nullable=False),
    sa.Column('at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_copy_referral_id_referral')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_copy')),
    sa.UniqueConstraint('referral_id', 'kind', 'source_id', name=op.f('uq_referral_copy_referral_id'))
    )
    with op.batch_alter_table('referral_copy', schema=None) as batch_op:
        batch_op.create_index('ix_referral_copy_target', ['kind', 'copy_id'], unique=False)

    op.create_table('referral_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=320), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['officer.id'], name=op.f('fk_referral_event_actor_id_officer')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_event_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_event'))
    )
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.create_index('ix_referral_event_at', ['referral_id', 'at'], unique=False)

    op.create_table('referral_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('author_label', sa.String(length=320), nullable=False),
    sa.Column('side', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['officer.id'], name=op.f('fk_referral_message_author_id_officer')),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_referral_message_evidence_id_evidence')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_message_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_message'))
    )
    with op.batch_alter_table('referral_message', schema=None) as batch_op:
        batch_op.create_index('ix_referral_message_at', ['referral_id', 'at'], unique=False)

    op.create_table('referral_share',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('field', 'seizure', 'listing', 'party', 'match', 'evidence', name='sharekind', native_enum=False, length=12), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('added_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by_id'], ['officer.id'], name=op.f('fk_referral_share_added_by_id_officer')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_share_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_share')),
    sa.UniqueConstraint('referral_id', 'kind', 'key', name=op.f('uq_referral_share_referral_id'))
    )
    with op.batch_alter_table('referral_share', schema=None) as batch_op:
        batch_op.create_index('ix_referral_share_kind_key', ['kind', 'key'], unique=False)

    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.add_column(sa.Column('referral_approval', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('agency', schema=None) as batch_op:
        batch_op.drop_column('referral_approval')

    with op.batch_alter_table('referral_share', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_share_kind_key')

    op.drop_table('referral_share')
    with op.batch_alter_table('referral_message', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_message_at')

    op.drop_table('referral_message')
    with op.batch_alter_table('referral_event', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_event_at')

    op.drop_table('referral_event')
    with op.batch_alter_table('referral_copy', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_copy_target')

    op.drop_table('referral_copy')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index('ix_referral_to_status')
        batch_op.drop_index('ix_referral_to_sent')
        batch_op.drop_index(batch_op.f('ix_referral_to_agency_id'))
        batch_op.drop_index(batch_op.f('ix_referral_status'))
        batch_op.drop_index('ix_referral_from_sent')
        batch_op.drop_index(batch_op.f('ix_referral_from_agency_id'))
        batch_op.drop_index(batch_op.f('ix_referral_case_id'))

    op.drop_table('referral')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_officer_read')

    op.drop_table('notification')
