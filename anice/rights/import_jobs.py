"""Rights imports from the upload page, run as a job (``workers.rights.import_rights``;
inline without Redis): the same importers as ``flask rights import``, reading the sealed
upload, with progress by bytes read."""

from __future__ import annotations

import logging

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy.orm import Session

from .. import jobs, policy
from ..crypto.stream import DecryptionError
from ..errors import DomainError, Forbidden, Invalid
from ..imports import service as imports
from ..imports.sealed import SealedUpload
from ..models import ImportJob, ImportKind, ImportStatus, Officer
from ..text.locales import DEFAULT, officer_language
from . import importing, importing_zip

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 2 * 1024**3
# RQ's default is 3 minutes; a registry of millions of rows takes longer.
JOB_TIMEOUT = 6 * 3600


def max_upload_bytes() -> int:
    return int(current_app.config.get("RIGHTS_IMPORT_MAX_BYTES") or DEFAULT_MAX_BYTES)


def queue_import(db: Session, actor: Officer, upload: SealedUpload, mode: str) -> ImportJob:
    """The job row for a stored upload, flushed; its job runs once the caller commits."""
    if not policy.can_import_rights(actor):
        raise Forbidden(gettext("Only admins and coordinators import rights."))
    if mode not in importing.MODES:
        raise Invalid("mode", gettext("%(value)s is not one of: %(choices)s",
                                      value=repr(mode[:20]), choices=", ".join(importing.MODES)))
    job = imports.create_job(db, actor, ImportKind.RIGHTS, upload, mode=mode)
    jobs.enqueue_after_commit(db, "workers.rights.import_rights", job.id, job_timeout=JOB_TIMEOUT)
    return job


def report_of(result: importing.ImportResult) -> dict:
    previous = result.previous
    return {"mode": result.mode, "rows": result.rows, "inserted": result.inserted,
            "updated": result.updated, "unchanged": result.unchanged,
            "withdrawn": result.withdrawn, "images": result.images,
            "skipped": result.skipped, "truncated": result.truncated, "fatal": result.fatal,
            "warnings": imports.errors_json(result.warnings),
            "registry_import": result.run.id if result.run is not None and (
                result.ok or result.mode == "skip") else None,
            "sha256": result.sha256, "format": result.format,
            "previous": None if previous is None else {
                "id": previous.id, "finished_at": previous.finished_at.isoformat(),
                "by": previous.by}}


def run_import(db: Session, job_id: int) -> ImportStatus | None:
    """Run a queued rights import to its end and record the report; None when the job
    is not waiting to run (already run, or run by another worker). The report's problems
    are written in the language of the officer who uploaded the file, who reads it."""
    job = imports.begin(db, job_id, "import")
    if job is None:
        return None
    actor = db.get(Officer, job.officer_id)
    with force_locale(officer_language(actor) if actor is not None else DEFAULT):
        return _run(db, job, actor)


def _run(db: Session, job: ImportJob, actor: Officer | None) -> ImportStatus:
    job_id, mode = job.id, job.mode
    progress = imports.Progress(job.total, "bytes")
    status = ImportStatus.DONE
    try:
        with imports.open_upload(job) as stream:
            result = importing_zip.import_file(
                db, actor, stream, filename=job.filename, mode=job.mode,
                progress=lambda rows: progress(stream.tell(), rows), import_job_id=job.id)
    except importing.RightsImportRefused as exc:
        result, status = exc.result, ImportStatus.REFUSED
    except (imports.UploadGone, DomainError) as exc:
        imports.fail(db, job_id, gettext("The import could not run: %(problem)s.",
                                         problem=exc))
        return ImportStatus.FAILED
    except DecryptionError:
        log.error("rights import upload failed its integrity check", extra={"job": job_id})
        imports.fail(db, job_id, imports.TAMPERED + (" Batches written before are kept."
                                                     if mode == "skip" else ""))
        return ImportStatus.FAILED
    except Exception:  # noqa: BLE001 - recorded on the job (and logged) for its page
        log.exception("rights import failed", extra={"job": job_id})
        imports.fail(db, job_id, gettext("The import stopped on an unexpected error (logged). "
                                         "Batches written before it are kept.")
                     if mode == "skip" else
                     gettext("The import stopped on an unexpected error (logged). Nothing "
                             "was imported."))
        return ImportStatus.FAILED
    job = db.get(ImportJob, job_id)
    imports.finish(db, job, status, report=report_of(result),
                   errors=imports.errors_json(result.errors))
    db.commit()
    return status
