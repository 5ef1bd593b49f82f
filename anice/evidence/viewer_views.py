"""The evidence viewer page and the previews it shows (each served one a custody event)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_login import login_required

from .. import db, policy
from ..forms import current_officer as _me
from ..validation import whole_number
from . import viewer
from .transfer import SEALED_FILE_CSP, attachment
from .views import bp


@bp.get("/evidence/<public_id>/view")
@login_required
def view(public_id: str):
    """The viewer page: metadata, hash and the content as images. Records nothing."""
    me = _me()
    page = whole_number(request.args.get("page"), "page", default=1, clamp=True)
    shown = viewer.viewing(db.session(), me, public_id, page)
    return render_template("evidence/viewer.html", v=shown, ev=shown.evidence,
                           own_case=policy.can_view_case(me, shown.evidence.case))


@bp.get("/evidence/<public_id>/preview")
@login_required
def preview(public_id: str):
    evidence, stream = viewer.image_preview(db.session(), _me(), public_id)
    db.commit()
    return attachment(evidence, stream, "inline")


preview.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


@bp.get("/evidence/<public_id>/pages/<int:page>.png")
@login_required
def pdf_page(public_id: str, page: int):
    png = viewer.pdf_page(db.session(), _me(), public_id, page)
    db.commit()
    return Response(png, mimetype="image/png", headers={"Cache-Control": "no-store"})


pdf_page.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}
