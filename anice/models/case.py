"""Cases: the aggregate root, its counter, assignments, timeline and search document."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..text import labels
from ..text.locales import N_
from .geo import Agency
from .officer import Officer
from .types import UTCDateTime, str_enum, utcnow


class CaseKind(enum.StrEnum):
    COUNTERFEIT = "counterfeit"
    ONLINE = "online"


class CaseStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    UNDER_INVESTIGATION = "under_investigation"
    PROSECUTION = "prosecution"
    IN_COURT = "in_court"
    CLOSED = "closed"
    # A draft thrown away (typed twice, opened by mistake): kept for the audit trail, gone
    # from every list, search, report and link; its reference is never given again.
    DISCARDED = "discarded"

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(status.label)``)."""
        return {"draft": N_("Draft"), "open": N_("Open"),
                "under_investigation": N_("Under investigation"),
                "prosecution": N_("Prosecution"), "in_court": N_("In court"),
                "closed": N_("Closed"), "discarded": N_("Discarded")}[self.value]


class RightType(enum.StrEnum):
    TRADEMARK = "trademark"
    COPYRIGHT = "copyright"
    DESIGN = "design"
    PATENT = "patent"
    GI = "gi"
    OTHER = "other"

    @property
    def bit(self) -> int:
        return 1 << list(RightType).index(self)

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(right_type.label)``)."""
        return {"trademark": N_("Trademark"), "copyright": N_("Copyright"),
                "design": N_("Industrial design"), "patent": N_("Patent"),
                "gi": N_("Geographical indication"), "other": N_("Other")}[self.value]


labels.BIT_SETS["right_types_mask"] = RightType


class Detection(enum.StrEnum):
    RAID = "raid"
    CUSTOMS_DETENTION = "customs_detention"
    MARKET_INSPECTION = "market_inspection"
    COMPLAINT = "complaint"
    ONLINE_MONITORING = "online_monitoring"


class Sensitivity(enum.StrEnum):
    NORMAL = "normal"
    RESTRICTED = "restricted"


class Outcome(enum.StrEnum):
    CONVICTED = "convicted"
    FINED = "fined"
    SETTLED = "settled"
    ACQUITTED = "acquitted"
    NO_FURTHER_ACTION = "no_further_action"
    TRANSFERRED = "transferred"


class CaseCounter(Base):
    """Last sequence number issued per agency and year; references are never reused."""

    __tablename__ = "case_counter"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last: Mapped[int] = mapped_column(Integer, default=0)


class Case(Base):
    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("agency_id", "year", "seq"),
        Index("ix_case_agency_status", "agency_id", "status"),
        Index("ix_case_agency_detected", "agency_id", "detected_on"),
        Index("ix_case_country_detected", "country_code", "detected_on"),
        # The list's default order with the visibility columns (status: discarded drafts
        # are left out): pages and counts are read from the index alone (bench/cases.py:
        # SQLite list p95 179 -> 8 ms at 100k cases; 45 ms while status was missing).
        Index("ix_case_agency_updated", "agency_id", "updated_at", "id", "sensitivity",
              "status"),
        Index("ix_case_country_updated", "country_code", "updated_at", "id", "sensitivity",
              "agency_id", "origin_handling", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    # Denormalised from the agency: country-wide queries need no join.
    country_code: Mapped[str] = mapped_column(String(2))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[CaseKind] = mapped_column(str_enum(CaseKind, 12), index=True)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, 24), index=True,
                                               default=CaseStatus.DRAFT)
    sensitivity: Mapped[Sensitivity] = mapped_column(str_enum(Sensitivity, 12),
                                                     default=Sensitivity.NORMAL)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    # Bit set of RightType.bit: filterable with one AND on every backend.
    right_types_mask: Mapped[int] = mapped_column(Integer, default=0)
    detection: Mapped[Detection | None] = mapped_column(str_enum(Detection, 24))
    province: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    detected_on: Mapped[date | None] = mapped_column(Date)
    opened_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    charges: Mapped[str | None] = mapped_column(Text)
    court_name: Mapped[str | None] = mapped_column(String(200))
    court_reference: Mapped[str | None] = mapped_column(String(100))
    court_date: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome, 24))
    outcome_notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A linked case opened on a referral: the referral (referral.id; no foreign key, the
    # referral already points here) and its handling code, which binds the fields copied
    # from it (anice/referrals/provenance.py) and, for "agency_only", who may read it.
    origin_referral_id: Mapped[int | None] = mapped_column(Integer)
    origin_handling: Mapped[str | None] = mapped_column(String(24))
    # Whether the holders of rights confirmed in this case are told (HolderAlert); None
    # follows the agency's setting (Agency.tell_holders).
    tell_holder: Mapped[bool | None] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    agency: Mapped[Agency] = relationship(lazy="joined")
    created_by: Mapped[Officer | None] = relationship()
    assignments: Mapped[list[CaseAssignment]] = relationship(
        back_populates="case", cascade="all, delete-orphan")
    seizures: Mapped[list[SeizureItem]] = relationship(  # noqa: F821
        back_populates="case", cascade="all, delete-orphan", order_by="SeizureItem.id")
    listings: Mapped[list[Listing]] = relationship(  # noqa: F821
        back_populates="case", cascade="all, delete-orphan", order_by="Listing.id")
    parties: Mapped[list[Party]] = relationship(  # noqa: F821
        back_populates="case", cascade="all, delete-orphan", order_by="Party.id")

    @property
    def right_types(self) -> list[RightType]:
        return [t for t in RightType if self.right_types_mask & t.bit]

    @property
    def assigned_ids(self) -> set[int]:
        return {a.officer_id for a in self.assignments}

    @property
    def currency(self) -> str:
        return self.agency.country.currency

    def __repr__(self) -> str:
        return f"<Case {self.reference}>"


class CaseAssignment(Base):
    __tablename__ = "case_assignment"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), primary_key=True,
                                            index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="assignments")
    officer: Mapped[Officer] = relationship(lazy="joined")


class TimelineEntry(Base):
    """Who changed what on a case, and when; field-level before/after for edits."""

    __tablename__ = "timeline_entry"
    __table_args__ = (Index("ix_timeline_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    actor_label: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text)  # in English (the API, the audit)
    # The sentence as message and values (anice.text.messages), shown in each reader's
    # language; None for an officer's note and for rows written before it existed.
    text: Mapped[dict | None] = mapped_column(JSON)
    # [{"field": ..., "before": ..., "after": ...}]
    changes: Mapped[list] = mapped_column(JSON, default=list)


class CaseSearch(Base):
    """The text a case is found by (title, summary, brands, listings, sellers).

    SQLite indexes it with FTS5 and PostgreSQL with a GIN tsvector index; both are
    created by the migration (see anice/cases/search.py).
    """

    __tablename__ = "case_search"

    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                         primary_key=True)
    body: Mapped[str] = mapped_column(Text, default="")
