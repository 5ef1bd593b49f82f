"""The JSON API under /api/v1: bearer tokens, problem+json errors, an OpenAPI document."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, g, jsonify, request

from .. import db, policy
from ..auth import service as auth_service
from ..auth import tokens
from ..errors import Invalid, problem
from ..extensions import csrf
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
        response = problem(401, "Unauthorized", "A valid bearer token is required "
                           "(Authorization: Bearer anice_...).")
        response.headers["WWW-Authenticate"] = 'Bearer realm="anice"'
        return response
    g.api_officer, g.api_token = found
    if not policy.token_allows(g.api_token.scope.value, request.method):
        return problem(403, "Forbidden", "This token is read-only.")
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


def officer_json(o) -> dict:
    return {"id": o.id, "email": o.email, "name": o.name, "role": o.role.value,
            "agency": {"id": o.agency.id, "code": o.agency.code, "name": o.agency.name},
            "country": o.country_code, "timezone": o.timezone,
            "number_format": o.number_style.value}


from . import (  # noqa: E402,F401  (routes on bp)
    cases,
    correlation,
    evidence,
    openapi,
    reference,
    referral_requests,
    referrals,
    rights,
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
@doc("Change the officer's own settings (time zone, number format)", "account", ok=Me, body=MeInput,
     errors=(401, 403, 422, 503))
@api_view
def update_me():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("body", "must be a JSON object")
    unknown = set(body) - {"timezone", "number_format"}
    if unknown:
        raise Invalid(sorted(unknown)[0], "cannot be changed here")
    for name, example in (("timezone", "Asia/Bangkok"), ("number_format", "point")):
        if name in body and not isinstance(body[name], str):
            raise Invalid(name, f"must be a string such as {example}")
    auth_service.set_regional(db.session(), actor(), timezone=body.get("timezone"),
                              number_format=body.get("number_format"))
    return jsonify(dump(Me, officer_json(actor())))
