"""the report indexes carry the columns of policy.report_cases (sensitivity, origin_handling,
status): since the national and regional reports leave out restricted, "agency only" and
discarded cases, each counted row was read from the table (bench/reports.py: the monthly
national report at 1,000,000 cases went from 1.7 to 2.7 s)

Revision ID: c6e8a0b2d4f6
Revises: a9c1e3f5b7d4
Create Date: 2026-12-07 00:30:00.000000
"""
from collections.abc import Sequence

from alembic import op

revision: str = 'c6e8a0b2d4f6'
down_revision: str | None = 'a9c1e3f5b7d4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FILTER = ["sensitivity", "origin_handling", "status"]
INDEXES = {
    "ix_case_report_opened": ["opened_on", "country_code", "agency_id", "kind",
                              "right_types_mask"],
    "ix_case_report_closed": ["closed_on", "country_code", "agency_id", "kind", "outcome",
                              "right_types_mask"],
    "ix_case_report_detected": ["detected_on", "country_code", "agency_id", "id"],
    "ix_case_report_court": ["court_date", "country_code", "agency_id"],
}


def _replace(extra: list[str]) -> None:
    for name, columns in INDEXES.items():
        op.drop_index(name, table_name="case_file")
        op.create_index(name, "case_file", [*columns, *extra])


def upgrade() -> None:
    _replace(FILTER)


def downgrade() -> None:
    _replace([])
