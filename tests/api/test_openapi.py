"""The OpenAPI document is generated from the schemas the API dumps its answers through,
and the tests' client checks every /api/v1 answer against it."""

from __future__ import annotations

import pytest
from flask import Response
from pydantic import ValidationError

from anice.api import schemas, spec

from ..api_contract import check, document

SUMMARY = {"id": 1, "reference": "MY-KPDN-2026-000001", "kind": "counterfeit",
           "status": "draft", "title": "Fake sneakers", "agency": {"id": 1, "code": "KPDN"},
           "country": "MY", "sensitivity": "normal", "detected_on": None,
           "updated_at": "2026-12-06T04:00:00+00:00", "version": 1}


def _json(body, status: int = 200) -> Response:
    import json

    return Response(json.dumps(body), status=status, mimetype="application/json")


def test_a_case_in_the_document_is_the_schema_the_api_dumps(app):
    doc = document(app)
    components = doc["components"]["schemas"]
    dumped = schemas.CaseOut.model_json_schema(ref_template=spec.REF, mode="serialization")
    assert set(components["CaseOut"]["properties"]) == set(dumped["properties"])
    get_case = doc["paths"]["/cases/{case_id}"]["get"]["responses"]["200"]
    assert get_case["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CaseOut"}
    # Every route of the blueprint is in it, the any() routes once per collection.
    assert {"/cases/{case_id}/seizures", "/cases/{case_id}/listings",
            "/cases/{case_id}/parties"} <= set(doc["paths"])


def test_an_answer_outside_its_schema_is_never_sent():
    with pytest.raises(ValidationError):
        schemas.dump(schemas.CaseSummary, {**SUMMARY, "secret": "x"})
    with pytest.raises(ValidationError):
        schemas.dump(schemas.CaseSummary, {k: v for k, v in SUMMARY.items() if k != "title"})
    assert schemas.dump(schemas.CaseSummary, SUMMARY) == SUMMARY


def test_the_test_client_refuses_answers_the_document_does_not_declare(app):
    check(app, "GET", "/api/v1/cases", _json({"items": [SUMMARY], "page": 1, "per_page": 50,
                                               "total": 1}))
    with pytest.raises(AssertionError, match="not declared"):
        check(app, "GET", "/api/v1/cases", _json({}, status=418))
    with pytest.raises(AssertionError, match="does not match"):
        check(app, "GET", "/api/v1/cases", _json({"items": [{**SUMMARY, "id": "one"}],
                                                   "page": 1, "per_page": 50, "total": 1}))
    with pytest.raises(AssertionError, match="not in"):
        check(app, "GET", "/api/v1/cases", Response("<p>hi</p>", mimetype="text/html"))


def test_a_route_without_a_description_breaks_the_document(app):
    @app.route("/api/v1/undocumented", endpoint="api.undocumented")
    def undocumented():
        return ""

    with pytest.raises(LookupError, match="api.undocumented"):
        spec.document(app)


def test_an_id_beyond_any_record_is_404_on_every_method(client, db, make):
    from anice.auth import tokens
    from anice.models import Role

    officer = make.officer(Role.SUPERVISOR)
    _, raw = tokens.create_token(db, officer, "ids", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    # Werkzeug answered 405 here when the converter refused the id (schemathesis found it).
    for method, path in (("DELETE", "/api/v1/cases/44893298664/listings/125529192"),
                         ("PATCH", "/api/v1/rights/99999999999"),
                         ("GET", "/api/v1/cases/99999999999")):
        response = client.open(path, method=method, headers=headers, json={})
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.mimetype == "application/problem+json"
