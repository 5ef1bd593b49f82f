"""Right holder organisations (issue 18): coordinators register them, invite their people
and link their rights; a holder's account reaches its own pages only (404 elsewhere, web
and API); a revoked link ends access at once; everything is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from anice.auth import tokens
from anice.errors import Conflict, Invalid, NotFound
from anice.holders import service
from anice.models import AuditEvent, HolderRight, Role


def audit_count(db, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == action)) or 0


@pytest.fixture
def coord(make):
    return make.officer(Role.COORDINATOR, country="MY")


def test_coordinator_registers_invites_and_links(db, make, coord):
    nike = make.right("MY", "TM100001", mark="NIKE", owner="Nike Innovate C.V.")
    org = service.create_org(db, coord, name="Nike Innovate C.V.", kind="owner",
                             country_code="MY", identity_checked="MyIPO extract, call-back")
    person, token = service.invite_representative(db, coord, org.id, email="Rep@Nike.example",
                                                  name="Brand protection lead")
    link = service.link_right(db, coord, org.id, office="my", number="TM100001",
                              capacity="owner", holder_name="Nike Innovate C.V.")
    db.commit()
    assert person.role == Role.HOLDER and person.agency_id is None and not person.active
    assert person.email == "rep@nike.example" and len(token) > 30
    assert person.country_code == "MY" and link.right_id == nike.id
    for action in ("holder.create", "holder.invite", "holder.link"):
        assert audit_count(db, action) == 1, action
    with pytest.raises(Conflict):  # the same right twice
        service.link_right(db, coord, org.id, office="MY", number="TM100001",
                           capacity="owner", holder_name="Nike Innovate C.V.")


def test_bad_input_names_the_field(db, make, coord):
    make.right("MY", "TM100002")
    make.right("TH", "TH200002")
    org = service.create_org(db, coord, name="Counsel LLP", kind="counsel",
                             country_code="MY", identity_checked="Bar council register")
    cases = [
        (dict(office="MY", number="NOPE", capacity="owner", holder_name="X"), "number"),
        (dict(office="MY", number="TM100002", capacity="boss", holder_name="X"), "capacity"),
        (dict(office="MY", number="TM100002", capacity="representative", holder_name="X"),
         "power_of_attorney"),
        (dict(office="MY", number="TM100002", capacity="owner", holder_name=" "),
         "holder_name"),
    ]
    for fields, name in cases:
        with pytest.raises(Invalid) as err:
            service.link_right(db, coord, org.id, **fields)
        assert err.value.field == name, fields
    with pytest.raises(Invalid) as err:
        service.create_org(db, coord, name="Other", kind="owner", country_code="TH",
                           identity_checked="x")
    assert err.value.field == "country"
    with pytest.raises(Invalid) as err:
        service.create_org(db, coord, name="counsel llp", kind="owner", country_code="MY",
                           identity_checked="x")
    assert err.value.field == "name"
    assert db.scalar(select(func.count()).select_from(HolderRight)) == 0
    # the keeper confirms rights of other offices too (the register is public)
    link = service.link_right(db, coord, org.id, office="TH", number="TH200002",
                              capacity="owner", holder_name="X")
    assert link.right.office == "TH"


def test_other_country_coordinator_and_officers_do_not_reach_the_org(db, make, coord):
    org = make.holder_org(country="MY")
    for actor in (make.officer(Role.COORDINATOR, country="TH"), make.officer(),
                  make.holder()):
        with pytest.raises(NotFound):
            service.get_org(db, actor, org.id)
    secretariat = make.officer(Role.SECRETARIAT, country="ID")
    assert service.get_org(db, secretariat, org.id) is org


def test_revoking_a_link_ends_access_at_once(db, make, coord):
    right = make.right("MY", "TM100003")
    holder = make.holder(rights=(right,))
    assert [r.id for r in service.my_rights(db, holder)] == [right.id]
    assert service.my_right(db, holder, right.id) is right
    link = db.scalar(select(HolderRight).where(HolderRight.right_id == right.id))
    service.revoke_link(db, coord, holder.holder_org_id, link.id, "mandate ended")
    db.commit()
    assert service.my_rights(db, holder) == []
    with pytest.raises(NotFound):
        service.my_right(db, holder, right.id)
    assert audit_count(db, "holder.unlink") == 1


def test_suspending_the_org_ends_its_sessions(client, db, make, auth, coord):
    holder = make.holder()
    auth.login(holder)
    assert client.get("/holders/me").status_code == 200
    service.set_org_active(db, coord, holder.holder_org_id, False, "identity in doubt")
    db.commit()
    assert client.get("/holders/me").status_code in (302, 401)


# --- a holder's account reaches its own pages only ----------------------------------

OFFICER_PAGES = ["/cases", "/referrals", "/rights", "/reports", "/admin/officers",
                 "/correlation/network"]


def test_holder_gets_404_on_every_officer_page(client, db, make, auth):
    holder = make.holder()
    response = auth.login(holder)
    assert response.status_code == 302
    assert client.get("/").headers["Location"].endswith("/holders/me")
    assert client.get("/holders/me").status_code == 200
    account = client.get("/account")  # its own account: tokens, recovery codes, time zone
    assert account.status_code == 200 and holder.holder_org.name.encode() in account.data
    for path in [*OFFICER_PAGES, f"/holders/{holder.holder_org_id}"]:  # not its keeper
        assert client.get(path).status_code == 404, path


def test_every_route_outside_the_holder_area_answers_a_holder_404(app, client, db, make, auth):
    """Walks the URL map: whatever a new page forgets, the holder guard still refuses."""
    from anice import policy

    auth.login(make.holder())
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or policy.holder_reaches(rule.endpoint) \
                or rule.endpoint.startswith("api."):
            continue
        url = rule.build({name: 1 for name in rule.arguments})[1]
        assert client.get(url).status_code == 404, rule.endpoint
        checked += 1
    assert checked > 50


def test_holder_token_reaches_no_officer_api(client, db, make):
    holder = make.holder()
    _, raw = tokens.create_token(db, holder, "brand system", "read", 30)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200
    assert me.json["holder"]["id"] == holder.holder_org_id and me.json["agency"] is None
    for path in ("/api/v1/cases", "/api/v1/rights", "/api/v1/referrals",
                 "/api/v1/cases/1", "/api/v1/reports"):
        assert client.get(path, headers=headers).status_code == 404, path


def test_coordinator_pages_register_link_and_invite(client, db, make, auth, coord):
    make.right("MY", "TM100009", mark="ADIDAS")
    auth.login(coord)
    response = client.post("/holders/", data={
        "name": "adidas AG", "kind": "owner", "country": "MY",
        "identity_checked": "Company register extract"})
    assert response.status_code == 302
    org_url = response.headers["Location"]
    org_id = int(org_url.rstrip("/").rsplit("/", 1)[1])
    bad = client.post(f"/holders/{org_id}/links", data={
        "office": "MY", "number": "NOPE", "capacity": "owner", "holder_name": "adidas AG"})
    assert bad.status_code == 422 and b"no right MY NOPE" in bad.data
    ok = client.post(f"/holders/{org_id}/links", data={
        "office": "MY", "number": "TM100009", "capacity": "owner", "holder_name": "adidas AG"})
    assert ok.status_code == 302
    invited = client.post(f"/holders/{org_id}/people", data={
        "name": "Counsel", "email": "counsel@adidas.example"})
    assert invited.status_code == 200 and b"/invite/" in invited.data
    page = client.get(org_url)
    assert b"TM100009" in page.data and b"counsel@adidas.example" in page.data
