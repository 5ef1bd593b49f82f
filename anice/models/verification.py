"""Verification requests: an officer asks a right holder whether detained goods or
listings are counterfeit, within a deadline in working days; and the calendars (weekends,
public holidays) those deadlines are counted on."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
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
from ..text.locales import N_
from .case import Case
from .case_match import CaseMatch
from .holder import HolderOrg
from .referral import HandlingCode
from .right import Right
from .types import UTCDateTime, str_enum, utcnow


class PublicHoliday(Base):
    """A day off in one member state, kept by admins (and the country's coordinator)."""

    __tablename__ = "public_holiday"
    __table_args__ = (UniqueConstraint("country_code", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    day: Mapped[date] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))


class VerificationStatus(enum.StrEnum):
    SENT = "sent"            # waiting for the holder (overdue once past its deadline)
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"  # by the officer's side; the holder reads nothing more of it

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(status.label)``)."""
        return {"sent": N_("Sent"), "answered": N_("Answered"),
                "withdrawn": N_("Withdrawn")}[self.value]


class Verdict(enum.StrEnum):
    COUNTERFEIT = "counterfeit"
    GENUINE = "genuine"
    CANNOT_TELL = "cannot_tell"  # not without a sample

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(verdict.label)``)."""
        return {"counterfeit": N_("Counterfeit"), "genuine": N_("Genuine"),
                "cannot_tell": N_("Cannot tell without a sample")}[self.value]


class HolderIntent(enum.StrEnum):
    COMPLAINT = "complaint"
    DESTRUCTION = "destruction"
    NO_ACTION = "no_action"

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(intent.label)``)."""
        return {"complaint": N_("File a complaint"), "destruction": N_("Ask for destruction"),
                "no_action": N_("No action")}[self.value]


class VerificationRequest(Base):
    __tablename__ = "verification_request"
    __table_args__ = (
        Index("ix_verification_org_status", "org_id", "status"),
        Index("ix_verification_status_deadline", "status", "deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # In URLs (both sides): unguessable.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    match_id: Mapped[int | None] = mapped_column(ForeignKey("case_match.id"))
    right_id: Mapped[int] = mapped_column(ForeignKey("registered_right.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("holder_org.id"))
    # The sender's country and agency, kept for reports and the holder's view.
    country_code: Mapped[str] = mapped_column(String(2))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    sent_by_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    question: Mapped[str] = mapped_column(Text)
    detention_date: Mapped[date] = mapped_column(Date)
    working_days: Mapped[int] = mapped_column(Integer)
    # The last working day for the answer (country_code's calendar), inclusive.
    deadline: Mapped[date] = mapped_column(Date)
    handling_code: Mapped[HandlingCode] = mapped_column(str_enum(HandlingCode, 24))
    status: Mapped[VerificationStatus] = mapped_column(
        str_enum(VerificationStatus, 12), default=VerificationStatus.SENT)
    # Optimistic lock: an answer and a withdrawal racing end in one state.
    version: Mapped[int] = mapped_column(Integer, default=1)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    verdict: Mapped[Verdict | None] = mapped_column(str_enum(Verdict, 12))
    statement: Mapped[str | None] = mapped_column(Text)
    examiner: Mapped[str | None] = mapped_column(String(200))
    intent: Mapped[HolderIntent | None] = mapped_column(str_enum(HolderIntent, 12))
    # Reminders and the overdue notice are sent once each.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    overdue_noted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship()
    match: Mapped[CaseMatch | None] = relationship()
    right: Mapped[Right] = relationship()
    org: Mapped[HolderOrg] = relationship()
    items: Mapped[list[VerificationItem]] = relationship(
        back_populates="request", order_by="VerificationItem.id",
        cascade="all, delete-orphan")


class VerificationItem(Base):
    """One thing sent with a request: a seizure item or a listing (as a snapshot taken when
    sent: what the holder reads never follows later edits of the case) or an evidence item
    (read through the holder's session, each read a custody event). An answer's attachments
    are evidence of the case too, with ``kind`` "answer"."""

    __tablename__ = "verification_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("verification_request.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # seizure | listing | evidence | answer
    seizure_id: Mapped[int | None] = mapped_column(ForeignKey("seizure_item.id"))
    listing_id: Mapped[int | None] = mapped_column(ForeignKey("listing.id"))
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)

    request: Mapped[VerificationRequest] = relationship(back_populates="items")
