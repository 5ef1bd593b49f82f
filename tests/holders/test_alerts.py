"""Alerts to right holders (issue 18): a subscribed organisation is told once when one of
its rights is confirmed in a case its agency (or the case) lets holders hear of; never for
a restricted case, a case that says no, an unsubscribed organisation or a revoked link;
the holder's page and API never show the case; the settings are audited."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from anice.admin import service as admin_service
from anice.auth import tokens
from anice.cases import service as case_service
from anice.holders import alerts, service
from anice.models import AuditEvent, HolderAlert, HolderRight, Notification, Role
from anice.rights import case_matching


def count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def audit_rows(db, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.fixture
def inv(db, make):
    officer = make.officer(Role.INVESTIGATOR, country="MY")
    officer.agency.tell_holders = True
    db.commit()
    return officer


@pytest.fixture
def nike(make):
    return make.right("MY", "TM300001", mark="NIKE", owner="Nike Innovate C.V.")


@pytest.fixture
def subscribed(make, nike):
    org = make.holder_org(name="Nike Innovate C.V.", rights=(nike,), alerts=True)
    return make.holder(org=org)


def test_confirmed_match_alerts_the_subscribed_org_once(db, make, inv, nike, subscribed):
    other = make.holder(org=make.holder_org(name="Quiet Brand", rights=(nike,)))  # no alerts
    case = make.case(inv, opened=True)
    match = make.match(inv, case, nike)
    [alert] = db.scalars(select(HolderAlert)).all()
    assert (alert.org_id, alert.right_id, alert.case_id) == (subscribed.holder_org_id,
                                                              nike.id, case.id)
    assert alert.country_code == "MY" and alert.agency_name == inv.agency.name
    assert alert.category == "footwear" and alert.quantity == "120 pairs"
    assert isinstance(alert.confirmed_on, date)
    [told] = db.scalars(select(Notification).where(Notification.officer_id == subscribed.id))
    assert "TM300001" in told.message and case.reference not in told.message
    assert count(db, Notification, Notification.officer_id == other.id) == 0
    assert len(audit_rows(db, "holder.alert")) == 1
    # Rejected and confirmed again: nothing new is written or sent.
    case_matching.decide(db, inv, case.id, match.id, "rejected")
    case_matching.decide(db, inv, case.id, match.id, "confirmed")
    db.commit()
    assert count(db, HolderAlert) == 1
    assert count(db, Notification, Notification.officer_id == subscribed.id) == 1


def test_restricted_case_tells_nobody_even_when_it_says_tell(db, make, inv, nike, subscribed):
    case = make.case(inv, opened=True, sensitivity="restricted")
    case.tell_holder = True
    db.commit()
    make.match(inv, case, nike)
    assert count(db, HolderAlert) == 0
    assert count(db, Notification, Notification.officer_id == subscribed.id) == 0


def test_the_case_overrides_its_agency(db, make, inv, nike, subscribed):
    says_no = make.case(inv, opened=True)
    case_service.update_case(db, inv, says_no.id, {"version": says_no.version,
                                                   "tell_holder": "do_not_tell"})
    db.commit()
    make.match(inv, says_no, nike)
    assert count(db, HolderAlert) == 0
    inv.agency.tell_holders = False
    says_yes = make.case(inv, opened=True)
    case_service.update_case(db, inv, says_yes.id, {"version": says_yes.version,
                                                    "tell_holder": "tell"})
    db.commit()
    make.match(inv, says_yes, nike)
    assert [a.case_id for a in db.scalars(select(HolderAlert))] == [says_yes.id]
    agency_default = make.case(inv, opened=True)  # agency says no, the case follows it
    make.match(inv, agency_default, nike)
    assert count(db, HolderAlert) == 1


def test_unsubscribed_org_and_revoked_link_are_not_told(db, make, inv, nike):
    coord = make.officer(Role.COORDINATOR, country="MY")
    quiet = make.holder(org=make.holder_org(rights=(nike,), alerts=False))
    revoked = make.holder(org=make.holder_org(rights=(nike,), alerts=True))
    link = db.scalar(select(HolderRight).where(HolderRight.org_id == revoked.holder_org_id))
    service.revoke_link(db, coord, revoked.holder_org_id, link.id, "mandate ended")
    db.commit()
    make.match(inv, make.case(inv, opened=True), nike)
    assert count(db, HolderAlert) == 0
    for holder in (quiet, revoked):
        assert count(db, Notification, Notification.officer_id == holder.id) == 0


def test_revoking_the_link_hides_the_alerts_already_written(db, make, inv, nike, subscribed):
    make.match(inv, make.case(inv, opened=True), nike)
    [alert] = alerts.my_alerts(db, subscribed)
    coord = make.officer(Role.COORDINATOR, country="MY")
    link = db.scalar(select(HolderRight).where(HolderRight.org_id == subscribed.holder_org_id))
    service.revoke_link(db, coord, subscribed.holder_org_id, link.id, "mandate ended")
    db.commit()
    assert alerts.my_alerts(db, subscribed) == []
    with pytest.raises(alerts.NotFound):
        alerts.my_alert(db, subscribed, alert.id)


def test_listing_match_says_one_listing(db, make, inv, subscribed):
    rolex = make.right("MY", "TM300002", mark="ROLEX", owner="Rolex SA", classes="14")
    db.add(HolderRight(org_id=subscribed.holder_org_id, right_id=rolex.id,
                       capacity="owner", holder_name="Rolex SA"))
    db.commit()
    case = make.case(inv, kind="online", opened=True)
    make.match(inv, case, rolex)
    [alert] = db.scalars(select(HolderAlert)).all()
    assert alert.category is None and alert.quantity == "1 listing"


# --- what the holder sees --------------------------------------------------------------

def test_alert_page_and_api_show_no_case(client, db, make, auth, inv, nike, subscribed):
    case = make.case(inv, opened=True)
    make.match(inv, case, nike)
    alert = db.scalar(select(HolderAlert))
    auth.login(subscribed)
    page = client.get("/holders/me/alerts")
    assert page.status_code == 200
    assert inv.agency.name.encode() in page.data and b"TM300001" in page.data
    assert case.reference.encode() not in page.data and case.title.encode() not in page.data
    assert b"/holders/me/alerts" in client.get("/holders/me").data
    auth.logout()
    _, raw = tokens.create_token(db, subscribed, "brand system", "read-write", 30)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    listed = client.get("/api/v1/holder/alerts", headers=headers)
    assert listed.status_code == 200
    [item] = listed.json
    assert item["right"]["number"] == "TM300001" and item["quantity"] == "120 pairs"
    assert item["agency"] == inv.agency.name and item["country"] == "MY"
    assert "case" not in item and case.reference not in listed.get_data(as_text=True)
    one = client.get(f"/api/v1/holder/alerts/{alert.id}", headers=headers)
    assert one.status_code == 200 and one.json["id"] == alert.id
    stop = client.put("/api/v1/holder/alerts/subscription", headers=headers,
                      json={"alerts": False})
    assert stop.status_code == 200 and stop.json == {"alerts": False}
    bad = client.put("/api/v1/holder/alerts/subscription", headers=headers,
                     json={"alerts": "yes"})
    assert bad.status_code == 422 and "alerts" in bad.get_data(as_text=True)


def test_other_holder_and_officer_get_404(client, db, make, auth, inv, nike, subscribed):
    make.match(inv, make.case(inv, opened=True), nike)
    alert = db.scalar(select(HolderAlert))
    stranger = make.holder(org=make.holder_org(alerts=True))
    _, raw = tokens.create_token(db, stranger, "other brand", "read", 30)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get(f"/api/v1/holder/alerts/{alert.id}", headers=headers).status_code == 404
    assert client.get("/api/v1/holder/alerts", headers=headers).json == []
    with pytest.raises(alerts.NotFound):
        alerts.my_alerts(db, inv)
    auth.login(inv)
    assert client.get("/holders/me/alerts").status_code == 404


# --- the agency's and the case's say -----------------------------------------------------

def test_agency_setting_is_audited(client, db, make, auth):
    coord = make.officer(Role.COORDINATOR, country="MY")
    agency = make.agency("MY", "KPDNX")
    admin_service.update_agency(db, coord, agency.id, name=agency.name, kind="police",
                                active=True, tell_holders=True)
    db.commit()
    assert agency.tell_holders is True
    [row] = audit_rows(db, "agency.update")
    assert row.details["before"]["tell_holders"] is False
    assert row.details["after"]["tell_holders"] is True
    auth.login(coord)
    response = client.post(f"/admin/agencies/{agency.id}",
                           data={"name": agency.name, "kind": "police", "active": "y"})
    assert response.status_code == 302
    db.refresh(agency)
    assert agency.tell_holders is False  # the box left unticked
    page = client.get(f"/admin/agencies/{agency.id}")
    assert b"Tell right holders" in page.data


def test_case_choice_on_the_form_api_and_page(client, db, make, auth, inv):
    case = make.case(inv, opened=True)
    auth.login(inv)
    form = client.get(f"/cases/{case.id}/edit")
    assert b'name="tell_holder"' in form.data and b"As the agency decides" in form.data
    assert b"Right holders told" in client.get(f"/cases/{case.id}").data
    auth.logout()
    _, raw = tokens.create_token(db, inv, "case system", "read-write", 30)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    read = client.get(f"/api/v1/cases/{case.id}", headers=headers).json
    assert read["tell_holder"] == "default" and read["tells_holder"] is True
    edited = client.patch(f"/api/v1/cases/{case.id}", headers=headers,
                          json={"version": read["version"], "tell_holder": "do_not_tell"})
    assert edited.status_code == 200
    assert edited.json["tell_holder"] == "do_not_tell" and edited.json["tells_holder"] is False
    bad = client.patch(f"/api/v1/cases/{case.id}", headers=headers,
                       json={"version": edited.json["version"], "tell_holder": "maybe"})
    assert bad.status_code == 422 and "tell_holder" in bad.get_data(as_text=True)
    rows = [r for r in audit_rows(db, "case.edited") if "tell_holder" in r.details["changes"]]
    assert len(rows) == 1


def test_case_choice_refused_to_who_cannot_edit(db, make, inv):
    case = make.case(inv, opened=True)
    outsider = make.officer(Role.INVESTIGATOR, agency=make.agency("MY", "OTHERX"))
    with pytest.raises(case_service.NotFound):
        case_service.update_case(db, outsider, case.id, {"version": case.version,
                                                         "tell_holder": "tell"})
    with pytest.raises(case_service.Invalid) as err:
        case_service.update_case(db, inv, case.id, {"version": case.version,
                                                    "tell_holder": "sometimes"})
    assert err.value.field == "tell_holder"
