"""report indexes on detection and court dates

Revision ID: 12448ccbda2f
Revises: 5c1f0e7a9b2d
Create Date: 2026-11-25 22:34:26.739649
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = '12448ccbda2f'
down_revision: str | None = '5c1f0e7a9b2d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.create_index('ix_case_report_court', ['court_date', 'country_code', 'agency_id'], unique=False)
        batch_op.create_index('ix_case_report_detected', ['detected_on', 'country_code', 'agency_id', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('case_file', schema=None) as batch_op:
        batch_op.drop_index('ix_case_report_detected')
        batch_op.drop_index('ix_case_report_court')

