"""Cross-border referrals: a case shared with another country's agency, item by item."""

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
from .geo import Agency
from .officer import Officer
from .types import UTCDateTime, str_enum, utcnow


class RequestedAction(enum.StrEnum):
    INVESTIGATE = "investigate"
    SEIZE = "seize"
    TAKE_DOWN = "take_down"
    IDENTIFY_SUSPECT = "identify_suspect"
    TRACE_GOODS = "trace_goods"
    ASSIST_PROSECUTION = "assist_prosecution"
    INFORMATION_ONLY = "information_only"

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(action.label)``)."""
        return {"investigate": N_("Investigate"), "seize": N_("Seize"),
                "take_down": N_("Take down"), "identify_suspect": N_("Identify suspect"),
                "trace_goods": N_("Trace goods"),
                "assist_prosecution": N_("Assist prosecution"),
                "information_only": N_("Information only")}[self.value]


class HandlingCode(enum.StrEnum):
    """What the receiver may do with what it receives (checked by policy.handling_allows)."""

    AGENCY_ONLY = "agency_only"
    WITHIN_COUNTRY = "within_country"
    COURT_AFTER_CONSENT = "court_after_consent"
    OPEN = "open"

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(code.label)``)."""
        return {
            "agency_only": N_("For the recipient's agency only"),
            "within_country": N_("May be shared within the recipient country"),
            "court_after_consent": N_("May be used in court after the sender's consent"),
            "open": N_("May be used and shared on within ANICE"),
        }[self.value]


class ReferralStatus(enum.StrEnum):
    DRAFT = "draft"                  # being written by the sender
    PENDING_APPROVAL = "pending_approval"  # waits for the sender's supervisor
    SENT = "sent"                    # with the receiving country's coordinator
    ROUTED = "routed"                # with the receiving agency
    INFO_REQUESTED = "info_requested"  # the receiver asked the sender for more
    ACCEPTED = "accepted"            # the receiver opened its linked case
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(status.label)``)."""
        return {"draft": N_("Draft"), "pending_approval": N_("Pending approval"),
                "sent": N_("Sent"), "routed": N_("Routed"),
                "info_requested": N_("Info requested"), "accepted": N_("Accepted"),
                "declined": N_("Declined"), "withdrawn": N_("Withdrawn")}[self.value]


# States in which the receiving side may read what is shared.
SHARING_STATES = frozenset({ReferralStatus.SENT, ReferralStatus.ROUTED,
                            ReferralStatus.INFO_REQUESTED, ReferralStatus.ACCEPTED})
# States that wait for the receiver's answer (overdue after the deadline).
AWAITING_STATES = frozenset({ReferralStatus.SENT, ReferralStatus.ROUTED,
                             ReferralStatus.INFO_REQUESTED})


class ShareKind(enum.StrEnum):
    FIELD = "field"
    SEIZURE = "seizure"
    LISTING = "listing"
    PARTY = "party"
    MATCH = "match"
    EVIDENCE = "evidence"


class Referral(Base):
    __tablename__ = "referral"
    __table_args__ = (
        Index("ix_referral_to_status", "to_country_code", "status"),
        Index("ix_referral_from_sent", "from_country_code", "sent_at"),
        Index("ix_referral_to_sent", "to_country_code", "sent_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # RF-<sender country>-<year>-<id>, given when it is first saved.
    reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    from_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    from_country_code: Mapped[str] = mapped_column(String(2))
    to_country_code: Mapped[str] = mapped_column(String(2))
    # Chosen by the sender, or later by the receiving coordinator when it routes.
    to_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    requested_action: Mapped[RequestedAction] = mapped_column(str_enum(RequestedAction, 24))
    handling_code: Mapped[HandlingCode] = mapped_column(str_enum(HandlingCode, 24))
    message: Mapped[str] = mapped_column(Text, default="")
    deadline: Mapped[date | None] = mapped_column(Date)
    # After this day the receiver no longer reads what is shared (None: until withdrawn).
    share_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ReferralStatus] = mapped_column(str_enum(ReferralStatus, 20),
                                                   default=ReferralStatus.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    # Life times kept for the reports: response time runs from sent_at to first_response_at.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # The receiver's own case, opened when it accepts; it references the sender's.
    linked_case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"))
    # Court use under COURT_AFTER_CONSENT: when the sender consented.
    court_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Last deadline reminder sent (days before the deadline), so each goes once.
    reminded_days: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(foreign_keys=[case_id])
    linked_case: Mapped[Case | None] = relationship(foreign_keys=[linked_case_id])
    from_agency: Mapped[Agency] = relationship(foreign_keys=[from_agency_id], lazy="joined")
    to_agency: Mapped[Agency | None] = relationship(foreign_keys=[to_agency_id], lazy="joined")
    created_by: Mapped[Officer | None] = relationship(foreign_keys=[created_by_id])
    shares: Mapped[list[ReferralShare]] = relationship(
        back_populates="referral", cascade="all, delete-orphan", order_by="ReferralShare.id")

    def overdue(self, today: date) -> bool:
        return (self.deadline is not None and self.status in AWAITING_STATES
                and today > self.deadline)

    def shared_keys(self, kind: ShareKind) -> set[str]:
        return {s.key for s in self.shares if s.kind == kind}

    def __repr__(self) -> str:
        return f"<Referral {self.reference or self.id} {self.status}>"


class ReferralShare(Base):
    """One thing the sender chose to share: a case field by name, or an item by id."""

    __tablename__ = "referral_share"
    __table_args__ = (UniqueConstraint("referral_id", "kind", "key"),
                      Index("ix_referral_share_kind_key", "kind", "key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"))
    kind: Mapped[ShareKind] = mapped_column(str_enum(ShareKind, 12))
    # Field name for FIELD, the item's id (evidence: its id) otherwise.
    key: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))

    referral: Mapped[Referral] = relationship(back_populates="shares")


class ReferralMessage(Base):
    """The thread both sides write on; an attachment is an evidence item in custody."""

    __tablename__ = "referral_message"
    __table_args__ = (Index("ix_referral_message_at", "referral_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    author_label: Mapped[str] = mapped_column(String(320))
    # "sender" or "receiver": which side wrote it.
    side: Mapped[str] = mapped_column(String(10))
    body: Mapped[str] = mapped_column(Text, default="")
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))


class ReferralEvent(Base):
    """The referral's life (sent, routed, accepted, messages, withdrawn), seen by both sides."""

    __tablename__ = "referral_event"
    __table_args__ = (Index("ix_referral_event_at", "referral_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    # Agency and country of the actor, not its name: the other side sees this line too.
    actor_label: Mapped[str] = mapped_column(String(320))
    kind: Mapped[str] = mapped_column(String(32))
    summary: Mapped[str] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class ReferralCopy(Base):
    """An item the receiver copied from a referral into its own case (provenance)."""

    __tablename__ = "referral_copy"
    __table_args__ = (UniqueConstraint("referral_id", "kind", "source_id"),
                      Index("ix_referral_copy_target", "kind", "copy_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referral.id"))
    kind: Mapped[ShareKind] = mapped_column(str_enum(ShareKind, 12))
    source_id: Mapped[int] = mapped_column(Integer)
    copy_id: Mapped[int] = mapped_column(Integer)
    # The referral's handling code, kept with the copy: what the receiver may do with it.
    handling_code: Mapped[HandlingCode | None] = mapped_column(str_enum(HandlingCode, 24))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
