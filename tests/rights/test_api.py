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


def patch(client, db, officer, url, body, scope="read-write"):
    _, raw = tokens.create_token(db, officer, "test", scope, 5)
    db.commit()
    return client.patch("/api/v1" + url, json=body,
                        headers={"Authorization": f"Bearer {raw}"})


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


def test_patch_edits_a_right_with_optimistic_locking(client, db, make):
    importing.import_csv(db, None, csv_bytes(NIKE, ADIDAS))
    db.commit()
    admin = make.officer(Role.ADMIN)
    [item] = get(client, db, admin, "/rights?q=nike").get_json()["items"]
    right = get(client, db, admin, f"/rights/{item['id']}").get_json()
    url = f"/rights/{item['id']}"
    body = {"updated_at": right["updated_at"], "status": "expired", "classes": [25, 28],
            "contact": {"name": "Brand team"}, "names": [{"text": "ไนกี้"}, "NAIKI"],
            "contacts": [{"country": "TH", "name": "Somchai", "email": "th@nike.example"}]}
    done = patch(client, db, admin, url, body)
    assert done.status_code == 200, done.get_json()
    edited = done.get_json()
    assert edited["status"] == "expired" and edited["classes"] == [25, 28]
    assert edited["contact"] == {"name": "Brand team", "email": "legal@nike.example",
                                 "phone": None}
    assert edited["names"] == [{"text": "ไนกี้", "script": "Thai"},
                               {"text": "NAIKI", "script": "Latin"}]
    assert edited["contacts"] == [{"country": "TH", "name": "Somchai",
                                   "email": "th@nike.example", "phone": None}]
    assert edited["updated_at"] != right["updated_at"]
    stale = patch(client, db, admin, url, {**body, "status": "filed"})
    assert stale.status_code == 409 and stale.mimetype == "application/problem+json"
    bad = patch(client, db, admin, url, {"updated_at": edited["updated_at"],
                                         "contacts": [{"country": "XX", "name": "a"}]})
    assert bad.status_code == 422 and bad.get_json()["field"] == "contacts[0].country"
    assert patch(client, db, admin, url, {"status": "filed"}).get_json()["field"] == \
        "updated_at"
    assert patch(client, db, admin, url, ["x"]).get_json()["field"] == "body"


def test_patch_needs_a_write_token_and_the_office(client, db, make):
    importing.import_csv(db, None, csv_bytes(NIKE, ADIDAS))
    db.commit()
    admin = make.officer(Role.ADMIN)
    [item] = get(client, db, admin, "/rights?q=adidas").get_json()["items"]
    body = {"updated_at": get(client, db, admin, f"/rights/{item['id']}").get_json()[
        "updated_at"], "status": "expired"}
    url = f"/rights/{item['id']}"
    assert patch(client, db, admin, url, body, scope="read").status_code == 403
    assert patch(client, db, make.officer(Role.COORDINATOR, country="MY"), url,
                 body).status_code == 403
    assert patch(client, db, make.officer(Role.INVESTIGATOR, country="TH"), url,
                 body).status_code == 403
    assert patch(client, db, admin, "/rights/999999", body).status_code == 404
    assert patch(client, db, make.officer(Role.COORDINATOR, country="TH"), url,
                 body).status_code == 200
