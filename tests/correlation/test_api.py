"""/api/v1/cases/{id}/links and /api/v1/lookups: hit/no-hit, audited, throttled, flagged."""

from __future__ import annotations

import pytest

from anice.auth import tokens

from .helpers import SELLER, SUSPECT, audit_rows, notes_of, online_case


@pytest.fixture
def api(client, db):
    def for_officer(officer, scope="read-write"):
        _, raw = tokens.create_token(db, officer, "test", scope, 5)
        db.commit()
        headers = {"Authorization": f"Bearer {raw}"}

        class Client:
            def get(self, url):
                return client.get("/api/v1" + url, headers=headers)

            def post(self, url, json=None):
                return client.post("/api/v1" + url, headers=headers, json=json)

        return Client()

    return for_officer


def test_links_over_the_api(api, db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER, title="Operation Dragon")
    my_case = online_case(db, w.inv_my, SELLER)
    mine = online_case(db, w.inv_my2, {**SELLER, "url": "https://shopee.com.my/x"})
    response = api(w.inv_my).get(f"/cases/{my_case.id}/links")
    assert response.status_code == 200
    body = response.get_json()
    assert [c["case"]["reference"] for c in body["cases"]] == [mine.reference]
    assert body["hits"] == [{"agency": {"id": th_case.agency_id, "code": "ECD",
                                        "name": th_case.agency.name},
                             "country": {"code": "TH", "name": "Thailand"},
                             "kinds": sorted(body["hits"][0]["kinds"]),
                             "strength": "strong"}]
    assert th_case.reference not in response.text and "Dragon" not in response.text
    assert "shopee.co.th/watchking88" not in repr(body["hits"])
    # Out of reach: as if the case did not exist.
    assert api(w.inv_th).get(f"/cases/{my_case.id}/links").status_code == 404
    assert api(w.admin).get(f"/cases/{my_case.id}/links").status_code == 404


def test_lookup_over_the_api_is_audited_and_hides_person_ids(api, db, make):
    from anice.cases import items

    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER)
    items.add_item(db, w.inv_th, th_case.id, "party", SUSPECT)
    db.commit()
    me = api(w.inv_vn)
    response = me.post("/lookups", json={"kind": "passport", "value": "aa1234567"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["value"] is None and body["cases"] == []
    assert body["hits"][0]["country"]["code"] == "TH" and body["hits"][0]["kinds"] == [
        "passport"]
    assert "AA1234567" not in response.text.upper()
    assert th_case.reference not in response.text
    assert audit_rows(db, "correlation.lookup")[-1].actor_id == w.inv_vn.id
    bad = me.post("/lookups", json={"kind": "phone", "value": "12"})
    assert bad.status_code == 422 and bad.get_json()["field"] == "value"
    assert me.post("/lookups", json=["x"]).status_code == 422
    read_only = api(w.inv_vn, scope="read")
    assert read_only.post("/lookups", json={"kind": "phone", "value": "12"}).status_code == 403


def test_a_flood_of_lookups_is_throttled_and_flagged_once(api, app, db, make):
    app.config["LOOKUP_RATE_LIMIT"] = "3 per minute"
    w = make.world()
    fisher, other = api(w.inv_my), api(w.inv_my2)
    asks = [fisher.post("/lookups", json={"kind": "phone", "value": f"012-345 67{i:02d}"})
            for i in range(6)]
    assert [r.status_code for r in asks] == [200, 200, 200, 429, 429, 429]
    assert asks[-1].mimetype == "application/problem+json"
    # Per account: another officer still may.
    assert other.post("/lookups", json={"kind": "phone", "value": "012-345 6700"}
                      ).status_code == 200
    flagged = audit_rows(db, "correlation.lookup_flood")
    assert len(flagged) == 1 and flagged[0].actor_id == w.inv_my.id
    assert flagged[0].country_code == "MY"
    told = [n for n in notes_of(db, w.coord_my) if n.kind == "correlation.flood"]
    assert len(told) == 1 and w.inv_my.name in told[0].message
    assert len(audit_rows(db, "correlation.lookup")) == 4


@pytest.mark.sqlite_only
def test_correlation_routes_are_documented(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/cases/{case_id}/links"] and "post" in paths["/lookups"]
