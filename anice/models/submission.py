"""Submissions done once: a form token or an API Idempotency-Key and what its first use gave."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from .types import UTCDateTime, utcnow


class Submission(Base):
    """The first POST of one officer with one key: the row is written in the same transaction
    as the work, so a second POST with the key waits for it, finds it and answers the first
    outcome (``location`` for a form; ``status_code`` and ``body`` for the API)."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("officer_id", "scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id", ondelete="CASCADE"))
    scope: Mapped[str] = mapped_column(String(8))  # "form" or "api"
    key: Mapped[str] = mapped_column(String(100))
    path: Mapped[str] = mapped_column(String(500))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    location: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
