"""The image of a figurative or combined mark, as the office published it (ST.66, ST.96)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .right import Right
from .types import UTCDateTime, utcnow

THUMB_EDGE = 160  # a thumbnail fits in a square of this many pixels


class RightImage(Base):
    """One image of a right, in the order the record gives them. The bytes live in the
    evidence storage under ``marks/`` as PNG (re-encoded, metadata stripped), keyed by
    the SHA-256 of the file as published: public registry data, stored unsealed."""

    __tablename__ = "right_image"
    __table_args__ = (UniqueConstraint("right_id", "position",
                                       name="uq_right_image_right_position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    right_id: Mapped[int] = mapped_column(
        ForeignKey("registered_right.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    # Vienna classification codes as ";26.04.03;27.05.01;" (LIKE '%;26.04.03;%' finds one).
    vienna: Mapped[str] = mapped_column(String(1000), default="")
    # As published: the file's name (or the element it was embedded in), its media type
    # (found from the content), size in bytes and SHA-256.
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    # The stored PNG and its thumbnail (storage keys).
    storage_key: Mapped[str] = mapped_column(String(200))
    thumb_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    right: Mapped[Right] = relationship(back_populates="images")

    @property
    def vienna_codes(self) -> list[str]:
        return [c for c in (self.vienna or "").split(";") if c]

    @property
    def thumb_size(self) -> tuple[int, int]:
        """The thumbnail's pixel size (as Pillow's ``thumbnail`` makes it)."""
        scale = min(1.0, THUMB_EDGE / max(self.width, self.height, 1))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))

    def __repr__(self) -> str:
        return f"<RightImage {self.right_id}#{self.position} {self.sha256[:12]}>"
