"""Evidence pages: streaming upload, the evidence page, download, preview, verify, shred."""

from __future__ import annotations

import csv
import io

from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import login_required

from .. import db, policy
from ..errors import Invalid, ServiceUnavailable
from ..extensions import csrf
from ..forms import current_officer as _me
from ..forms import submit_once, typed
from ..models import CustodyAction
from ..text.cells import safe_cell
from . import runtime, service
from .transfer import (
    SEALED_FILE_CSP,
    attachment,
    check_upload_csrf,
    receive_multipart,
)

bp = Blueprint("evidence", __name__)
@bp.post("/cases/<int:case_id>/evidence")
@csrf.exempt
@login_required
@submit_once(streamed=True)
def upload(case_id: int):
    # Streamed past the app's 16 MiB form limit, up to the evidence limit.
    request.max_content_length = runtime.max_bytes() + 1024 * 1024
    check_upload_csrf()
    me = _me()
    case = service.case_for_upload(db.session(), me, case_id)
    wants_json = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    try:
        intake, form = receive_multipart(case, me)
        try:
            evidence = service.register(db.session(), me, case, intake,
                                        getattr(intake, "client_name", None), form,
                                        reading=typed(), hold_duplicate=True)
            db.commit()
        except BaseException:
            intake.discard()  # e.g. the database went away after the object was stored
            raise
    except service.DuplicateEvidence as exc:
        db.commit()  # the held upload, for the "keep both" form
        return _duplicate_answer(case_id, exc, wants_json)
    except (Invalid, ServiceUnavailable) as exc:
        db.session().rollback()
        if wants_json:
            return jsonify(error=str(exc), field=getattr(exc, "field", None)), exc.status
        if isinstance(exc, ServiceUnavailable):
            raise  # the error page, with its status (503, 507) and the reason
        flash(gettext("Upload refused: %(problem)s", problem=str(exc)), "error")
        return redirect(url_for("cases.show", case_id=case_id) + "#evidence")
    target = url_for("evidence.show", public_id=evidence.public_id)
    if wants_json:
        return jsonify(location=target), 201
    flash(gettext("%(name)s received, sealed and hashed.", name=evidence.original_name),
          "info")
    return redirect(target)


def _duplicate_answer(case_id: int, exc: service.DuplicateEvidence, wants_json: bool):
    """The form that asks why both are kept (the upload held meanwhile)."""
    target = url_for("evidence.held", case_id=case_id, held_id=exc.held_id)
    if wants_json:
        return jsonify(error=str(exc), field="duplicate_reason", location=target,
                       existing={"id": exc.existing.public_id,
                                 "name": exc.existing.original_name,
                                 "url": url_for("evidence.show",
                                                public_id=exc.existing.public_id)}), 409
    return redirect(target, code=303)


@bp.route("/cases/<int:case_id>/evidence/held/<held_id>", methods=["GET", "POST"])
@login_required
def held(case_id: int, held_id: str):
    """An upload held because its content is already evidence of the case: keep it too
    (with a reason) or drop it."""
    me = _me()
    case = service.case_for_upload(db.session(), me, case_id)
    error = None
    if request.method == "POST":
        try:
            evidence = service.keep_held(db.session(), me, case, held_id, request.form,
                                         reading=typed())
            db.commit()
            flash(gettext("%(name)s kept as a second item, with your reason.",
                          name=evidence.original_name), "info")
            return redirect(url_for("evidence.show", public_id=evidence.public_id))
        except Invalid as exc:
            db.session().rollback()
            if exc.field != "duplicate_reason" and exc.field not in HELD_FIELDS:
                flash(gettext("Upload refused: %(problem)s", problem=str(exc)), "error")
                return redirect(url_for("cases.show", case_id=case_id) + "#evidence")
            error = exc
    try:
        row = service.held_upload(db.session(), me, case, held_id)
    except Invalid as exc:
        flash(gettext("Upload refused: %(problem)s", problem=str(exc)), "error")
        return redirect(url_for("cases.show", case_id=case_id) + "#evidence")
    values = request.form if request.method == "POST" else row.fields
    return render_template("evidence/held.html", case=case, held=row,
                           existing=row.duplicate_of, values=values, error=error,
                           hold_minutes=service.HOLD_MINUTES), (422 if error else 200)


