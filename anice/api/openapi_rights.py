"""OpenAPI paths and schemas of /api/v1/rights."""

from __future__ import annotations

from ..models import RightKind, RightStatus
from ..rights.service import SORTS

S = "#/components/schemas/"
PROBLEM = {"description": "Error (application/problem+json naming the field)",
           "content": {"application/problem+json": {"schema": {"$ref": S + "Problem"}}}}
ERRORS = {"401": PROBLEM, "403": PROBLEM, "404": PROBLEM, "422": PROBLEM}


def _enum(cls) -> dict:
    return {"type": "string", "enum": [m.value for m in cls]}


def _ok(schema: dict) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


FILTERS = [{"name": n, "in": "query", "required": False, "schema": s} for n, s in (
    ("q", {"type": "string", "description": "contained in the mark text or the owner"}),
    ("office", {"type": "string", "pattern": "^[A-Z]{2}$"}), ("type", _enum(RightKind)),
    ("status", _enum(RightStatus)), ("class", {"type": "integer", "minimum": 1}),
    ("sort", {"type": "string", "enum": [p + k for k in SORTS for p in ("", "-")]}),
    ("page", {"type": "integer", "minimum": 1, "maximum": 100_000}),
    ("per_page", {"type": "integer", "minimum": 1, "maximum": 200}))]


RIGHT_ID = {"name": "right_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def rights_paths() -> dict:
    return {
        "/rights": {"get": {
            "summary": "Search the registry of rights", "tags": ["rights"],
            "parameters": FILTERS,
            "responses": {**ERRORS, "200": _ok({"$ref": S + "RightPage"})}}},
        "/rights/{right_id}": {"get": {
            "summary": "One right, with its holder's contact and identification notes",
            "tags": ["rights"],
            "parameters": [RIGHT_ID],
            "responses": {**ERRORS, "200": _ok({"$ref": S + "Right"})}},
            "patch": {
                "summary": "Edit a right (admins: any office; a coordinator: its country's). "
                           "Send updated_at as read and only the fields to change; 409 when "
                           "the right changed since",
                "tags": ["rights"], "parameters": [RIGHT_ID],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": S + "RightEdit"}}}},
                "responses": {**ERRORS, "409": PROBLEM,
                              "200": _ok({"$ref": S + "Right"})}}},
        "/rights/match": {"get": {
            "summary": "The registered rights a brand or listing text most likely infringes, "
                       "best first, with the score and the reasons in words",
            "tags": ["rights"],
            "parameters": [
                {"name": "q", "in": "query", "required": True,
                 "schema": {"type": "string", "maxLength": 500}},
                {"name": "classes", "in": "query", "required": False,
                 "schema": {"type": "string", "pattern": "^[0-9;, ]*$"},
                 "description": "Nice classes of the goods, e.g. 25;18"},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                {"name": "include_inactive", "in": "query", "required": False,
                 "schema": {"type": "boolean"}}],
            "responses": {**ERRORS, "200": _ok({"type": "array", "items": {
                "type": "object", "properties": {
                    "office": {"type": "string"}, "number": {"type": "string"},
                    "mark_text": {"type": "string"}, "score": {"type": "number"},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                    "right_id": {"type": "integer"}}}})}}},
    }


CONTACTS = {"type": "array", "items": {"type": "object", "required": ["country"], "properties": {
    "country": {"type": "string", "pattern": "^[A-Z]{2}$"}, "name": {"type": ["string", "null"]},
    "email": {"type": ["string", "null"]}, "phone": {"type": ["string", "null"]}}}}


def rights_schemas() -> dict:
    text = {"type": ["string", "null"]}
    day = {"type": ["string", "null"], "format": "date"}
    summary = {
        "id": {"type": "integer"}, "office": {"type": "string"},
        "number": {"type": "string"}, "type": _enum(RightKind),
        "status": _enum(RightStatus), "mark_text": text,
        "classes": {"type": "array", "items": {"type": "integer"}}, "owner": text,
        "expiry_date": day}
    return {
        "RightSummary": {"type": "object", "properties": summary},
        "Right": {"type": "object", "properties": {
            **summary, "filing_date": day, "registration_date": day,
            "representative": text,
            "contact": {"type": "object", "properties": {
                "name": text, "email": text, "phone": text}},
            "goods": text, "identification_notes": text, "gi_product": text,
            "gi_area": text,
            "names": {"type": "array", "items": {"type": "object", "properties": {
                "text": {"type": "string"}, "script": text}}},
            "contacts": CONTACTS,
            "updated_at": {"type": "string", "format": "date-time"}}},
        "RightEdit": {"type": "object", "required": ["updated_at"], "properties": {
            "updated_at": {"type": "string", "format": "date-time",
                           "description": "the right's updated_at as read (optimistic lock)"},
            "office": {"type": "string", "pattern": "^[A-Z]{2}$"}, "number": {"type": "string"},
            "type": _enum(RightKind), "status": _enum(RightStatus), "mark_text": text,
            "classes": {"oneOf": [{"type": "array", "items": {"type": "integer"}},
                                  {"type": "string"}]},
            "owner": text, "representative": text, "contact_name": text,
            "contact_email": text, "contact_phone": text,
            "contact": {"type": "object", "properties": {
                "name": text, "email": text, "phone": text}},
            "filing_date": day, "registration_date": day, "expiry_date": day,
            "goods": text, "identification_notes": text, "gi_product": text,
            "gi_area": text,
            "names": {"type": "array", "description": "replaces every other spelling",
                      "items": {"oneOf": [{"type": "string"}, {
                          "type": "object", "required": ["text"], "properties": {
                              "text": {"type": "string"}, "script": text}}]}},
            "contacts": {**CONTACTS, "description": "replaces every contact per country"}}},
        "RightPage": {"type": "object", "properties": {
            "items": {"type": "array", "items": {"$ref": S + "RightSummary"}},
            "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "total": {"type": "integer"}}},
    }
