"""provenance and history of rights: one row per imported registry file
(registry_import), one row per change of a right (right_change), and on each right the
import that created it and the last one that changed it

Revision ID: f1a3c5e7b9d2
Revises: b3d5f7a9c1e2
Create Date: 2026-12-06 23:10:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'f1a3c5e7b9d2'
down_revision: str | None = 'b3d5f7a9c1e2'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = anice.models.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'registry_import',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('format', sa.String(length=8), nullable=False),
        sa.Column('mode', sa.String(length=8), nullable=False),
        sa.Column('officer_id', sa.Integer(), nullable=True),
        sa.Column('operator', sa.String(length=100), nullable=True),
        sa.Column('import_job_id', sa.Integer(), nullable=True),
        sa.Column('started_at', UTC, nullable=False),
        sa.Column('finished_at', UTC, nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in (
            'rows', 'inserted', 'updated', 'unchanged', 'withdrawn', 'skipped', 'warnings')),
        sa.ForeignKeyConstraint(['import_job_id'], ['import_job.id'],
                                name=op.f('fk_registry_import_import_job_id_import_job')),
        sa.ForeignKeyConstraint(['officer_id'], ['officer.id'],
                                name=op.f('fk_registry_import_officer_id_officer')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_registry_import')),
    )
    with op.batch_alter_table('registry_import', schema=None) as batch_op:
        batch_op.create_index('ix_registry_import_sha256', ['sha256'], unique=False)
        batch_op.create_index('ix_registry_import_started_at', ['started_at'], unique=False)

    op.create_table(
        'right_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('right_id', sa.Integer(), nullable=False),
        sa.Column('at', UTC, nullable=False),
        sa.Column('kind', sa.Enum('created', 'updated', 'withdrawn', 'expired', 'transferred',
                                  'restored', name='changekind', native_enum=False,
                                  length=12), nullable=False),
        sa.Column('source', sa.Enum('import', 'edit', name='changesource', native_enum=False,
                                    length=8), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=True),
        sa.Column('officer_id', sa.Integer(), nullable=True),
        sa.Column('changes', sa.JSON(none_as_null=True), nullable=True),
        sa.ForeignKeyConstraint(['import_id'], ['registry_import.id'],
                                name=op.f('fk_right_change_import_id_registry_import')),
        sa.ForeignKeyConstraint(['officer_id'], ['officer.id'],
                                name=op.f('fk_right_change_officer_id_officer')),
        sa.ForeignKeyConstraint(['right_id'], ['registered_right.id'],
                                name=op.f('fk_right_change_right_id_registered_right'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_right_change')),
    )
    with op.batch_alter_table('right_change', schema=None) as batch_op:
        batch_op.create_index('ix_right_change_right_id_id', ['right_id', 'id'], unique=False)

    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_import_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_import_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_registered_right_created_import_id_registry_import'),
            'registry_import', ['created_import_id'], ['id'])
        batch_op.create_foreign_key(
            batch_op.f('fk_registered_right_last_import_id_registry_import'),
            'registry_import', ['last_import_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_registered_right_last_import_id_registry_import'),
            type_='foreignkey')
        batch_op.drop_constraint(
            batch_op.f('fk_registered_right_created_import_id_registry_import'),
            type_='foreignkey')
        batch_op.drop_column('last_import_id')
        batch_op.drop_column('created_import_id')
    with op.batch_alter_table('right_change', schema=None) as batch_op:
        batch_op.drop_index('ix_right_change_right_id_id')
    op.drop_table('right_change')
    with op.batch_alter_table('registry_import', schema=None) as batch_op:
        batch_op.drop_index('ix_registry_import_started_at')
        batch_op.drop_index('ix_registry_import_sha256')
    op.drop_table('registry_import')
