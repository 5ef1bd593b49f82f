"""The signed custody report: the PDF, its detached signature and the signing public key."""

from __future__ import annotations

import base64

from flask import Response, jsonify, redirect, request, url_for
from flask_babel import gettext
from flask_login import login_required

from .. import db
from ..errors import Invalid
from ..forms import current_officer as _me
from ..validation import whole_number
from . import custody_report
from .service import get_evidence
from .views import bp


def _upto() -> int | None:
    raw = request.args.get("upto")
    if raw is None:
        return None
    try:
        return whole_number(raw, "upto", default=0, minimum=0)
    except Invalid:
        raise Invalid("upto", gettext("must be a custody event number")) from None


@bp.get("/evidence/<public_id>/custody.pdf")
@login_required
def custody_pdf(public_id: str):
    get_evidence(db.session(), _me(), public_id)  # an item out of reach is 404, whatever asked
    upto = _upto()
    if upto is None:
        # Pin the state first: the PDF and its .sig must describe the same events.
        upto = custody_report.latest_custody_id(db.session(), _me(), public_id)
        return redirect(url_for("evidence.custody_pdf", public_id=public_id, upto=upto))
    report = custody_report.signed_report(db.session(), _me(), public_id, upto, served=True)
    db.commit()
    sig_url = url_for("evidence.custody_signature", public_id=public_id, upto=upto)
    return Response(report.pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="custody-{public_id}-{upto}.pdf"',
        "X-Signature-Ed25519": base64.b64encode(report.signature).decode(),
        "X-Signature-Key": report.key_fingerprint,
        "Link": f'<{sig_url}>; rel="signature"',
        "Cache-Control": "no-store"})


@bp.get("/evidence/<public_id>/custody.pdf.sig")
@login_required
def custody_signature(public_id: str):
    get_evidence(db.session(), _me(), public_id)  # an item out of reach is 404, whatever asked
    upto = _upto()
    if upto is None:
        raise Invalid("upto", gettext("give the custody event number of the PDF (its ?upto=)"))
    report = custody_report.signed_report(db.session(), _me(), public_id, upto, served=False)
    response = jsonify(report.signature_document())
    response.headers["Content-Disposition"] = (
        f'attachment; filename="custody-{public_id}-{upto}.pdf.sig"')
    return response


@bp.get("/evidence/signing-key.pem")
@login_required
def signing_key_pem():
    public = custody_report.signing_key().public_key()
    return Response(custody_report.public_pem(public), mimetype="application/x-pem-file",
                    headers={"X-Signature-Key": custody_report.fingerprint(public)})
