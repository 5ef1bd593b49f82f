"""Referral requests: an officer shown a hit asks the holder to refer its case.

The asker knows only what the hit gave (the holding agency and country, the kinds of the
shared identifiers); the holder cases and the values that matched are kept here for the
holder's coordinator alone.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..text.locales import N_
from .case import Case
from .geo import Agency
from .officer import Officer
from .referral import Referral
from .types import UTCDateTime, str_enum, utcnow


class RequestStatus(enum.StrEnum):
    OPEN = "open"              # waits for the holder's coordinator
    REFERRED = "referred"      # answered by a referral of the holder's case
    DECLINED = "declined"      # answered no, with a reason

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(status.label)``)."""
        return {"open": N_("Waiting for an answer"), "referred": N_("Answered by a referral"),
                "declined": N_("Declined")}[self.value]


class ReferralRequest(Base):
    __tablename__ = "referral_request"
    __table_args__ = (Index("ix_referral_request_holder", "holder_country_code", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # RQ-<asker country>-<year>-<id>, given when it is saved.
    reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    # The asker's own case the hit was shown on.
    asker_case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    asker_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    asker_country_code: Mapped[str] = mapped_column(String(2))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    holder_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    holder_country_code: Mapped[str] = mapped_column(String(2))
    # The kinds of identifiers the hit named (what the asker was told).
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[RequestStatus] = mapped_column(str_enum(RequestStatus, 12),
                                                  default=RequestStatus.OPEN)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # The referral that answers it (drafted by the holder's side, sent to the asker's agency).
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    asker_case: Mapped[Case] = relationship(foreign_keys=[asker_case_id])
    asker_agency: Mapped[Agency] = relationship(foreign_keys=[asker_agency_id], lazy="joined")
    holder_agency: Mapped[Agency] = relationship(foreign_keys=[holder_agency_id],
                                                 lazy="joined")
    created_by: Mapped[Officer | None] = relationship(foreign_keys=[created_by_id])
    referral: Mapped[Referral | None] = relationship(foreign_keys=[referral_id])
    holder_cases: Mapped[list[ReferralRequestCase]] = relationship(
        back_populates="request", cascade="all, delete-orphan",
        order_by="ReferralRequestCase.id")

    def __repr__(self) -> str:
        return f"<ReferralRequest {self.reference or self.id} {self.status}>"


class ReferralRequestCase(Base):
    """One holder case the hit stood for, with the identifiers that matched (kind and
    normalised value; no value for the hashed kinds). Shown to the holder's side only."""

    __tablename__ = "referral_request_case"
    __table_args__ = (UniqueConstraint("request_id", "holder_case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("referral_request.id", ondelete="CASCADE"))
    holder_case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    identifiers: Mapped[list] = mapped_column(JSON, default=list)

    request: Mapped[ReferralRequest] = relationship(back_populates="holder_cases")
    holder_case: Mapped[Case] = relationship(foreign_keys=[holder_case_id])
