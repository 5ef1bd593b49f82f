"""Case pages: list and search, the one-screen case page, forms for every change."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import db, policy
from ..admin.service import list_agencies
from ..errors import Conflict, Invalid, user_message
from ..evidence import service as evidence_service
from ..forms import FORM_TOKEN, FormState, current_officer, submit_once, typed
from ..holders import material as holder_material
from ..models import (
    CaseKind,
    CaseStatus,
    Category,
    Detection,
    Disposal,
    Officer,
    Outcome,
    PartyKind,
    PartyRole,
    Platform,
    RightType,
    Sensitivity,
    TakedownResult,
    Unit,
)
from ..referrals import service as referral_service
from ..rights import case_matching
from ..text.labels import label, lower_first
from ..text.numbers import format_figure
from ..validation import whole_number
from ..web import form_wall_clock, paginate
from . import items, places, service, timeline, workflow
from .export import export_csv
from .timeline import plain

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.before_request
@login_required
def _only_case_readers():
    if not policy.can_read_cases(current_user):
        abort(404)


def _me() -> Officer:
    return current_officer()


def _form_data() -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in request.form.items()
                            if k not in ("csrf_token", FORM_TOKEN)}
    for name in ("right_types",):
        if name in request.form:
            data[name] = request.form.getlist(name)
    return data


CHOICES = {
    "kinds": list(CaseKind),
    "statuses": [s for s in CaseStatus if s != CaseStatus.DISCARDED], "rights": list(RightType),
    "detections": list(Detection), "sensitivities": list(Sensitivity),
    "tell_holder_choices": service.TELL_HOLDER_CHOICES,
    "categories": list(Category), "units": list(Unit), "disposals": list(Disposal),
    "platforms": list(Platform), "takedown_results": list(TakedownResult),
    "party_roles": list(PartyRole), "party_kinds": list(PartyKind), "outcomes": list(Outcome),
}


# --- list --------------------------------------------------------------------------

@bp.get("/")
def index():
    me = _me()
    status = 200
    f = service.CaseFilter()
    try:
        f = service.CaseFilter.from_args(request.args)
        page = paginate(service.with_items(service.cases_query(db.session(), me, f)),
                        f.page, f.per_page)
    except Invalid as exc:
        flash(user_message(exc), "error")
        page, status = paginate(service.cases_query(db.session(), me, service.CaseFilter()),
                                1, f.per_page), 422
    return render_template("cases/index.html", page=page, f=f, **CHOICES,
                           agencies=_agency_choices(me)), status


def _agency_choices(me: Officer) -> list:
    if policy.can_filter_cases_by_agency(me):
        return list_agencies(db.session(), me.country_code)
    return []


@bp.get("/export.csv")
def export():
    if not policy.can_export_cases(_me()):
        abort(404)
    f = service.CaseFilter.from_args(request.args)
    query = service.with_items(service.cases_query(db.session(), _me(), f))
    body = export_csv(db.session(), _me(), query)
    db.commit()
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=anice-cases.csv"})


# --- create and edit -----------------------------------------------------------------

@bp.route("/new", methods=["GET", "POST"])
@submit_once
def new():
    me = _me()
    if not policy.can_create_case(me):
        abort(404)
    state = FormState({"kind": request.args.get("kind", "counterfeit"), "sensitivity": "normal"})
    status = 200
    if request.method == "POST":
        data = _form_data()
        try:
            case = service.create_case(db.session(), me, data)
            db.commit()
        except Invalid as exc:
            db.session().rollback()
            state, status = FormState.failed(data, exc), 422
        else:
            flash(gettext("Case %(case)s created as a draft.", case=case.reference), "info")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/edit.html", state=state, case=None,
                           provinces=places.provinces(me.country_code), **CHOICES), status


def _case_values(case) -> dict[str, Any]:
    return {"title": case.title, "summary": case.summary,
            "right_types": [t.value for t in case.right_types],
            "detection": case.detection.value if case.detection else "",
            "province": case.province or "", "city": case.city or "",
            "detected_on": case.detected_on.isoformat() if case.detected_on else "",
            "sensitivity": case.sensitivity.value, "tags": ", ".join(case.tags or []),
            "tell_holder": service.tell_holder_word(case), "version": case.version}


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
def edit(case_id: int):
    me = _me()
    case = service.get_editable_case(db.session(), me, case_id)
    state, status = FormState(_case_values(case)), 200
    if request.method == "POST":
        data = _form_data()
        try:
            service.update_case(db.session(), me, case_id, data)
            db.commit()
        except Invalid as exc:
            db.session().rollback()
            state, status = FormState.failed(data, exc), 422
        except Conflict as exc:
            # Keep what the officer typed; show the current case beside it.
            db.session().rollback()
            case = service.get_case(db.session(), me, case_id)
            state = FormState({**data, "version": case.version}, message=exc.message)
            return render_template("cases/edit.html", state=state, case=case,
                                   current=_case_values(case),
                                   provinces=places.provinces(case.country_code),
                                   **CHOICES), 409
        else:
            flash(gettext("Case saved."), "info")
            return redirect(url_for("cases.show", case_id=case_id))
    return render_template("cases/edit.html", state=state, case=case,
                           provinces=places.provinces(case.country_code), **CHOICES), status


# --- the case page ---------------------------------------------------------------------

def _render_case(case, forms: dict[str, FormState] | None = None, status: int = 200):
    me = _me()
    team_choices = [(o.id, f"{o.name} ({gettext(o.role.label)})")
                    for o in items.team_candidates(db.session(), me, case)]
    matches = case_matching.matches_of(db.session(), me, case)
    return render_template(
        "cases/show.html", case=case, forms=forms or {},
        timeline=service.timeline_of(db.session(), me, case),
        transitions=policy.allowed_transitions(me, case), team_choices=team_choices,
        can_edit=policy.can_edit_case(me, case),
        can_prosecute=policy.can_record_prosecution(me, case),
        can_note=policy.can_add_note(me, case), can_assign=policy.can_assign(me, case),
        evidence=evidence_service.evidence_of(db.session(), me, case),
        matches=matches, holders=holder_material.material_of_rights(
            db.session(), me, [m.right_id for m in matches]),
        holders_today=holder_material.today(),
        can_add_evidence=policy.can_add_evidence(me, case), max_bytes=evidence_service.max_bytes(),
        referrals=referral_service.referrals_of_case(db.session(), me, case),
        today=referral_service.today(), new_state=FormState, timeline_text=timeline.shown,
        **CHOICES), status


@bp.get("/<int:case_id>")
def show(case_id: int):
    return _render_case(service.get_case(db.session(), _me(), case_id))


def _on_case(case_id: int, form_name: str, action, success: str):
    """Run one change from the case page; on bad input show the page with the form kept."""
    data = _form_data()
    try:
        action(data)
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        case = service.get_case(db.session(), _me(), case_id)
        return _render_case(case, {form_name: FormState.failed(data, exc)}, 422)
    except Conflict as exc:
        db.session().rollback()
        case = service.get_case(db.session(), _me(), case_id)
        return _render_case(case, {form_name: FormState(data, message=exc.message)}, 409)
    flash(success, "info")
    return redirect(url_for("cases.show", case_id=case_id) + f"#{form_name}")


@bp.post("/<int:case_id>/items/<kind>")
@submit_once
def add_item(case_id: int, kind: str):
    return _on_case(case_id, kind, lambda d: items.add_item(db.session(), _me(), case_id,
                                                               kind, d, reading=typed()),
                    gettext("Added."))


@bp.route("/<int:case_id>/items/<kind>/<int:item_id>", methods=["GET", "POST"])
def edit_item(case_id: int, kind: str, item_id: int):
    me = _me()
    case = service.get_editable_case(db.session(), me, case_id)
    model, collection, noun = items.KINDS.get(kind) or abort(404)
    item = next((i for i in getattr(case, collection) if i.id == item_id), None)
    if item is None:
        abort(404)
    state, status = FormState(_item_values(item)), 200
    if request.method == "POST":
        data = _form_data()
        try:
            items.update_item(db.session(), me, case_id, kind, item_id, data,
                              reading=typed())
            db.commit()
        except Invalid as exc:
            db.session().rollback()
            state, status = FormState.failed(data, exc), 422
        else:
            flash(gettext(items.SAVED[kind]), "info")
            return redirect(url_for("cases.show", case_id=case_id) + f"#{kind}")
    return render_template("cases/item_edit.html", case=case, kind=kind, noun=noun,
                           item=item, state=state, **CHOICES), status


FIGURES = ("quantity", "value_local", "usd_rate", "price")


def _item_values(item) -> dict[str, Any]:
    """An item's facts as its edit form shows them: figures in the officer's number format,
    the time seen in the officer's zone (what they type back is read the same way)."""
    style = _me().number_style
    values = {}
    for column in item.__table__.columns.keys():
        value = getattr(item, column)
        if column in FIGURES and value is not None:
            values[column] = format_figure(value, style)
        elif column == "seen_at":
            values[column] = form_wall_clock(value)
        else:
            value = plain(value)
            values[column] = "" if value is None else value
    return values


