"""The JSON API: bearer tokens, scopes, problem+json, OpenAPI."""

from __future__ import annotations

from datetime import timedelta

import pytest

from anice.auth import tokens
from anice.models import Role, utcnow


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def token(db, make):
    officer = make.officer(Role.INVESTIGATOR, country="TH")
    _, raw = tokens.create_token(db, officer, "national system", "read", 30)
    db.commit()
    return officer, raw


def test_me(client, token):
    officer, raw = token
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 200
    body = response.get_json()
    assert body["email"] == officer.email and body["country"] == "TH"
    assert body["token"]["scope"] == "read"


def test_missing_or_bad_token_is_problem_json(client):
    for headers in ({}, bearer("anice_wrong"), {"Authorization": "Basic abc"}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["status"] == 401


def test_read_token_cannot_write(client, token):
    _, raw = token
    response = client.patch("/api/v1/me", headers=bearer(raw), json={"timezone": "UTC"})
    assert response.status_code == 403 and response.mimetype == "application/problem+json"


def test_write_token_and_field_errors(client, db, make):
    officer = make.officer()
    _, raw = tokens.create_token(db, officer, "rw", "read-write", 5)
    db.commit()
    response = client.patch("/api/v1/me", headers=bearer(raw), json={"timezone": "Asia/Dili"})
    assert response.status_code == 200 and response.get_json()["timezone"] == "Asia/Dili"
    for body, field in (({"timezone": "Moon/Base"}, "timezone"), ({"email": "x"}, "email"),
                        ([1, 2], "body"), ({"timezone": 5}, "timezone")):
        response = client.patch("/api/v1/me", headers=bearer(raw), json=body)
        problem = response.get_json()
        assert response.status_code == 422 and response.mimetype == "application/problem+json"
        assert problem["field"] == field and field in problem["detail"]


def test_revoked_and_expired_tokens(client, db, token):
    officer, raw = token
    from anice.models import ApiToken

    row = db.query(ApiToken).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401
    row.expires_at = utcnow() + timedelta(days=1)
    db.commit()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    tokens.revoke_token(db, officer, row.id)
    db.commit()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_deactivated_officer_token_stops(client, db, token):
    officer, raw = token
    officer.active = False
    db.commit()
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401


def test_token_stored_hashed_and_shown_once(db, make):
    officer = make.officer()
    row, raw = tokens.create_token(db, officer, "ci", "read-write", 10)
    db.commit()
    assert raw.startswith("anice_") and raw not in (row.token_hash, row.prefix)
    assert len(row.token_hash) == 64


@pytest.mark.parametrize("name, scope, days, field", [
    ("", "read", 10, "name"), ("x", "admin", 10, "scope"), ("x", "read", 0, "days"),
    ("x", "read", 10_000, "days")])
def test_token_input_errors(db, make, name, scope, days, field):
    from anice.errors import Invalid

    with pytest.raises(Invalid) as err:
        tokens.create_token(db, make.officer(), name, scope, days)
    assert err.value.field == field


def test_token_pages(client, auth, make):
    auth.login(make.officer())
    response = client.post("/account/tokens", data={"name": "n", "scope": "read", "days": 5})
    assert response.status_code == 200 and b"anice_" in response.data
    response = client.post("/account/tokens", data={"name": "n", "scope": "read", "days": 900})
    assert response.status_code == 422


def test_reference_data(client, token, make):
    make.agency("TH", "THCUS")
    _, raw = token
    countries = client.get("/api/v1/countries", headers=bearer(raw)).get_json()
    assert len(countries) == 11 and {"BN", "TL", "VN"} <= {c["code"] for c in countries}
    agencies = client.get("/api/v1/agencies?country=TH", headers=bearer(raw)).get_json()
    assert agencies and {a["country"] for a in agencies} == {"TH"}


@pytest.mark.sqlite_only
def test_openapi_document_is_valid_and_complete(app, client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    import re

    documented = {(p, m.upper()) for p, ops in spec["paths"].items() for m in ops}
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi":
            continue
        path = re.sub(r"<(?:int:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1"):])
        choices = re.search(r"<any\(([^)]*)\):\w+>", path)
        paths = ([path.replace(choices.group(0), c.strip()) for c in choices.group(1).split(",")]
                 if choices else [path])
        for p in paths:
            routes |= {(p, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented, routes ^ documented


def test_unknown_api_path_is_problem_json(client, token):
    _, raw = token
    response = client.get("/api/v1/nothing-here", headers=bearer(raw))
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_me_language_choice_and_back_to_the_country(client, db, make):
    from sqlalchemy import select

    from anice.models import AuditEvent, Officer

    officer = make.officer(country="TH", language=None)
    _, raw = tokens.create_token(db, officer, "rw", "read-write", 5)
    db.commit()
    assert client.get("/api/v1/me", headers=bearer(raw)).get_json()["language"] is None
    response = client.patch("/api/v1/me", headers=bearer(raw), json={"language": "km"})
    assert response.status_code == 200 and response.get_json()["language"] == "km"
    db.expire_all()
    assert db.get(Officer, officer.id).language == "km"
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "officer.language"))
    assert event.details == {"before": "th", "after": "km"}
    # the other settings are left as they were; null goes back to the country's language
    response = client.patch("/api/v1/me", headers=bearer(raw), json={"language": None})
    body = response.get_json()
    assert response.status_code == 200 and body["language"] is None
    assert body["timezone"] == officer.timezone
    db.expire_all()
    assert db.get(Officer, officer.id).language is None
    back = db.scalars(select(AuditEvent).where(AuditEvent.action == "officer.language")
                      .order_by(AuditEvent.id)).all()[-1]
    assert back.details == {"before": "km", "after": "th", "country_default": True}
    for value in ("de", "", 5, ["th"]):
        response = client.patch("/api/v1/me", headers=bearer(raw), json={"language": value})
        assert response.status_code == 422, value
        assert response.get_json()["field"] == "language"
    db.expire_all()
    assert db.get(Officer, officer.id).language is None  # nothing half-written


def test_me_language_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    for name in ("Me", "MeInput"):
        language = schemas[name]["properties"]["language"]
        codes = {c for option in language.get("anyOf", [language]) for c in option.get("enum", [])}
        assert codes == {"en", "id", "ms", "th", "vi", "km", "lo", "my", "fil", "pt"}
