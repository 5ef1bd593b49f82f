"""Reference data: member states and agencies (the directory every officer may read)."""

from __future__ import annotations

from flask import jsonify, request

from .. import db
from ..admin import service as admin_service
from . import api_view, bp
from .schemas import Agency, Country, dump_list
from .spec import doc, query


@bp.get("/countries")
@doc("Member states", "reference", ok=[Country], errors=(401, 503))
@api_view
def countries():
    return jsonify(dump_list(Country, [{"code": c.code, "name": c.name, "currency": c.currency,
                     "timezone": c.timezone, "active": c.active}
                    for c in admin_service.list_countries(db.session())]))


@bp.get("/agencies")
@doc("Agencies", "reference", ok=[Agency], errors=(401, 422, 503),
     query=[query("country", {"type": "string"}, "a member state's code, e.g. MY (an unknown "
                                                 "code gives an empty list)")])
@api_view
def agencies():
    country = request.args.get("country") or None
    return jsonify(dump_list(Agency, [
        {"id": a.id, "country": a.country_code, "code": a.code, "name": a.name,
         "kind": a.kind.value, "active": a.active}
        for a in admin_service.list_agencies(db.session(), country)]))
