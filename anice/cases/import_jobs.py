"""The web CSV import of cases as jobs: the upload is sealed, checked by a job (the
preview: every error by line and column, nothing written), then imported by a second
job when the officer confirms (``workers.cases``; inline without Redis)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask_babel import force_locale, gettext
from sqlalchemy import update
from sqlalchemy.orm import Session

from .. import audit, jobs, notifications, policy
from ..crypto.stream import DecryptionError
from ..errors import DomainError, Forbidden, NotFound
from ..imports import service as imports
from ..imports.sealed import SealedUpload
from ..models import ImportJob, ImportKind, ImportStatus, Officer, utcnow
from ..text import locales
from . import importing

log = logging.getLogger(__name__)

CHECK, IMPORT = "check", "import"
JOB_TIMEOUT = 1800  # seconds; 5,000 rows take well under a minute


def queue_check(db: Session, actor: Officer, upload: SealedUpload) -> ImportJob:
    """The job that checks a stored upload, flushed; it runs once the caller commits."""
    if not policy.can_import_cases(actor):
        raise Forbidden(gettext("Only investigators and supervisors import cases."))
    job = imports.create_job(db, actor, ImportKind.CASES, upload, step=CHECK, unit="cases")
    jobs.enqueue_after_commit(db, "workers.cases.check_import", job.id, job_timeout=JOB_TIMEOUT)
    return job


def confirm(db: Session, actor: Officer, job_id: int) -> ImportJob:
    """Queue the import of a checked file, once: a second confirmation (a double click)
    or one after the upload expired finds nothing to confirm."""
    job = imports.get_job(db, actor, job_id, ImportKind.CASES)
    if not policy.can_import_cases(actor):
        raise Forbidden(gettext("Only investigators and supervisors import cases."))
    if job.status == ImportStatus.CHECKED and job.finished_at is not None and (
            (utcnow() - job.finished_at).total_seconds() > imports.KEEP_SECONDS):
        imports.finish(db, job, ImportStatus.EXPIRED, report=job.report, errors=job.errors,
                       message=gettext("Not confirmed within an hour: the upload was "
                                       "deleted. Upload the file again."))
        db.commit()
    claimed = db.execute(
        update(ImportJob).where(ImportJob.id == job.id,
                                ImportJob.status == ImportStatus.CHECKED)
        .values(status=ImportStatus.QUEUED, step=IMPORT, done=0, finished_at=None)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.rollback()
        raise NotFound(gettext("This upload was imported already or is no longer kept: "
                               "upload the file again."))
    db.expire(job)
    audit.record(db, actor, "cases.import.confirm", job, country_code=actor.country_code,
                 details={"filename": job.filename, "cases": len(job.report.get("cases", []))})
    jobs.enqueue_after_commit(db, "workers.cases.run_import", job.id, job_timeout=JOB_TIMEOUT)
    return job


def _planned(preview: importing.ImportPreview) -> list[dict]:
    return [{"key": c.key, "line": c.line, "kind": c.kind, "title": c.title,
             "seizures": c.seizures, "listings": c.listings} for c in preview.cases]


def _report(preview: importing.ImportPreview) -> dict:
    return {"rows": preview.rows, "cases": _planned(preview), "seizures": preview.seizures,
            "listings": preview.listings, "truncated": preview.truncated}


def _run(db: Session, job_id: int, step: str,
         work: Callable[..., ImportStatus]) -> ImportStatus | None:
    job = imports.begin(db, job_id, step)
    if job is None:
        return None
    actor = db.get(Officer, job.officer_id)
    # The report and its problems are stored for the officer who uploaded: in their language.
    with force_locale(notifications.language_of(actor) if actor else locales.DEFAULT):
        return _work(db, job, job_id, step, actor, work)


def _work(db: Session, job: ImportJob, job_id: int, step: str, actor: Officer,
          work: Callable[..., ImportStatus]) -> ImportStatus:
    progress = imports.Progress(0, "cases")
    try:
        raw = imports.read_upload(job)
        return work(job, actor, raw, lambda done, total: progress(done, total=total))
    except (imports.UploadGone, DomainError) as exc:
        imports.fail(db, job_id, gettext("The import could not run: %(problem)s.", problem=exc))
    except DecryptionError:
        log.error("case import upload failed its integrity check", extra={"job": job_id})
        imports.fail(db, job_id, gettext(imports.TAMPERED))
    except Exception:  # noqa: BLE001 - recorded on the job (and logged) for its page
        log.exception("case import job failed", extra={"job": job_id, "step": step})
        imports.fail(db, job_id, gettext("The job stopped on an unexpected error (logged). "
                                         "Nothing was imported."))
    return ImportStatus.FAILED


def run_check(db: Session, job_id: int) -> ImportStatus | None:
    """Check the file as the import would (nothing written); keep the upload for the
    confirmation when it has no problem."""
    def work(job, actor, raw, progress):
        preview = importing.preview_import(db, actor, raw, progress)
        job = db.get(ImportJob, job_id)
        status = ImportStatus.CHECKED if preview.ok else ImportStatus.REFUSED
        imports.finish(db, job, status, report=_report(preview),
                       errors=imports.errors_json(preview.errors), keep_upload=preview.ok)
        db.commit()
        return status

    return _run(db, job_id, CHECK, work)


def run_import(db: Session, job_id: int) -> ImportStatus | None:
    """Create every case of the confirmed file, or none; the upload is deleted."""
    def work(job, actor, raw, progress):
        try:
            cases = importing.commit_import(db, actor, raw, progress)
        except importing.ImportRefused as exc:
            # The data changed since the check (a rate, a date now in the future, ...).
            job = db.get(ImportJob, job_id)
            imports.finish(db, job, ImportStatus.REFUSED, report=_report(exc.preview),
                           errors=imports.errors_json(exc.preview.errors))
            db.commit()
            return ImportStatus.REFUSED
        job = db.get(ImportJob, job_id)
        report = {**job.report, "imported": [{"id": c.id, "reference": c.reference,
                                              "title": c.title} for c in cases]}
        imports.finish(db, job, ImportStatus.DONE, report=report)
        db.commit()
        return ImportStatus.DONE

    return _run(db, job_id, IMPORT, work)
