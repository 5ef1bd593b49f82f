"""KEK bookkeeping: which stored keys each KEK wraps, creating the keys (once, by command),
the start and health checks, and rotation under one lock.

Data keys are wrapped in five places: evidence items, their derivatives, import jobs'
sealed uploads, right holders' files (guide images, recordation documents) and uploads
held for a "keep both" reason (minutes only, not re-wrapped: they expire). Every count and
check covers all five.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy import func, select, text, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .. import audit
from .. import db as anice_db
from ..crypto.keys import (
    FileKeyring,
    KeyFileMissing,
    KeyringBusy,
    KeyringUnavailable,
    WrappedKey,
    dek_aad,
)
from ..imports.sealed import associated_id
from ..models import Evidence, EvidenceDerivative, HeldUpload, HolderFile, ImportJob
from . import runtime

log = logging.getLogger(__name__)

# pg_try_advisory_lock key of key operations ("ANICEKEY").
LOCK_KEY = 0x414E4943454B4559
INIT_HINT = "flask --app wsgi keys init"
HEALTH_CACHE_SECONDS = 60


class KeysMissing(RuntimeError):
    """Stored keys need KEKs the keyring does not hold: serving would fail every read and
    (with a new key) wrap new uploads under a key that is not the one kept."""


class KeysManagedElsewhere(RuntimeError):
    """The KEKs come from ANICE_KEKS or a KMS: that is where keys are added or dropped."""


def kek_usage(db: Session) -> dict[str, int]:
    """How many stored data keys each KEK wraps: evidence, derivatives, import uploads and
    holders' files."""
    usage: dict[str, int] = {}
    queries = (
        select(Evidence.kek_id, func.count()).where(Evidence.dek_wrapped.is_not(None))
        .group_by(Evidence.kek_id),
        select(EvidenceDerivative.kek_id, func.count()).group_by(EvidenceDerivative.kek_id),
        select(ImportJob.kek_id, func.count()).where(ImportJob.dek_wrapped.is_not(None))
        .group_by(ImportJob.kek_id),
        select(HolderFile.kek_id, func.count()).where(HolderFile.dek_wrapped.is_not(None))
        .group_by(HolderFile.kek_id),
        # Uploads held for a "keep both" reason: minutes only, but a retire must wait for them.
        select(HeldUpload.kek_id, func.count()).group_by(HeldUpload.kek_id),
    )
    for query in queries:
        for kek_id, n in db.execute(query).all():
            if kek_id:
                usage[kek_id] = usage.get(kek_id, 0) + n
    return usage


def _available_ids() -> list[str] | None:
    """The keyring's KEK ids, or None when there is no usable keyring."""
    try:
        return runtime.keyring().ids()
    except RuntimeError as exc:  # no file, KMS down, a file readable by others or misplaced
        log.error("keyring unavailable", extra={"error": str(exc)})
        return None


def missing(db: Session, usage: dict[str, int] | None = None) -> dict[str, int]:
    """The KEKs stored keys need that the keyring does not hold (with their counts)."""
    usage = kek_usage(db) if usage is None else usage
    ids = _available_ids() if usage else []
    have = set(ids or ())
    return {k: n for k, n in usage.items() if k not in have}


def init_keys(db: Session) -> tuple[bool, str]:
    """Create the key file with its first KEK; whether it did, and what, in words. Refuses
    (KeysMissing) when stored keys need KEKs a new file would not hold: restore that file."""
    if current_app.config.get("KEKS") or "anice.keyring" in current_app.extensions:
        return False, ("keys are configured outside the key file (ANICE_KEKS or a KMS): "
                       "nothing to create")
    path = runtime.key_file_path()
    if path.exists():
        return False, f"key file already there, primary KEK {FileKeyring(path).primary_id()}"
    usage = kek_usage(db)
    if usage:
        raise KeysMissing(_missing_message(usage, path))
    ring = FileKeyring.create(path)
    audit.record(db, None, "keys.init", actor_label="cli", details={"primary": ring.primary_id()})
    return True, (f"created key file {path} with KEK {ring.primary_id()}; back it up apart "
                  "from the data")


