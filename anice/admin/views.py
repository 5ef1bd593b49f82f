"""Administration pages: countries, agencies, officers and the audit trail."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import db, policy
from ..errors import Invalid
from ..forms import submit_once
from ..web import attach_error, int_arg, paginate
from . import service
from . import translations as catalogs
from .forms import AgencyEditForm, AgencyForm, CountryForm, DeactivateForm, InviteForm, RoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
log = logging.getLogger(__name__)


def _me():
    return current_user._get_current_object()


@bp.before_request
@login_required
def _only_administrators():
    if request.endpoint == "admin.translations":
        return  # its own reviewers (the secretariat too): the view asks policy
    if not policy.can_open_admin(current_user):
        abort(404)


@bp.get("/")
def index():
    return redirect(url_for("admin.officers"))


# --- countries ----------------------------------------------------------------------

@bp.get("/countries")
def countries():
    return render_template("admin/countries.html", countries=service.list_countries(db.session()))


@bp.route("/countries/<code>", methods=["GET", "POST"])
def country(code: str):
    if not policy.can_manage_countries(_me()):
        abort(404)
    item = service.get_country(db.session(), code)
    form = CountryForm(obj=item)
    status = 200
    if form.validate_on_submit():
        try:
            service.update_country(db.session(), _me(), code, name=form.name.data,
                                   currency=form.currency.data.upper(),
                                   timezone=form.timezone.data.strip(), active=form.active.data)
            db.commit()
            flash(gettext("%(name)s saved.", name=item.name), "info")
            return redirect(url_for("admin.countries"))
        except Invalid as exc:
            db.session().rollback()
            attach_error(form, exc)
    if form.errors:
        status = 422
    return render_template("admin/country.html", form=form, country=item), status


# --- agencies -----------------------------------------------------------------------

def _agency_countries(me) -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in service.list_countries(db.session())
            if policy.can_manage_agencies_of(me, c.code)]


@bp.route("/agencies", methods=["GET", "POST"])
@submit_once(then="admin.agencies")
def agencies():
    me = _me()
    country = request.args.get("country", "")
    form = AgencyForm()
    form.country.choices = _agency_countries(me)
    status = 200
    if form.validate_on_submit():
        try:
            agency = service.create_agency(db.session(), me, form.country.data, form.code.data,
                                           form.name.data, form.kind.data)
            db.commit()
            flash(gettext("Agency %(name)s created.", name=agency.name), "info")
            return redirect(url_for("admin.agencies"))
        except Invalid as exc:
            db.session().rollback()
            attach_error(form, exc)
    if form.errors:
        status = 422
    items = service.list_agencies(db.session(), country or None)
    return render_template("admin/agencies.html", form=form, agencies=items,
                           countries=service.list_countries(db.session()),
                           country=country), status


@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
def agency(agency_id: int):
    me = _me()
    item = service.get_agency(db.session(), agency_id)
    if not policy.can_manage_agencies_of(me, item.country_code):
        abort(404)
    form = AgencyEditForm(obj=item)
    if request.method == "GET":
        form.kind.data = item.kind.value
    status = 200
    if form.validate_on_submit():
        try:
            service.update_agency(db.session(), me, agency_id, name=form.name.data,
                                  kind=form.kind.data, active=form.active.data,
                                  tell_holders=form.tell_holders.data)
            db.commit()
            flash(gettext("Agency saved."), "info")
            return redirect(url_for("admin.agencies"))
        except Invalid as exc:
            db.session().rollback()
            attach_error(form, exc)
    if form.errors:
        status = 422
    return render_template("admin/agency.html", form=form, agency=item), status


# --- officers -----------------------------------------------------------------------

@bp.get("/officers")
def officers():
    f = service.OfficerFilter(
        q=request.args.get("q", ""), country=request.args.get("country", ""),
        role=request.args.get("role", ""), status=request.args.get("status", ""),
        sort=request.args.get("sort", "name"), page=int_arg("page"))
    page = paginate(service.officers_query(_me(), f), f.page, f.per_page)
    return render_template("admin/officers.html", page=page, f=f, roles=list(policy.OFFICER_ROLES),
                           countries=service.list_countries(db.session()))


def _invite_form(me) -> InviteForm:
    form = InviteForm()
    form.role.choices = [(r.value, gettext(r.label)) for r in policy.invitable_roles(me)]
    agencies = service.list_agencies(db.session(), None if policy.is_admin(me)
                                     else me.country_code)
    form.agency.choices = [(a.id, f"{a.country_code} · {a.name}") for a in agencies if a.active]
    return form


@bp.route("/officers/invite", methods=["GET", "POST"])
@submit_once(then="admin.officers")
def invite():
    me = _me()
    form = _invite_form(me)
    status = 200
    if form.validate_on_submit():
        try:
            officer, token = service.invite_officer(
                db.session(), me, email=form.email.data, name=form.name.data,
                role=form.role.data, agency_id=form.agency.data)
            db.commit()
        except Invalid as exc:
            db.session().rollback()
            attach_error(form, exc)
        else:
            return render_template("admin/invited.html", officer=officer,
                                   link=service.link_to_hand_over(token))
    if form.errors or form.form_errors:
        status = 422
    return render_template("admin/invite.html", form=form), status


@bp.get("/officers/<int:officer_id>")
def officer(officer_id: int):
    me = _me()
    item = service.get_officer(db.session(), me, officer_id)
    role_form = RoleForm(role=item.role.value)
    role_form.role.choices = [(r.value, gettext(r.label)) for r in policy.invitable_roles(me)]
    return render_template("admin/officer.html", officer=item, role_form=role_form,
                           deactivate_form=DeactivateForm(),
                           attempts=service.login_attempts(db.session(), me, item))


@bp.post("/officers/<int:officer_id>/role")
def change_role(officer_id: int):
    form = RoleForm()
    form.role.choices = [(r.value, gettext(r.label)) for r in policy.invitable_roles(_me())]
    if not form.validate_on_submit():
        raise Invalid("role", "; ".join(form.role.errors) or gettext("choose a role"))
    service.change_role(db.session(), _me(), officer_id, form.role.data)
    db.commit()
    flash(gettext("Role changed; the officer must log in again."), "info")
    return redirect(url_for("admin.officer", officer_id=officer_id))


@bp.post("/officers/<int:officer_id>/deactivate")
def deactivate(officer_id: int):
    form = DeactivateForm()
    if not form.validate_on_submit():
        raise Invalid("reason", gettext("say why the account is deactivated"))
    service.deactivate(db.session(), _me(), officer_id, form.reason.data)
    db.commit()
    flash(gettext("Account deactivated; its sessions have ended."), "info")
    return redirect(url_for("admin.officer", officer_id=officer_id))


@bp.post("/officers/<int:officer_id>/reinvite")
def reinvite(officer_id: int):
    officer, token = service.reinvite(db.session(), _me(), officer_id)
    db.commit()
    return render_template("admin/invited.html", officer=officer,
                           link=service.link_to_hand_over(token))


# --- audit --------------------------------------------------------------------------

@bp.get("/audit")
def audit_trail():
    f = service.AuditFilter(
        action=request.args.get("action", ""), actor=request.args.get("actor", ""),
        country=request.args.get("country", ""), date_from=request.args.get("from", ""),
        date_to=request.args.get("to", ""), page=int_arg("page"))
    page = paginate(service.audit_query(_me(), f), f.page, f.per_page)
    return render_template("admin/audit.html", page=page, f=f,
                           countries=service.list_countries(db.session()))


# --- translations -------------------------------------------------------------------

@bp.get("/translations")
def translations():
    """The catalogs' untranslated and fuzzy messages, for their reviewers (docs/i18n.md)."""
    statuses = catalogs.catalog_status(_me())
    chosen = request.args.get("language", "")
    shown = next((c for c in statuses if c.code == chosen), None) or statuses[0]
    return render_template("admin/translations.html", statuses=statuses, shown=shown)
