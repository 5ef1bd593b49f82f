"""/api/v1/rights: the registry as JSON, with the same filters as the registry pages."""

from __future__ import annotations

from flask import jsonify, request, url_for
from flask_babel import gettext

from .. import db, policy
from ..errors import Invalid, NotFound
from ..models import Right
from ..rights import editing, history, match_service, provenance, service
from ..validation import PAGE_MAX, whole_number
from ..web import paginate, private_image
from . import actor, api_view, bp
from .schemas import (
    RightEdit,
    RightHistoryPage,
    RightMatch,
    RightOut,
    RightPage,
    dump,
    dump_list,
)
from .spec import BINARY, ERRORS, doc
from .spec_params import PAGE, PER_PAGE, RIGHT_FILTERS, RIGHT_IMAGE, RIGHT_MATCH


def _day(value):
    return value.isoformat() if value is not None else None


def right_summary(right: Right) -> dict:
    return {"id": right.id, "office": right.office, "number": right.number,
            "designations": right.designation_list, "enforceable_in": right.enforceable_in,
            "type": right.type.value, "status": right.status.value,
            "mark_text": right.mark_text, "classes": right.class_list, "owner": right.owner,
            "expiry_date": _day(right.expiry_date)}


def import_json(run) -> dict | None:
    if run is None:
        return None
    return {"id": run.id, "filename": run.filename, "sha256": run.sha256,
            "format": run.format, "by": run.by,
            "finished_at": run.finished_at.isoformat() if run.finished_at else None}


def right_json(right: Right) -> dict:
    data = right_summary(right)
    contacts = editing.contacts_of(db.session(), right)
    source = provenance.provenance(db.session(), right)
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
        "images": [image_json(right, i) for i in right.images],
        "updated_at": right.updated_at.isoformat(),
        "provenance": {"created": import_json(source["created"]),
                       "last": import_json(source["last"])},
    })
    return data


def image_json(right: Right, image) -> dict:
    url = url_for("api.right_image", right_id=right.id, image_id=image.id)
    return {"url": url, "thumbnail_url": f"{url}?size=thumb",
            "vienna_codes": image.vienna_codes, "width": image.width,
            "height": image.height, "sha256": image.sha256, "media_type": image.media_type}


@bp.get("/rights/match")
@doc("The registered rights a brand or listing text most likely infringes, best first, "
     "with the score and the reasons in words", "rights", ok=[RightMatch], query=RIGHT_MATCH)
@api_view
def match_rights():
    if not policy.can_view_rights(actor()):
        raise NotFound(gettext("No such page."))
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


@bp.get("/rights/<int:right_id>/images/<int:image_id>")
@doc("A mark image of the right as PNG (re-encoded, metadata removed); ?size=thumb for its "
     "thumbnail", "rights", query=RIGHT_IMAGE, content={"image/png": {"schema": BINARY}})
def right_image(right_id: int, image_id: int):
    size = request.args.get("size", "full")
    if size not in ("full", "thumb"):
        raise Invalid("size", gettext("must be full or thumb"))
    _, length, chunks = service.open_image(db.session(), actor(), right_id, image_id,
                                               thumb=size == "thumb")
    return private_image(length, chunks)


@bp.patch("/rights/<int:right_id>")
@doc("Edit a right (admins: any office; a coordinator: its country's). Send updated_at as "
     "read and only the fields to change; 409 when the right changed since", "rights",
     body=RightEdit, ok=RightOut, errors=(*ERRORS, 409))
@api_view
def update_right(right_id: int):
    """Admins any office, a coordinator its own; ``updated_at`` as read is required."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid("body", gettext("must be a JSON object"))
    right = editing.update_right(db.session(), actor(), right_id, body)
    return jsonify(dump(RightOut, right_json(service.get_right(db.session(), actor(),
                                                                right.id))))


@bp.get("/rights/<int:right_id>/history")
@doc("The changes of a right, newest first: created, updated, withdrawn, expired, "
     "transferred or restored, by which import or edit, with the changed fields' old and "
     "new values", "rights", ok=RightHistoryPage, query=[PAGE, PER_PAGE])
@api_view
def right_history(right_id: int):
    page = int(whole_number(request.args.get("page"), "page", default=1,
                            maximum=PAGE_MAX) or 1)
    per_page = int(whole_number(request.args.get("per_page"), "per_page", default=50,
                                maximum=200, clamp=True) or 50)
    rows, total = history.right_history(db.session(), actor(), right_id, page=page,
                                        per_page=per_page)
    items = [{"id": c.id, "at": c.at.isoformat(), "kind": c.kind.value,
              "source": c.source.value, "by": c.by,
              "registry_import": import_json(c.registry_import), "changes": c.changes}
             for c in rows]
    return jsonify(dump(RightHistoryPage, {"items": items, "page": page,
                                           "per_page": per_page, "total": total}))
