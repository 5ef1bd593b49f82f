"""/api/v1/cases: the same rules as the case pages, as JSON."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext

from .. import db, policy
from ..cases import items, service, workflow
from ..errors import Invalid
from ..models import Case
from ..rights import case_matching
from ..web import paginate
from . import actor, api_view, bp, idempotent
from .schemas import (
    CaseCreate,
    CaseEdit,
    CaseMatch,
    CaseOut,
    CasePage,
    DecisionInput,
    DiscardInput,
    ListingInput,
    ListingOut,
    MatchDecided,
    NoteInput,
    NoteOut,
    PartyInput,
    PartyOut,
    ProsecutionInput,
    SeizureInput,
    SeizureOut,
    TimelineEntry,
    TransitionInput,
    dump,
    dump_list,
)
from .spec import ERRORS, doc
from .spec_params import CASE_FILTERS

ITEM_KINDS = {"seizures": "seizure", "listings": "listing", "parties": "party"}


def _num(value):
    return None if value is None else str(value)


def _day(value):
    return value.isoformat() if value is not None else None


def case_summary(case: Case) -> dict:
    return {"id": case.id, "reference": case.reference, "kind": case.kind.value,
            "status": case.status.value, "title": case.title,
            "agency": {"id": case.agency_id, "code": case.agency.code},
            "country": case.country_code, "sensitivity": case.sensitivity.value,
            "detected_on": _day(case.detected_on), "updated_at": case.updated_at.isoformat(),
            "version": case.version}


def seizure_json(s) -> dict:
    return {"id": s.id, "description": s.description, "brand": s.brand,
            "category": s.category.value, "quantity": _num(s.quantity), "unit": s.unit.value,
            "value_local": _num(s.value_local), "currency": s.currency,
            "usd_rate": _num(s.usd_rate), "rate_date": _day(s.rate_date),
            "value_usd": _num(s.value_usd), "storage_place": s.storage_place,
            "disposal": s.disposal.value if s.disposal else None,
            "disposal_on": _day(s.disposal_on), "container_number": s.container_number,
            "airway_bill": s.airway_bill, "vehicle_plate": s.vehicle_plate}


def listing_json(x) -> dict:
    return {"id": x.id, "url": x.url, "platform": x.platform.value,
            "seller_name": x.seller_name, "seller_id": x.seller_id,
            "seller_phone": x.seller_phone, "title": x.title,
            "price": _num(x.price), "currency": x.currency,
            "seen_at": x.seen_at.isoformat() if x.seen_at else None,
            "takedown_requested_on": _day(x.takedown_requested_on),
            "takedown_done_on": _day(x.takedown_done_on),
            "takedown_result": x.takedown_result.value if x.takedown_result else None}


def party_json(p) -> dict:
    return {"id": p.id, "role": p.role.value, "kind": p.kind.value, "name": p.name,
            "nationality": p.nationality, "id_number": p.id_number,
            "passport_number": p.passport_number, "phone": p.phone, "email": p.email,
            "contact": p.contact, "notes": p.notes}


ITEM_JSON = {"seizure": seizure_json, "listing": listing_json, "party": party_json}
ITEM_OUT = {"seizures": SeizureOut, "listings": ListingOut, "parties": PartyOut}
ITEM_IN = {"seizures": SeizureInput, "listings": ListingInput, "parties": PartyInput}
CONFLICT = (*ERRORS, 409)


def case_json(case: Case) -> dict:
    data = case_summary(case)
    data.update({
        "summary": case.summary, "right_types": [t.value for t in case.right_types],
        "detection": case.detection.value if case.detection else None,
        "province": case.province, "city": case.city, "opened_on": _day(case.opened_on),
        "closed_on": _day(case.closed_on), "tags": case.tags or [],
        "charges": case.charges, "court_name": case.court_name,
        "court_reference": case.court_reference, "court_date": _day(case.court_date),
        "outcome": case.outcome.value if case.outcome else None,
        "outcome_notes": case.outcome_notes,
        "tell_holder": service.tell_holder_word(case),
        "tells_holder": policy.tells_holder(case),
        "team": [{"id": a.officer_id, "name": a.officer.name} for a in case.assignments],
        "seizures": [seizure_json(s) for s in case.seizures],
        "listings": [listing_json(x) for x in case.listings],
        "parties": [party_json(p) for p in case.parties],
    })
    return data


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("body", gettext("must be a JSON object"))
    return body


def _case(case: Case):
    return jsonify(dump(CaseOut, case_json(case)))


@bp.get("/cases")
@doc("Cases the token's officer may see (filtered, searched, paginated)", "cases",
     ok=CasePage, query=CASE_FILTERS)
@api_view
def list_cases():
    f = service.CaseFilter.from_args(request.args)
    page = paginate(service.cases_query(db.session(), actor(), f), f.page, f.per_page)
    return jsonify(dump(CasePage, {"items": [case_summary(c) for c in page.items],
                                   "page": page.page, "per_page": page.per_page,
                                   "total": page.total}))


@bp.post("/cases")
@doc("Create a draft case in the officer's agency", "cases", body=CaseCreate, ok=CaseOut,
     status=201)
@idempotent
@api_view
def create_case():
    case = service.create_case(db.session(), actor(), _body())
    return _case(case), 201


@bp.get("/cases/<int:case_id>")
@doc("One case with its items, parties and team", "cases", ok=CaseOut)
@api_view
def get_case(case_id: int):
    return _case(service.get_case(db.session(), actor(), case_id))


@bp.patch("/cases/<int:case_id>")
@doc("Edit the case's facts (send the version you read: 409 if it changed)", "cases",
     body=CaseEdit, ok=CaseOut, errors=CONFLICT)
@api_view
def update_case(case_id: int):
    return _case(service.update_case(db.session(), actor(), case_id, _body()))


@bp.post("/cases/<int:case_id>/transitions")
@doc("Move the case in its workflow", "cases", body=TransitionInput, ok=CaseOut,
     errors=CONFLICT)
@api_view
def move_case(case_id: int):
    body = _body()
    case = workflow.move_case(db.session(), actor(), case_id, str(body.get("to", "")), body)
    return _case(case)


@bp.post("/cases/<int:case_id>/discard")
@doc("Discard a draft case (its creator or the agency's supervisor): it leaves every list, "
     "search, report and link, and its reference is never given again", "cases",
     body=DiscardInput, body_required=False, status=204)
@api_view
def discard_case(case_id: int):
    workflow.discard_case(db.session(), actor(), case_id,
                          _body() if request.get_data(cache=True).strip() else {})
    return "", 204


@bp.patch("/cases/<int:case_id>/prosecution")
@doc("Record charges, court details and outcome notes", "cases", body=ProsecutionInput,
     ok=CaseOut, errors=CONFLICT)
@api_view
def record_prosecution(case_id: int):
    case = workflow.record_prosecution(db.session(), actor(), case_id, _body())
    return _case(case)


@bp.post("/cases/<int:case_id>/<any(seizures, listings, parties):collection>")
@doc("Add to the case's {choice}", "cases", body=ITEM_IN, ok=ITEM_OUT, status=201)
@idempotent
@api_view
def add_item(case_id: int, collection: str):
    kind = ITEM_KINDS[collection]
    item = items.add_item(db.session(), actor(), case_id, kind, _body())
    body = dump(ITEM_OUT[collection], ITEM_JSON[kind](item))
    db.commit()
    return jsonify(body), 201


@bp.put("/cases/<int:case_id>/<any(seizures, listings, parties):collection>/<int:item_id>")
@doc("Replace one of the case's {choice}", "cases", body=ITEM_IN, ok=ITEM_OUT)
@api_view
def update_item(case_id: int, collection: str, item_id: int):
    kind = ITEM_KINDS[collection]
    item = items.update_item(db.session(), actor(), case_id, kind, item_id, _body())
    body = dump(ITEM_OUT[collection], ITEM_JSON[kind](item))
    db.commit()
    return jsonify(body)


@bp.delete("/cases/<int:case_id>/<any(seizures, listings, parties):collection>/<int:item_id>")
@doc("Remove one of the case's {choice}", "cases", status=204)
@api_view
def remove_item(case_id: int, collection: str, item_id: int):
    items.remove_item(db.session(), actor(), case_id, ITEM_KINDS[collection], item_id)
    db.commit()
    return "", 204


@bp.post("/cases/<int:case_id>/notes")
@doc("Add a note to the timeline", "cases", body=NoteInput, ok=NoteOut, status=201)
@idempotent
@api_view
def add_note(case_id: int):
    text = _body().get("text")
    note = items.add_note(db.session(), actor(), case_id, text if isinstance(text, str) else "")
    return jsonify(dump(NoteOut, {"id": note.id, "at": note.at.isoformat(),
                                  "text": note.text})), 201


@bp.get("/cases/<int:case_id>/timeline")
@doc("The case's timeline, newest first", "cases", ok=[TimelineEntry])
@api_view
def timeline(case_id: int):
    case = service.get_case(db.session(), actor(), case_id)
    return jsonify(dump_list(TimelineEntry, [
        {"at": e.at.isoformat(), "actor": e.actor_label, "kind": e.kind, "summary": e.summary,
         "changes": e.changes} for e in service.timeline_of(db.session(), actor(), case)]))


def case_match_json(m) -> dict:
    """A candidate right of a case (its own API, and a referral that shares it)."""
    return {"id": m.id, "source": m.source, "text": m.text, "right_id": m.right_id,
            "office": m.right.office, "number": m.right.number,
            "designations": m.right.designation_list, "mark_text": m.right.mark_text,
            "score": m.score, "reasons": m.reasons,
            "goods_match": case_matching.goods_match_of(m), "decision": m.decision.value}


@bp.get("/cases/<int:case_id>/matches")
@doc("Registered rights proposed for the case's brands and listings, with scores, reasons "
     "and the officers' decisions", "cases", ok=[CaseMatch])
@api_view
def case_matches(case_id: int):
    case = service.get_case(db.session(), actor(), case_id)
    return jsonify(dump_list(CaseMatch, [
        case_match_json(m) for m in case_matching.matches_of(db.session(), actor(), case)]))


@bp.post("/cases/<int:case_id>/matches/<int:match_id>")
@doc("Confirm or reject a proposed right (audited, kept across re-runs)", "cases",
     body=DecisionInput, ok=MatchDecided)
@api_view
def decide_case_match(case_id: int, match_id: int):
    row = case_matching.decide(db.session(), actor(), case_id, match_id,
                               str(_body().get("decision", "")))
    return jsonify(dump(MatchDecided, {"id": row.id, "decision": row.decision.value}))
