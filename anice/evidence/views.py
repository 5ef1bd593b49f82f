"""Evidence pages: streaming upload, the evidence page, download, preview, verify, shred."""

from __future__ import annotations

import base64
import csv
import io
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from wtforms import ValidationError

from .. import db, policy
from ..cases.export import safe_cell
from ..errors import Invalid, ServiceUnavailable
from ..extensions import csrf
from ..models import CustodyAction, Officer
from . import media, runtime, service

bp = Blueprint("evidence", __name__)
# Read the body in large pieces: gunicorn re-buffers what a small read leaves over, which
# halved upload throughput with 64 KiB reads (bench/evidence.py).
CHUNK = 1024 * 1024


class LargeReads(io.RawIOBase):
    """Feed werkzeug's multipart parser (64 KiB reads) from 1 MiB reads of the body."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if not self.buffer:
            self.buffer = self.raw.read(CHUNK)
        if n is None or n < 0:
            n = len(self.buffer)
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def readinto(self, target) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)


def _me() -> Officer:
    return current_user._get_current_object()


def _check_csrf() -> None:
    """The upload is parsed by hand (streaming), so its CSRF token comes in a header or
    the query string and is checked before a byte of the body is read."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    token = request.headers.get("X-CSRFToken") or request.args.get("csrf_token", "")
    try:
        validate_csrf(token)
    except ValidationError as exc:
        raise CSRFError(str(exc)) from None


def receive_multipart(case, actor: Officer):
    """Stream a multipart body: the file part goes straight into a sealing Intake (within
    the actor's upload quota)."""
    intakes: list = []

    def into_intake(total_content_length, content_type, filename, content_length=None):
        if intakes:
            raise Invalid("file", "send one file per upload")
        intakes.append(service.start_intake(db.session(), actor))
        intakes[0].client_name = filename
        return intakes[0]

    parser = FormDataParser(stream_factory=into_intake, max_form_memory_size=1024 * 1024,
                            max_content_length=runtime.max_bytes() + 1024 * 1024)
    try:
        _, form, _files = parser.parse(LargeReads(request.stream), request.mimetype or "",
                                       request.content_length, request.mimetype_params)
    except Exception as exc:  # noqa: BLE001 - whatever broke the upload, nothing may stay
        for intake in intakes:
            intake.discard()
        if not isinstance(exc, ClientDisconnected | RequestEntityTooLarge | ValueError | Invalid):
            raise
        if isinstance(exc, Invalid):
            raise
        if isinstance(exc, RequestEntityTooLarge):
            raise Invalid("file", f"is larger than the limit of {runtime.max_bytes():,} bytes")
        raise Invalid("file", "the upload was cut off before it ended; nothing was kept")
    if not intakes:
        raise Invalid("file", "choose a file to upload")
    return intakes[0], form


@bp.post("/cases/<int:case_id>/evidence")
@csrf.exempt
@login_required
def upload(case_id: int):
    # Streamed past the app's 16 MiB form limit, up to the evidence limit.
    request.max_content_length = runtime.max_bytes() + 1024 * 1024
    _check_csrf()
    me = _me()
    case = service.case_for_upload(db.session(), me, case_id)
    wants_json = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    try:
        intake, form = receive_multipart(case, me)
        try:
            evidence = service.register(db.session(), me, case, intake,
                                        getattr(intake, "client_name", None), form)
            db.commit()
        except BaseException:
            intake.discard()  # e.g. the database went away after the object was stored
            raise
    except (Invalid, ServiceUnavailable) as exc:
        db.session().rollback()
        if wants_json:
            return jsonify(error=str(exc), field=getattr(exc, "field", None)), exc.status
        if isinstance(exc, ServiceUnavailable):
            raise  # the error page, with its status (503, 507) and the reason
        flash(f"Upload refused: {exc}", "error")
        return redirect(url_for("cases.show", case_id=case_id) + "#evidence")
    target = url_for("evidence.show", public_id=evidence.public_id)
    if wants_json:
        return jsonify(location=target), 201
    flash(f"{evidence.original_name} received, sealed and hashed.", "info")
    return redirect(target)


@bp.get("/evidence/<public_id>")
@login_required
def show(public_id: str):
    me = _me()
    evidence = service.get_evidence(db.session(), me, public_id)
    return render_template("evidence/show.html", ev=evidence,
                           custody=service.custody_of(db.session(), evidence),
                           inline=evidence.media_type in media.INLINE,
                           can_shred=policy.can_shred_evidence(me, evidence.case),
                           can_handle=policy.can_add_evidence(me, evidence.case))


def repr_digest(sha256_hex: str) -> str:
    """RFC 9530 ``Repr-Digest`` of the whole file (its intake SHA-256): the client can check
    what it saved against what was sealed."""
    return f"sha-256=:{base64.b64encode(bytes.fromhex(sha256_hex)).decode()}:"


def _attachment(evidence, stream, disposition: str = "attachment") -> Response:
    name = evidence.original_name
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "")
    headers = {
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(name)}",
        "Content-Length": str(evidence.size),
        "Cache-Control": "no-store",
        "Repr-Digest": repr_digest(evidence.sha256),
    }
    return Response(stream_with_context(stream), mimetype=evidence.media_type, headers=headers,
                    direct_passthrough=True)


# A file shown or saved may not run anything or reach anything (see talisman view options).
SEALED_FILE_CSP = {"default-src": "'none'", "img-src": "'self'", "sandbox": ""}


@bp.get("/evidence/<public_id>/download")
@login_required
def download(public_id: str):
    evidence, stream = service.read(db.session(), _me(), public_id, CustodyAction.DOWNLOAD)
    db.commit()
    return _attachment(evidence, stream)


download.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


@bp.get("/evidence/<public_id>/view")
@login_required
def view(public_id: str):
    evidence, _ = service.get_readable(db.session(), _me(), public_id)
    if evidence.media_type not in media.INLINE:
        abort(404)
    evidence, stream = service.read(db.session(), _me(), public_id, CustodyAction.VIEW)
    db.commit()
    return _attachment(evidence, stream, "inline")


view.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


@bp.post("/evidence/<public_id>/export")
@login_required
def export(public_id: str):
    evidence, stream = service.read(db.session(), _me(), public_id, CustodyAction.EXPORT,
                                    reason=request.form.get("reason", ""))
    db.commit()
    return _attachment(evidence, stream)


@bp.post("/evidence/<public_id>/verify")
@login_required
def verify(public_id: str):
    evidence, ok = service.verify_by_officer(db.session(), _me(), public_id)
    db.commit()
    flash("Verified: the content matches its SHA-256." if ok
          else "VERIFICATION FAILED: the content does not match its intake hash.",
          "info" if ok else "error")
    return redirect(url_for("evidence.show", public_id=evidence.public_id))


@bp.post("/evidence/<public_id>/shred")
@login_required
def shred(public_id: str):
    evidence = service.shred(db.session(), _me(), public_id, request.form.get("reason", ""))
    db.commit()
    flash("The evidence was destroyed (its key is gone); its record and custody remain.",
          "info")
    return redirect(url_for("evidence.show", public_id=evidence.public_id))


@bp.post("/evidence/<public_id>/custody")
@login_required
def record_handling(public_id: str):
    try:
        service.record_handling(db.session(), _me(), public_id, request.form.get("action", ""),
                                request.form.get("reason", ""))
        db.commit()
        flash("Recorded in the chain of custody.", "info")
    except Invalid as exc:
        db.session().rollback()
        flash(f"Not recorded: {exc}", "error")
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


from . import derived_views  # noqa: E402,F401
