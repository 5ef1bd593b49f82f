"""What every HTML form page shares: the state a form shows, the signed-in officer, and the
one-time token that makes a form that creates something submit once."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from flask import flash, jsonify, make_response, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup

from . import db, submissions
from .errors import Invalid
from .models import Officer, Submission
from .text.locales import N_
from .validation import Reading

log = logging.getLogger(__name__)

FORM_TOKEN = "form_token"
ALREADY_SAVED = N_("Already saved: this form was sent more than once and saved only once. "
                 "Here is the result of the first submission.")


def current_officer() -> Officer:
    """The signed-in officer of this request (the object, not the proxy)."""
    return current_user._get_current_object()


def typed() -> Reading:
    """How the signed-in officer writes what a form sends: their number format and time
    zone (figures such as 1.200 and times without an offset are read that way)."""
    return Reading.typed_by(current_officer())


@dataclass
class FormState:
    """What a form shows: the values typed (kept on errors) and the errors per field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""

    @classmethod
    def failed(cls, values: dict, exc: Invalid) -> FormState:
        errors: dict[str, list[str]] = {}
        for name, message in exc.errors:
            if name != FORM_TOKEN:
                errors.setdefault(name, []).append(message)
        values = {k: v for k, v in values.items() if k != FORM_TOKEN}
        return cls(values, errors)


# --- submit once -------------------------------------------------------------------

def form_token() -> str:
    """A fresh one-time token for one rendered form (``{{ form_token() }}``)."""
    return submissions.new_token()


def form_token_field() -> Markup:
    """The hidden field that carries a fresh form token (``{{ form_token_field() }}``)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        FORM_TOKEN, submissions.new_token())


def _posted_token(streamed: bool) -> str | None:
    token = request.args.get(FORM_TOKEN)
    if token is None and not streamed:
        token = request.form.get(FORM_TOKEN)
    return token if submissions.usable_key(token) else None


def _answer_earlier(first: Submission, then: str):
    """The first submission's outcome again, with a word that nothing was done twice."""
    if first.status_code is None:
        first = submissions.outcome_of(db.session(), first)
    location = first.location or url_for(then)
    log.info("form submitted again; the first outcome answered",
             extra={"path": request.path, "first_path": first.path})
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        status = first.status_code if first.status_code in (200, 201) else 200
        return jsonify(location=location, replayed=True, message=gettext(ALREADY_SAVED)), status
    flash(gettext(ALREADY_SAVED), "info")
    return redirect(location, 303)


def submit_once(view: Callable | None = None, *, streamed: bool = False,
                commit_first: bool = False, then: str = "main.home"):
    """A POST view that creates something does it once per form token.

    The token comes from the form field ``form_token`` (or the query string, the only place
    a streamed upload can carry it: ``streamed=True`` never parses the body). Without a
    token the view runs as before. With one, the first POST runs the view, and its work,
    the token and the page it redirects to are committed together; any later POST of the
    same officer with the token (double click, back button, a replayed POST) gets that
    redirect and an "already saved" message, and does nothing. When two arrive at once,
    the second waits for the first's commit and rolls its own work back.

    ``commit_first``: for a view that hands its work to a job right after its commit (the
    job must see it committed), the token is claimed in a commit of its own before the view
    runs and released when the view makes nothing. ``then``: where a repeat goes when the
    first answer was a page rather than a redirect (an invitation link is shown once).
    """

    def decorate(fn: Callable) -> Callable:
        @wraps(fn)
        def wrapper(*args, **kwargs):
            token = _posted_token(streamed) if request.method == "POST" else None
            if token is None or not current_user.is_authenticated:
                return fn(*args, **kwargs)
            me = current_officer()
            first = submissions.earlier(db.session(), me, submissions.FORM, token)
            try:
                if first is not None:
                    return _answer_earlier(first, then)
                run = _run_claimed_first if commit_first else _run_held
                return run(me, token, lambda: make_response(fn(*args, **kwargs)))
            except submissions.AlreadySubmitted as exc:
                return _answer_earlier(exc.earlier, then)

        return wrapper

    return decorate(view) if view is not None else decorate


def _run_held(me: Officer, token: str, view: Callable):
    """The view's commits only flush; its first one claims the token; then one commit."""
    held: dict[str, Any] = {"claim": None, "committed": False}

    def hold(session) -> None:
        held["committed"] = True
        claim = held["claim"]
        if claim is None or not submissions.is_kept(claim):
            held["claim"] = submissions.claim(session, me, submissions.FORM, token,
                                              request.path)

    with db.held(hold) as session:
        response = view()
    if held["committed"]:
        submissions.settle(session, held["claim"], response.status_code, _location(response))
        session.commit()
    return response


def _run_claimed_first(me: Officer, token: str, view: Callable):
    session = db.session()
    claim = submissions.claim(session, me, submissions.FORM, token, request.path)
    claim_id = claim.id
    session.commit()
    try:
        response = view()
    except BaseException:
        submissions.release(db.session(), claim_id)
        raise
    session = db.session()
    if not submissions.settle(session, session.get(Submission, claim_id),
                              response.status_code, _location(response)) \
            or not 300 <= response.status_code < 400:
        submissions.release(session, claim_id)  # refused: the token may be sent again
    session.commit()
    return response


def _location(response) -> str | None:
    if 300 <= response.status_code < 400:
        return response.headers.get("Location")
    if response.is_json:
        body = response.get_json(silent=True)
        if isinstance(body, dict) and isinstance(body.get("location"), str):
            return body["location"]
    return None
