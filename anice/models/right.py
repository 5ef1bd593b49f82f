"""Registered rights (trademarks, designs, patents, GIs) held by the member states' offices."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..text.locales import N_
from .types import UTCDateTime, str_enum, utcnow

if TYPE_CHECKING:
    from .right_image import RightImage


class RightKind(enum.StrEnum):
    """The kinds of registered right (a case's RightType also has copyright and other)."""

    TRADEMARK = "trademark"
    DESIGN = "design"
    PATENT = "patent"
    GI = "gi"

    @property
    def label(self) -> str:
        return {"trademark": N_("Trademark"), "design": N_("Industrial design"),
                "patent": N_("Patent"), "gi": N_("Geographical indication")}[self.value]


class RightStatus(enum.StrEnum):
    FILED = "filed"
    REGISTERED = "registered"
    EXPIRED = "expired"
    REFUSED = "refused"
    CANCELLED = "cancelled"
    # An office's value that no status table knows yet (the raw value is kept).
    OTHER = "other"

    @property
    def label(self) -> str:
        """In English words; pages show it translated (``_(status.label)``)."""
        return {"filed": N_("Filed"), "registered": N_("Registered"), "expired": N_("Expired"),
                "refused": N_("Refused"), "cancelled": N_("Cancelled"),
                "other": N_("Other")}[self.value]


# The office code of international registrations (WIPO, Madrid system).
INTERNATIONAL = "WO"


def designations_text(codes: list[str]) -> str:
    """Designated member states as stored: ";MY;SG;" so that LIKE '%;MY;%' finds MY."""
    return f";{';'.join(codes)};" if codes else ""


def classes_text(classes: list[int]) -> str:
    """Class numbers as stored: ";25;18;" so that LIKE '%;25;%' finds class 25."""
    return f";{';'.join(str(c) for c in classes)};" if classes else ""


class Right(Base):
    __tablename__ = "registered_right"  # "right" is an SQL keyword
    __table_args__ = (
        UniqueConstraint("office", "number", name="uq_registered_right_office_number"),
        Index("ix_registered_right_mark_text", "mark_text"),
        # The matching index asks "has the registry changed?" before every query.
        Index("ix_registered_right_updated_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[RightKind] = mapped_column(str_enum(RightKind, 16))
    # A member state's code, or WO: an international registration (Madrid), enforceable
    # in the member states it designates (``designations``). No foreign key: WO is no
    # member state (the import checks the code against the country table).
    office: Mapped[str] = mapped_column(String(2))
    number: Mapped[str] = mapped_column(String(64))
    status: Mapped[RightStatus] = mapped_column(str_enum(RightStatus, 16))
    # The status as the office published it (XML import), e.g. '702' or 'Design lapsed'.
    status_raw: Mapped[str | None] = mapped_column(String(200))
    filing_date: Mapped[date | None] = mapped_column(Date)
    registration_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    owner: Mapped[str | None] = mapped_column(String(300))
    representative: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(64))
    mark_text: Mapped[str | None] = mapped_column(String(500))
    classes: Mapped[str] = mapped_column(String(200), default="")
    # Office WO: the designated member states as ";MY;SG;VN;" (LIKE '%;MY;%' finds them);
    # "" for a national right.
    designations: Mapped[str] = mapped_column(String(100), default="")
    # The whole list as published (shown, searched); ``goods_rows`` holds it per class.
    goods: Mapped[str | None] = mapped_column(Text)
    # The edition of the classification the classes follow, as published: Nice "12-2024",
    # "NCL(12-2024)" or "12"; Locarno "14" for designs.
    class_edition: Mapped[str | None] = mapped_column(String(40))
    identification_notes: Mapped[str | None] = mapped_column(Text)
    gi_product: Mapped[str | None] = mapped_column(String(300))
    gi_area: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Provenance: the import that created the right and the last one that changed it
    # (null for rights entered otherwise, or imported before provenance was kept).
    created_import_id: Mapped[int | None] = mapped_column(ForeignKey("registry_import.id"))
    last_import_id: Mapped[int | None] = mapped_column(ForeignKey("registry_import.id"))

    names: Mapped[list[RightName]] = relationship(back_populates="right",
                                                  cascade="all, delete-orphan",
                                                  order_by="RightName.id")
    # Figurative and combined marks: their images, in the record's order.
    images: Mapped[list[RightImage]] = relationship(
        back_populates="right", cascade="all, delete-orphan", passive_deletes=True,
        order_by="RightImage.position")
    goods_rows: Mapped[list[RightGoods]] = relationship(
        back_populates="right", cascade="all, delete-orphan", passive_deletes=True,
        order_by="RightGoods.id")

    @property
    def class_list(self) -> list[int]:
        return [int(c) for c in (self.classes or "").split(";") if c]

    @property
    def international(self) -> bool:
        """An international registration (Madrid, office WO)."""
        return self.office == INTERNATIONAL

    @property
    def designation_list(self) -> list[str]:
        return [c for c in (self.designations or "").split(";") if c]

    @property
    def enforceable_in(self) -> list[str]:
        """The member states where the right may be enforced: its office, or for an
        international registration the member states it designates."""
        return self.designation_list if self.international else [self.office]

    def __repr__(self) -> str:
        return f"<Right {self.office} {self.number}>"


class RightName(Base):
    """Another spelling or transliteration of a right's word element."""

    __tablename__ = "right_name"

    id: Mapped[int] = mapped_column(primary_key=True)
    right_id: Mapped[int] = mapped_column(
        ForeignKey("registered_right.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    script: Mapped[str | None] = mapped_column(String(16))

    right: Mapped[Right] = relationship(back_populates="names")


class RightGoods(Base):
    """The goods or services of one class of a right, as published (a class's text in one
    language; ``class_number`` None when the list names no class)."""

    __tablename__ = "right_goods"

    id: Mapped[int] = mapped_column(primary_key=True)
    right_id: Mapped[int] = mapped_column(
        ForeignKey("registered_right.id", ondelete="CASCADE"), index=True)
    class_number: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))

    right: Mapped[Right] = relationship(back_populates="goods_rows")


class OfficeStatus(Base):
    """One office's status value and the ANICE status it means; office ``*`` holds the
    WIPO standard values (ST.66, ST.86, ST.96) that every office may use."""

    __tablename__ = "office_status"
    __table_args__ = (UniqueConstraint("office", "key", name="uq_office_status_office_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office: Mapped[str] = mapped_column(String(4))
    value: Mapped[str] = mapped_column(String(200))
    # ``value`` folded (lower case, no spaces, dashes or underscores): what lookups compare.
    key: Mapped[str] = mapped_column(String(200))
    status: Mapped[RightStatus] = mapped_column(str_enum(RightStatus, 16))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<OfficeStatus {self.office} {self.value!r} -> {self.status}>"