def _missing_message(absent: dict[str, int], path: Path | None = None) -> str:
    where = f" (key file {path})" if path else ""
    return (f"{sum(absent.values())} stored data keys are wrapped under KEK(s) "
            f"{', '.join(sorted(absent))} that the keyring{where} does not hold. Mount or "
            "restore the key file (or ANICE_KEKS) that has them; a new key would not open them")


def check_at_start(app: Flask) -> None:
    """Refuse to start (KeysMissing) when stored keys need KEKs that are not there. A
    database that cannot be read yet (down, not migrated) is left to /healthz."""
    if _cli_command_other_than_run():
        return  # keys init / status, backup restore must run precisely in that state
    with app.app_context():
        try:
            with anice_db.separate_session() as session:
                absent = missing(session)
        except SQLAlchemyError as exc:
            log.warning("keys not checked at start: database not readable",
                        extra={"error": type(exc).__name__})
            return
        if absent:
            path = None if app.config.get("KEKS") else runtime.key_file_path()
            raise KeysMissing(_missing_message(absent, path))


def _cli_command_other_than_run() -> bool:
    if os.environ.get("FLASK_RUN_FROM_CLI") != "true":
        return False
    ctx = click.get_current_context(silent=True)
    return not (ctx is not None and ctx.command.name == "run")


def _missing_for_health(session: Session) -> dict[str, int]:
    """``missing`` with the counts queried at most every HEALTH_CACHE_SECONDS per process
    (probes come every few seconds); the keyring is looked at each time, and a KEK found
    missing is checked against fresh counts (after `keys retire` the old ones are stale)."""
    cached = current_app.extensions.get("anice.kek_usage")
    now = time.monotonic()
    if cached is not None and now - cached[0] <= HEALTH_CACHE_SECONDS:
        if not missing(session, cached[1]):
            return {}
    usage = kek_usage(session)
    current_app.extensions["anice.kek_usage"] = (now, usage)
    return missing(session, usage)


def health() -> str:
    """For /healthz: "ok", or why evidence cannot be sealed or opened (no secret, no path)."""
    try:
        with anice_db.separate_session() as session:
            absent = _missing_for_health(session)
    except SQLAlchemyError:
        absent = {}  # the database check reports that; the keyring is still looked at
    if absent:
        return f"error: {len(absent)} KEK(s) that stored keys need are missing"
    try:
        runtime.keyring().primary_id()
    except KeyFileMissing:
        return f"error: no keys (run `{INIT_HINT}`)"
    except KeyringUnavailable:
        return "error: keyring unavailable"
    except RuntimeError as exc:  # e.g. a key file readable by others, or in the data folder
        log.error("keyring unusable", extra={"error": str(exc)})
        return "error: keyring unusable (see the log)"
    return "ok"


