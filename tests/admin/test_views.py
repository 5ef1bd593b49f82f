"""Administration pages over HTTP: scoping answers 404, forms name bad fields."""

from __future__ import annotations

import re

from anice.models import Role

from ..factories import Auth


def test_staff_do_not_see_the_admin_area(client, auth, make):
    auth.login(make.officer(Role.SUPERVISOR))
    for url in ("/admin/officers", "/admin/audit", "/admin/agencies", "/admin/countries"):
        assert client.get(url).status_code == 404


def test_coordinator_journey(client, auth, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    th_officer = make.officer(country="TH")
    my_officer = make.officer(country="MY")
    auth.login(coord)
    page = client.get("/admin/officers").data.decode()
    assert my_officer.email in page and th_officer.email not in page
    assert client.get(f"/admin/officers/{th_officer.id}").status_code == 404
    assert client.post(f"/admin/officers/{th_officer.id}/deactivate",
                       data={"reason": "x"}).status_code == 404
    assert client.get(f"/admin/officers/{my_officer.id}").status_code == 200
    response = client.post("/admin/officers/invite", data={
        "name": "Invitee", "email": "invitee@my.anice.demo", "role": "prosecutor",
        "agency": coord.agency_id})
    assert response.status_code == 200
    link = re.search(r'id="invite-link">([^<]+)<', response.data.decode()).group(1)
    assert "/invite/" in link
    assert client.get(link.split("5000", 1)[1]).status_code == 200


def test_invite_form_errors_name_the_field(client, auth, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    auth.login(coord)
    response = client.post("/admin/officers/invite", data={
        "name": "X", "email": "bad", "role": "investigator", "agency": coord.agency_id})
    assert response.status_code == 422
    assert b'id="email-error"' in response.data


def test_audit_page_filters(client, auth, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    auth.login(coord)
    page = client.get("/admin/audit?action=login").data.decode()
    assert "login" in page and coord.email in page
    assert client.get("/admin/audit?from=yesterday").status_code == 422


def test_role_change_over_http(app, client, auth, make, db):
    coord = make.officer(Role.COORDINATOR, country="MY")
    inv = make.officer(country="MY")
    auth.login(coord)
    response = client.post(f"/admin/officers/{inv.id}/role", data={"role": "supervisor"})
    assert response.status_code == 302
    db.refresh(inv)
    assert inv.role == Role.SUPERVISOR
    response = client.post(f"/admin/officers/{inv.id}/role", data={"role": "admin"})
    assert response.status_code == 422
    other = app.test_client()
    Auth(other, db).login(make.officer(country="MY"))
    assert other.post(f"/admin/officers/{inv.id}/role",
                      data={"role": "prosecutor"}).status_code == 404


def test_admin_manages_countries_and_agencies(client, auth, make):
    admin = make.officer(Role.ADMIN)
    auth.login(admin)
    assert client.get("/admin/countries").status_code == 200
    response = client.post("/admin/countries/MY", data={
        "name": "Malaysia", "currency": "MYR", "timezone": "Nowhere/City", "active": "y"})
    assert response.status_code == 422 and b'id="timezone-error"' in response.data
    response = client.post("/admin/agencies", data={
        "country": "TH", "code": "TIPC", "name": "IP court liaison", "kind": "other"})
    assert response.status_code == 302
    assert b"IP court liaison" in client.get("/admin/agencies?country=TH").data
