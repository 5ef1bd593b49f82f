"""OpenAPI paths and schemas of /api/v1/cases."""

from __future__ import annotations

from ..models import (
    CaseKind,
    CaseStatus,
    Category,
    Detection,
    Disposal,
    Outcome,
    PartyKind,
    PartyRole,
    Platform,
    RightType,
    Sensitivity,
    TakedownResult,
    Unit,
)
from ..validation import ID_MAX

S = "#/components/schemas/"
RECORD_ID = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
PROBLEM = {"description": "Error (application/problem+json naming the field)",
           "content": {"application/problem+json": {"schema": {"$ref": S + "Problem"}}}}
ERRORS = {"401": PROBLEM, "403": PROBLEM, "404": PROBLEM, "422": PROBLEM}
CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": {"type": "integer"}}
ITEM_ID = {"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _enum(cls) -> dict:
    return {"type": "string", "enum": [m.value for m in cls]}


def _json(schema_name: str) -> dict:
    return {"application/json": {"schema": {"$ref": S + schema_name}}}


def _op(summary: str, *, body: str | None = None, ok: str | None = None, status: str = "200",
        params: list | None = None, extra: dict | None = None) -> dict:
    op: dict = {"summary": summary, "tags": ["cases"],
                "responses": {**ERRORS, **(extra or {})}}
    op["responses"][status] = ({"description": "OK", "content": _json(ok)} if ok
                               else {"description": "Done"})
    if body:
        op["requestBody"] = {"required": True, "content": _json(body)}
    if params:
        op["parameters"] = params
    return op


FILTERS = [{"name": n, "in": "query", "required": False, "schema": s} for n, s in (
    ("q", {"type": "string"}), ("kind", _enum(CaseKind)), ("status", _enum(CaseStatus)),
    ("right_type", _enum(RightType)), ("brand", {"type": "string"}),
    ("platform", _enum(Platform)), ("from", {"type": "string", "format": "date"}),
    ("to", {"type": "string", "format": "date"}), ("officer", RECORD_ID),
    ("agency", RECORD_ID), ("country", {"type": "string"}),
    ("sort", {"type": "string", "enum": [p + k for k in ("reference", "detected", "updated",
                                                         "status", "title")
                                         for p in ("", "-")]}),
    ("page", {"type": "integer", "minimum": 1, "maximum": 100_000}),
    ("per_page", {"type": "integer", "minimum": 1, "maximum": 200}))]
CONFLICT = {"409": PROBLEM}
COLLECTIONS = ("seizures", "listings", "parties")
SCHEMA_OF = {"seizures": "SeizureItem", "listings": "Listing", "parties": "Party"}


def case_paths() -> dict:
    paths = {
        "/cases": {
            "get": _op("Cases the token's officer may see (filtered, searched, paginated)",
                       ok="CasePage", params=FILTERS),
            "post": _op("Create a draft case in the officer's agency", body="CaseInput",
                        ok="Case", status="201"),
        },
        "/cases/{case_id}": {
            "get": _op("One case with its items, parties and team", ok="Case",
                       params=[CASE_ID]),
            "patch": _op("Edit the case's facts (send the version you read: 409 if it changed)",
                         body="CaseInput", ok="Case", params=[CASE_ID], extra=CONFLICT),
        },
        "/cases/{case_id}/transitions": {
            "post": _op("Move the case in its workflow", body="Transition", ok="Case",
                        params=[CASE_ID], extra=CONFLICT)},
        "/cases/{case_id}/prosecution": {
            "patch": _op("Record charges, court details and outcome notes", body="Prosecution",
                         ok="Case", params=[CASE_ID], extra=CONFLICT)},
        "/cases/{case_id}/notes": {
            "post": _op("Add a note to the timeline", body="Note", ok="Note", status="201",
                        params=[CASE_ID])},
        "/cases/{case_id}/timeline": {
            "get": _op("The case's timeline, newest first", ok="Timeline", params=[CASE_ID])},
    }
    paths["/cases/{case_id}/matches"] = {
        "get": _op("Registered rights proposed for the case's brands and listings, with "
                   "scores, reasons and the officers' decisions", ok="CaseMatches",
                   params=[CASE_ID])}
    paths["/cases/{case_id}/matches/{match_id}"] = {
        "post": _op("Confirm or reject a proposed right (audited, kept across re-runs)",
                    body="MatchDecision", ok="MatchDecision",
                    params=[CASE_ID, {"name": "match_id", "in": "path", "required": True,
                                      "schema": {"type": "integer"}}])}
    for collection in COLLECTIONS:
        schema = SCHEMA_OF[collection]
        paths[f"/cases/{{case_id}}/{collection}"] = {
            "post": _op(f"Add a {schema}", body=schema, ok=schema, status="201",
                        params=[CASE_ID])}
        paths[f"/cases/{{case_id}}/{collection}/{{item_id}}"] = {
            "put": _op(f"Replace a {schema}", body=schema, ok=schema,
                       params=[CASE_ID, ITEM_ID]),
            "delete": _op(f"Remove a {schema}", status="204", params=[CASE_ID, ITEM_ID])}
    return paths


def _obj(props: dict, required: list[str] | None = None) -> dict:
    schema: dict = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


STR, INT, NUM = {"type": "string"}, {"type": "integer"}, {"type": ["string", "number"]}
DATE = {"type": "string", "format": "date"}
DT = {"type": "string", "format": "date-time"}


def case_schemas() -> dict:
    case_input = _obj({
        "kind": _enum(CaseKind), "title": STR, "summary": STR,
        "right_types": {"type": "array", "items": _enum(RightType)},
        "detection": _enum(Detection), "province": STR, "city": STR, "detected_on": DATE,
        "sensitivity": _enum(Sensitivity), "tags": {"type": "array", "items": STR},
        "version": {"type": "integer", "description": "required when editing"}})
    seizure = _obj({"id": INT, "description": STR, "brand": STR, "category": _enum(Category),
                    "quantity": NUM, "unit": _enum(Unit), "value_local": NUM, "currency": STR,
                    "usd_rate": NUM, "rate_date": DATE, "value_usd": NUM,
                    "storage_place": STR, "disposal": _enum(Disposal), "disposal_on": DATE,
                    "container_number": STR, "airway_bill": STR, "vehicle_plate": STR},
                   ["description", "brand", "category", "quantity", "unit"])
    listing = _obj({"id": INT, "url": STR, "platform": _enum(Platform), "seller_name": STR,
                    "seller_id": STR, "seller_phone": STR, "title": STR, "price": NUM,
                    "currency": STR,
                    "seen_at": DT, "takedown_requested_on": DATE, "takedown_done_on": DATE,
                    "takedown_result": _enum(TakedownResult)}, ["url", "platform"])
    party = _obj({"id": INT, "role": _enum(PartyRole), "kind": _enum(PartyKind), "name": STR,
                  "nationality": STR, "id_number": STR, "passport_number": STR,
                  "phone": STR, "email": STR, "contact": STR, "notes": STR},
                 ["role", "kind", "name"])
    summary = _obj({"id": INT, "reference": STR, "kind": _enum(CaseKind),
                    "status": _enum(CaseStatus), "title": STR, "agency": {"type": "object"},
                    "country": STR, "sensitivity": _enum(Sensitivity), "detected_on": DATE,
                    "updated_at": DT, "version": INT})
    case = {"allOf": [{"$ref": S + "CaseSummary"}, _obj({
        "summary": STR, "right_types": {"type": "array", "items": _enum(RightType)},
        "detection": _enum(Detection), "province": STR, "city": STR, "opened_on": DATE,
        "closed_on": DATE, "tags": {"type": "array", "items": STR}, "charges": STR,
        "court_name": STR, "court_reference": STR, "court_date": DATE,
        "outcome": _enum(Outcome), "outcome_notes": STR, "team": {"type": "array"},
        "seizures": {"type": "array", "items": {"$ref": S + "SeizureItem"}},
        "listings": {"type": "array", "items": {"$ref": S + "Listing"}},
        "parties": {"type": "array", "items": {"$ref": S + "Party"}}})]}
    return {
        "CaseInput": case_input, "CaseSummary": summary, "Case": case,
        "CasePage": _obj({"items": {"type": "array", "items": {"$ref": S + "CaseSummary"}},
                          "page": INT, "per_page": INT, "total": INT}),
        "SeizureItem": seizure, "Listing": listing, "Party": party,
        "Transition": _obj({"to": _enum(CaseStatus), "version": INT, "reason": STR,
                            "on": {**DATE, "description": "day of the move (default today)"},
                            "charges": STR, "court_name": STR, "court_reference": STR,
                            "court_date": DATE, "outcome": _enum(Outcome),
                            "outcome_notes": STR}, ["to", "version"]),
        "Prosecution": _obj({"version": INT, "charges": STR, "court_name": STR,
                             "court_reference": STR, "court_date": DATE,
                             "outcome_notes": STR}, ["version"]),
        "Note": _obj({"id": INT, "at": DT, "text": STR}, ["text"]),
        "CaseMatches": {"type": "array", "items": _obj({
            "id": INT, "source": STR, "text": STR, "right_id": INT, "office": STR,
            "number": STR, "mark_text": STR, "score": {"type": "number"},
            "reasons": {"type": "array", "items": STR},
            "decision": {"type": "string", "enum": ["pending", "confirmed", "rejected"]}})},
        "MatchDecision": _obj({"id": INT, "decision": {
            "type": "string", "enum": ["pending", "confirmed", "rejected"]}}, ["decision"]),
        "Timeline": {"type": "array", "items": _obj({"at": DT, "actor": STR, "kind": STR,
                                                     "summary": STR,
                                                     "changes": {"type": "array"}})},
    }


EVIDENCE_ID = {"name": "public_id", "in": "path", "required": True, "schema": {"type": "string"}}


def evidence_paths() -> dict:
    def op(summary: str, **kw) -> dict:
        operation = _op(summary, **kw)
        operation["tags"] = ["evidence"]
        return operation

    upload = op("Upload a file as evidence: the request body is the file (streamed, sealed, "
                "hashed); metadata in the query", ok="Evidence", status="201",
                params=[CASE_ID] + [{"name": n, "in": "query", "required": False,
                                     "schema": {"type": "string"}}
                                    for n in ("filename", "description", "acquired_at",
                                              "acquired_where", "acquired_how")])
    upload["requestBody"] = {"required": True, "content": {"application/octet-stream": {
        "schema": {"type": "string", "format": "binary"}}}}
    content = op("The decrypted file (a custody event: download, or export with a reason)",
                 params=[EVIDENCE_ID, {"name": "reason", "in": "query", "required": False,
                                       "schema": {"type": "string"}}])
    content["responses"]["200"] = {"description": "The file", "content": {
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}
    return {
        "/cases/{case_id}/evidence": {
            "post": upload,
            "get": op("Evidence items of a case", ok="EvidenceList", params=[CASE_ID])},
        "/evidence/{public_id}": {"get": op("One evidence item", ok="Evidence",
                                            params=[EVIDENCE_ID])},
        "/evidence/{public_id}/content": {"get": content},
        "/evidence/{public_id}/custody": {"get": op("The chain of custody", ok="Custody",
                                                    params=[EVIDENCE_ID])},
        "/evidence/{public_id}/verify": {"post": op("Re-decrypt and re-hash now",
                                                    ok="Evidence", params=[EVIDENCE_ID])},
    }


def evidence_schemas() -> dict:
    evidence = _obj({"id": STR, "case_id": INT, "name": STR, "media_type": STR, "size": INT,
                     "sha256": STR, "description": STR, "acquired_at": DT,
                     "acquired_where": STR, "acquired_how": STR, "uploaded_at": DT,
                     "status": {"type": "string", "enum": ["active", "shredded"]},
                     "last_verified_at": DT, "last_verify_ok": {"type": ["boolean", "null"]},
                     "ok": {"type": "boolean"}})
    return {"Evidence": evidence,
            "EvidenceList": {"type": "array", "items": {"$ref": S + "Evidence"}},
            "Custody": {"type": "array", "items": _obj({
                "at": DT, "action": STR, "actor": STR, "client_addr": STR, "reason": STR,
                "details": {"type": "object"}})}}
