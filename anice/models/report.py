"""Enforcement reports: figures of a scope over a period, frozen with their hash."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .case import Case
from .case_items import Listing
from .case_match import CaseMatch
from .geo import Agency
from .officer import Officer
from .types import UTCDateTime, str_enum, utcnow
from .verification import VerificationRequest


class ScopeLevel(enum.StrEnum):
    AGENCY = "agency"
    COUNTRY = "country"
    REGION = "region"

    @property
    def label(self) -> str:
        return {"agency": "Agency", "country": "National", "region": "Regional"}[self.value]


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CUSTOM = "custom"

    @property
    def label(self) -> str:
        return {"month": "Monthly", "quarter": "Quarterly", "year": "Annual",
                "custom": "Custom range"}[self.value]


class ReportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Report(Base):
    """One version of the report of a scope (agency, country, region) over a period.

    A regenerated period gets a new row pointing at the version it replaces
    (``previous_id``) with what changed (``changes``); rows are never rewritten once done.
    """

    __tablename__ = "report"
    __table_args__ = (
        Index("ix_report_scope_period", "scope_level", "country_code", "agency_id",
              "period_key", "id"),
        Index("ix_report_generated", "generated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_level: Mapped[ScopeLevel] = mapped_column(str_enum(ScopeLevel, 10))
    # The country of a national or agency report (None for the region).
    country_code: Mapped[str | None] = mapped_column(String(2))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    period_kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind, 10))
    # "2026-10", "2026-Q3", "2026", or "2026-01-05..2026-02-10" for a custom range.
    period_key: Mapped[str] = mapped_column(String(24))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # inclusive
    status: Mapped[ReportStatus] = mapped_column(str_enum(ReportStatus, 10),
                                                 default=ReportStatus.QUEUED)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # percent
    error: Mapped[str | None] = mapped_column(Text)
    figures: Mapped[dict | None] = mapped_column(JSON)
    # SHA-256 of the canonical JSON of ``figures`` (sorted keys, no spaces, UTF-8).
    sha256: Mapped[str | None] = mapped_column(String(64))
    # "schedule", "cli" or "on-demand"; the RQ job id when one ran it.
    origin: Mapped[str] = mapped_column(String(16))
    job_id: Mapped[str | None] = mapped_column(String(64))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    generated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"))
    # [{"path": ..., "label": ..., "before": ..., "after": ...}] against the previous version.
    changes: Mapped[list | None] = mapped_column(JSON)

    agency: Mapped[Agency | None] = relationship(lazy="joined")
    requested_by: Mapped[Officer | None] = relationship()
    previous: Mapped[Report | None] = relationship(remote_side=[id])

    @property
    def scope_key(self) -> str:
        if self.scope_level == ScopeLevel.AGENCY:
            return f"agency:{self.agency_id}"
        if self.scope_level == ScopeLevel.COUNTRY:
            return f"country:{self.country_code}"
        return "region"

    def __repr__(self) -> str:
        return f"<Report {self.id} {self.scope_key} {self.period_key} {self.status}>"


class ReportSubscription(Base):
    """An officer who wants to be told when a periodic report it may read is ready."""

    __tablename__ = "report_subscription"
    __table_args__ = (UniqueConstraint("officer_id", "period_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    period_kind: Mapped[PeriodKind] = mapped_column(str_enum(PeriodKind, 10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    officer: Mapped[Officer] = relationship()


# Indexes for the report queries on the case tables (declared here, beside the queries'
# owner): each date a report counts by leads, followed by the scope and grouping columns
# and the columns of policy.report_cases (sensitivity, origin_handling, status), so one
# range scan serves agency, national and regional reports, read from the index alone.
REPORT_FILTER = (Case.sensitivity, Case.origin_handling, Case.status)
Index("ix_case_report_opened", Case.opened_on, Case.country_code, Case.agency_id, Case.kind,
      Case.right_types_mask, *REPORT_FILTER)
Index("ix_case_report_closed", Case.closed_on, Case.country_code, Case.agency_id, Case.kind,
      Case.outcome, Case.right_types_mask, *REPORT_FILTER)
Index("ix_listing_report_takedown", Listing.takedown_requested_on, Listing.case_id)
Index("ix_case_match_report_decided", CaseMatch.decided_at, CaseMatch.decision)
# Seizures are counted by the detection day of their case, hearings by the court date.
Index("ix_case_report_detected", Case.detected_on, Case.country_code, Case.agency_id, Case.id,
      *REPORT_FILTER)
Index("ix_case_report_court", Case.court_date, Case.country_code, Case.agency_id,
      *REPORT_FILTER)
# Verification requests are counted by the day they were sent; the case (its scope and
# policy columns) is looked up by id.
Index("ix_verification_report_sent", VerificationRequest.sent_at, VerificationRequest.case_id)
