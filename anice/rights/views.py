"""Registry pages: browse and search, one right's details, CSV and XML import."""

from __future__ import annotations

from flask import Blueprint, abort, flash, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import db, policy
from ..errors import Invalid
from ..models import Country, Officer, RightKind, RightStatus
from ..web import paginate
from . import importing, importing_xml, service

bp = Blueprint("rights", __name__, url_prefix="/rights")


@bp.before_request
@login_required
def _only_officers():
    if not policy.can_view_rights(current_user):
        abort(404)


def _me() -> Officer:
    return current_user._get_current_object()


def _choices() -> dict:
    offices = db.session().execute(select(Country.code, Country.name)
                                   .order_by(Country.name)).all()
    return {"kinds": list(RightKind), "statuses": list(RightStatus), "offices": offices}


@bp.get("/")
def index():
    f = service.RightFilter.from_args(request.args)
    status = 200
    try:
        page = paginate(service.rights_query(_me(), f), f.page, f.per_page)
    except Invalid as exc:
        flash(str(exc), "error")
        page = paginate(service.rights_query(_me(), service.RightFilter()), 1, f.per_page)
        status = 422
    return render_template("rights/index.html", page=page, f=f, **_choices()), status


@bp.get("/<int:right_id>")
def show(right_id: int):
    right = service.get_right(db.session(), _me(), right_id)
    return render_template("rights/show.html", right=right)


@bp.route("/import", methods=["GET", "POST"])
def import_rights():
    if not policy.can_import_rights(_me()):
        abort(404)
    if request.method == "GET":
        return render_template("rights/import.html", result=None, mode="abort")
    mode = request.form.get("mode", "abort")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("file: choose a CSV or XML file to upload", "error")
        return render_template("rights/import.html", result=None, mode=mode), 422
    # Runs in the request for now; a registry-sized file belongs in a job.
    try:
        result = importing_xml.import_file(db.session(), _me(), upload.stream,
                                           filename=upload.filename, mode=mode)
        db.commit()
    except importing.RightsImportRefused as exc:
        return render_template("rights/import.html", result=exc.result, mode=mode), 422
    return render_template("rights/import.html", result=result, mode=mode)
