"""Import jobs: a sealed upload, queued, run by a worker that reports its progress, ending
in a report kept on the row. Used by the rights registry and the case CSV import.

Progress while a job runs is written to its RQ job's meta (the import itself may hold
the database's write lock, and an all-or-nothing import commits only at its end); the
row holds the status, the final counts and the errors. Without Redis the job runs inline
and the page shows its report at once.
"""

from __future__ import annotations

import io
import logging
import time
from datetime import timedelta
from typing import Any, BinaryIO

import rq
from flask import current_app
from flask_babel import gettext
from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from .. import audit, policy
from ..crypto.keys import WrappedKey, dek_aad
from ..crypto.stream import DecryptionError
from ..errors import NotFound
from ..evidence import runtime
from ..jobs import redis_connection
from ..models import ImportJob, ImportKind, ImportStatus, Officer, utcnow
from ..text.locales import N_
from .sealed import PREFIX, SealedReader, SealedUpload, associated_id

log = logging.getLogger(__name__)

# A checked case import waits this long for its confirmation; then its upload is deleted.
KEEP_SECONDS = 3600
# A stored upload no row names (a crash before the commit) is deleted after this long.
ORPHAN_SECONDS = 3600
# A job still queued or running after this long is taken as lost.
LOST_SECONDS = 24 * 3600
SWEEP_LIMIT = 100
PROGRESS_EVERY = 0.5  # seconds between progress writes to Redis
# RQ states of a job whose row still says running: it will not finish it any more.
RQ_DEAD = ("failed", "stopped", "canceled", "finished", "missing")
READ_BUFFER = 256 * 1024
TAMPERED = N_("The stored upload failed its integrity check (it was changed or cut short in "
              "storage), so it was not read to its end. Upload the file again.")


class UploadGone(Exception):
    """The sealed upload was deleted (expired) or cannot be opened any more."""


def _runtime():
    return runtime


def create_job(db: Session, actor: Officer, kind: ImportKind, upload: SealedUpload, *,
               mode: str = "abort", step: str = "import", unit: str = "bytes") -> ImportJob:
    """The row of a finished (sealed and stored) upload, with its audit record. The
    caller has checked that ``actor`` may import ``kind``."""
    sweep()
    job = ImportJob(kind=kind, step=step, status=ImportStatus.QUEUED, mode=mode,
                    officer_id=actor.id, country_code=actor.country_code,
                    filename=(upload.filename or "upload")[-255:], size=upload.size,
                    upload_id=upload.upload_id, storage_key=upload.storage_key,
                    kek_id=upload.wrapped.kek_id, dek_id=upload.dek_id,
                    dek_wrapped=upload.wrapped.blob, done=0,
                    total=upload.size if unit == "bytes" else 0, unit=unit, report={},
                    errors=[])
    db.add(job)
    db.flush()
    audit.record(db, actor, f"{kind.value}.import.upload", job,
                 country_code=actor.country_code,
                 details={"filename": job.filename, "size": job.size, "mode": mode})
    return job


def get_job(db: Session, actor: Officer, job_id: int, kind: ImportKind) -> ImportJob:
    """The actor's own import job, else NotFound."""
    job = db.get(ImportJob, job_id) if 0 < job_id < 2**63 else None
    if job is None or job.kind != kind or not policy.can_view_import_job(actor, job):
        raise NotFound(gettext("No such import."))
    return job


def recent_jobs(db: Session, actor: Officer, kind: ImportKind, limit: int = 10
                ) -> list[ImportJob]:
    return list(db.scalars(select(ImportJob).where(
        ImportJob.officer_id == actor.id, ImportJob.kind == kind)
        .order_by(ImportJob.created_at.desc(), ImportJob.id.desc()).limit(limit)))


