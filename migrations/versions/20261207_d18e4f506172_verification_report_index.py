"""reports count verification requests by the day they were sent: an index on sent_at (and
the case, whose scope and policy columns decide whether a request is counted)

Revision ID: d18e4f506172
Revises: a18b0c1d2e3f
Create Date: 2026-12-07 02:00:00.000000
"""
from collections.abc import Sequence

from alembic import op

revision: str = 'd18e4f506172'
down_revision: str | None = 'a18b0c1d2e3f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_verification_report_sent", "verification_request",
                    ["sent_at", "case_id"])


def downgrade() -> None:
    op.drop_index("ix_verification_report_sent", table_name="verification_request")
