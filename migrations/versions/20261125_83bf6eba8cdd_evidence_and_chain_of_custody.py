"""evidence and chain of custody

Revision ID: 83bf6eba8cdd
Revises: 20acff5a0d79
Create Date: 2026-11-25 19:59:35.544750
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '83bf6eba8cdd'
down_revision: str | None = '20acff5a0d79'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('storage_backend', sa.String(length=16), nullable=False),
    sa.Column('storage_key', sa.String(length=300), nullable=False),
    sa.Column('original_name', sa.String(length=255), nullable=False),
    sa.Column('media_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('acquired_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acquired_where', sa.String(length=300), nullable=True),
    sa.Column('acquired_how', sa.String(length=500), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('dek_id', sa.String(length=32), nullable=False),
    sa.Column('dek_wrapped', sa.LargeBinary(), nullable=True),
    sa.Column('kek_id', sa.String(length=64), nullable=True),
    sa.Column('segment_size', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('active', 'shredded', name='evidencestatus', native_enum=False, length=12), nullable=False),
    sa.Column('shredded_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_verified_at', anice.models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_verify_ok', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_evidence_case_id_case_file')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['officer.id'], name=op.f('fk_evidence_uploaded_by_id_officer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('public_id', name=op.f('uq_evidence_public_id')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_evidence_storage_key'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evidence_kek_id'), ['kek_id'], unique=False)

    op.create_table('custody_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_label', sa.String(length=320), nullable=False),
    sa.Column('action', sa.Enum('intake', 'view', 'download', 'export', 'share', 'verify', 'transfer', 'disposal', 'shred', 'rewrap', name='custodyaction', native_enum=False, length=12), nullable=False),
    sa.Column('client_addr', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['officer.id'], name=op.f('fk_custody_event_actor_id_officer')),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_custody_event_evidence_id_evidence')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_custody_event'))
    )
    with op.batch_alter_table('custody_event', schema=None) as batch_op:
        batch_op.create_index('ix_custody_evidence_at', ['evidence_id', 'at'], unique=False)


    create_append_only_guard()


def downgrade() -> None:
    drop_append_only_guard()
    with op.batch_alter_table('custody_event', schema=None) as batch_op:
        batch_op.drop_index('ix_custody_evidence_at')

    op.drop_table('custody_event')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_kek_id'))
        batch_op.drop_index(batch_op.f('ix_evidence_case_id'))

    op.drop_table('evidence')


# The chain of custody is append-only in the database itself, not only in the app.
def create_append_only_guard() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER custody_event_no_{verb.lower()} BEFORE {verb} ON "
                       "custody_event BEGIN SELECT RAISE(ABORT, 'custody events are "
                       "append-only'); END")
    else:
        op.execute("CREATE FUNCTION custody_event_append_only() RETURNS trigger AS $$ BEGIN "
                   "RAISE EXCEPTION 'custody events are append-only'; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER custody_event_append_only BEFORE UPDATE OR DELETE ON "
                   "custody_event FOR EACH ROW EXECUTE FUNCTION custody_event_append_only()")


def drop_append_only_guard() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS custody_event_no_update")
        op.execute("DROP TRIGGER IF EXISTS custody_event_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS custody_event_append_only ON custody_event")
        op.execute("DROP FUNCTION IF EXISTS custody_event_append_only()")