def open_upload(job: ImportJob) -> BinaryIO:
    """The plaintext of the job's upload, streamed and checked as it is read."""
    if job.storage_key is None or job.dek_wrapped is None:
        raise UploadGone("the uploaded file is no longer kept")
    runtime = _runtime()
    try:
        dek = runtime.keyring().unwrap(WrappedKey(job.kek_id or "", job.dek_wrapped),
                                       dek_aad(associated_id(job.upload_id), job.dek_id or ""))
        raw = SealedReader(runtime.storage(), job.storage_key, dek, job.upload_id,
                           job.dek_id or "")
        return io.BufferedReader(raw, buffer_size=READ_BUFFER)
    except (DecryptionError, KeyError, FileNotFoundError) as exc:
        log.error("import upload cannot be opened", extra={"job": job.id, "error": str(exc)})
        raise UploadGone("the uploaded file cannot be opened (its key or object is "
                         "missing)") from None


def read_upload(job: ImportJob) -> bytes:
    with open_upload(job) as stream:
        return stream.read()


def discard_upload(job: ImportJob) -> None:
    """Delete the sealed upload (and its key): only the report stays."""
    if job.storage_key is not None:
        try:
            _runtime().storage().delete(job.storage_key)
        except FileNotFoundError:
            pass
    job.storage_key = job.dek_wrapped = None


