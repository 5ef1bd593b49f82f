"""/api/v1 referral requests: "Request this case from <agency>" on a hit, as JSON.

The asker's side reads only what the hit gave (agency, country, kinds) and the answer;
the holder cases and the values that matched are serialised for the holder's side only.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext

from .. import db, policy
from ..errors import Invalid
from ..models import Officer, ReferralRequest, RequestStatus
from ..referrals import requests
from . import actor, api_view, bp
from .referrals import CONFLICT, json_body, referral_moved
from .schemas import ReasonInput, ReferralOut, dump, dump_list
from .schemas.referral_requests import ReferBackInput, RequestInput, RequestOut
from .spec import doc, query

BOX = [query("box", {"type": "string", "enum": ["inbox", "outbox"], "default": "inbox"},
             "inbox: requests your side is asked to answer; outbox: requests made from the "
             "cases you read")]


def _agency(agency) -> dict:
    return {"id": agency.id, "code": agency.code, "name": agency.name}


def request_json(made: ReferralRequest, me: Officer) -> dict:
    holder = policy.is_request_holder(me, made)
    answer = made.referral if holder else requests.answer_shown(made)
    status = made.status if holder or made.status != RequestStatus.REFERRED or answer \
        else RequestStatus.OPEN
    cases = None
    if holder:
        cases = [{"id": c.holder_case_id,
                  "reference": (c.holder_case.reference
                                if policy.can_view_case(me, c.holder_case) else None),
                  "identifiers": c.identifiers} for c in made.holder_cases]
    asker_case = made.asker_case
    return {
        "id": made.id, "reference": made.reference, "side": "holder" if holder else "asker",
        "status": status.value, "status_text": requests.status_for(me, made),
        "asker": {"country": made.asker_country_code, "agency": _agency(made.asker_agency),
                  "case": {"reference": asker_case.reference,
                           "id": asker_case.id if policy.can_view_case(me, asker_case)
                           else None}},
        "holder": {"country": made.holder_country_code,
                   "agency": _agency(made.holder_agency)},
        "kinds": list(made.kinds), "message": made.message,
        "decline_reason": made.decline_reason,
        "created_at": made.created_at.isoformat(),
        "answered_at": (made.answered_at.isoformat() if made.answered_at
                        and (holder or status != RequestStatus.OPEN) else None),
        "referral": {"id": answer.id, "reference": answer.reference} if answer else None,
        "holder_cases": cases,
    }


@bp.post("/cases/<int:case_id>/referral-requests")
@doc("Ask the holder of a hit on the case for a referral of its case (agency_id: the "
     "agency the hit names); its country's coordinator answers", "referral requests",
     body=RequestInput, ok=RequestOut, status=201, errors=CONFLICT)
@api_view
def create_request(case_id: int):
    made = requests.create_request(db.session(), actor(), case_id, json_body())
    return jsonify(dump(RequestOut, request_json(made, actor()))), 201


@bp.get("/referral-requests")
@doc("Referral requests: the inbox (to answer) or the outbox (made from your cases), open "
     "ones first", "referral requests", ok=[RequestOut], query=BOX)
@api_view
def list_requests():
    box = request.args.get("box", "inbox")
    if box not in ("inbox", "outbox"):
        raise Invalid("box", gettext("must be inbox or outbox"))
    rows = requests.list_requests(db.session(), actor(), box)
    return jsonify(dump_list(RequestOut, [request_json(r, actor()) for r in rows]))


@bp.get("/referral-requests/<int:request_id>")
@doc("One referral request, as the caller's side may read it", "referral requests",
     ok=RequestOut)
@api_view
def get_request(request_id: int):
    made = requests.get_request(db.session(), actor(), request_id)
    return jsonify(dump(RequestOut, request_json(made, actor())))


@bp.post("/referral-requests/<int:request_id>/refer")
@doc("The holder's coordinator answers by referring the case to the asker's agency (a "
     "referral, submitted at once: the holder agency approves as usual)",
     "referral requests", body=ReferBackInput, ok=ReferralOut, status=201, errors=CONFLICT)
@api_view
def refer_back(request_id: int):
    referral = requests.refer_back(db.session(), actor(), request_id, json_body())
    return referral_moved(referral), 201


@bp.post("/referral-requests/<int:request_id>/decline")
@doc("The holder's coordinator declines, with a reason the asker reads",
     "referral requests", body=ReasonInput, ok=RequestOut, errors=CONFLICT)
@api_view
def decline_request(request_id: int):
    made = requests.decline_request(db.session(), actor(), request_id, json_body())
    return jsonify(dump(RequestOut, request_json(made, actor())))
