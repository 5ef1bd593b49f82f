"""office status table: each office's status values mapped to ANICE statuses; a right keeps
the status as published

Revision ID: c4e8a2f1d7b3
Revises: b7e1c0a95d21
Create Date: 2026-12-06 21:00:00.000000
"""
import re
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import anice.models.types

revision: str = 'c4e8a2f1d7b3'
down_revision: str | None = 'b7e1c0a95d21'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Office '*': WIPO standard values (ST.66 / ST.86 MarkCurrentStatusCode and
# DesignCurrentStatusCode, ST.96 MarkCurrentStatusCode / DesignCurrentStatusCategory, and
# the short forms TMview / DesignView show). EM: EUIPO's own texts (eSearch, ST.86 exports).
# US: USPTO TSDR numeric status codes. Admins and coordinators add their office's rows.
SEED = {
    "*": {
        "registered": ("Registered", "Registration published", "Registration renewed",
                       "Renewed"),
        "filed": ("Application filed", "Filed", "Filing date accorded", "Pending",
                  "Application published", "Published", "Application accepted", "Accepted",
                  "Application under examination", "Under examination", "Examined",
                  "Application opposed", "Opposed", "Opposition", "Opposition pending",
                  "Appealed", "Appeal pending", "Application suspended", "Suspended"),
        "expired": ("Expired", "Registration expired", "Ended", "Lapsed"),
        "refused": ("Refused", "Application refused", "Rejected"),
        "cancelled": ("Withdrawn", "Application withdrawn", "Abandoned", "Cancelled",
                      "Canceled", "Registration cancelled", "Surrendered",
                      "Registration surrendered", "Invalidated", "Revoked"),
    },
    "EM": {
        "registered": ("Registered and fully published", "Registered and subject to deferment",
                       "Registration cancellation pending", "Registration surrender pending"),
        "filed": ("Application received", "Application under examination",
                  "Application published", "Opposition pending", "Appeal pending"),
        "expired": ("Design lapsed", "Registration expired", "Design expired"),
        "refused": ("Application refused", "Design refused"),
        "cancelled": ("Design surrendered", "Design declared invalid", "Design invalidated",
                      "Registration cancelled", "Registration surrendered",
                      "Application withdrawn", "Trade mark cancelled"),
    },
    "US": {
        "filed": ("630", "638", "640", "641", "644", "645", "660", "661", "680", "681", "686",
                  "688", "689", "730", "731", "732"),
        "registered": ("700", "701", "702", "703", "704", "705", "800"),
        "cancelled": ("600", "601", "602", "603", "604", "605", "606", "607", "608", "609",
                      "612", "613", "614", "710", "711", "712", "713", "714"),
        "expired": ("900",),
    },
}


def fold(value: str) -> str:
    return re.sub(r"[\s_-]+", "", value.casefold())


def upgrade() -> None:
    table = op.create_table(
        'office_status',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office', sa.String(length=4), nullable=False),
        sa.Column('value', sa.String(length=200), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('status', sa.Enum('filed', 'registered', 'expired', 'refused', 'cancelled',
                                    'other', name='rightstatus', native_enum=False, length=16),
                  nullable=False),
        sa.Column('updated_at', anice.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_office_status')),
        sa.UniqueConstraint('office', 'key', name='uq_office_status_office_key'),
    )
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_raw', sa.String(length=200), nullable=True))
    now = datetime.now(UTC)
    op.bulk_insert(table, [
        {"office": office, "value": value, "key": fold(value), "status": status,
         "updated_at": now}
        for office, statuses in SEED.items()
        for status, values in statuses.items() for value in values])


def downgrade() -> None:
    with op.batch_alter_table('registered_right', schema=None) as batch_op:
        batch_op.drop_column('status_raw')
    op.drop_table('office_status')
