"""The OpenAPI 3.1 document of /api/v1; each area adds its paths here."""

from __future__ import annotations

from flask import jsonify

from . import bp
from .openapi_cases import case_paths, case_schemas, evidence_paths, evidence_schemas
from .openapi_correlation import correlation_paths, correlation_schemas
from .openapi_referrals import referral_paths, referral_schemas
from .openapi_rights import rights_paths, rights_schemas

PROBLEM = {"description": "Error", "content": {"application/problem+json": {
    "schema": {"$ref": "#/components/schemas/Problem"}}}}


def _get(summary: str, schema: dict, tag: str, params: list | None = None) -> dict:
    op = {"summary": summary, "tags": [tag], "responses": {
        "200": {"description": "OK", "content": {"application/json": {"schema": schema}}},
        "401": PROBLEM}}
    if params:
        op["parameters"] = params
    return {"get": op}


def _foundation_paths(ref: dict) -> dict:
    return {
        "/me": {**_get("The officer behind the token", {"$ref": ref["$ref"] + "Me"},
                       "account"),
                "patch": {"summary": "Change the officer's own settings (time zone)",
                          "tags": ["account"],
                          "requestBody": {"required": True, "content": {
                              "application/json": {"schema": {
                                  "type": "object", "additionalProperties": False,
                                  "properties": {"timezone": {"type": "string"}}}}}},
                          "responses": {
                              "200": {"description": "OK", "content": {"application/json": {
                                  "schema": {"$ref": ref["$ref"] + "Me"}}}},
                              "401": PROBLEM, "403": PROBLEM, "422": PROBLEM}}},
        "/countries": _get("Member states", {"type": "array", "items": {
            "$ref": ref["$ref"] + "Country"}}, "reference"),
        "/agencies": _get("Agencies", {"type": "array", "items": {
            "$ref": ref["$ref"] + "Agency"}}, "reference", [
            {"name": "country", "in": "query", "required": False,
             "schema": {"type": "string", "pattern": "^[A-Z]{2}$"}}]),
    }


def document() -> dict:
    ref = {"$ref": "#/components/schemas/"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "ANICE API", "version": "1.0.0",
                 "description": "Case exchange of the ASEAN Network of IP Enforcement "
                                "Experts. Authenticate with a personal API token: "
                                "`Authorization: Bearer anice_...`."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": {**_foundation_paths(ref), **case_paths(), **evidence_paths(),
                  **rights_paths(), **correlation_paths(), **referral_paths()},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Problem": {"type": "object", "required": ["title", "status", "detail"],
                            "properties": {
                                "type": {"type": "string"}, "title": {"type": "string"},
                                "status": {"type": "integer"}, "detail": {"type": "string"},
                                "field": {"type": "string"},
                                "errors": {"type": "array", "items": {"type": "object"}}}},
                "Country": {"type": "object", "properties": {
                    "code": {"type": "string"}, "name": {"type": "string"},
                    "currency": {"type": "string"}, "timezone": {"type": "string"},
                    "active": {"type": "boolean"}}},
                "Agency": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "country": {"type": "string"},
                    "code": {"type": "string"}, "name": {"type": "string"},
                    "kind": {"type": "string"}, "active": {"type": "boolean"}}},
                **case_schemas(),
                **evidence_schemas(),
                **rights_schemas(),
                **correlation_schemas(),
                **referral_schemas(),
                "Me": {"type": "object", "properties": {
                    "id": {"type": "integer"}, "email": {"type": "string"},
                    "name": {"type": "string"}, "role": {"type": "string"},
                    "country": {"type": "string"}, "timezone": {"type": "string"},
                    "agency": {"$ref": ref["$ref"] + "Agency"},
                    "token": {"type": "object"}}},
            },
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
