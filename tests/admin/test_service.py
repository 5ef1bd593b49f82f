"""Administration rules: who may invite, manage and see whom; audit in the same transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from anice.admin import service
from anice.errors import Forbidden, Invalid, NotFound
from anice.models import AuditEvent, Officer, Role
from anice.web import paginate


def audit_count(db, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == action)) or 0


def test_coordinator_invites_into_own_country_only(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    th_agency = make.agency("TH", "THPOL")
    officer, token = service.invite_officer(db, coord, email="a@my.anice.demo", name="A",
                                            role="investigator", agency_id=coord.agency_id)
    db.commit()
    assert officer.active is False and len(token) > 30
    assert audit_count(db, "officer.invite") == 1
    with pytest.raises(Invalid) as err:
        service.invite_officer(db, coord, email="b@th.anice.demo", name="B",
                               role="investigator", agency_id=th_agency.id)
    assert err.value.field == "role"
    db.rollback()
    assert db.scalar(select(Officer).where(Officer.email == "b@th.anice.demo")) is None
    assert audit_count(db, "officer.invite") == 1


@pytest.mark.parametrize("kwargs, field", [
    ({"email": "not-an-email"}, "email"),
    ({"name": "  "}, "name"),
    ({"role": "emperor"}, "role"),
    ({"role": "coordinator"}, "role"),
    ({"agency_id": 0}, "agency"),
])
def test_invite_bad_input_names_the_field(db, make, kwargs, field):
    coord = make.officer(Role.COORDINATOR, country="MY")
    args = {"email": "x@my.anice.demo", "name": "X", "role": "investigator",
            "agency_id": coord.agency_id, **kwargs}
    with pytest.raises(Invalid) as err:
        service.invite_officer(db, coord, **args)
    assert err.value.field == field


def test_duplicate_email_refused(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    existing = make.officer(country="MY")
    with pytest.raises(Invalid) as err:
        service.invite_officer(db, coord, email=existing.email.upper(), name="X",
                               role="investigator", agency_id=coord.agency_id)
    assert err.value.field == "email"


def test_admin_invites_coordinators(db, make):
    admin = make.officer(Role.ADMIN)
    agency = make.agency("VN", "VNIP")
    officer, _ = service.invite_officer(db, admin, email="c@vn.anice.demo", name="C",
                                        role="coordinator", agency_id=agency.id)
    assert officer.role == Role.COORDINATOR and officer.timezone == "Asia/Ho_Chi_Minh"


def test_other_country_officer_is_not_found(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    th_officer = make.officer(country="TH")
    with pytest.raises(NotFound):
        service.get_officer(db, coord, th_officer.id)
    with pytest.raises(NotFound):
        service.change_role(db, coord, th_officer.id, "supervisor")
    with pytest.raises(NotFound):
        service.deactivate(db, coord, th_officer.id, "no reason")
    with pytest.raises(NotFound):
        service.get_officer(db, coord, 999999)


def test_officer_list_is_scoped(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    mine = [make.officer(country="MY") for _ in range(3)]
    make.officer(country="TH")
    sup = make.officer(Role.SUPERVISOR, country="MY", agency=mine[0].agency)
    other_agency = make.officer(country="MY", agency=make.agency("MY", "MYCUS"))
    seen = paginate(service.officers_query(coord, service.OfficerFilter()), 1, 100).items
    assert {o.id for o in seen} == {coord.id, sup.id, other_agency.id, *(o.id for o in mine)}
    seen_by_sup = paginate(service.officers_query(sup, service.OfficerFilter()), 1, 100).items
    assert other_agency.id not in {o.id for o in seen_by_sup}
    admin = make.officer(Role.ADMIN)
    everyone = paginate(service.officers_query(admin, service.OfficerFilter()), 1, 100)
    assert everyone.total == db.scalar(select(func.count()).select_from(Officer))


def test_filters_and_sorting(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    make.officer(Role.PROSECUTOR, country="MY", email="zed@my.anice.demo")
    make.officer(Role.SUPERVISOR, country="MY", email="amy@my.anice.demo")
    found = paginate(service.officers_query(coord, service.OfficerFilter(role="prosecutor")),
                     1, 10).items
    assert [o.email for o in found] == ["zed@my.anice.demo"]
    ordered = paginate(service.officers_query(coord, service.OfficerFilter(sort="-email")),
                       1, 10).items
    emails = [o.email for o in ordered]
    assert emails == sorted(emails, reverse=True)


def test_change_role_and_deactivate_write_audit(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    inv = make.officer(country="MY")
    service.change_role(db, coord, inv.id, "supervisor")
    service.deactivate(db, coord, inv.id, "moved to another ministry")
    db.commit()
    db.refresh(inv)
    assert inv.role == Role.SUPERVISOR and not inv.active and inv.deactivated_at
    role_event = db.scalar(select(AuditEvent).where(AuditEvent.action == "officer.role"))
    assert role_event.details == {"before": "investigator", "after": "supervisor"}
    assert role_event.country_code == "MY" and role_event.actor_id == coord.id
    assert audit_count(db, "officer.deactivate") == 1


def test_coordinator_cannot_promote_to_coordinator(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    inv = make.officer(country="MY")
    with pytest.raises(Forbidden):
        service.change_role(db, coord, inv.id, "coordinator")
    with pytest.raises(Invalid):
        service.change_role(db, coord, inv.id, "king")


def test_deactivation_needs_a_reason(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    inv = make.officer(country="MY")
    with pytest.raises(Invalid) as err:
        service.deactivate(db, coord, inv.id, " ")
    assert err.value.field == "reason"


def test_reinvite_resets_credentials(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    inv = make.officer(country="MY")
    _, token = service.reinvite(db, coord, inv.id)
    db.commit()
    db.refresh(inv)
    assert not inv.active and inv.password_hash is None and not inv.totp_confirmed
    assert token


def test_agencies(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    agency = service.create_agency(db, coord, "MY", "mdtcc", "Domestic trade", "market_authority")
    assert agency.code == "MDTCC"
    with pytest.raises(Invalid) as err:
        service.create_agency(db, coord, "MY", "MDTCC", "Again", "police")
    assert err.value.field == "code"
    with pytest.raises(Invalid) as err:
        service.create_agency(db, coord, "MY", "X", "Short", "police")
    assert err.value.field == "code"
    with pytest.raises(Invalid) as err:
        service.create_agency(db, coord, "MY", "ABC", "Kind", "navy")
    assert err.value.field == "kind"
    with pytest.raises(Forbidden):
        service.create_agency(db, coord, "TH", "THX", "Not mine", "police")
    service.update_agency(db, coord, agency.id, name="Renamed", kind="police", active=False)
    assert agency.name == "Renamed" and not agency.active
    assert audit_count(db, "agency.create") == 1 and audit_count(db, "agency.update") == 1


def test_countries_only_admin(db, make):
    coord = make.officer(Role.COORDINATOR, country="MY")
    admin = make.officer(Role.ADMIN)
    with pytest.raises(NotFound):
        service.update_country(db, coord, "MY", name="Malaysia", currency="MYR",
                               timezone="Asia/Kuala_Lumpur", active=True)
    with pytest.raises(Invalid) as err:
        service.update_country(db, admin, "MY", name="Malaysia", currency="RM",
                               timezone="Asia/Kuala_Lumpur", active=True)
    assert err.value.field == "currency"
    with pytest.raises(Invalid) as err:
        service.update_country(db, admin, "MY", name="Malaysia", currency="MYR",
                               timezone="Mars/Olympus", active=True)
    assert err.value.field == "timezone"


def test_audit_scoped_to_coordinator_country(db, make):
    my_coord = make.officer(Role.COORDINATOR, country="MY")
    th_coord = make.officer(Role.COORDINATOR, country="TH")
    service.invite_officer(db, my_coord, email="m@my.anice.demo", name="M",
                           role="investigator", agency_id=my_coord.agency_id)
    service.invite_officer(db, th_coord, email="t@th.anice.demo", name="T",
                           role="investigator", agency_id=th_coord.agency_id)
    db.commit()
    mine = paginate(service.audit_query(my_coord, service.AuditFilter()), 1, 100).items
    assert mine and {e.country_code for e in mine} == {"MY"}
    admin = make.officer(Role.ADMIN)
    every = paginate(service.audit_query(admin, service.AuditFilter()), 1, 100).items
    assert {"MY", "TH"} <= {e.country_code for e in every}
    investigator = make.officer(country="MY")
    with pytest.raises(NotFound):
        service.audit_query(investigator, service.AuditFilter())
    with pytest.raises(Invalid) as err:
        service.audit_query(admin, service.AuditFilter(date_from="25/11/2026"))
    assert err.value.field == "date_from"


def test_deactivation_withdraws_invitations_and_tokens(db, make, client):
    from anice.auth import service as auth_service
    from anice.auth import tokens

    coord = make.officer(Role.COORDINATOR, country="MY")
    invited, token = service.invite_officer(db, coord, email="late@my.anice.demo", name="Late",
                                            role="investigator", agency_id=coord.agency_id)
    active = make.officer(country="MY")
    _, raw = tokens.create_token(db, active, "t", "read", 5)
    db.commit()
    service.deactivate(db, coord, invited.id, "never started")
    service.deactivate(db, coord, active.id, "left")
    db.commit()
    with pytest.raises(NotFound):
        auth_service.open_invitation(db, token)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_reinvite_revokes_api_tokens(db, make, client):
    from anice.auth import tokens

    coord = make.officer(Role.COORDINATOR, country="MY")
    officer = make.officer(country="MY")
    _, raw = tokens.create_token(db, officer, "t", "read", 5)
    db.commit()
    service.reinvite(db, coord, officer.id)
    officer.active = True  # as if re-enrolled
    db.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_the_invitation_is_mailed_after_the_commit_only(app, db, make, monkeypatch):
    sent = []
    monkeypatch.setattr("workers.mail.send", lambda cfg, msg: sent.append(msg))
    app.config["SMTP_HOST"] = "mail.example"
    coord = make.officer(Role.COORDINATOR, country="MY")
    service.invite_officer(db, coord, email="gone@my.anice.demo", name="Gone",
                           role="investigator", agency_id=coord.agency_id)
    assert sent == []  # nothing leaves before the commit
    db.rollback()
    db.commit()
    assert sent == []  # a rolled-back invitation mails nobody
    officer, token = service.invite_officer(db, coord, email="new@my.anice.demo", name="New",
                                            role="investigator", agency_id=coord.agency_id)
    db.commit()
    assert [m["To"] for m in sent] == ["new@my.anice.demo"]
    assert f"/invite/{token}" in sent[0].get_content()
    assert service.link_to_hand_over(token) is None  # the mail carries it, not the page
    service.reinvite(db, coord, officer.id)
    db.commit()
    assert len(sent) == 2 and f"/invite/{token}" not in sent[1].get_content()


def test_without_a_mail_server_the_inviter_is_handed_the_link(app, db, make):
    app.config["SMTP_HOST"] = ""
    coord = make.officer(Role.COORDINATOR, country="MY")
    _, token = service.invite_officer(db, coord, email="x@my.anice.demo", name="X",
                                      role="investigator", agency_id=coord.agency_id)
    db.commit()
    link = service.link_to_hand_over(token)
    assert link == app.config["BASE_URL"].rstrip("/") + f"/invite/{token}"
