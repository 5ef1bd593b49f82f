"""Officer pages of verification requests (blueprint "verifications"): the send form from a
confirmed match, a request's page (withdraw), the case page's list; and the calendars
(weekends, public holidays) admins and coordinators keep."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import db, policy
from ..errors import Conflict, Invalid, NotFound
from ..forms import submit_once
from ..models import HandlingCode
from . import holidays, service

bp = Blueprint("verifications", __name__)


def _me():
    return current_user._get_current_object()


@bp.before_request
@login_required
def _signed_in():
    return None


# --- on the case page (included by templates/cases/show.html and the match list) ---------

@bp.app_template_global()
def verification_panel(case):
    """The case page's verification requests and which confirmed rights can be asked
    (kept per request: the match list and the request list both ask)."""
    # Per request (g may outlive one request where an app context is held open).
    cache = request.environ.setdefault("anice.verification_panels", {})
    if case.id not in cache:
        me = _me()
        cache[case.id] = {
            "requests": service.requests_of_case(db.session(), me, case),
            "can_send": policy.can_request_verification(me, case),
            "linked": service.linked_right_ids(db.session(), case),
            "today": service.today_in(db.session(), case.country_code),
        }
    return cache[case.id]


# --- sending -----------------------------------------------------------------------------

def _form_values() -> dict:
    form = request.form
    return {"org_id": form.get("org_id"), "seizure_ids": form.getlist("seizures"),
            "listing_ids": form.getlist("listings"), "evidence_ids": form.getlist("evidence"),
            "question": form.get("question", ""),
            "detention_date": form.get("detention_date", ""),
            "working_days": form.get("working_days", ""),
            "handling_code": form.get("handling_code", "")}


@bp.route("/cases/<int:case_id>/matches/<int:match_id>/verification", methods=["GET", "POST"])
@submit_once(then="cases.index")
def new(case_id: int, match_id: int):
    me = _me()
    session = db.session()
    choices = service.send_choices(session, me, case_id, match_id)
    today = service.today_in(session, choices.case.country_code)
    values = {"detention_date": today.isoformat(), "working_days": choices.working_days,
              "handling_code": HandlingCode.AGENCY_ONLY.value, "question": "",
              "seizure_ids": [], "listing_ids": [], "evidence_ids": [],
              "org_id": str(choices.links[0].org_id) if len(choices.links) == 1 else ""}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = _form_values()
        try:
            if "preview" not in request.form:
                vr = service.send(session, me, case_id, match_id,
                                  org_id=values["org_id"] or None,
                                  **{k: v for k, v in values.items() if k != "org_id"})
                db.commit()
                flash(gettext("Verification request sent to %(holder)s; answer due %(date)s.",
                              holder=vr.org.name, date=vr.deadline.isoformat()), "info")
                return redirect(url_for("cases.show", case_id=case_id) + "#verifications")
        except Invalid as exc:
            session.rollback()
            errors = dict(exc.errors)
            status = 422
    deadline = None
    try:
        deadline = service.preview_deadline(session, choices.case, values["detention_date"],
                                            values["working_days"])
    except Invalid as exc:
        errors.setdefault(exc.field, exc.message)
    return render_template("verification/new.html", choices=choices, values=values,
                           errors=errors, deadline=deadline, codes=list(HandlingCode),
                           chosen={k: {str(i) for i in values[k]} for k in
                                   ("seizure_ids", "listing_ids", "evidence_ids")}), status


@bp.get("/verifications/<public_id>")
def show(public_id: str):
    me = _me()
    vr = service.get_for_officer(db.session(), me, public_id)
    return render_template("verification/show.html", vr=vr,
                           today=service.today_in(db.session(), vr.country_code),
                           can_withdraw=policy.can_withdraw_verification(me, vr))


@bp.post("/verifications/<public_id>/withdraw")
def withdraw(public_id: str):
    try:
        service.withdraw(db.session(), _me(), public_id, request.form.get("reason", ""),
                         request.form.get("version") or None)
        db.commit()
        flash(gettext("Verification request withdrawn."), "info")
    except (Invalid, Conflict) as exc:
        db.session().rollback()
        flash(exc.message if isinstance(exc, Invalid) else str(exc), "error")
    return redirect(url_for("verifications.show", public_id=public_id))


# --- calendars ----------------------------------------------------------------------------

@bp.route("/calendars", methods=["GET", "POST"])
def calendars():
    me = _me()
    session = db.session()
    countries = holidays.maintainable_countries(session, me)
    if not countries:
        raise NotFound(gettext("No such page."))
    code = request.values.get("country") or countries[0].code
    country = next((c for c in countries if c.code == code), None)
    if country is None:
        raise NotFound(gettext("No such calendar."))
    try:
        year = int(request.values.get("year") or date.today().year)
    except ValueError:
        abort(404)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        action = request.form.get("action")
        try:
            if action == "weekend":
                holidays.set_weekend(session, me, country.code, request.form.get("weekend", ""))
                flash(gettext("Weekend saved."), "info")
            elif action == "add":
                holidays.add_holiday(session, me, country.code, request.form.get("day", ""),
                                     request.form.get("name", ""))
                flash(gettext("Holiday saved."), "info")
            elif action == "delete":
                holidays.delete_holiday(session, me, int(request.form.get("holiday_id") or 0))
                flash(gettext("Holiday removed."), "info")
            elif action == "import":
                text = request.form.get("csv", "")
                if not text.strip():
                    raise Invalid("csv", gettext("paste the lines of a CSV file"))
                result = holidays.import_csv(session, me, text)
                flash(gettext("Imported: %(added)s added, %(renamed)s renamed, %(unchanged)s "
                              "unchanged.", added=result.added, renamed=result.renamed,
                              unchanged=result.unchanged), "info")
            db.commit()
            return redirect(url_for("verifications.calendars", country=country.code, year=year))
        except Invalid as exc:
            session.rollback()
            errors = dict(exc.errors)
            status = 422
    return render_template("verification/calendars.html", countries=countries,
                           country=country, year=year, errors=errors,
                           rows=holidays.holidays_of(session, country.code, year)), status
