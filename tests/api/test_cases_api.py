"""/api/v1/cases: same rules as the web, JSON errors naming the field, 404 out of reach."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from anice.auth import tokens
from anice.models import Case, Role

from ..cases.helpers import COUNTERFEIT, LISTING, SEIZURE, SUSPECT


@pytest.fixture
def api(client, db, make):
    def for_officer(officer, scope="read-write"):
        _, raw = tokens.create_token(db, officer, "test", scope, 5)
        db.commit()
        headers = {"Authorization": f"Bearer {raw}"}

        class Client:
            def get(self, url, **kw):
                return client.get("/api/v1" + url, headers=headers, **kw)

            def post(self, url, json=None):
                return client.post("/api/v1" + url, headers=headers, json=json)

            def patch(self, url, json=None):
                return client.patch("/api/v1" + url, headers=headers, json=json)

            def put(self, url, json=None):
                return client.put("/api/v1" + url, headers=headers, json=json)

            def delete(self, url):
                return client.delete("/api/v1" + url, headers=headers)

        return Client()

    return for_officer


def test_case_lifecycle_over_the_api(api, make):
    inv = make.officer(Role.INVESTIGATOR)
    pros = make.officer(Role.PROSECUTOR, agency=inv.agency)
    me = api(inv)
    created = me.post("/cases", json={**COUNTERFEIT, "right_types": ["trademark"],
                                      "tags": ["shoes"]})
    assert created.status_code == 201, created.get_json()
    case = created.get_json()
    assert case["reference"].startswith(f"MY-{inv.agency.code}-") and case["status"] == "draft"
    cid = case["id"]
    seizure = me.post(f"/cases/{cid}/seizures", json=SEIZURE)
    assert seizure.status_code == 201 and seizure.get_json()["value_usd"] == "1320.00"
    assert me.post(f"/cases/{cid}/parties", json=SUSPECT).status_code == 201
    version = me.get(f"/cases/{cid}").get_json()["version"]
    moved = me.post(f"/cases/{cid}/transitions", json={"to": "open", "version": version})
    assert moved.status_code == 200 and moved.get_json()["status"] == "open"
    version = moved.get_json()["version"]
    moved = me.post(f"/cases/{cid}/transitions", json={"to": "under_investigation",
                                                      "version": version})
    version = moved.get_json()["version"]
    refused = me.post(f"/cases/{cid}/transitions", json={"to": "prosecution",
                                                        "version": version})
    assert refused.status_code == 403
    prosecutor = api(pros)
    missing = prosecutor.post(f"/cases/{cid}/transitions", json={"to": "prosecution",
                                                                "version": version})
    assert missing.status_code == 422 and missing.get_json()["field"] == "charges"
    ok = prosecutor.post(f"/cases/{cid}/transitions", json={
        "to": "prosecution", "version": version, "charges": "TDA 2011 s.8"})
    assert ok.status_code == 200 and ok.get_json()["charges"] == "TDA 2011 s.8"
    timeline = me.get(f"/cases/{cid}/timeline").get_json()
    assert [e["kind"] for e in timeline][:2] == ["status", "status"]
    listed = me.get("/cases?q=nike").get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == cid


def test_conflict_is_409_and_nothing_written(api, make, db):
    inv = make.officer()
    me = api(inv)
    case = me.post("/cases", json=COUNTERFEIT).get_json()
    first = me.patch(f"/cases/{case['id']}", json={"version": case["version"], "title": "A"})
    assert first.status_code == 200
    second = me.patch(f"/cases/{case['id']}", json={"version": case["version"], "title": "B"})
    assert second.status_code == 409 and second.mimetype == "application/problem+json"
    assert me.get(f"/cases/{case['id']}").get_json()["title"] == "A"


@pytest.mark.parametrize("body, field", [
    ({**COUNTERFEIT, "kind": "physical"}, "kind"),
    ({**COUNTERFEIT, "detected_on": "2999-12-31"}, "detected_on"),
    ({**COUNTERFEIT, "title": "t" * 500}, "title"),
    ({**COUNTERFEIT, "province": "Narnia"}, "province"),
    ({**COUNTERFEIT, "title": ["a"]}, "title"),
])
def test_bad_case_body(api, make, db, body, field):
    response = api(make.officer()).post("/cases", json=body)
    problem = response.get_json()
    assert response.status_code == 422 and problem["field"] == field
    assert response.mimetype == "application/problem+json"
    assert db.scalar(select(func.count()).select_from(Case)) == 0


@pytest.mark.parametrize("collection, body, field", [
    ("seizures", {**SEIZURE, "quantity": -1}, "quantity"),
    ("seizures", {**SEIZURE, "currency": "dollars"}, "currency"),
    ("listings", {**LISTING, "url": "file:///etc/passwd"}, "url"),
    ("parties", {**SUSPECT, "nationality": "QQ"}, "nationality"),
])
def test_bad_item_body(api, make, collection, body, field):
    me = api(make.officer())
    kind = "online" if collection == "listings" else "counterfeit"
    case = me.post("/cases", json={**COUNTERFEIT, "kind": kind}).get_json()
    response = me.post(f"/cases/{case['id']}/{collection}", json=body)
    assert response.status_code == 422 and response.get_json()["field"] == field


def test_out_of_reach_is_404(api, make):
    owner = api(make.officer(country="MY"))
    case = owner.post("/cases", json=COUNTERFEIT).get_json()
    for outsider in (make.officer(country="TH"), make.officer(Role.ADMIN),
                     make.officer(Role.COORDINATOR, country="TH")):
        other = api(outsider)
        assert other.get(f"/cases/{case['id']}").status_code == 404
        assert other.patch(f"/cases/{case['id']}", json={"version": 1}).status_code == 404
        assert other.post(f"/cases/{case['id']}/notes", json={"text": "x"}).status_code == 404
        assert other.get("/cases").get_json()["total"] == 0


def test_read_token_cannot_create(api, make):
    response = api(make.officer(), scope="read").post("/cases", json=COUNTERFEIT)
    assert response.status_code == 403


def test_item_replace_and_delete(api, make):
    me = api(make.officer())
    case = me.post("/cases", json={**COUNTERFEIT, "kind": "online"}).get_json()
    listing = me.post(f"/cases/{case['id']}/listings", json=LISTING).get_json()
    changed = me.put(f"/cases/{case['id']}/listings/{listing['id']}",
                     json={**LISTING, "takedown_requested_on": "2026-09-20",
                           "takedown_done_on": "2026-09-22", "takedown_result": "removed"})
    assert changed.status_code == 200 and changed.get_json()["takedown_result"] == "removed"
    assert me.delete(f"/cases/{case['id']}/listings/{listing['id']}").status_code == 204
    assert me.get(f"/cases/{case['id']}").get_json()["listings"] == []
    assert me.delete(f"/cases/{case['id']}/listings/{listing['id']}").status_code == 404
