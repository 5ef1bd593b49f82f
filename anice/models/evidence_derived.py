"""Files derived from an evidence item (thumbnail, EXIF facts), sealed like the original."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .evidence import Evidence
from .types import UTCDateTime, str_enum, utcnow


class DerivativeKind(enum.StrEnum):
    THUMBNAIL = "thumbnail"
    EXIF = "exif"


MEDIA_TYPES = {DerivativeKind.THUMBNAIL: "image/png", DerivativeKind.EXIF: "application/json"}


def sealed_id(public_id: str, kind: DerivativeKind) -> str:
    """The id in a derived object's header and its DEK's AAD: never the original's id, so a
    derived object cannot stand in for the original (or for another kind)."""
    return f"{public_id}:{kind.value}"


class EvidenceDerivative(Base):
    """One derived object per item and kind; its own DEK, wrapped like the item's."""

    __tablename__ = "evidence_derivative"
    __table_args__ = (UniqueConstraint("evidence_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"))
    kind: Mapped[DerivativeKind] = mapped_column(str_enum(DerivativeKind, 12))
    media_type: Mapped[str] = mapped_column(String(100))
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    dek_id: Mapped[str] = mapped_column(String(32))
    dek_wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    kek_id: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    evidence: Mapped[Evidence] = relationship()

    @property
    def sealed_id(self) -> str:
        return sealed_id(self.evidence.public_id, self.kind)
