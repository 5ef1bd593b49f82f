"""What a case holds: seizure items, online listings, parties, notes; and USD rates."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .case import Case
from .types import UTCDateTime, str_enum, utcnow


class Category(enum.StrEnum):
    APPAREL = "apparel"
    FOOTWEAR = "footwear"
    BAGS_ACCESSORIES = "bags_accessories"
    WATCHES_JEWELLERY = "watches_jewellery"
    ELECTRONICS = "electronics"
    MOBILE_ACCESSORIES = "mobile_accessories"
    COSMETICS = "cosmetics"
    PHARMACEUTICALS = "pharmaceuticals"
    FOOD_BEVERAGES = "food_beverages"
    TOBACCO_ALCOHOL = "tobacco_alcohol"
    TOYS = "toys"
    AUTO_PARTS = "auto_parts"
    HOUSEHOLD = "household"
    MEDIA_SOFTWARE = "media_software"
    OTHER = "other"


class Unit(enum.StrEnum):
    PIECES = "pieces"
    PAIRS = "pairs"
    SETS = "sets"
    BOXES = "boxes"
    CARTONS = "cartons"
    KG = "kg"
    LITRES = "litres"

    @property
    def counted(self) -> bool:
        """Counted units take whole numbers only (1.5 pairs is a typing error)."""
        return self not in (Unit.KG, Unit.LITRES)


class Disposal(enum.StrEnum):
    DESTROYED = "destroyed"
    DONATED = "donated"
    RETURNED = "returned"
    RECYCLED = "recycled"


class Platform(enum.StrEnum):
    SHOPEE = "shopee"
    LAZADA = "lazada"
    TOKOPEDIA = "tokopedia"
    TIKTOK_SHOP = "tiktok_shop"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    CAROUSELL = "carousell"
    ZALORA = "zalora"
    BUKALAPAK = "bukalapak"
    TELEGRAM = "telegram"
    WEBSITE = "website"
    OTHER = "other"


class TakedownResult(enum.StrEnum):
    PENDING = "pending"
    REMOVED = "removed"
    PARTIALLY_REMOVED = "partially_removed"
    REFUSED = "refused"
    NO_RESPONSE = "no_response"


class PartyRole(enum.StrEnum):
    SUSPECT = "suspect"
    RIGHT_HOLDER = "right_holder"
    REPRESENTATIVE = "representative"


class PartyKind(enum.StrEnum):
    PERSON = "person"
    COMPANY = "company"


class SeizureItem(Base):
    __tablename__ = "seizure_item"
    __table_args__ = (Index("ix_seizure_item_brand_key_case", "brand_key", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    brand: Mapped[str] = mapped_column(String(200))
    # The brand as the matcher reads it, for filtering, search and report grouping
    # (anice.text.brand.brand_key: "NlKE" is "nike").
    # Binary collation on PostgreSQL so that a prefix is a plain index range.
    brand_key: Mapped[str] = mapped_column(
        String(200).with_variant(String(200, collation="C"), "postgresql"))
    category: Mapped[Category] = mapped_column(str_enum(Category, 24))
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[Unit] = mapped_column(str_enum(Unit, 12))
    value_local: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    # USD value of one unit of the currency on rate_date, and the result.
    usd_rate: Mapped[Decimal | None] = mapped_column(Numeric(20, 10))
    rate_date: Mapped[date | None] = mapped_column(Date)
    value_usd: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    storage_place: Mapped[str | None] = mapped_column(String(200))
    disposal: Mapped[Disposal | None] = mapped_column(str_enum(Disposal, 12))
    disposal_on: Mapped[date | None] = mapped_column(Date)
    # Shipment and transport, read by correlation (anice/correlation).
    container_number: Mapped[str | None] = mapped_column(String(20))
    airway_bill: Mapped[str | None] = mapped_column(String(20))
    vehicle_plate: Mapped[str | None] = mapped_column(String(20))

    case: Mapped[Case] = relationship(back_populates="seizures")


class Listing(Base):
    __tablename__ = "listing"
    __table_args__ = (Index("ix_listing_platform_seller", "platform", "seller_id"),
                      Index("ix_listing_platform_case", "platform", "case_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    platform: Mapped[Platform] = mapped_column(str_enum(Platform, 16))
    seller_name: Mapped[str | None] = mapped_column(String(200))
    seller_id: Mapped[str | None] = mapped_column(String(200))
    seller_phone: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(500))
    price: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    takedown_requested_on: Mapped[date | None] = mapped_column(Date)
    takedown_done_on: Mapped[date | None] = mapped_column(Date)
    takedown_result: Mapped[TakedownResult | None] = mapped_column(
        str_enum(TakedownResult, 20))

    case: Mapped[Case] = relationship(back_populates="listings")


class Party(Base):
    __tablename__ = "party"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    role: Mapped[PartyRole] = mapped_column(str_enum(PartyRole, 16))
    kind: Mapped[PartyKind] = mapped_column(str_enum(PartyKind, 10))
    name: Mapped[str] = mapped_column(String(200))
    nationality: Mapped[str | None] = mapped_column(String(2))
    # A person's national id, or a company's registration number.
    id_number: Mapped[str | None] = mapped_column(String(100))
    passport_number: Mapped[str | None] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(320))
    contact: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship(back_populates="parties")


class CaseNote(Base):
    __tablename__ = "case_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)


class UsdRate(Base):
    """Reference rate: the USD value of one unit of ``currency`` from ``on``."""

    __tablename__ = "usd_rate"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    on: Mapped[date] = mapped_column(Date, primary_key=True)
    usd_per_unit: Mapped[Decimal] = mapped_column(Numeric(20, 10))
