"""Derived data on the evidence pages: the sealed thumbnail and the EXIF facts."""

from __future__ import annotations

from flask import Response
from flask_login import login_required

from .. import db
from ..forms import current_officer as _me
from . import derived
from .transfer import SEALED_FILE_CSP
from .views import bp


@bp.get("/evidence/<public_id>/thumbnail.png")
@login_required
def thumbnail(public_id: str):
    data = derived.thumbnail(db.session(), _me(), public_id)
    db.commit()
    return Response(data, mimetype="image/png", headers={"Cache-Control": "no-store"})


thumbnail.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


@bp.context_processor
def _derived_of():
    """``derived_of(ev)`` for the evidence page, whose view has checked access to ``ev``."""
    return {"derived_of": lambda evidence: derived.summary(db.session(), evidence)}