HELD_FIELDS = {"description", "acquired_at", "acquired_where", "acquired_how"}


@bp.post("/cases/<int:case_id>/evidence/held/<held_id>/drop")
@login_required
def drop_held(case_id: int, held_id: str):
    me = _me()
    case = service.case_for_upload(db.session(), me, case_id)
    try:
        service.drop_held(db.session(), me, case, held_id)
        db.commit()
        flash(gettext("The second copy was not kept."), "info")
    except Invalid as exc:
        db.session().rollback()
        flash(str(exc.message), "info")
    return redirect(url_for("cases.show", case_id=case_id) + "#evidence")


@bp.get("/evidence/<public_id>")
@login_required
def show(public_id: str):
    me = _me()
    evidence = service.get_evidence(db.session(), me, public_id)
    return render_template("evidence/show.html", ev=evidence,
                           custody=service.custody_of(db.session(), evidence),
                           can_shred=policy.can_shred_evidence(me, evidence.case),
                           can_handle=policy.can_add_evidence(me, evidence.case))


@bp.get("/evidence/<public_id>/download")
@login_required
def download(public_id: str):
    evidence, stream = service.read(db.session(), _me(), public_id, CustodyAction.DOWNLOAD)
    db.commit()
    return attachment(evidence, stream)


download.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


@bp.post("/evidence/<public_id>/export")
@login_required
def export(public_id: str):
    evidence, stream = service.read(db.session(), _me(), public_id, CustodyAction.EXPORT,
                                    reason=request.form.get("reason", ""))
    db.commit()
    return attachment(evidence, stream)


@bp.post("/evidence/<public_id>/verify")
@login_required
def verify(public_id: str):
    evidence, ok = service.verify_by_officer(db.session(), _me(), public_id)
    db.commit()
    flash(gettext("Verified: the content matches its SHA-256.") if ok
          else gettext("VERIFICATION FAILED: the content does not match its intake hash."),
          "info" if ok else "error")
    return redirect(url_for("evidence.show", public_id=evidence.public_id))


@bp.post("/evidence/<public_id>/shred")
@login_required
def shred(public_id: str):
    evidence = service.shred(db.session(), _me(), public_id, request.form.get("reason", ""))
    db.commit()
    flash(gettext("The evidence was destroyed (its key is gone); its record and custody "
                  "remain."), "info")
    return redirect(url_for("evidence.show", public_id=evidence.public_id))


@bp.post("/evidence/<public_id>/custody")
@login_required
def record_handling(public_id: str):
    try:
        service.record_handling(db.session(), _me(), public_id, request.form.get("action", ""),
                                request.form.get("reason", ""))
        db.commit()
        flash(gettext("Recorded in the chain of custody."), "info")
    except Invalid as exc:
        db.session().rollback()
        flash(gettext("Not recorded: %(problem)s", problem=str(exc)), "error")
    return redirect(url_for("evidence.show", public_id=public_id))


@bp.get("/evidence/<public_id>/custody.csv")
@login_required
def custody_csv(public_id: str):
    evidence = service.get_evidence(db.session(), _me(), public_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["evidence", "sha256", "at_utc", "action", "actor", "address", "reason",
                     "details"])
    for e in service.custody_of(db.session(), evidence):
        writer.writerow([safe_cell(v) for v in (
            evidence.public_id, evidence.sha256, e.at.isoformat(), e.action.value,
            e.actor_label, e.client_addr or "", e.reason or "", e.details)])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=custody-{evidence.public_id}.csv"})


from . import report_views  # noqa: E402,F401,I001


from . import derived_views, viewer_views  # noqa: E402,F401,I001