@contextlib.contextmanager
def keys_lock() -> Iterator[None]:
    """One key operation (rotate, rewrap, retire) at a time across processes: a
    PostgreSQL advisory lock, or a lock file in the data folder (embedded). KeyringBusy if
    another holds it."""
    engine = anice_db.engine()
    busy = KeyringBusy("another key operation (keys rotate, rewrap or retire) is running: "
                       "wait for it to end, then run this again")
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            got = conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY})
            conn.commit()  # the lock is the session's: no transaction left open while held
            if not got:
                raise busy
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_KEY})
                conn.commit()
        return
    folder = Path(current_app.config["DATA_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ".keys.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        yield
    finally:
        os.close(fd)


def rotate(db: Session) -> str:
    """Make a new KEK primary (key file only), under the key lock; audited."""
    ring = runtime.keyring()
    if not hasattr(ring, "rotate"):
        raise KeysManagedElsewhere("this keyring is configured outside ANICE (ANICE_KEKS or a "
                                   "KMS): add the new key there, then run `keys rewrap`")
    with keys_lock():
        new = ring.rotate()
        audit.record(db, None, "keys.rotate", actor_label="cli", details={"primary": new})
        db.commit()
    return new


def rewrap_imports(db: Session, batch: int = 200, progress=None, offset: int = 0) -> int:
    """Re-wrap import uploads' data keys not under the primary KEK (guarded updates: a job
    that ended meanwhile and dropped its key is left alone)."""
    ring = runtime.keyring()
    primary = ring.primary_id()
    done = 0
    while True:
        rows = list(db.scalars(select(ImportJob).where(ImportJob.kek_id != primary,
                                                       ImportJob.dek_wrapped.is_not(None))
                               .order_by(ImportJob.id).limit(batch)))
        if not rows:
            return done
        for job in rows:
            aad = dek_aad(associated_id(job.upload_id), job.dek_id or "")
            wrapped = ring.wrap(ring.unwrap(WrappedKey(job.kek_id or "", job.dek_wrapped),
                                            aad), aad)
            db.execute(update(ImportJob).where(
                ImportJob.id == job.id, ImportJob.kek_id == job.kek_id,
                ImportJob.dek_wrapped.is_not(None)).values(
                kek_id=wrapped.kek_id, dek_wrapped=wrapped.blob)
                .execution_options(synchronize_session=False))
            db.expire(job)
        audit.record(db, None, "keys.rewrap", details={"imports": len(rows), "to": primary})
        db.commit()
        done += len(rows)
        if progress:
            progress(offset + done)


def rewrap_holder_files(db: Session, batch: int = 200, progress=None, offset: int = 0) -> int:
    """Re-wrap right holders' files' data keys (guide images, recordation documents) not
    under the primary KEK; guarded updates, as for evidence items."""
    ring = runtime.keyring()
    primary = ring.primary_id()
    done = 0
    while True:
        rows = list(db.scalars(select(HolderFile).where(HolderFile.kek_id != primary,
                                                        HolderFile.dek_wrapped.is_not(None))
                               .order_by(HolderFile.id).limit(batch)))
        if not rows:
            return done
        for item in rows:
            aad = dek_aad(item.public_id, item.dek_id)
            wrapped = ring.wrap(ring.unwrap(WrappedKey(item.kek_id or "", item.dek_wrapped),
                                            aad), aad)
            db.execute(update(HolderFile).where(
                HolderFile.id == item.id, HolderFile.kek_id == item.kek_id,
                HolderFile.dek_wrapped.is_not(None)).values(
                kek_id=wrapped.kek_id, dek_wrapped=wrapped.blob)
                .execution_options(synchronize_session=False))
            db.expire(item)
        audit.record(db, None, "keys.rewrap", details={"holder_files": len(rows),
                                                        "to": primary})
        db.commit()
        done += len(rows)
        if progress:
            progress(offset + done)


def retire_unused(db: Session) -> tuple[list[str], list[tuple[str, int]]]:
    """Retire every non-primary KEK no stored key uses, under the key lock (audited); the
    retired ids, and [(kek, keys it still wraps)] for the ones kept."""
    ring = runtime.keyring()
    if not hasattr(ring, "retire"):
        raise KeysManagedElsewhere("these keys come from ANICE_KEKS: drop an unused key there")
    retired: list[str] = []
    kept: list[tuple[str, int]] = []
    with keys_lock():
        usage = kek_usage(db)
        for kek_id in ring.ids():
            if kek_id == ring.primary_id():
                continue
            if usage.get(kek_id):
                kept.append((kek_id, usage[kek_id]))
                continue
            ring.retire(kek_id)
            audit.record(db, None, "keys.retire", actor_label="cli", details={"kek": kek_id})
            db.commit()
            retired.append(kek_id)
    return retired, kept
