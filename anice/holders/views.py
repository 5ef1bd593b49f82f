"""Holder pages: the organisations coordinators keep, and a holder's own home."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import db, policy
from ..admin import service as admin_service
from ..errors import Invalid, NotFound
from ..forms import submit_once
from ..web import attach_error
from . import alerts as holder_alerts
from . import material_views, service
from .forms import LinkForm, OrgForm, PersonForm, ReasonForm

bp = Blueprint("holders", __name__, url_prefix="/holders")
material_views.register(bp)  # contacts, guides, recordations and their files


def _me():
    return current_user._get_current_object()


@bp.before_request
@login_required
def _signed_in():
    return None


# --- what coordinators and the secretariat keep ----------------------------------------

@bp.route("/", methods=["GET", "POST"])
@submit_once(then="holders.index")
def index():
    me = _me()
    if policy.is_holder(me):
        return redirect(url_for("holders.home"))
    if not policy.can_manage_holders(me):
        raise NotFound(gettext("No such page."))
    form = OrgForm()
    form.country.choices = [(c.code, c.name) for c in service.org_countries(db.session(), me)]
    status = 200
    if form.validate_on_submit():
        try:
            org = service.create_org(db.session(), me, name=form.name.data,
                                     kind=form.kind.data, country_code=form.country.data,
                                     identity_checked=form.identity_checked.data)
            db.commit()
            flash(gettext("%(org)s registered. Invite its representatives and link its rights.",
                          org=org.name), "info")
            return redirect(url_for("holders.org", org_id=org.id))
        except Invalid as exc:
            db.session().rollback()
            attach_error(form, exc)
    if form.errors:
        status = 422
    return render_template("holders/index.html", orgs=service.list_orgs(db.session(), me),
                           form=form), status


def _org_page(org, *, person_form=None, link_form=None, status=200):
    session = db.session()
    return render_template(
        "holders/org.html", org=org, people=service.people_of(session, org),
        links=service.links_of(session, org), person_form=person_form or PersonForm(),
        link_form=link_form or LinkForm(), reason_form=ReasonForm()), status


@bp.get("/<int:org_id>")
def org(org_id: int):
    me = _me()
    item = service.get_org(db.session(), me, org_id)
    if not policy.can_manage_holder_org(me, item):
        raise NotFound(gettext("No such right holder."))
    return _org_page(item)


@bp.post("/<int:org_id>/people")
@submit_once(then="holders.index")
def invite(org_id: int):
    me = _me()
    item = service.get_org(db.session(), me, org_id)
    form = PersonForm()
    if form.validate_on_submit():
        try:
            person, token = service.invite_representative(
                db.session(), me, org_id, email=form.email.data, name=form.name.data)
            db.commit()
        except Invalid as exc:
            db.session().rollback()
            attach_error(form, exc)
        else:
            return render_template("admin/invited.html", officer=person,
                                   link=admin_service.link_to_hand_over(token))
    return _org_page(item, person_form=form, status=422)


@bp.post("/<int:org_id>/people/<int:person_id>/deactivate")
def deactivate_person(org_id: int, person_id: int):
    form = ReasonForm()
    if not form.validate_on_submit():
        raise Invalid("reason", gettext("say why the account is deactivated"))
    person = service.remove_representative(db.session(), _me(), org_id, person_id,
                                           form.reason.data)
    db.commit()
    flash(gettext("%(name)s can no longer log in.", name=person.name), "info")
    return redirect(url_for("holders.org", org_id=org_id))


@bp.post("/<int:org_id>/links")
@submit_once(then="holders.index")
def link(org_id: int):
    me = _me()
    item = service.get_org(db.session(), me, org_id)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            found = service.link_right(
                db.session(), me, org_id, office=form.office.data, number=form.number.data,
                capacity=form.capacity.data, holder_name=form.holder_name.data,
                power_of_attorney=form.power_of_attorney.data)
            db.commit()
            flash(gettext("%(right)s linked to %(org)s.", org=item.name,
                          right=f"{found.right.office} {found.right.number}"), "info")
            return redirect(url_for("holders.org", org_id=org_id))
        except Invalid as exc:
            db.session().rollback()
            attach_error(form, exc)
    return _org_page(item, link_form=form, status=422)


@bp.post("/<int:org_id>/links/<int:link_id>/revoke")
def revoke(org_id: int, link_id: int):
    form = ReasonForm()
    if not form.validate_on_submit():
        raise Invalid("reason", gettext("say why the link ends"))
    found = service.revoke_link(db.session(), _me(), org_id, link_id, form.reason.data)
    db.commit()
    flash(gettext("%(right)s is no longer linked: the holder's access to it has ended.",
                  right=f"{found.right.office} {found.right.number}"), "info")
    return redirect(url_for("holders.org", org_id=org_id))


@bp.post("/<int:org_id>/active")
def set_active(org_id: int):
    active = request.form.get("active") == "1"
    form = ReasonForm()
    if not active and not form.validate_on_submit():
        raise Invalid("reason", gettext("say why the organisation is suspended"))
    service.set_org_active(db.session(), _me(), org_id, active, form.reason.data or "")
    db.commit()
    flash(gettext("Restored.") if active else gettext("Suspended: its accounts reach nothing."),
          "info")
    return redirect(url_for("holders.org", org_id=org_id))


# --- the holder's own pages ------------------------------------------------------------

@bp.get("/me")
def home():
    found = service.home(db.session(), _me())
    return render_template("holders/home.html", home=found)


@bp.post("/me/alerts")
def alerts():
    service.set_alerts(db.session(), _me(), request.form.get("alerts") == "1")
    db.commit()
    flash(gettext("Alerts saved."), "info")
    return redirect(url_for("holders.home"))


@bp.get("/me/alerts")
def my_alerts():
    found = holder_alerts.my_alerts(db.session(), _me())
    return render_template("holders/alerts.html", alerts=found)


@bp.get("/me/rights/<int:right_id>")
def my_right(right_id: int):
    right = service.my_right(db.session(), _me(), right_id)
    return render_template("holders/right.html", right=right)
