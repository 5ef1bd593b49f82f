"""The JSON API under /api/v1: bearer tokens, problem+json errors, an OpenAPI document."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, Response, g, jsonify, make_response, request
from flask_babel import gettext

from .. import db, policy, submissions
from ..auth import service as auth_service
from ..auth import tokens
from ..errors import Invalid, problem
from ..extensions import csrf
from ..text import locales
from .schemas import Me, MeInput, dump
from .spec import doc

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # bearer tokens, no cookies: CSRF does not apply


@bp.before_request
def _authenticate():
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    found = tokens.authenticate(db.session(), raw.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        response = problem(401, "Unauthorized", gettext("A valid bearer token is required "
                                                        "(Authorization: Bearer anice_...)."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="anice"'
        return response
    g.api_officer, g.api_token = found
    if (policy.is_holder_account(g.api_officer)
            and not policy.holder_reaches(request.endpoint)):
        return problem(404, "Not Found", gettext("No such resource."))
    if not policy.token_allows(g.api_token.scope.value, request.method):
        return problem(403, "Forbidden", gettext("This token is read-only."))
    return None


def actor():
    """The officer behind the request's token."""
    return g.api_officer


def api_view(fn):
    """Commit after a successful call; errors become problem+json in errors.register."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        result = fn(*args, **kwargs)
        db.commit()
        return result

    return wrapper


IDEMPOTENCY_KEY = "Idempotency-Key"


def idempotent(fn):
    """A POST that creates something honours an optional ``Idempotency-Key`` header: the
    first request with the key (per officer, kept 24 hours) does the work and its answer is
    kept with it in the same transaction; a retry with the key and the same request gets
    that answer again (``Idempotent-Replayed: true``) and creates nothing; the key with a
    different request is refused (422). Failed requests keep nothing: they may be retried.
    Sits above ``api_view``, whose commit it holds until the answer is recorded."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_KEY)
        if key is None:
            return fn(*args, **kwargs)
        if not submissions.usable_key(key):
            raise Invalid(IDEMPOTENCY_KEY, gettext("must be 1 to 100 letters, digits, '-', '_', "
                                                   "'.' or ':' (a UUID, for instance)"))
        me, print_ = actor(), _request_print()
        first = submissions.earlier(db.session(), me, submissions.API, key)
        if first is not None:
            return _replay(first, print_)
        held: dict = {"claim": None}

        def hold(session) -> None:
            if held["claim"] is None or not submissions.is_kept(held["claim"]):
                held["claim"] = submissions.claim(session, me, submissions.API, key,
                                                  request.path, print_)

        try:
            with db.held(hold) as session:
                response = make_response(fn(*args, **kwargs))
                if held["claim"] is None:
                    db.commit()  # the view committed nothing yet: claim the key now
        except submissions.AlreadySubmitted as exc:
            return _replay(exc.earlier, print_)
        submissions.settle(session, held["claim"], response.status_code,
                           response.headers.get("Location"), response.get_data(as_text=True))
        session.commit()
        return response

    wrapper.idempotent = True
    return wrapper


def _request_print() -> str:
    # A JSON body is small and part of the request; an upload streams: its length stands in.
    body = (request.get_data(cache=True) if request.mimetype == "application/json"
            else str(request.content_length or 0))
    return submissions.fingerprint(request.method, request.path, body)


def _replay(first, print_: str):
    if first.fingerprint != print_ or first.path != request.path[:500]:
        raise Invalid(IDEMPOTENCY_KEY, gettext("was already used for a different request; use "
                                               "a new key for a new request"))
    response = Response(first.body or "", status=first.status_code or 200,
                        mimetype="application/json")
    if first.location:
        response.headers["Location"] = first.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def officer_json(o) -> dict:
    return {"id": o.id, "email": o.email, "name": o.name, "role": o.role.value,
            "agency": ({"id": o.agency.id, "code": o.agency.code, "name": o.agency.name}
                       if o.agency else None),
            "holder": ({"id": o.holder_org.id, "name": o.holder_org.name}
                       if o.holder_org else None),
            "country": o.country_code, "timezone": o.timezone,
            "number_format": o.number_style.value,
            "language": o.language if o.language in locales.LANGUAGES else None}


from . import (  # noqa: E402,F401  (routes on bp)
    cases,
    correlation,
    evidence,
    holder_alerts,
    holder_material,
    openapi,
    reference,
    referral_requests,
    referrals,
    rights,
    verifications,
)


@bp.get("/me")
@doc("The officer behind the token", "account", ok=Me, errors=(401, 503))
@api_view
def me():
    data = officer_json(actor())
    data["token"] = {"name": g.api_token.name, "scope": g.api_token.scope.value,
                     "expires_at": g.api_token.expires_at.isoformat()}
    return jsonify(dump(Me, data))


@bp.patch("/me")
@doc("Change the officer's own settings (time zone, number format, language: null for the "
     "country's)", "account", ok=Me, body=MeInput,
     errors=(401, 403, 422, 503))
@api_view
def update_me():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("body", gettext("must be a JSON object"))
    unknown = set(body) - {"timezone", "number_format", "language"}
    if unknown:
        raise Invalid(sorted(unknown)[0], gettext("cannot be changed here"))
    for name, example in (("timezone", "Asia/Bangkok"), ("number_format", "point")):
        if name in body and not isinstance(body[name], str):
            raise Invalid(name, gettext("must be a string such as %(example)s", example=example))
    if "language" in body and not isinstance(body["language"], str | None):
        raise Invalid("language", gettext("must be a language code such as th, or null"))
    auth_service.set_regional(db.session(), actor(), timezone=body.get("timezone"),
                              number_format=body.get("number_format"))
    if "language" in body:
        auth_service.set_language(db.session(), actor(), body["language"])
    return jsonify(dump(Me, officer_json(actor())))
