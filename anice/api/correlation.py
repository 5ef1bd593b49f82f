"""/api/v1: a case's links and hit/no-hit lookups of identifiers (rate-limited per account)."""

from __future__ import annotations

import os

from flask import current_app, g, jsonify, request
from flask_babel import gettext

from .. import db
from ..cases import service as case_service
from ..correlation import service
from ..errors import Invalid
from ..extensions import limiter
from . import actor, api_view, bp
from .schemas import Links, LookupInput, LookupResult, dump
from .spec import ERRORS, doc

DEFAULT_LOOKUP_LIMIT = "30 per minute;500 per day"


def lookup_limit() -> str:
    return (current_app.config.get("LOOKUP_RATE_LIMIT")
            or os.environ.get("ANICE_LOOKUP_RATE_LIMIT") or DEFAULT_LOOKUP_LIMIT)


def _account() -> str:
    # Checked inside the view, after the bearer token named the officer.
    officer = g.get("api_officer")
    return f"officer:{officer.id}" if officer is not None else request.remote_addr or "?"


def _flood(request_limit) -> None:
    """A burst past the limit (fishing?): throttled, and told to the coordinator once."""
    officer = g.get("api_officer")
    if officer is None:
        return
    session = db.session()
    session.rollback()
    if service.flag_flood(session, officer, str(request_limit.limit)):
        session.commit()


@bp.get("/cases/<int:case_id>/links")
@doc("Cases sharing identifiers with this one: the cases the officer may see, and for the "
     "others only a hit (holding agency and country, kinds of identifier). Hits shown for "
     "the first time are audited and told to the holder's coordinator.", "correlation",
     ok=Links)
@api_view
def case_links(case_id: int):
    case = case_service.get_case(db.session(), actor(), case_id)
    return jsonify(dump(Links, service.links_json(service.links_for(db.session(), actor(),
                                                                    case))))


@bp.post("/lookups")
@doc("Hit/no-hit lookup of one identifier. Audited; rate-limited per account (429 past the "
     "limit, and the officer's coordinator is told).", "correlation", body=LookupInput,
     ok=LookupResult, errors=(*ERRORS, 429))
@limiter.limit(lookup_limit, key_func=_account, on_breach=_flood)
@api_view
def lookup():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("body", gettext("must be a JSON object"))
    return jsonify(dump(LookupResult, service.lookup(db.session(), actor(), body)))
