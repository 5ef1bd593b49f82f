"""Session end without lost work: the time a page's session has left, "Stay signed in",
and, when a form arrives after its login ended or with a stale CSRF token, a sign-in in
place that then sends the form again through its own view."""

from __future__ import annotations

import logging
import secrets

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_url, login_user
from flask_wtf.csrf import CSRFError, generate_csrf
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict
from werkzeug.test import EnvironBuilder

from .. import db
from ..errors import NotFound, problem, wants_json
from ..extensions import limiter, login_manager
from ..forms import current_officer
from . import sessions, stash

bp = Blueprint("session", __name__, url_prefix="/session")
log = logging.getLogger(__name__)

# Forms of these blueprints are not kept: sign-in pages themselves, and the JSON API.
NOT_KEPT = frozenset({"auth", "session", "api"})
# A bigger body is an upload: its file is never kept, and the text fields are not parsed.
KEEP_MAX_BODY = 1024 * 1024


@bp.record_once
def _install(state) -> None:
    login_manager.unauthorized_handler(_unauthorized)
    state.app.register_error_handler(CSRFError, _csrf_failed)


@bp.app_context_processor
def _session_clock() -> dict:
    return {"session_seconds_left": lambda: sessions.seconds_left(current_officer())}


def start_login(officer) -> None:
    """Log the officer in for this browser, with a CSRF token that names the form's author
    (opaquely), so that a form sent after the login ended can be kept for that officer."""
    session.clear()
    login_user(officer)
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session[field] = f"{secrets.token_hex(20)}.{stash.author_hint(officer.id)}"
    g.pop(field, None)


# --- time left and keep-alive ------------------------------------------------------

@bp.get("")
def status():
    """Seconds the session has left; asking does not count as activity (other tabs)."""
    if not current_user.is_authenticated:
        return jsonify(remaining=0)
    return jsonify(remaining=sessions.seconds_left(current_officer()))


@bp.post("/keepalive")
def keepalive():
    """"Stay signed in": now counts as activity (CSRF-protected like every POST)."""
    if not current_user.is_authenticated:
        return jsonify(remaining=0), 401
    me = current_officer()
    sessions.keep_alive(db.session(), me)
    db.commit()
    return jsonify(remaining=sessions.seconds_left(me))


# --- a form after the login ended ---------------------------------------------------

def _unauthorized():
    if wants_json():
        return problem(401, "Unauthorized", gettext("Sign in first."))
    if request.method == "POST":
        page = _keep_and_ask("expired")
        if page is not None:
            return page
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def _csrf_failed(exc: CSRFError):
    # The check runs before the request's own set-up (web._request_context) has cleared
    # what an outer app context may hold (tests, a form sent again).
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    # The reason and the place only: never the form's content.
    log.warning("form refused: CSRF token", extra={
        "reason": exc.description, "path": request.path, "endpoint": request.endpoint,
        "had_session": "_user_id" in session})
    if wants_json():
        return problem(400, "Bad request", exc.description)
    if request.method == "POST":
        page = _keep_and_ask("csrf")
        if page is not None:
            return page
    return render_template("auth/form_stale.html"), 400


def _may_keep() -> bool:
    if request.blueprint in NOT_KEPT or request.endpoint is None:
        return False
    if request.headers.get("X-Requested-With"):  # a script's request (uploads): not a page
        return False
    # A form posted from another site is never kept (nor later sent on the officer's behalf).
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        return False
    length = request.content_length
    return length is not None and length <= KEEP_MAX_BODY


def _form_author() -> str | None:
    """The author hint inside the form's own (signed) CSRF token, even a stale one."""
    token = request.form.get("csrf_token") or request.headers.get("X-CSRFToken")
    if not token:
        return None
    cfg = current_app.config
    serializer = URLSafeTimedSerializer(cfg.get("WTF_CSRF_SECRET_KEY") or cfg["SECRET_KEY"],
                                        salt="wtf-csrf-token")
    try:
        raw = serializer.loads(token)
    except BadData:
        return None
    _, _, hint = str(raw).partition(".")
    return hint or None


def _keep_and_ask(reason: str):
    if not _may_keep():
        return None
    fields = [(k, v) for k, v in request.form.items(multi=True) if k != "csrf_token"]
    had_files = any(f.filename for f in request.files.values())
    kept = stash.keep_form(
        db.session(), form_hint=_form_author(),
        session_officer_id=sessions.officer_of(db.session(), session.get("_user_id")),
        reason=reason, path=request.path, query=request.query_string.decode("latin-1"),
        fields=fields, had_files=had_files)
    if kept is None:
        db.session().rollback()
        return None
    db.commit()
    token, officer = kept
    return _ask(token, reason, officer, had_files)


def _ask(token: str, reason: str, officer, had_files: bool, error: str | None = None,
         email: str = ""):
    status = 400 if reason == "csrf" else 401
    return render_template("auth/resume.html", token=token, reason=reason, officer=officer,
                           had_files=had_files, error=error, email=email,
                           minutes=current_app.config["FORM_STASH_MINUTES"]), status


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.post("/resume")
@limiter.limit(_login_limit)
def resume():
    """Password and code again; then the kept form is sent through its own view."""
    token = request.form.get("stash", "")
    email = request.form.get("email", "")[:320]
    try:
        row, officer = stash.kept_for(db.session(), token)
        outcome = stash.resume(db.session(), token, email, request.form.get("password", ""),
                               request.form.get("code", ""), request.remote_addr,
                               request.headers.get("User-Agent"))
    except NotFound as exc:
        db.session().rollback()
        return render_template("auth/form_gone.html", detail=exc.message), 410
    db.commit()
    if outcome.officer is None:
        return _ask(token, row.reason, officer, row.had_files, outcome.error, email)
    start_login(outcome.officer)
    if outcome.form is None:
        flash(outcome.error or "", "error")
        return redirect(url_for("main.home"))
    if outcome.form.had_files:
        flash(gettext("The file you had chosen was not kept: choose it again."), "error")
    return _send_again(outcome.form)


def _send_again(form: stash.KeptForm):
    """Dispatch the kept form to its own view as a new request of the signed-in officer,
    so that the view, the service, the policy and the validation apply as usual."""
    app = current_app._get_current_object()
    data = MultiDict(form.fields)
    data.setlist("csrf_token", [generate_csrf()])
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    cookie = app.session_interface.get_signing_serializer(app).dumps(dict(session))
    builder = EnvironBuilder(
        path=form.path, query_string=form.query, method="POST", data=data,
        base_url=request.host_url,
        headers={"Cookie": f"{cookie_name}={cookie}", "Sec-Fetch-Site": "same-origin",
                 "User-Agent": request.headers.get("User-Agent", ""),
                 "X-Request-ID": g.get("request_id", "")},
        environ_base={"REMOTE_ADDR": request.remote_addr or ""})
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    with app.request_context(environ):
        try:
            response = app.full_dispatch_request()
        except Exception as exc:  # noqa: BLE001 - answered like any request's error
            response = app.make_response(app.handle_exception(exc))
        sent_session = dict(session)
    # The outer answer carries the session: with the flashes the form's view left in it.
    kept_cookies = [c for c in response.headers.getlist("Set-Cookie")
                    if not c.startswith(f"{cookie_name}=")]
    response.headers.setlist("Set-Cookie", kept_cookies)
    session.clear()
    session.update(sent_session)
    log.info("kept form sent again", extra={"path": form.path})
    return response
