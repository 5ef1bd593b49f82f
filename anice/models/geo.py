"""Member states and their agencies."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .types import UTCDateTime, str_enum, utcnow


class Country(Base):
    __tablename__ = "country"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The weekly days off, ISO weekday numbers (1 Monday ... 7 Sunday): working-day
    # deadlines count the other days, less the country's public holidays.
    weekend: Mapped[str] = mapped_column(String(13), default="6,7", server_default="6,7")

    agencies: Mapped[list[Agency]] = relationship(back_populates="country",
                                                  order_by="Agency.name")

    def __repr__(self) -> str:
        return f"<Country {self.code}>"


class AgencyKind(enum.StrEnum):
    POLICE = "police"
    CUSTOMS = "customs"
    IP_OFFICE = "ip_office"
    PROSECUTION = "prosecution"
    MARKET_AUTHORITY = "market_authority"
    SECRETARIAT = "secretariat"
    OTHER = "other"


class Agency(Base):
    __tablename__ = "agency"
    __table_args__ = (UniqueConstraint("country_code", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"), index=True)
    # Short code used in case references, e.g. KPDN in MY-KPDN-2026-000123.
    code: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[AgencyKind] = mapped_column(str_enum(AgencyKind, 20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Outgoing referrals wait for the agency's supervisor unless this is turned off.
    referral_approval: Mapped[bool] = mapped_column(Boolean, default=True,
                                                    server_default=true())
    # Whether right holders are told when their right is confirmed in one of the agency's
    # cases (HolderAlert); each case may say otherwise (Case.tell_holder).
    tell_holders: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    country: Mapped[Country] = relationship(back_populates="agencies")

    def __repr__(self) -> str:
        return f"<Agency {self.country_code}-{self.code}>"
