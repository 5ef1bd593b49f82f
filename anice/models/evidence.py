"""Evidence items (sealed files of a case) and their append-only chain of custody."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .case import Case
from .officer import Officer
from .types import UTCDateTime, str_enum, utcnow


class EvidenceStatus(enum.StrEnum):
    ACTIVE = "active"
    SHREDDED = "shredded"


class CustodyAction(enum.StrEnum):
    INTAKE = "intake"
    VIEW = "view"
    DOWNLOAD = "download"
    EXPORT = "export"
    SHARE = "share"
    VERIFY = "verify"
    TRANSFER = "transfer"
    DISPOSAL = "disposal"
    SHRED = "shred"
    REWRAP = "rewrap"


class Evidence(Base):
    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_case_id_sha256", "case_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Public, unguessable id: in URLs, storage keys and the ciphertext's header (AAD).
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    storage_backend: Mapped[str] = mapped_column(String(16))
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str | None] = mapped_column(Text)
    acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acquired_where: Mapped[str | None] = mapped_column(String(300))
    acquired_how: Mapped[str | None] = mapped_column(String(500))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The per-file data key, wrapped by a KEK; None once crypto-shredded.
    dek_id: Mapped[str] = mapped_column(String(32))
    dek_wrapped: Mapped[bytes | None] = mapped_column(LargeBinary)
    kek_id: Mapped[str | None] = mapped_column(String(64), index=True)
    segment_size: Mapped[int] = mapped_column(Integer)
    status: Mapped[EvidenceStatus] = mapped_column(str_enum(EvidenceStatus, 12),
                                                   default=EvidenceStatus.ACTIVE)
    shredded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_verify_ok: Mapped[bool | None] = mapped_column(Boolean)
    # Kept although its SHA-256 was already evidence of the case: which item, and why.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    duplicate_reason: Mapped[str | None] = mapped_column(Text)

    case: Mapped[Case] = relationship()
    uploaded_by: Mapped[Officer | None] = relationship()
    duplicate_of: Mapped[Evidence | None] = relationship(remote_side=[id])


class CustodyEvent(Base):
    """Who did what with an evidence item, when, from where and why. Never updated."""

    __tablename__ = "custody_event"
    __table_args__ = (Index("ix_custody_evidence_at", "evidence_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    actor_label: Mapped[str] = mapped_column(String(320))
    action: Mapped[CustodyAction] = mapped_column(str_enum(CustodyAction, 12))
    client_addr: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class HeldUpload(Base):
    """An upload held back because its content already is evidence of the case: sealed in
    storage (ciphertext only) for a few minutes, until its officer keeps it with a reason
    or drops it. Never evidence, never readable by anyone."""

    __tablename__ = "held_upload"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    duplicate_of_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"))
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    storage_backend: Mapped[str] = mapped_column(String(16))
    storage_key: Mapped[str] = mapped_column(String(300), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    dek_id: Mapped[str] = mapped_column(String(32))
    dek_wrapped: Mapped[bytes] = mapped_column(LargeBinary)
    kek_id: Mapped[str] = mapped_column(String(64))
    # What the officer typed with the file (description, acquired ...), to fill the form.
    fields: Mapped[dict] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    duplicate_of: Mapped[Evidence] = relationship()
