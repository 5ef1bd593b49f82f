"""A bulk import run as a job: the sealed upload, its progress and its report."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..text.locales import N_
from .officer import Officer
from .types import UTCDateTime, str_enum, utcnow


class ImportKind(enum.StrEnum):
    RIGHTS = "rights"
    CASES = "cases"


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    CHECKED = "checked"  # cases: the check found no problem; waits for the confirmation
    DONE = "done"
    REFUSED = "refused"  # problems in the file: nothing imported (or, checking, nothing to)
    FAILED = "failed"  # the job itself could not run to its end
    EXPIRED = "expired"  # checked, but not confirmed in time: the upload is gone

    @property
    def label(self) -> str:
        return {"queued": N_("Queued"), "running": N_("Running"), "checked": N_("Checked"),
                "done": N_("Done"), "refused": N_("Refused"), "failed": N_("Failed"),
                "expired": N_("Expired")}[self.value]


ACTIVE = (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportJob(Base):
    """One uploaded file and what became of it. The upload is sealed in the evidence
    storage (``storage_key``, a data key wrapped by the keyring) and deleted when the job
    ends; the row stays as the report."""

    __tablename__ = "import_job"
    __table_args__ = (Index("ix_import_job_officer_created", "officer_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(str_enum(ImportKind, 12))
    # Cases are checked first, then imported on confirmation; rights import at once.
    step: Mapped[str] = mapped_column(String(12), default="import")
    status: Mapped[ImportStatus] = mapped_column(str_enum(ImportStatus, 12),
                                                 default=ImportStatus.QUEUED)
    mode: Mapped[str] = mapped_column(String(8), default="abort")
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"))
    country_code: Mapped[str] = mapped_column(ForeignKey("country.code"))
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    upload_id: Mapped[str] = mapped_column(String(32), unique=True)
    storage_key: Mapped[str | None] = mapped_column(String(200))
    kek_id: Mapped[str | None] = mapped_column(String(64))
    dek_id: Mapped[str | None] = mapped_column(String(32))
    dek_wrapped: Mapped[bytes | None] = mapped_column(LargeBinary)
    done: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    unit: Mapped[str] = mapped_column(String(8), default="bytes")
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    # [line or null, field, message], in file order; at most the importer's cap.
    errors: Mapped[list] = mapped_column(JSON, default=list)
    message: Mapped[str | None] = mapped_column(Text)
    rq_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    officer: Mapped[Officer] = relationship()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    def __repr__(self) -> str:
        return f"<ImportJob {self.id} {self.kind} {self.status}>"
