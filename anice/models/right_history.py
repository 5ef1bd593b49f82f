"""Where the registry's rights came from (one row per imported file) and how each right
changed since (one row per right per change, written with the change)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..text.locales import N_
from .officer import Officer
from .types import UTCDateTime, str_enum, utcnow


class RegistryImport(Base):
    """One run of the rights importer over one file (web job or CLI), with its counts.
    The same file imported twice makes two rows with the same ``sha256``."""

    __tablename__ = "registry_import"
    __table_args__ = (Index("ix_registry_import_sha256", "sha256"),
                      Index("ix_registry_import_started_at", "started_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    # Of the whole file as received, computed while it was read; null until the run ends.
    sha256: Mapped[str | None] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(8))  # csv, st66, st86, st96
    mode: Mapped[str] = mapped_column(String(8))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    # At the server (CLI): the operating-system user, or "cli".
    operator: Mapped[str | None] = mapped_column(String(100))
    import_job_id: Mapped[int | None] = mapped_column(ForeignKey("import_job.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[int] = mapped_column(Integer, default=0)

    officer: Mapped[Officer | None] = relationship()

    @property
    def by(self) -> str:
        """Who ran it, in words."""
        if self.officer is not None:
            return self.officer.name
        return gettext("%(operator)s (at the server)", operator=self.operator or "cli")

    def __repr__(self) -> str:
        return f"<RegistryImport {self.id} {self.filename!r}>"


class ChangeKind(enum.StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    WITHDRAWN = "withdrawn"  # status moved to cancelled or refused (or an office's Delete)
    EXPIRED = "expired"
    TRANSFERRED = "transferred"  # the owner (holder) changed
    RESTORED = "restored"  # from expired, refused or cancelled back to filed or registered

    @property
    def label(self) -> str:
        return {"created": N_("Created"), "updated": N_("Updated"), "withdrawn": N_("Withdrawn"),
                "expired": N_("Expired"), "transferred": N_("Transferred"),
                "restored": N_("Restored")}[self.value]


class ChangeSource(enum.StrEnum):
    IMPORT = "import"
    EDIT = "edit"


class RightChange(Base):
    """One change of one right: created by an import, or changed by an import or an edit.
    ``changes`` maps each changed field to [old, new]; a long text is given as
    {"length", "sha256"} rather than in full. A created right has no field list (its
    first values are the oldest ``old`` values of its later changes, or its values now)."""

    __tablename__ = "right_change"
    __table_args__ = (Index("ix_right_change_right_id_id", "right_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    right_id: Mapped[int] = mapped_column(ForeignKey("registered_right.id",
                                                     ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[ChangeKind] = mapped_column(str_enum(ChangeKind, 12))
    source: Mapped[ChangeSource] = mapped_column(str_enum(ChangeSource, 8))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("registry_import.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    officer: Mapped[Officer | None] = relationship()
    registry_import: Mapped[RegistryImport | None] = relationship()

    @property
    def by(self) -> str:
        if self.officer is not None:
            return self.officer.name
        if self.registry_import is not None:
            return self.registry_import.by
        return gettext("unknown")

    def __repr__(self) -> str:
        return f"<RightChange {self.right_id} {self.kind}>"
