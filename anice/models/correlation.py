"""Correlation: the identifiers of every case, noise marks, hits shown and lookups made.

Person identifiers (national ids, passports) are stored here only as keyed hashes
(HMAC-SHA256); everything else as its normalised form.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from ..text.locales import N_
from .types import UTCDateTime, str_enum, utcnow


class IdentifierKind(enum.StrEnum):
    SELLER_NAME = "seller_name"
    SELLER_ID = "seller_id"
    URL = "url"
    DOMAIN = "domain"
    EMAIL = "email"
    PHONE = "phone"
    COMPANY_NUMBER = "company_number"
    NATIONAL_ID = "national_id"
    PASSPORT = "passport"
    CONTAINER = "container"
    AIRWAY_BILL = "airway_bill"
    VEHICLE_PLATE = "vehicle_plate"
    RIGHT = "right"

    @property
    def label(self) -> str:
        return LABELS[self]

    @property
    def hashed(self) -> bool:
        """Stored and compared only as a keyed hash, never in clear."""
        return self in (IdentifierKind.NATIONAL_ID, IdentifierKind.PASSPORT)


K = IdentifierKind
LABELS = {
    K.SELLER_NAME: N_("seller or shop name"), K.SELLER_ID: N_("marketplace seller id"),
    K.URL: N_("web address"), K.DOMAIN: N_("web domain"), K.EMAIL: N_("e-mail address"),
    K.PHONE: N_("phone number"), K.COMPANY_NUMBER: N_("company registration number"),
    K.NATIONAL_ID: N_("national id number"), K.PASSPORT: N_("passport number"),
    K.CONTAINER: N_("container number"), K.AIRWAY_BILL: N_("air waybill number"),
    K.VEHICLE_PLATE: N_("vehicle plate"), K.RIGHT: N_("registered right"),
}


class CaseIdentifier(Base):
    """One normalised identifier of one case (unique per case), with where it came from."""

    __tablename__ = "case_identifier"
    __table_args__ = (
        UniqueConstraint("case_id", "kind", "value"),
        # Finding every case that holds a value reads this index alone.
        Index("ix_case_identifier_lookup", "kind", "value", "case_id", "country_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    country_code: Mapped[str] = mapped_column(String(2))
    kind: Mapped[IdentifierKind] = mapped_column(str_enum(IdentifierKind, 24))
    # The normalised value, or for hashed kinds the hex HMAC; longer values as "sha256:<hex>".
    value: Mapped[str] = mapped_column(String(255))
    # The item it was read from, e.g. "listing:12", "party:3", "seizure:5", "match:7".
    source: Mapped[str] = mapped_column(String(40))
    # When the linked cases' teams were told of it (the announce job ran); a job run again
    # announces nothing twice.
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class IdentifierNoise(Base):
    """A value that must not link cases (a marketplace's own phone number, ...).

    ``country_code`` None: network-wide (admins); else for that country's cases. Lifting
    keeps the row (who, when) so that the history stays readable.
    """

    __tablename__ = "identifier_noise"
    __table_args__ = (Index("ix_identifier_noise_value", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[IdentifierKind] = mapped_column(str_enum(IdentifierKind, 24))
    value: Mapped[str] = mapped_column(String(255))
    country_code: Mapped[str | None] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(String(300), default="")
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CorrelationHit(Base):
    """An officer was shown a hit on a case outside its reach (recorded once per pair)."""

    __tablename__ = "correlation_hit"
    __table_args__ = (Index("ix_correlation_hit_viewer", "viewer_id", "holder_case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    viewer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    # The viewer's own case the hit was shown on; None for an API lookup.
    viewer_case_id: Mapped[int | None] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"))
    holder_case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"),
                                                index=True)
    holder_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    kind: Mapped[IdentifierKind] = mapped_column(str_enum(IdentifierKind, 24))
    via: Mapped[str] = mapped_column(String(12))  # "case", "lookup" or "notice"


class IdentifierLookup(Base):
    """One hit/no-hit lookup (the value is not kept: the audit row has its key)."""

    __tablename__ = "identifier_lookup"
    __table_args__ = (Index("ix_identifier_lookup_officer_at", "officer_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[IdentifierKind | None] = mapped_column(str_enum(IdentifierKind, 24))
    visible: Mapped[int] = mapped_column(Integer, default=0)
    hits: Mapped[int] = mapped_column(Integer, default=0)
    # A throttled burst that was reported to the officer's coordinator.
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
