"""Registry pages: browse and search, one right's details and its edit form, and the
CSV / XML import (uploaded sealed, run as a job, with a progress page)."""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import db, policy
from ..errors import Conflict, Invalid, user_message
from ..extensions import csrf
from ..forms import FormState, submit_once
from ..holders import material as holder_material
from ..imports import service as imports
from ..imports.web import receive_upload
from ..models import Country, ImportKind, Officer, RightKind, RightStatus
from ..web import paginate, private_image
from . import editing, history, import_jobs, importing_zip, provenance, service, statuses
from .matching.goods import highlight

bp = Blueprint("rights", __name__, url_prefix="/rights")
CONTACT_FIELD = re.compile(r"^contacts\[(\d{1,2})\]\.(country|name|email|phone)$")
BLANK_CONTACT_ROWS = 2
HISTORY_SHOWN = 10  # changes on the right's page; "show all" shows up to HISTORY_ALL
HISTORY_ALL = 500


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
    return {"kinds": list(RightKind), "statuses": list(RightStatus), "offices": offices,
            "kind_choices": _worded(RightKind), "status_choices": _worded(RightStatus)}


def _worded(kind) -> list[tuple[str, str]]:
    """An enum's (value, label in the reader's language) pairs, for a select."""
    return [(member.value, gettext(member.label)) for member in kind]


@bp.get("/")
def index():
    status = 200
    f = service.RightFilter()
    try:
        f = service.RightFilter.from_args(request.args)
        page = paginate(service.rights_query(_me(), f), f.page, f.per_page)
    except Invalid as exc:
        flash(user_message(exc), "error")
        page = paginate(service.rights_query(_me(), service.RightFilter()), 1, f.per_page)
        status = 422
    return render_template("rights/index.html", page=page, f=f, **_choices()), status


@bp.app_template_filter("goods_highlight")
def goods_highlight(term: str, words: list[str] | None) -> list[tuple[str, bool]]:
    """A goods term cut into (piece, shared with what was seen) for <mark>: the case page's
    candidates and the right's page."""
    return highlight(term or "", words)


@bp.get("/<int:right_id>")
def show(right_id: int):
    me = _me()
    right = service.get_right(db.session(), me, right_id)
    show_all = request.args.get("history") == "all"
    changes, total = history.right_history(db.session(), me, right_id, per_page=HISTORY_ALL
                                           if show_all else HISTORY_SHOWN)
    return render_template("rights/show.html", right=right,
                           goods_groups=service.goods_by_class(right),
                           contacts=editing.contacts_of(db.session(), right),
                           holders=holder_material.material_of_right(db.session(), me, right.id),
                           today=holder_material.today(),
                           can_edit=policy.can_edit_right(me, right.office),
                           source=provenance.provenance(db.session(), right),
                           changes=changes, changes_total=total, show_all=show_all)


@bp.get("/<int:right_id>/images/<int:image_id>")
@bp.get("/<int:right_id>/images/<int:image_id>/thumb", defaults={"thumb": True},
        endpoint="image_thumb")
def image(right_id: int, image_id: int, thumb: bool = False):
    """A mark image (PNG) of a right the officer may see; 404 otherwise."""
    _, size, chunks = service.open_image(db.session(), _me(), right_id, image_id, thumb)
    return private_image(size, chunks)


# --- editing ---------------------------------------------------------------------------

def _form_data() -> dict[str, Any]:
    """The posted form as ``update_right`` takes it: contact rows become a list."""
    data: dict[str, Any] = {}
    rows: dict[int, dict[str, str]] = {}
    for key, value in request.form.items():
        found = CONTACT_FIELD.match(key)
        if found:
            rows.setdefault(int(found.group(1)), {})[found.group(2)] = value
        elif key != "csrf_token":
            data[key] = value
    data["contacts"] = [rows[i] for i in sorted(rows)]
    return data


def _edit_page(right, state: FormState, status: int = 200, current: dict | None = None):
    contacts = list(state.values.get("contacts") or [])
    contacts += [{}] * BLANK_CONTACT_ROWS
    return render_template("rights/edit.html", right=right, state=state, contacts=contacts,
                           current=current, **_choices()), status


