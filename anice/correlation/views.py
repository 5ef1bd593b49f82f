"""Correlation pages: the links panel of a case page, the network view, noise marks."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import db, policy
from ..errors import Conflict, Invalid, user_message
from ..forms import FORM_TOKEN, submit_once
from ..models import IdentifierKind, Officer, Platform
from ..web import int_arg
from . import network as network_service
from . import service

bp = Blueprint("correlation", __name__, url_prefix="/correlation")


def _me() -> Officer:
    return current_user._get_current_object()


@bp.app_template_global()
def case_links(case):
    """The links panel's data for the case page (the include calls it while rendering)."""
    result = service.links_for(db.session(), _me(), case)
    # Hits shown for the first time were recorded (and their holders told): keep that.
    db.commit()
    return result


@bp.app_template_global()
def identifier_labels(kinds) -> str:
    return ", ".join(gettext(IdentifierKind(k).label) for k in kinds)


@bp.before_request
@login_required
def _logged_in():
    """Every page asks policy through its service (network readers, noise keepers)."""


@bp.get("/")
def network():
    me = _me()
    kind, page, status = request.args.get("kind", ""), 1, 200
    try:
        page = int_arg("page")
    except Invalid as exc:  # not a page number: the first page, the problem named
        flash(user_message(exc), "error")
        status = 422
    try:
        result = network_service.network(db.session(), me, kind, page)
    except Invalid as exc:
        flash(user_message(exc), "error")
        kind, result = "", network_service.network(db.session(), me, "", 1)
    return render_template("correlation/network.html", result=result, kind=kind,
                           kinds=list(IdentifierKind),
                           picture=network_service.picture(result.groups),
                           can_mark=policy.can_mark_noise(me, me.country_code)), status


@bp.get("/noise")
def noise():
    me = _me()
    marks = service.noise_marks(db.session(), me)
    return render_template("correlation/noise.html", marks=marks,
                           kinds=[k for k in IdentifierKind if not k.hashed],
                           platforms=list(Platform),
                           can_network=policy.can_mark_noise(me, None))


@bp.post("/noise")
@submit_once
def mark_noise():
    me = _me()
    data = {k: v for k, v in request.form.items() if k not in ("csrf_token", FORM_TOKEN)}
    try:
        row = service.mark_noise(db.session(), me, data)
        db.commit()
    except (Invalid, Conflict) as exc:
        db.session().rollback()
        flash(user_message(exc), "error")
    else:
        flash(gettext("The %(kind)s is marked as noise: it no longer links cases.",
                      kind=gettext(row.kind.label)), "info")
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/correlation") else url_for("correlation.noise"))


@bp.post("/noise/<int:noise_id>/lift")
def lift_noise(noise_id: int):
    try:
        row = service.lift_noise(db.session(), _me(), noise_id)
        db.commit()
    except Conflict as exc:
        db.session().rollback()
        flash(user_message(exc), "error")
    else:
        flash(gettext("The %(kind)s links cases again.", kind=gettext(row.kind.label)), "info")
    return redirect(url_for("correlation.noise"))
