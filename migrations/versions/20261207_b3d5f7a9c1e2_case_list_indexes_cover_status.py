"""the case list's covering indexes carry the status (discarded drafts are left out of every
list since issue 16: without it each row of a page or count was read from the table)

Revision ID: b3d5f7a9c1e2
Revises: d9a4b6e2c1f8
Create Date: 2026-12-07 00:00:00.000000
"""
from collections.abc import Sequence

from alembic import op

revision: str = 'b3d5f7a9c1e2'
down_revision: str | None = 'd9a4b6e2c1f8'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AGENCY = ["agency_id", "updated_at", "id", "sensitivity"]
COUNTRY = ["country_code", "updated_at", "id", "sensitivity", "agency_id", "origin_handling"]


def _replace(agency: list[str], country: list[str]) -> None:
    op.drop_index("ix_case_agency_updated", table_name="case_file")
    op.drop_index("ix_case_country_updated", table_name="case_file")
    op.create_index("ix_case_agency_updated", "case_file", agency)
    op.create_index("ix_case_country_updated", "case_file", country)


def upgrade() -> None:
    _replace([*AGENCY, "status"], [*COUNTRY, "status"])


def downgrade() -> None:
    _replace(AGENCY, COUNTRY)