@bp.post("/<int:case_id>/items/<kind>/<int:item_id>/remove")
def remove_item(case_id: int, kind: str, item_id: int):
    items.remove_item(db.session(), _me(), case_id, kind, item_id)
    db.commit()
    flash(gettext("Removed."), "info")
    return redirect(url_for("cases.show", case_id=case_id) + f"#{kind}")


@bp.post("/<int:case_id>/move")
def move(case_id: int):
    to = request.form.get("to", "")
    return _on_case(case_id, f"move-{to}",
                    lambda d: workflow.move_case(db.session(), _me(), case_id, to, d),
                    gettext("Case moved to %(status)s.", status=lower_first(label(to))))


@bp.post("/<int:case_id>/discard")
@submit_once(then="cases.index")
def discard(case_id: int):
    data = _form_data()
    try:
        case = workflow.discard_case(db.session(), _me(), case_id, data)
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        case = service.get_case(db.session(), _me(), case_id)
        return _render_case(case, {"discard": FormState.failed(data, exc)}, 422)
    flash(gettext("Draft %(case)s discarded. Its reference is not given to another case.",
                  case=case.reference), "info")
    return redirect(url_for("cases.index"))


@bp.post("/<int:case_id>/prosecution")
def prosecution(case_id: int):
    return _on_case(case_id, "prosecution",
                    lambda d: workflow.record_prosecution(db.session(), _me(), case_id, d),
                    gettext("Prosecution details saved."))


