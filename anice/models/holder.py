"""Right holders in the network: their organisations, the rights they are linked to, and
what they keep for officers (enforcement contacts, product identification guides,
recordations with customs or police), with the sealed files those carry.

A holder's representative logs in as an ``Officer`` row with the role ``holder`` and a
``holder_org_id`` instead of an agency (same password, TOTP, sessions and tokens).
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..text.locales import N_
from .right import Right
from .types import UTCDateTime, str_enum, utcnow


class HolderKind(enum.StrEnum):
    OWNER = "owner"      # the brand owner itself
    COUNSEL = "counsel"  # an appointed firm acting under powers of attorney

    @property
    def label(self) -> str:
        return {"owner": N_("Brand owner"), "counsel": N_("Appointed counsel")}[self.value]


class HolderOrg(Base):
    """A right holder's organisation (a brand owner, or counsel for several holders)."""

    __tablename__ = "holder_org"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[HolderKind] = mapped_column(str_enum(HolderKind, 12))
    # Where it is established; its accounts' default time zone and language follow it.
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    # How the inviting coordinator checked who they are (documents seen, call-back...).
    identity_checked: Mapped[str] = mapped_column(Text)
    # Told when one of its rights is confirmed in a case (if the case's agency agrees).
    alerts: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Who registered it (no foreign key: officer rows point here, and the audit log keeps
    # the act itself).
    created_by_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    links: Mapped[list[HolderRight]] = relationship(back_populates="org",
                                                    order_by="HolderRight.id")

    def __repr__(self) -> str:
        return f"<HolderOrg {self.id} {self.name!r}>"


class HolderCapacity(enum.StrEnum):
    OWNER = "owner"                    # the organisation is the registered holder
    REPRESENTATIVE = "representative"  # it acts for the holder under a power of attorney

    @property
    def label(self) -> str:
        return {"owner": N_("Owner"), "representative": N_("Representative")}[self.value]


class HolderRight(Base):
    """An organisation's link to one registered right, confirmed by a coordinator (or the
    secretariat). Revoking it ends the organisation's access to the right at once; the row
    stays for the record."""

    __tablename__ = "holder_right"
    __table_args__ = (Index("ix_holder_right_org_right", "org_id", "right_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("holder_org.id"), index=True)
    right_id: Mapped[int] = mapped_column(ForeignKey("registered_right.id"), index=True)
    capacity: Mapped[HolderCapacity] = mapped_column(str_enum(HolderCapacity, 16))
    # The registered holder it acts for, as the register names it.
    holder_name: Mapped[str] = mapped_column(String(300))
    # The power of attorney relied on (its reference, date), for representatives.
    power_of_attorney: Mapped[str | None] = mapped_column(String(300))
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    org: Mapped[HolderOrg] = relationship(back_populates="links")
    right: Mapped[Right] = relationship()


class HolderContact(Base):
    """Whom an officer of ``country_code`` calls about the organisation's rights."""

    __tablename__ = "holder_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("holder_org.id"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(64))
    # When to call, in the contact's words ("Mon-Fri 09:00-18:00 MYT, 24h for customs").
    hours: Mapped[str | None] = mapped_column(String(200))
    # Languages spoken, as language codes: "en,ms,zh".
    languages: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Guide(Base):
    """A product identification guide: how officers tell the genuine product from fakes."""

    __tablename__ = "holder_guide"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("holder_org.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    product: Mapped[str] = mapped_column(String(300))
    genuine_features: Mapped[str] = mapped_column(Text, default="")
    counterfeit_features: Mapped[str] = mapped_column(Text, default="")
    packaging: Mapped[str] = mapped_column(Text, default="")
    # Serial number, hologram or QR checks, and how to run them.
    checks: Mapped[str] = mapped_column(Text, default="")
    usual_prices: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    org: Mapped[HolderOrg] = relationship()
    rights: Mapped[list[GuideRight]] = relationship(cascade="all, delete-orphan")
    distributors: Mapped[list[GuideDistributor]] = relationship(
        cascade="all, delete-orphan", order_by="GuideDistributor.country_code")


class GuideRight(Base):
    __tablename__ = "holder_guide_right"
    __table_args__ = (UniqueConstraint("guide_id", "right_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("holder_guide.id", ondelete="CASCADE"),
                                          index=True)
    right_id: Mapped[int] = mapped_column(ForeignKey("registered_right.id"), index=True)


class GuideDistributor(Base):
    """An authorised distributor or licensee in one member state."""

    __tablename__ = "holder_guide_distributor"

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(ForeignKey("holder_guide.id", ondelete="CASCADE"),
                                          index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    name: Mapped[str] = mapped_column(String(300))
    licensee: Mapped[bool] = mapped_column(Boolean, default=False)
    contact: Mapped[str | None] = mapped_column(String(300))


class RecordationAuthority(enum.StrEnum):
    CUSTOMS = "customs"
    POLICE = "police"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"customs": N_("Customs"), "police": N_("Police"), "other": N_("Other")}[self.value]

    @property
    def in_sentence(self) -> str:
        """The authority inside a sentence ("Recorded with MY customs until ...")."""
        return {"customs": N_("customs"), "police": N_("police"),
                "other": N_("another authority")}[self.value]


class Recordation(Base):
    """A recordation or application for action with one member state's customs or police:
    public to every officer ("recorded with MY customs until 2027-03-31")."""

    __tablename__ = "holder_recordation"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("holder_org.id"), index=True)
    right_id: Mapped[int] = mapped_column(ForeignKey("registered_right.id"), index=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    authority: Mapped[RecordationAuthority] = mapped_column(
        str_enum(RecordationAuthority, 12))
    number: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    org: Mapped[HolderOrg] = relationship()
    right: Mapped[Right] = relationship()


class HolderFile(Base):
    """A file a holder keeps in ANICE (a guide's image, a recordation's document), sealed
    like evidence: a per-file data key wrapped by a KEK, ciphertext in the evidence store."""

    __tablename__ = "holder_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("holder_org.id"), index=True)
    guide_id: Mapped[int | None] = mapped_column(ForeignKey("holder_guide.id"), index=True)
    recordation_id: Mapped[int | None] = mapped_column(ForeignKey("holder_recordation.id"),
                                                       index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(String(300), default="")
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_backend: Mapped[str] = mapped_column(String(16))
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    dek_id: Mapped[str] = mapped_column(String(32))
    dek_wrapped: Mapped[bytes | None] = mapped_column(LargeBinary)
    kek_id: Mapped[str | None] = mapped_column(String(64), index=True)
    segment_size: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class HolderAlert(Base):
    """What a holder was told of a confirmed match of one of its rights: country, agency,
    date, product category, quantity; never the case, its suspects or evidence. ``case_id``
    stays on ANICE's side (one alert per case and right) and is never shown to the holder."""

    __tablename__ = "holder_alert"
    __table_args__ = (UniqueConstraint("org_id", "right_id", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("holder_org.id"), index=True)
    right_id: Mapped[int] = mapped_column(ForeignKey("registered_right.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    country_code: Mapped[str] = mapped_column(String(2))
    agency_name: Mapped[str] = mapped_column(String(200))
    confirmed_on: Mapped[date] = mapped_column(Date)
    category: Mapped[str | None] = mapped_column(String(40))
    quantity: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    right: Mapped[Right] = relationship()
