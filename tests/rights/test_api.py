"""/api/v1/rights: search with filters, one right with contacts, problems naming the field."""

from __future__ import annotations

from anice.auth import tokens
from anice.models import Role
from anice.rights import importing

from .helpers import ADIDAS, NIKE, csv_bytes


def get(client, db, officer, url):
    _, raw = tokens.create_token(db, officer, "test", "read", 5)
    db.commit()
    return client.get("/api/v1" + url, headers={"Authorization": f"Bearer {raw}"})


def test_search_and_read_a_right(client, db, make):
    importing.import_csv(db, None, csv_bytes(NIKE, ADIDAS))
    db.commit()
    inv = make.officer(Role.INVESTIGATOR, country="TH")
    page = get(client, db, inv, "/rights?q=nike&office=MY&type=trademark&class=25").get_json()
    assert page["total"] == 1
    item = page["items"][0]
    assert (item["office"], item["number"], item["classes"]) == ("MY", "TM001", [25, 18])
    assert get(client, db, inv, "/rights?status=expired").get_json()["total"] == 0
    assert get(client, db, inv, "/rights?sort=-office").get_json()["items"][0]["office"] == "TH"
    right = get(client, db, inv, f"/rights/{item['id']}").get_json()
    assert right["contact"]["email"] == "legal@nike.example"
    assert right["registration_date"] == "2002-03-04" and right["names"] == []
    missing = get(client, db, inv, "/rights/999999")
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"


def test_bad_filter_is_a_problem_naming_the_field(client, db, make):
    response = get(client, db, make.officer(Role.INVESTIGATOR), "/rights?status=live")
    assert response.status_code == 422 and response.get_json()["field"] == "status"
    assert get(client, db, make.officer(Role.INVESTIGATOR),
               "/rights?class=x").get_json()["field"] == "class"


def test_token_is_required(client):
    assert client.get("/api/v1/rights").status_code == 401
