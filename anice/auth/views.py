"""Login, logout, invitation acceptance, account and API tokens pages."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required, logout_user

from .. import db
from ..errors import Invalid
from ..extensions import limiter
from ..text import locales
from . import service, sessions, tokens, totp
from .forms import (
    ConfirmForm,
    LanguageForm,
    LoginForm,
    PasswordForm,
    RegionalForm,
    TimezoneForm,
    TokenForm,
    TotpForm,
    zone_choices,
)
from .session_views import start_login

bp = Blueprint("auth", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        result = service.login(db.session(), form.email.data, form.password.data,
                               form.code.data, request.remote_addr,
                               request.headers.get("User-Agent"))
        db.commit()
        if result.officer is not None:
            start_login(result.officer)
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append(gettext(result.error) if result.error else "")
        form.code.data = form.code.raw_data = None  # a one-time code is never shown back
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    everywhere = request.form.get("everywhere") == "1"
    if ConfirmForm().validate_on_submit():
        service.logout(db.session(), current_user._get_current_object(), everywhere=everywhere)
        db.commit()
    logout_user()
    session.clear()
    flash(gettext("You have been logged out of every session.") if everywhere
          else gettext("You have been logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def accept_invitation(token: str):
    inv = service.open_invitation(db.session(), token)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            service.set_invited_password(db.session(), token, form.password.data,
                                         form.confirm.data)
        except Invalid as exc:
            db.session().rollback()
            getattr(form, exc.field).errors.append(exc.message)
            return render_template("auth/invite_password.html", form=form, inv=inv), 422
        db.commit()
        return redirect(url_for("auth.enrol_totp", token=token))
    return render_template("auth/invite_password.html", form=form, inv=inv)


@bp.route("/invite/<token>/totp", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def enrol_totp(token: str):
    inv, secret = service.enrolment_secret(db.session(), token)
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        try:
            codes = service.confirm_totp(db.session(), token, form.code.data)
        except Invalid as exc:
            db.session().rollback()
            form.code.errors.append(exc.message)
            status = 422
        else:
            db.commit()
            return render_template("auth/recovery_codes.html", codes=codes, enrolled=True)
    return render_template("auth/invite_totp.html", form=form, inv=inv, secret=secret), status


@bp.get("/invite/<token>/qr.svg")
def enrol_qr(token: str):
    inv, secret = service.enrolment_secret(db.session(), token)
    svg = totp.qr_svg(totp.provisioning_uri(secret, inv.officer.email))
    return Response(svg, mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


@bp.get("/account")
@login_required
def account():
    me = current_user._get_current_object()
    return render_template(
        "auth/account.html", me=me, regional_form=_regional_form(me),
        token_form=TokenForm(), confirm=ConfirmForm(),
        sessions=sessions.live_sessions(db.session(), me),
        current_key=sessions.session_key(me.session_id or ""),
        tokens=tokens.list_tokens(db.session(), me),
        recovery_left=service.unused_recovery_codes(db.session(), me))


def _regional_form(me, formdata=None) -> RegionalForm:
    form = RegionalForm(formdata, timezone=me.timezone, number_format=me.number_style.value)
    form.timezone.choices = zone_choices()
    return form


@bp.post("/account/regional")
@login_required
def set_regional():
    me = current_user._get_current_object()
    form = _regional_form(me, request.form)
    if not form.validate_on_submit():
        raise Invalid("csrf_token", "; ".join(form.csrf_token.errors) or gettext("is missing"))
    service.set_regional(db.session(), me, timezone=(form.timezone.data or "").strip(),
                         number_format=form.number_format.data or "")
    db.commit()
    flash(gettext("Regional settings saved: times in %(zone)s, figures written like "
                  "%(example)s.", zone=me.timezone, example=me.number_style.example), "info")
    return redirect(url_for("auth.account"))


@bp.post("/language")
def set_language():
    """The language switch: stored on the officer, or in the session before login; back to
    the page it was clicked on."""
    form = LanguageForm()
    if not form.validate_on_submit():
        field, errors = next(iter(form.errors.items()))
        raise Invalid(field, "; ".join(errors))
    code = form.language.data.strip()
    extra = tuple(filter(None, [current_app.config.get("PSEUDO_LOCALE")]))
    if current_user.is_authenticated:
        service.set_language(db.session(), current_user._get_current_object(), code, extra)
        db.commit()
    elif locales.is_language(code, extra):
        session["language"] = code
    else:
        raise Invalid("language", gettext("must be one of %(values)s",
                                          values=", ".join(locales.LANGUAGES)))
    return redirect(_safe_next(form.next.data))


@bp.post("/account/timezone")
@login_required
def set_timezone():
    form = TimezoneForm()
    if form.validate_on_submit():
        service.set_timezone(db.session(), current_user._get_current_object(),
                             form.timezone.data.strip())
        db.commit()
        flash(gettext("Time zone saved."), "info")
    else:
        raise Invalid("timezone", "; ".join(form.timezone.errors) or gettext("is required"))
    return redirect(url_for("auth.account"))


@bp.post("/account/tokens")
@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        field, errors = next(iter(form.errors.items()))
        raise Invalid(field, "; ".join(errors))
    token, raw = tokens.create_token(db.session(), current_user._get_current_object(),
                                     form.name.data, form.scope.data, form.days.data)
    db.commit()
    return render_template("auth/token_created.html", token=token, raw=raw)


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(token_id: int):
    if ConfirmForm().validate_on_submit():
        tokens.revoke_token(db.session(), current_user._get_current_object(), token_id)
        db.commit()
        flash(gettext("Token revoked."), "info")
    return redirect(url_for("auth.account"))


@bp.post("/account/recovery-codes")
@login_required
def regenerate_recovery_codes():
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for("auth.account"))
    codes = service.regenerate_recovery_codes(db.session(), current_user._get_current_object())
    db.commit()
    return render_template("auth/recovery_codes.html", codes=codes, enrolled=False)