@bp.route("/<int:right_id>/edit", methods=["GET", "POST"])
def edit(right_id: int):
    me = _me()
    right = editing.get_editable_right(db.session(), me, right_id)
    if request.method == "GET":
        return _edit_page(right, FormState(editing.form_values(db.session(), right)))
    data = _form_data()
    try:
        editing.update_right(db.session(), me, right_id, data)
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        return _edit_page(right, FormState.failed(data, exc), 422)
    except Conflict as exc:
        # Keep what the officer typed; show the right as it is now beside it.
        db.session().rollback()
        right = service.get_right(db.session(), me, right_id)
        now = editing.form_values(db.session(), right)
        state = FormState({**data, "updated_at": now["updated_at"]}, message=exc.message)
        return _edit_page(right, state, 409, current=now)
    flash(gettext("Right saved."), "info")
    return redirect(url_for("rights.show", right_id=right_id))


# --- the status table ---------------------------------------------------------------------

def _status_page(office: str, state: FormState, status: int = 200):
    rows = statuses.office_statuses(db.session(), office or None)
    offices = sorted({r.office for r in statuses.office_statuses(db.session())})
    return render_template("rights/statuses.html", rows=rows, office=office, state=state,
                           offices=offices, statuses=list(RightStatus),
                           status_choices=_worded(RightStatus)), status


@bp.route("/statuses", methods=["GET", "POST"])
def status_table():
    me = _me()
    if not policy.can_open_status_table(me):
        abort(404)
    office = request.args.get("office", "").strip().upper()[:4]
    if request.method == "GET":
        default = office or ("" if policy.is_admin(me) else me.country_code)
        return _status_page(office, FormState({"office": default}))
    data = {k: request.form.get(k, "") for k in ("office", "value", "status")}
    try:
        row = statuses.set_office_status(db.session(), me, data["office"], data["value"],
                                         data["status"])
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        return _status_page(office, FormState.failed(data, exc), 422)
    flash(gettext("Office %(office)s: “%(value)s” now means %(status)s. Import the office's "
                  "files again to update their rights.", office=row.office, value=row.value,
                  status=gettext(row.status.label)), "info")
    return redirect(url_for("rights.status_table", office=row.office))


# --- import ------------------------------------------------------------------------------

def _import_page(state: FormState | None = None, status: int = 200):
    me = _me()
    return render_template("rights/import.html", state=state or FormState({"mode": "abort"}),
                           recent=imports.recent_jobs(db.session(), me, ImportKind.RIGHTS),
                           files=provenance.recent_imports(db.session(), me),
                           max_bytes=import_jobs.max_upload_bytes(),
                           max_unzipped=importing_zip.max_unzipped_bytes()), status


@bp.get("/import")
def import_rights():
    if not policy.can_import_rights(_me()):
        abort(404)
    return _import_page()


@bp.post("/import")
@csrf.exempt  # the form is parsed while the file is sealed; receive_upload checks CSRF
@submit_once(streamed=True, commit_first=True)
def upload_rights():
    me = _me()
    if not policy.can_import_rights(me):
        abort(404)
    upload, form = None, {"mode": "abort"}
    try:
        upload, form = receive_upload(import_jobs.max_upload_bytes())
        job = import_jobs.queue_import(db.session(), me, upload, form.get("mode", "abort"))
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        if upload is not None:
            upload.discard()
        return _import_page(FormState.failed({"mode": form.get("mode", "abort")}, exc), 422)
    return redirect(url_for("rights.import_job", job_id=job.id))


@bp.get("/import/<int:job_id>")
def import_job(job_id: int):
    job = imports.get_job(db.session(), _me(), job_id, ImportKind.RIGHTS)
    progress = imports.status(db.session(), job)
    db.commit()
    earlier = ((job.report or {}).get("previous") or {}).get("id")
    previous = provenance.import_of(db.session(), earlier)
    return render_template("rights/import_job.html", job=job, progress=progress,
                           previous=previous)


@bp.get("/import/<int:job_id>/status")
def import_status(job_id: int):
    job = imports.get_job(db.session(), _me(), job_id, ImportKind.RIGHTS)
    progress = imports.status(db.session(), job)
    db.commit()
    return jsonify(progress)
