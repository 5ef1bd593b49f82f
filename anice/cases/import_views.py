"""Bulk import pages: upload a CSV, follow the check, read the preview, confirm, follow
the import.

The upload is sealed as it arrives (never in clear on disk) and kept, encrypted, only
until the import ends or an hour after the check; checking and importing run as jobs
(``workers.cases``; inline without Redis), each with a page that shows its progress.
"""

from __future__ import annotations

from flask import Response, abort, flash, jsonify, redirect, render_template, url_for

from .. import db, policy
from ..errors import Invalid, NotFound
from ..extensions import csrf
from ..forms import FormState, submit_once
from ..forms import current_officer as _me
from ..imports import service as imports
from ..imports.web import receive_upload
from ..models import ImportKind
from . import import_jobs, importing
from .views import bp


def _limits() -> dict:
    return {"rows": importing.MAX_ROWS, "errors": importing.MAX_ERRORS,
            "mb": importing.MAX_BYTES // (1024 * 1024)}


def _page(state: FormState, status: int = 200):
    recent = imports.recent_jobs(db.session(), _me(), ImportKind.CASES)
    return render_template("cases/import.html", state=state, recent=recent,
                           limits=_limits()), status


@bp.get("/import")
def import_cases():
    if not policy.can_import_cases(_me()):
        abort(404)
    return _page(FormState())


@bp.post("/import")
@csrf.exempt  # the form is parsed while the file is sealed; receive_upload checks CSRF
@submit_once(streamed=True, commit_first=True)
def upload_cases():
    me = _me()
    if not policy.can_import_cases(me):
        abort(404)
    upload = None
    try:
        upload, _ = receive_upload(importing.MAX_BYTES)
        job = import_jobs.queue_check(db.session(), me, upload)
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        if upload is not None:
            upload.discard()
        return _page(FormState.failed({}, exc), 422)
    return redirect(url_for("cases.import_job", job_id=job.id))


@bp.get("/import/<int:job_id>")
def import_job(job_id: int):
    job = imports.get_job(db.session(), _me(), job_id, ImportKind.CASES)
    progress = imports.status(db.session(), job)
    db.commit()
    return render_template("cases/import_job.html", job=job, progress=progress,
                           limits=_limits())


@bp.get("/import/<int:job_id>/status")
def import_status(job_id: int):
    job = imports.get_job(db.session(), _me(), job_id, ImportKind.CASES)
    progress = imports.status(db.session(), job)
    db.commit()
    return jsonify(progress)


@bp.post("/import/<int:job_id>/confirm")
@submit_once(commit_first=True)
def confirm_import(job_id: int):
    me = _me()
    try:
        job = import_jobs.confirm(db.session(), me, job_id)
        db.commit()
    except NotFound as exc:
        db.session().rollback()
        imports.get_job(db.session(), me, job_id, ImportKind.CASES)  # 404 if not the officer's
        flash(exc.message, "error")
        return redirect(url_for("cases.import_job", job_id=job_id))
    return redirect(url_for("cases.import_job", job_id=job.id))


@bp.get("/import/template.csv")
def import_template():
    me = _me()
    if not policy.can_import_cases(me):
        abort(404)
    return Response(importing.template_csv(db.session(), me), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=anice-import-template.csv"})
