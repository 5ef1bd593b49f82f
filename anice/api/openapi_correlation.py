"""OpenAPI paths and schemas of the correlation routes (links and lookups)."""

from __future__ import annotations

from ..models import IdentifierKind, Platform

S = "#/components/schemas/"
PROBLEM = {"description": "Error (application/problem+json naming the field)",
           "content": {"application/problem+json": {"schema": {"$ref": S + "Problem"}}}}
ERRORS = {"401": PROBLEM, "403": PROBLEM, "404": PROBLEM, "422": PROBLEM}
STR, INT = {"type": "string"}, {"type": "integer"}
NULLABLE = {"type": ["string", "null"]}


def _enum(cls) -> dict:
    return {"type": "string", "enum": [m.value for m in cls]}


def _ok(ref: str) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": {"$ref": S + ref}}}}


def correlation_paths() -> dict:
    return {
        "/cases/{case_id}/links": {"get": {
            "summary": "Cases sharing identifiers with this one: the cases the officer may "
                       "see, and for the others only a hit (holding agency and country, "
                       "kinds of identifier). Hits shown for the first time are audited and "
                       "told to the holder's coordinator.",
            "tags": ["correlation"],
            "parameters": [{"name": "case_id", "in": "path", "required": True,
                            "schema": INT}],
            "responses": {**ERRORS, "200": _ok("Links")}}},
        "/lookups": {"post": {
            "summary": "Hit/no-hit lookup of one identifier. Audited; rate-limited per "
                       "account (429 past the limit, and the officer's coordinator is told).",
            "tags": ["correlation"],
            "requestBody": {"required": True, "content": {"application/json": {
                "schema": {"$ref": S + "Lookup"}}}},
            "responses": {**ERRORS, "429": PROBLEM, "200": _ok("LookupResult")}}},
    }


def correlation_schemas() -> dict:
    value = {"type": "object", "properties": {"kind": _enum(IdentifierKind),
                                              "value": NULLABLE}}
    link = {"type": "object", "properties": {
        "case": {"type": "object", "properties": {
            "id": INT, "reference": STR, "title": STR, "status": STR,
            "agency": {"type": "object"}, "country": STR}},
        "shared": {"type": "array", "items": value,
                   "description": "value is null for person identifiers (kept hashed)"},
        "strength": {"type": "string", "enum": ["strong", "medium", "weak"]},
        "score": {"type": "number"}}}
    hit = {"type": "object", "description": "A case outside the officer's reach: never its "
           "reference, content or values", "properties": {
               "agency": {"type": "object", "properties": {"id": INT, "code": STR,
                                                           "name": STR}},
               "country": {"type": "object", "properties": {"code": STR, "name": STR}},
               "kinds": {"type": "array", "items": _enum(IdentifierKind)},
               "strength": {"type": "string", "enum": ["strong", "medium", "weak"]}}}
    links = {"cases": {"type": "array", "items": link},
             "hits": {"type": "array", "items": hit},
             "common": {"type": "array", "items": value},
             "silenced": {"type": "array", "items": value},
             "hits_withheld": {"type": "boolean", "description": "true on a restricted "
                               "case: it gets no hits (its holder would be told of it)"}}
    return {
        "Links": {"type": "object", "properties": links},
        "Lookup": {"type": "object", "required": ["kind", "value"], "properties": {
            "kind": _enum(IdentifierKind), "value": STR,
            "platform": {**_enum(Platform), "description": "required for seller_id"},
            "country": {"type": "string", "pattern": "^[A-Z]{2}$",
                        "description": "rules for phone numbers, plates and company "
                                       "numbers (default: the officer's country)"}}},
        "LookupResult": {"type": "object", "properties": {
            **links, "kind": _enum(IdentifierKind),
            "value": {**NULLABLE, "description": "the normalised value (null for person "
                                                 "identifiers)"},
            "common": {"type": "boolean"}, "silenced": {"type": "boolean"}}},
    }