def begin(db: Session, job_id: int, step: str) -> ImportJob | None:
    """Mark a queued job as running (committed); None when there is nothing to run.

    RQ runs a job again when its worker died: the same RQ job finding its row still
    running starts over (the importers are idempotent: an all-or-nothing run left
    nothing, a skip-mode run upserts the same rows again). Any other delivery of a job
    that is not queued for ``step`` (run already, expired) does nothing.
    """
    rq_id = _current_rq_id()
    waiting = ImportJob.status == ImportStatus.QUEUED
    if rq_id is not None:
        waiting = or_(waiting, and_(ImportJob.status == ImportStatus.RUNNING,
                                    ImportJob.rq_id == rq_id))
    # One guarded UPDATE: of two deliveries running at once, one starts the job.
    claimed = db.execute(
        update(ImportJob).where(ImportJob.id == job_id, ImportJob.step == step, waiting)
        .values(status=ImportStatus.RUNNING, started_at=utcnow(), done=0, rq_id=rq_id)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.commit()
    if not claimed:
        return None
    job = db.get(ImportJob, job_id)
    db.refresh(job)
    return job


def finish(db: Session, job: ImportJob, status: ImportStatus, *, report: dict[str, Any],
           errors: list | None = None, message: str | None = None,
           keep_upload: bool = False) -> None:
    """Record the outcome (the caller commits) and, unless asked, delete the upload."""
    job.status, job.report, job.errors = status, report, errors or []
    job.message = message
    job.finished_at = utcnow()
    if job.total:
        job.done = job.total
    if not keep_upload:
        discard_upload(job)


def fail(db: Session, job_id: int, message: str) -> None:
    """After an unexpected error: roll back, mark the job failed, delete its upload."""
    db.rollback()
    job = db.get(ImportJob, job_id)
    if job is not None and job.status in (ImportStatus.QUEUED, ImportStatus.RUNNING):
        finish(db, job, ImportStatus.FAILED, report=job.report or {}, errors=job.errors,
               message=message)
        db.commit()


def errors_json(errors) -> list[list]:
    """[line, field, message] rows from the importers' RowError objects."""
    return [[e.line, getattr(e, "field", getattr(e, "column", "")), e.message]
            for e in errors]


# --- progress -----------------------------------------------------------------------

def _current_rq_id() -> str | None:
    job = rq.get_current_job()  # looked up on the module: tests stand in a job of their own
    return job.id if job is not None else None


class Progress:
    """Called by the importers with their progress; kept in the RQ job's meta (read by
    ``status``). Inline (no RQ job) nobody can watch, so nothing is written."""

    def __init__(self, total: int = 0, unit: str = "bytes") -> None:
        self.rq_job = rq.get_current_job()
        self.total, self.unit = total, unit
        self._last = 0.0

    def __call__(self, done: int, rows: int | None = None, *, total: int | None = None,
                 force: bool = False) -> None:
        if total is not None:
            self.total = total
        if self.rq_job is None:
            return
        now = time.monotonic()
        if not force and now - self._last < PROGRESS_EVERY:
            return
        self._last = now
        self.rq_job.meta["progress"] = {"done": done, "total": self.total, "rows": rows,
                                        "unit": self.unit}
        self.rq_job.save_meta()


def _rq_state(job: ImportJob) -> tuple[str | None, dict]:
    """(RQ status, progress meta) of a running job; (None, {}) without Redis."""
    try:
        conn = redis_connection()
        if conn is None or not job.rq_id:
            return None, {}
        try:
            rq_job = Job.fetch(job.rq_id, connection=conn)
        except NoSuchJobError:
            return "missing", {}
        return rq_job.get_status(refresh=True), rq_job.get_meta(refresh=True).get(
            "progress", {})
    except Exception as exc:  # noqa: BLE001 - a status page must not fail on Redis trouble
        log.warning("import progress unavailable", extra={"job": job.id, "error": str(exc)})
        return None, {}


def refresh(db: Session, job: ImportJob) -> dict:
    """The live progress of a running job; a job whose worker died is marked failed
    (committed), so that its page stops waiting."""
    if job.status != ImportStatus.RUNNING:
        return {}
    state, progress = _rq_state(job)
    if state in RQ_DEAD:
        settle(db, job, ImportStatus.RUNNING, ImportStatus.FAILED,
               gettext("The import stopped before its end (the worker was stopped or "
                       "crashed). Upload the file again."))
        return {}
    return progress


def settle(db: Session, job: ImportJob, expected: ImportStatus, status: ImportStatus,
           message: str) -> bool:
    """Move a job from ``expected`` to the final ``status`` unless its worker (or a
    confirmation) moved it first, and delete its upload. Commits; True if it moved."""
    moved = db.execute(
        update(ImportJob).where(ImportJob.id == job.id, ImportJob.status == expected)
        .values(status=status, message=message, finished_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1
    db.commit()
    db.refresh(job)
    if moved:
        discard_upload(job)
        db.commit()
    return moved


def status(db: Session, job: ImportJob) -> dict[str, Any]:
    """What the status page and its JSON show."""
    live = refresh(db, job)
    done = int(live.get("done") or job.done or 0)
    total = int(live.get("total") or job.total or 0)
    percent = min(100, round(100 * done / total)) if total else (0 if job.active else 100)
    return {"id": job.id, "kind": job.kind.value, "step": job.step, "status": job.status.value,
            "active": job.active, "done": done, "total": total, "unit": live.get("unit")
            or job.unit, "percent": percent, "rows": live.get("rows"),
            "errors": len(job.errors or []), "report": job.report or {}}


# --- housekeeping -------------------------------------------------------------------

def sweep(now=None) -> int:
    """Delete uploads nobody will use: checked imports never confirmed, jobs lost long
    ago, and objects whose row was never committed. Runs in its own transactions; returns
    how many uploads were removed."""
    now = now or utcnow()
    keep, lost = timedelta(seconds=KEEP_SECONDS), timedelta(seconds=LOST_SECONDS)
    removed = 0
    with current_app.extensions["anice.sessionmaker"]() as db:
        stale = list(db.scalars(select(ImportJob).where(
            ImportJob.storage_key.is_not(None), ImportJob.created_at < now - keep)
            .order_by(ImportJob.id).limit(SWEEP_LIMIT)))
        for job in stale:
            if job.status == ImportStatus.CHECKED:
                if job.finished_at and job.finished_at > now - keep:
                    continue  # its hour to confirm runs from the end of the check
                removed += settle(db, job, ImportStatus.CHECKED, ImportStatus.EXPIRED,
                                  "Not confirmed within an hour: the upload was deleted.")
            elif job.active:
                if job.created_at > now - lost:
                    continue
                removed += settle(db, job, job.status, ImportStatus.FAILED,
                                  "The job never finished; the upload was deleted.")
            else:
                discard_upload(job)
                db.commit()
                removed += 1
        removed += _sweep_orphans(db, now)
    return removed


def _sweep_orphans(db: Session, now) -> int:
    store = _runtime().storage()
    cutoff = now - timedelta(seconds=ORPHAN_SECONDS)
    old = [key for key, modified in store.keys(PREFIX) if modified < cutoff]
    if not old:
        return 0
    known = set(db.scalars(select(ImportJob.storage_key).where(
        ImportJob.storage_key.in_(old))))
    for key in old:
        if key not in known:
            store.delete(key)
    return len(set(old) - known)
