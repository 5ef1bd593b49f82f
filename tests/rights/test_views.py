"""Registry pages: every officer browses and reads contacts; admins and coordinators import."""

from __future__ import annotations

from sqlalchemy import select

from anice.models import Right, Role
from anice.rights import importing

from .helpers import ADIDAS, NIKE, csv_bytes


def seed(db):
    importing.import_csv(db, None, csv_bytes(NIKE, ADIDAS))
    db.commit()
    return db.scalar(select(Right).where(Right.number == "TM001"))


def test_investigator_browses_searches_and_reads_contacts(client, auth, db, make):
    nike = seed(db)
    auth.login(make.officer(Role.INVESTIGATOR, country="TH"))
    page = client.get("/rights/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "NIKE" in html and "adidas" in html and 'href="/rights/"' in html
    found = client.get("/rights/?q=nik&office=MY&type=trademark&status=registered&class=18")
    assert "NIKE" in found.get_data(as_text=True)
    assert "adidas" not in found.get_data(as_text=True)
    assert "NIKE" not in client.get("/rights/?class=30").get_data(as_text=True)
    assert "adidas" in client.get("/rights/?q=ADIDAS AG&sort=-owner").get_data(as_text=True)
    details = client.get(f"/rights/{nike.id}").get_data(as_text=True)
    assert "legal@nike.example" in details and "Rep Co" in details
    assert client.get("/rights/99999").status_code == 404


def test_bad_filters_are_reported(client, auth, db, make):
    auth.login(make.officer(Role.INVESTIGATOR))
    response = client.get("/rights/?type=brand")
    assert response.status_code == 422
    assert "type: &#39;brand&#39; is not one of" in response.get_data(as_text=True)
    assert client.get("/rights/?class=abc").status_code == 422


def test_import_page_for_coordinators_only(client, auth, db, make):
    auth.login(make.officer(Role.INVESTIGATOR))
    assert client.get("/rights/import").status_code == 404
    auth.logout()
    auth.login(make.officer(Role.COORDINATOR, country="MY"))
    assert client.get("/rights/import").status_code == 200
    refused = client.post("/rights/import", data={
        "mode": "abort", "file": (csv_bytes(NIKE, ADIDAS), "rights.csv")},
        content_type="multipart/form-data")
    assert refused.status_code == 422
    html = refused.get_data(as_text=True)
    assert "Nothing was imported" in html and "you may not import rights of office TH" in html
    done = client.post("/rights/import", data={
        "mode": "skip", "file": (csv_bytes(NIKE, ADIDAS), "rights.csv")},
        content_type="multipart/form-data")
    assert done.status_code == 200 and "1 inserted" in done.get_data(as_text=True)
    assert [r.number for r in db.scalars(select(Right))] == ["TM001"]


def test_anonymous_is_sent_to_login(client):
    response = client.get("/rights/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
