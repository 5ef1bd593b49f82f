"""A form sent after its login ended, kept sealed until its officer signs in again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base
from .types import UTCDateTime, utcnow


class FormStash(Base):
    """Only ciphertext: the key is derived from a secret the browser holds in the
    re-authentication page and from SECRET_KEY, so the row alone opens nothing."""

    __tablename__ = "form_stash"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The officer of the login that ended, when known; else only the form's author hint.
    officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("officer.id", ondelete="CASCADE"), index=True)
    author_hint: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(String(20))  # "expired" or "csrf"
    had_files: Mapped[bool] = mapped_column(Boolean, default=False)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)  # nonce (12) || AES-256-GCM
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