@bp.post("/<int:case_id>/notes")
@submit_once
def note(case_id: int):
    return _on_case(case_id, "note", lambda d: items.add_note(db.session(), _me(), case_id,
                                                             d.get("text", "")),
                    gettext("Note added."))


@bp.post("/<int:case_id>/team")
def assign(case_id: int):
    def run(d):
        try:
            officer_id = int(whole_number(d.get("officer"), "officer") or 0)
        except Invalid:
            raise Invalid("officer", gettext("choose an officer")) from None
        items.assign(db.session(), _me(), case_id, officer_id)

    return _on_case(case_id, "team", run, gettext("Officer assigned."))


@bp.post("/<int:case_id>/team/<int:officer_id>/remove")
def unassign(case_id: int, officer_id: int):
    items.unassign(db.session(), _me(), case_id, officer_id)
    db.commit()
    flash(gettext("Officer removed from the team."), "info")
    return redirect(url_for("cases.show", case_id=case_id) + "#team")


from . import import_views  # noqa: E402,F401  (routes on bp)


@bp.post("/<int:case_id>/matches")
def rematch(case_id: int):
    case = service.get_editable_case(db.session(), _me(), case_id)
    count = case_matching.match_case(db.session(), case)
    db.commit()
    flash(gettext("Matched against the registry: candidate rights: %(num)s.", num=count),
          "info")
    return redirect(url_for("cases.show", case_id=case_id) + "#matches")


@bp.post("/<int:case_id>/matches/<int:match_id>")
def decide_match(case_id: int, match_id: int):
    case_matching.decide(db.session(), _me(), case_id, match_id,
                         request.form.get("decision", ""))
    db.commit()
    return redirect(url_for("cases.show", case_id=case_id) + "#matches")
