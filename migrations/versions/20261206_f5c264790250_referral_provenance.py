"""referral provenance: a linked case and each copied item keep the referral's handling code

Existing linked cases and copies are filled in from their referral.

Revision ID: f5c264790250
Revises: e635395f8cf3
Create Date: 2026-12-06 03:20:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'f5c264790250'
down_revision: str | None = 'e635395f8cf3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HANDLING_CODES = ('agency_only', 'within_country', 'court_after_consent', 'open')


# Plain ALTER TABLE statements, no batch copy of the tables: on a populated SQLite
# database, recreating case_file would break the foreign keys pointing at it.

def upgrade() -> None:
    op.add_column('case_file', sa.Column('origin_referral_id', sa.Integer(), nullable=True))
    op.add_column('case_file', sa.Column('origin_handling', sa.String(length=24), nullable=True))
    op.drop_index('ix_case_country_updated', table_name='case_file')
    op.create_index('ix_case_country_updated', 'case_file',
                    ['country_code', 'updated_at', 'id', 'sensitivity', 'agency_id',
                     'origin_handling'], unique=False)
    op.add_column('referral_copy', sa.Column('handling_code',
                                             sa.Enum(*HANDLING_CODES, name='handlingcode',
                                                     native_enum=False, length=24),
                                             nullable=True))
    op.execute("""
        UPDATE case_file SET
          origin_referral_id = (SELECT r.id FROM referral r WHERE r.linked_case_id = case_file.id),
          origin_handling = (SELECT r.handling_code FROM referral r
                             WHERE r.linked_case_id = case_file.id)
        WHERE id IN (SELECT linked_case_id FROM referral WHERE linked_case_id IS NOT NULL)
    """)
    op.execute("""
        UPDATE referral_copy SET handling_code =
          (SELECT r.handling_code FROM referral r WHERE r.id = referral_copy.referral_id)
    """)


def downgrade() -> None:
    op.drop_column('referral_copy', 'handling_code')
    op.drop_index('ix_case_country_updated', table_name='case_file')
    op.create_index('ix_case_country_updated', 'case_file',
                    ['country_code', 'updated_at', 'id', 'sensitivity', 'agency_id'],
                    unique=False)
    op.drop_column('case_file', 'origin_handling')
    op.drop_column('case_file', 'origin_referral_id')
