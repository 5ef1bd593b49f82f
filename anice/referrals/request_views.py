"""Referral request pages: asked from a hit, answered by the holder's coordinator."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from .. import db, policy
from ..errors import Conflict, Invalid
from ..forms import FormState, current_officer, submit_once
from ..models import HandlingCode, RequestedAction
from ..web import id_arg
from . import requests
from .views import bp, form_data, render_new


@bp.app_template_global()
def hit_request(case, hit) -> dict:
    """What the hits panel offers for one hit: the request already made from this case to
    the hit's agency (with its status as the asker sees it), or the link to make one."""
    me = current_officer()
    made = requests.request_of_hit(db.session(), me, case, hit["agency"]["id"])
    if made is not None and made.status.value != "declined":
        return {"request": made, "status": requests.asker_status(made), "url": None}
    url = (url_for("referrals.request_new", case_id=case.id, agency_id=hit["agency"]["id"])
           if policy.can_request_case(me, case) else None)
    return {"request": made, "status": requests.asker_status(made) if made else None,
            "url": url}


@bp.route("/requests/new", methods=["GET", "POST"])
@submit_once
def request_new():
    me = current_officer()
    case_id, agency_id = id_arg("case_id"), request.values.get("agency_id", "")
    if case_id is None:
        abort(404)
    session = db.session()
    shown = requests.request_form(session, me, case_id, agency_id)
    if request.method == "GET":
        form = FormState({"message": shown["message"]})
        return render_template("referrals/request_new.html", form=form, **shown)
    data = form_data()
    try:
        made = requests.create_request(session, me, case_id, data)
        db.commit()
    except (Invalid, Conflict) as exc:
        session.rollback()
        form = (FormState.failed(data, exc) if isinstance(exc, Invalid)
                else FormState(data, message=exc.message))
        shown = requests.request_form(session, me, case_id, agency_id)
        return render_template("referrals/request_new.html", form=form, **shown), (
            422 if isinstance(exc, Invalid) else 409)
    flash(gettext("Request %(ref)s sent to the coordinator of %(agency)s.",
                  ref=made.reference, agency=made.holder_agency.name), "info")
    return redirect(url_for("referrals.request_show", request_id=made.id))


def _render(made, forms: dict | None = None, status: int = 200):
    me = current_officer()
    holder_side = policy.is_request_holder(me, made)
    return render_template(
        "referrals/request_show.html", q=made, holder_side=holder_side,
        status_text=requests.status_for(me, made),
        answer=made.referral if holder_side else requests.answer_shown(made),
        forms=forms or {}), status


@bp.get("/requests/<int:request_id>")
def request_show(request_id: int):
    return _render(requests.get_request(db.session(), current_officer(), request_id))


@bp.post("/requests/<int:request_id>/decline")
@submit_once
def request_decline(request_id: int):
    me, session = current_officer(), db.session()
    data = form_data()
    try:
        requests.decline_request(session, me, request_id, data)
        db.commit()
    except Invalid as exc:
        session.rollback()
        made = requests.get_request(session, me, request_id)
        return _render(made, {"decline": FormState.failed(data, exc)}, 422)
    except Conflict as exc:
        session.rollback()
        made = requests.get_request(session, me, request_id)
        return _render(made, {"decline": FormState(data, message=exc.message)}, 409)
    flash(gettext("Declined: the asker reads your reason."), "info")
    return redirect(url_for("referrals.request_show", request_id=request_id))


@bp.route("/requests/<int:request_id>/refer", methods=["GET", "POST"])
@submit_once
def request_refer(request_id: int):
    """Answer by referring the case back: the referral form, the receiver fixed."""
    me, session = current_officer(), db.session()
    made = requests.get_request(session, me, request_id)
    if not policy.can_answer_referral_request(me, made):
        flash(gettext("Request %(ref)s was answered already (%(status)s).",
                      ref=made.reference, status=gettext(made.status.label)), "error")
        return redirect(url_for("referrals.request_show", request_id=request_id))
    try:
        case = requests.holder_case_of(session, me, made, request.values.get("case_id"))
    except Invalid:
        abort(404)
    if request.method == "GET":
        values = {"case_id": str(case.id), "handling_code": HandlingCode.AGENCY_ONLY.value,
                  "requested_action": RequestedAction.INFORMATION_ONLY.value,
                  "message": gettext("In answer to your request %(ref)s (your case %(case)s).",
                                     ref=made.reference, case=made.asker_case.reference)}
        return render_new(case, FormState(values), on_request=made)
    data = form_data()
    try:
        referral = requests.refer_back(session, me, request_id, data)
        db.commit()
    except Invalid as exc:
        session.rollback()
        made = requests.get_request(session, me, request_id)
        return render_new(case, FormState.failed(data, exc), 422, on_request=made)
    except Conflict as exc:
        session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("referrals.request_show", request_id=request_id))
    waits = referral.status.value == "pending_approval"
    flash(gettext("Referral %(ref)s drafted in answer; it waits for the approval of "
                  "%(agency)s.", ref=referral.reference, agency=referral.from_agency.name)
          if waits else gettext("Referral %(ref)s drafted in answer and sent.",
                                ref=referral.reference), "info")
    return redirect(url_for("referrals.show", referral_id=referral.id))

