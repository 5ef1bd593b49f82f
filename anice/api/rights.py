"""/api/v1/rights: the registry as JSON, with the same filters as the registry pages."""

from __future__ import annotations

from flask import jsonify, request

from .. import db, policy
from ..errors import Invalid, NotFound
from ..models import Right
from ..rights import editing, match_service, service
from ..validation import whole_number
from ..web import paginate
from . import actor, api_view, bp
from .schemas import RightEdit, RightMatch, RightOut, RightPage, dump, dump_list
from .spec import ERRORS, doc
from .spec_params import RIGHT_FILTERS, RIGHT_MATCH


def _day(value):
    return value.isoformat() if value is not None else None


def right_summary(right: Right) -> dict:
    return {"id": right.id, "office": right.office, "number": right.number,
            "designations": right.designation_list, "enforceable_in": right.enforceable_in,
            "type": right.type.value, "status": right.status.value,
            "mark_text": right.mark_text, "classes": right.class_list, "owner": right.owner,
            "expiry_date": _day(right.expiry_date)}


def right_json(right: Right) -> dict:
    data = right_summary(right)
    contacts = editing.contacts_of(db.session(), right)
    data.update({
        "filing_date": _day(right.filing_date),
        "registration_date": _day(right.registration_date),
        "status_raw": right.status_raw,
        "class_edition": right.class_edition,
        "goods_by_class": [{"class": p.class_number, "text": p.text, "language": p.language}
                           for _, parts in service.goods_by_class(right) for p in parts],
        "representative": right.representative,
        "contact": {"name": right.contact_name, "email": right.contact_email,
                    "phone": right.contact_phone},
        "goods": right.goods, "identification_notes": right.identification_notes,
        "gi_product": right.gi_product, "gi_area": right.gi_area,
        "names": [{"text": n.text, "script": n.script} for n in right.names],
        "contacts": [{"country": c.country, "name": c.name, "email": c.email,
                      "phone": c.phone} for c in contacts],
        "updated_at": right.updated_at.isoformat(),
    })
    return data


@bp.get("/rights/match")
@doc("The registered rights a brand or listing text most likely infringes, best first, "
     "with the score and the reasons in words", "rights", ok=[RightMatch], query=RIGHT_MATCH)
@api_view
def match_rights():
    if not policy.can_view_rights(actor()):
        raise NotFound("No such page.")
    limit = int(whole_number(request.args.get("limit"), "limit", default=10,
                             maximum=match_service.MAX_LIMIT) or 10)
    found = match_service.match(db.session(), request.args.get("q", ""),
                                match_service.parse_classes(request.args.get("classes")),
                                limit, request.args.get("include_inactive") == "true",
                                match_service.parse_classes(request.args.get("class"),
                                                            "class"))
    return jsonify(dump_list(RightMatch, [{**match_service.match_json(m),
                                           "right_id": m.right.id} for m in found]))


@bp.get("/rights")
@doc("Search the registry of rights", "rights", ok=RightPage, query=RIGHT_FILTERS)
@api_view
def list_rights():
    f = service.RightFilter.from_args(request.args)
    page = paginate(service.rights_query(actor(), f), f.page, f.per_page)
    return jsonify(dump(RightPage, {"items": [right_summary(r) for r in page.items],
                                    "page": page.page, "per_page": page.per_page,
                                    "total": page.total}))


@bp.get("/rights/<int:right_id>")
@doc("One right, with its holder's contact and identification notes", "rights", ok=RightOut)
@api_view
def get_right(right_id: int):
    return jsonify(dump(RightOut, right_json(service.get_right(db.session(), actor(),
                                                                right_id))))


@bp.patch("/rights/<int:right_id>")
@doc("Edit a right (admins: any office; a coordinator: its country's). Send updated_at as "
     "read and only the fields to change; 409 when the right changed since", "rights",
     body=RightEdit, ok=RightOut, errors=(*ERRORS, 409))
@api_view
def update_right(right_id: int):
    """Admins any office, a coordinator its own; ``updated_at`` as read is required."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("body", "must be a JSON object")
    right = editing.update_right(db.session(), actor(), right_id, body)
    return jsonify(dump(RightOut, right_json(service.get_right(db.session(), actor(),
                                                                right.id))))
