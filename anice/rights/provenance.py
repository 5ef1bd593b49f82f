"""Where rights came from: one ``RegistryImport`` row per run of the importer over a
file (web job or CLI), with the SHA-256 of the whole file as received, computed while
the importer reads it (``HashingReader``: no second pass over a file of gigabytes)."""

from __future__ import annotations

import getpass
import hashlib
import io
from dataclasses import dataclass
from typing import IO, Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import policy
from ..errors import Forbidden
from ..models import Officer, RegistryImport, Right, utcnow

CHUNK = 1 << 20
RECENT = 10


class HashingReader(io.RawIOBase):
    """A binary stream that hashes what is read from it, once, whatever the importers'
    rewinds: every byte is hashed the first time the reading reaches it (the encoding
    check's pass, then the CSV pass, hash the file once). ``hexdigest`` reads what the
    importer left unread (a file that stopped at a fatal error)."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw, self._hash, self._hashed = raw, hashlib.sha256(), 0
        self._pos = raw.tell() if raw.seekable() else 0
        self._start = self._pos

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self.raw.seekable()

    def readinto(self, target) -> int:
        data = self.raw.read(len(target))
        n = len(data)
        target[:n] = data
        self._see(self._pos, data)
        self._pos += n
        return n

    def _see(self, at: int, data: bytes) -> None:
        end = self._start + self._hashed
        if at <= end < at + len(data):
            self._hash.update(memoryview(data)[end - at:])
            self._hashed = at + len(data) - self._start

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence != io.SEEK_SET:
            raise io.UnsupportedOperation("seek from the end")
        if offset > self._start + self._hashed:  # never skip bytes unhashed
            self._pos = self.raw.seek(self._start + self._hashed)
            while self._pos < offset and self.read(min(CHUNK, offset - self._pos)):
                pass
        self._pos = self.raw.seek(offset)
        return self._pos

    def hexdigest(self) -> str:
        """The SHA-256 of the whole stream (reading on to its end if need be)."""
        if self.raw.seekable():
            self.seek(self._start + self._hashed)
        while self.read(CHUNK):
            pass
        return self._hash.hexdigest()


def hashing(stream: IO[bytes]) -> HashingReader:
    return stream if isinstance(stream, HashingReader) else HashingReader(stream)


@dataclass
class Source:
    """Where an import's file comes from: its name, and the web job that ran it (the
    officer is the import's actor; without one, the operator at the server)."""

    filename: str = ""
    import_job_id: int | None = None


def operator() -> str:
    """Who runs the CLI: the operating-system user, else "cli"."""
    try:
        return f"cli:{getpass.getuser()}"[:100]
    except (KeyError, OSError):
        return "cli"


def start(db: Session, actor: Officer | None, source: Source | None, fmt: str,
          mode: str) -> RegistryImport:
    """The row of a run, flushed so that the rights it writes can point to it."""
    source = source or Source()
    run = RegistryImport(filename=(source.filename or "(stream)")[-255:], format=fmt,
                         mode=mode, officer_id=actor.id if actor is not None else None,
                         operator=None if actor is not None else operator(),
                         import_job_id=source.import_job_id, started_at=utcnow())
    db.add(run)
    db.flush()
    return run


def finish(db: Session, run: RegistryImport, result: Any, sha256: str | None) -> None:
    """Counts, hash and end of a run; ``result.previous`` names an earlier run of the
    same file."""
    run.format = result.format or run.format
    run.sha256, run.finished_at = sha256, utcnow()
    for name in ("rows", "inserted", "updated", "unchanged", "withdrawn", "skipped"):
        setattr(run, name, getattr(result, name))
    run.warnings = len(result.warnings)
    db.flush()
    if sha256:
        result.previous = db.scalar(
            select(RegistryImport).where(RegistryImport.sha256 == sha256,
                                         RegistryImport.id != run.id,
                                         RegistryImport.finished_at.is_not(None))
            .options(selectinload(RegistryImport.officer))
            .order_by(RegistryImport.id).limit(1))


def recent_imports(db: Session, actor: Officer, limit: int = RECENT) -> list[RegistryImport]:
    """The last imported registry files, for those who import rights."""
    if not policy.can_import_rights(actor):
        raise Forbidden(gettext("Only admins and coordinators import rights."))
    return list(db.scalars(select(RegistryImport).where(RegistryImport.finished_at.is_not(
        None)).options(selectinload(RegistryImport.officer))
        .order_by(RegistryImport.id.desc()).limit(limit)))


def import_of(db: Session, import_id: int | None) -> RegistryImport | None:
    if import_id is None:
        return None
    return db.scalar(select(RegistryImport).where(RegistryImport.id == import_id)
                     .options(selectinload(RegistryImport.officer)))


def provenance(db: Session, right: Right) -> dict[str, RegistryImport | None]:
    """The import that created a right and the last one that changed it (the caller
    has read the right through ``service.get_right``, which asks the policy)."""
    created = import_of(db, right.created_import_id)
    last = created if right.last_import_id == right.created_import_id else import_of(
        db, right.last_import_id)
    return {"created": created, "last": last}
