"""In-app notifications: one row per officer and event, with a link and no case content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from .types import UTCDateTime, utcnow


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_officer_read", "officer_id", "read_at", "id"),
                      Index("ix_notification_officer_group", "officer_id", "group_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    # A dotted event name, e.g. "referral.received"; used for filtering and e-mail subjects.
    kind: Mapped[str] = mapped_column(String(40))
    # One line the recipient is allowed to read (a reference and an event, never content).
    message: Mapped[str] = mapped_column(String(300))
    # The line as message and values (anice.text.messages), shown in the reader's language;
    # None when ``message`` was written in the reader's language, and for older rows.
    text: Mapped[dict | None] = mapped_column(JSON)
    url: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Notices of one kind about one subject on one day (the recipient's) share a key and
    # are shown, counted and marked read as one entry; None: an entry of its own.
    group_key: Mapped[str | None] = mapped_column(String(120))
