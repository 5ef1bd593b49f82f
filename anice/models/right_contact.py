"""A right holder's enforcement contact in one member state."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base


class RightContact(Base):
    """Whom an officer of ``country`` calls about the right (the right's own contact
    fields hold the holder's general one)."""

    __tablename__ = "right_contact"
    __table_args__ = (UniqueConstraint("right_id", "country",
                                       name="uq_right_contact_right_country"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    right_id: Mapped[int] = mapped_column(
        ForeignKey("registered_right.id", ondelete="CASCADE"), index=True)
    country: Mapped[str] = mapped_column(ForeignKey("country.code"))
    name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(64))
