"""The OpenAPI 3.1 document of /api/v1, generated from the routes and the schemas.

Each route says what it is with ``@doc(...)`` next to its ``@bp.<method>``; its path and
path parameters come from the Flask rule, its bodies from the pydantic schemas in
``anice.api.schemas`` through which the responses are dumped. Nothing is written twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from ..validation import ID_MAX
from .schemas import Problem

REF = "#/components/schemas/{model}"
RECORD_ID = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
# 503: a service the request needs (the database, Redis, the evidence store) is down.
ERRORS = (401, 403, 404, 422, 503)
UPLOAD_ERRORS = (*ERRORS, 413, 507)  # too large; the evidence store is full
TITLES = {400: "Bad request", 401: "No valid bearer token", 403: "Not allowed",
          404: "Not found, or out of the officer's reach",
          409: "Conflict: changed since read, or (an evidence upload) the content already is "
               "evidence of the case, named in `existing`",
          413: "Too large", 422: "Invalid (the problem names the field)",
          429: "Too many requests", 503: "Service unavailable (nothing was saved; try again)",
          507: "The evidence store is full"}
BINARY = {"type": "string", "format": "binary"}
Schema = type[BaseModel] | list | dict | None
IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_\\-.:]{1,100}$"},
    "description": "Makes a retry safe: the first request with this key (per officer, kept "
                   "24 hours) creates; a retry with the same key and request answers the "
                   "same response (header Idempotent-Replayed: true) and creates nothing; the "
                   "key with a different request is refused (422)."}


@dataclass
class Op:
    """One operation as the document shows it."""

    summary: str
    tag: str
    ok: Any = None  # a model, [model] for a list, {rule choice: model}, or None (no body)
    status: int = 200
    body: Any = None  # a model, or {rule choice: model}
    body_required: bool = True
    query: list[dict] = field(default_factory=list)
    errors: tuple[int, ...] = ERRORS
    content: dict | None = None  # another media type of the success answer (a file)
    body_content: dict = field(default_factory=dict)  # more media types of the request
    idempotent: bool = False  # takes an Idempotency-Key header (``anice.api.idempotent``)


def doc(summary: str, tag: str, **kw: Any):
    """Describe the route in the OpenAPI document."""

    def mark(fn):
        fn.openapi = Op(summary, tag, idempotent=getattr(fn, "idempotent", False), **kw)
        return fn

    return mark


def query(name: str, schema: dict, description: str | None = None,
          required: bool = False) -> dict:
    """A query parameter."""
    param = {"name": name, "in": "query", "required": required, "schema": schema}
    if description:
        param["description"] = description
    return param


class _NoNullDefaults(GenerateJsonSchema):
    """An optional request member has no default: the service fills it in."""

    def default_schema(self, schema):
        inner = self.generate_inner(schema["schema"])
        if schema.get("default", 1) is None:
            return inner
        return super().default_schema(schema)


def _models(op: Op) -> tuple[list, list]:
    outs, ins = [], []
    for value in _choices(op.ok):
        outs.append(value[0] if isinstance(value, list) else value)
    ins.extend(_choices(op.body))
    return outs, ins


def _choices(value) -> list:
    if value is None:
        return []
    return list(value.values()) if isinstance(value, dict) else [value]


def _pick(value, choice: str | None):
    return value.get(choice) if isinstance(value, dict) else value


RULE_PART = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def _paths_of(rule: str) -> list[tuple[str, str | None, list[dict]]]:
    """OpenAPI path(s) of a Flask rule, with its path parameters; an ``any(...)`` part gives
    one path per choice."""
    path, params, choices = rule[len("/api/v1"):], [], [None]
    for converter, args, name in RULE_PART.findall(path):
        if converter == "any":
            choices = [c.strip() for c in args.split(",")]
            continue
        schema = (dict(RECORD_ID) if converter == "int" else {"type": "string"})
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    out = []
    for choice in choices:
        concrete = RULE_PART.sub(lambda m, c=choice: c if m.group(1) == "any" else
                                 "{" + m.group(3) + "}", path)
        out.append((concrete, choice, params))
    return out


def _responses(op: Op, choice: str | None, refs: dict) -> dict:
    problem = {"application/problem+json": {"schema": refs[Problem]}}
    answers = {str(s): {"description": TITLES[s], "content": problem} for s in op.errors}
    ok = _pick(op.ok, choice)
    success: dict = {"description": "OK" if op.status != 201 else "Created"}
    if isinstance(ok, list):
        success["content"] = {"application/json": {"schema": {
            "type": "array", "items": refs[ok[0]]}}}
    elif ok is not None:
        success["content"] = {"application/json": {"schema": refs[ok]}}
    elif op.content:
        success["content"] = op.content
    else:
        success["description"] = "Done (no content)"
    answers[str(op.status)] = success
    return answers


def _operation(op: Op, choice: str | None, params: list, refs: dict) -> dict:
    summary = op.summary.format(choice=choice) if choice else op.summary
    out: dict = {"summary": summary, "tags": [op.tag]}
    headers = [IDEMPOTENCY_HEADER] if op.idempotent else []
    if params or op.query or headers:
        out["parameters"] = params + op.query + headers
    body = _pick(op.body, choice)
    if body is not None or op.body_content:
        content = {"application/json": {"schema": refs[body]}} if body is not None else {}
        out["requestBody"] = {"required": op.body_required,
                              "content": {**content, **op.body_content}}
    out["responses"] = _responses(op, choice, refs)
    return out


def _documented_routes(app: Flask) -> list[tuple[Any, Op]]:
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api.") or rule.endpoint == "api.openapi":
            continue
        op = getattr(app.view_functions[rule.endpoint], "openapi", None)
        if op is None:
            raise LookupError(f"{rule.endpoint} has no @doc: describe it in the document")
        found.append((rule, op))
    return found


def _components(routes) -> tuple[dict, dict]:
    outs, ins = {Problem}, set()
    for _, op in routes:
        o, i = _models(op)
        outs.update(o)
        ins.update(i)
    keys = [(m, "serialization") for m in sorted(outs, key=lambda m: m.__name__)]
    keys += [(m, "validation") for m in sorted(ins, key=lambda m: m.__name__)]
    key_map, defs = models_json_schema(keys, ref_template=REF,
                                       schema_generator=_NoNullDefaults)
    refs = {m: key_map[(m, mode)] for m, mode in keys}
    return refs, defs.get("$defs", {})


def document(app: Flask | None = None) -> dict:
    """The whole document, built from the app's routes and their schemas."""
    routes = _documented_routes(app or current_app)
    refs, schemas = _components(routes)
    paths: dict[str, dict] = {}
    for rule, op in routes:
        for path, choice, params in _paths_of(rule.rule):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                paths.setdefault(path, {})[method.lower()] = _operation(op, choice, params,
                                                                          refs)
    return {
        "openapi": "3.1.0",
        "info": {"title": "ANICE API", "version": "1.0.0",
                 "description": "Case exchange of the ASEAN Network of IP Enforcement "
                                "Experts. Authenticate with a personal API token: "
                                "`Authorization: Bearer anice_...`."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "paths": dict(sorted(paths.items())),
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": schemas},
    }
