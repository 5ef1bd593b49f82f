"""Every /api/v1 answer in the tests is checked against the generated OpenAPI document:
the status must be declared for the operation, and the body must match its schema."""

from __future__ import annotations

import json

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from werkzeug.exceptions import HTTPException

PREFIX = "/api/v1"
_documents: dict[int, dict] = {}


def document(app) -> dict:
    """The app's OpenAPI document (the routes do not change between apps of one run)."""
    key = len(app.url_map._rules)
    if key not in _documents:
        from anice.api import spec

        _documents[key] = spec.document(app)
    return _documents[key]


def _operation(app, doc: dict, path: str, method: str) -> dict | None:
    from anice.api import spec

    try:
        rule, args = app.url_map.bind("localhost").match(path, method, return_rule=True)
    except HTTPException:
        return None
    if rule.endpoint == "api.openapi":
        return {"skip": True}
    choice = next((v for k, v in args.items()
                   if "any(" in rule.rule and f"):{k}>" in rule.rule), None)
    for openapi_path, c, _ in spec._paths_of(rule.rule):
        if c == choice:
            return doc["paths"][openapi_path][method.lower()]
    raise AssertionError(f"{method} {path}: not in the document")


def check(app, method: str, path: str, response) -> None:
    """Fail unless ``response`` is one the document declares for this operation."""
    if not path.startswith(PREFIX + "/"):
        return
    doc = document(app)
    operation = _operation(app, doc, path, method) if method != "OPTIONS" else None
    if operation is not None and operation.get("skip"):
        return
    status = str(response.status_code)
    if operation is None:  # no such route (or method): a problem document all the same
        answers = {status: {"content": {"application/problem+json": {"schema": {
            "$ref": "#/components/schemas/Problem"}}}}}
    else:
        answers = operation["responses"]
    assert status in answers, (f"{method} {path} answered {status}, not declared "
                               f"({sorted(answers)})")
    content = answers[status].get("content")
    streamed = "Content-Length" not in response.headers  # a file: the test's to read
    if not content:
        assert streamed or not response.data, (
            f"{method} {path} {status}: a body where none is declared")
        return
    media = response.mimetype
    declared = media if media in content else "*/*" if "*/*" in content else None
    assert declared, f"{method} {path} {status}: {media} not in {sorted(content)}"
    if streamed or not media.endswith("json"):
        return
    schema = content[declared]["schema"]
    root = {**schema, "components": doc["components"]}
    errors = sorted(Draft202012Validator(root).iter_errors(json.loads(response.data)),
                    key=lambda e: list(e.absolute_path))
    assert not errors, (f"{method} {path} {status}: the body does not match the document: "
                        + "; ".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]))


class CheckedClient(FlaskClient):
    """The test client, checking each /api/v1 answer against the OpenAPI document."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        request = response.request
        check(self.application, request.method, request.path, response)
        return response
