"""Case pages over HTTP."""

from __future__ import annotations

import re

from anice.models import Role

from ..factories import Auth
from .helpers import COUNTERFEIT, SEIZURE, new_case


def test_create_fill_and_move_on_the_web(client, auth, make, db):
    inv = make.officer()
    auth.login(inv)
    form = {**COUNTERFEIT, "right_types": ["trademark", "design"]}
    response = client.post("/cases/new", data=form)
    assert response.status_code == 302
    path = response.headers["Location"]
    page = client.get(path).data.decode()
    assert "Raid on Petaling Street warehouse" in page and "Draft" in page
    case_id = int(path.rsplit("/", 1)[1])
    for brand in ("Nike", "Adidas"):
        assert client.post(f"/cases/{case_id}/items/seizure",
                           data={**SEIZURE, "brand": brand}).status_code == 302
    version = re.search(r'name="version" value="(\d+)"', client.get(path).data.decode())
    response = client.post(f"/cases/{case_id}/move", data={"to": "open",
                                                            "version": version.group(1)})
    assert response.status_code == 302
    version = re.search(r'name="version" value="(\d+)"', client.get(path).data.decode())
    client.post(f"/cases/{case_id}/move", data={"to": "under_investigation",
                                                 "version": version.group(1)})
    page = client.get(path).data.decode()
    assert "Under investigation" in page and "Moved from open to under investigation" in page
    assert "Adidas" in client.get("/cases/?brand=adi").data.decode()
    assert client.get("/cases/?q=adidas").data.decode().count(f"/cases/{case_id}") >= 1


def test_form_errors_keep_input_and_name_fields(client, auth, make):
    auth.login(make.officer())
    response = client.post("/cases/new", data={**COUNTERFEIT, "detected_on": "2999-01-01",
                                               "title": ""})
    body = response.data.decode()
    assert response.status_code == 422
    assert 'id="detected_on-error"' in body and 'id="title-error"' in body
    assert "Fake sports shoes and bags" in body  # what was typed is kept


def test_item_errors_on_the_case_page(client, auth, make, db):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    response = client.post(f"/cases/{case.id}/items/seizure",
                           data={**SEIZURE, "quantity": "-3", "category": "weapons"})
    body = response.data.decode()
    assert response.status_code == 422
    assert 'id="seizure-quantity-error"' in body and 'id="seizure-category-error"' in body


def test_edit_conflict_keeps_both_versions(app, client, auth, make, db):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    other = app.test_client()
    Auth(other, db).login(make.officer(agency=inv.agency))
    assert other.post(f"/cases/{case.id}/edit", data={
        **COUNTERFEIT, "title": "Changed by colleague", "version": case.version}
    ).status_code == 302
    response = client.post(f"/cases/{case.id}/edit", data={
        **COUNTERFEIT, "title": "My own title", "version": case.version})
    body = response.data.decode()
    assert response.status_code == 409
    assert "My own title" in body and "Changed by colleague" in body
    assert "changed by someone else" in body


def test_out_of_reach_case_is_404(client, auth, make, db):
    case = new_case(db, make.officer(country="MY"))
    auth.login(make.officer(country="TH"))
    assert client.get(f"/cases/{case.id}").status_code == 404
    assert client.get(f"/cases/{case.id}/edit").status_code == 404
    assert client.post(f"/cases/{case.id}/items/seizure", data=SEIZURE).status_code == 404
    assert case.reference not in client.get("/cases/").data.decode()


def test_admin_has_no_case_pages(client, auth, make):
    auth.login(make.officer(Role.ADMIN))
    assert client.get("/cases/").status_code == 404


def test_export_is_the_visible_list(client, auth, make, db):
    inv = make.officer(country="MY")
    mine = new_case(db, inv)
    hidden = new_case(db, make.officer(country="MY", agency=make.agency("MY", "ELSE")))
    new_case(db, inv, title="=HYPERLINK(\"http://evil\")")
    auth.login(inv)
    response = client.get("/cases/export.csv")
    text = response.data.decode()
    assert response.mimetype == "text/csv"
    assert mine.reference in text and hidden.reference not in text
    assert "'=HYPERLINK" in text  # formulas neutralised


def test_coordinator_reads_but_cannot_edit(client, auth, make, db):
    case = new_case(db, make.officer(country="MY"))
    auth.login(make.officer(Role.COORDINATOR, country="MY"))
    page = client.get(f"/cases/{case.id}").data.decode()
    assert case.title in page and "Edit case" not in page
    # it sees the case, so it is told it may not edit it (as the API tells it): 403
    assert client.get(f"/cases/{case.id}/edit").status_code == 403
    assert client.post(f"/cases/{case.id}/items/seizure", data=SEIZURE).status_code == 403
