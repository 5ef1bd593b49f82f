"""Notifications: stored per officer, counted in the bell, marked read, e-mailed as a link."""

from __future__ import annotations

from sqlalchemy import select

from anice import notifications as notify
from anice.cases import items
from anice.models import Notification, Role

from .cases.helpers import new_case


def test_assignment_notifies_the_officer_and_the_bell_counts(client, auth, db, make):
    sup = make.officer(Role.SUPERVISOR)
    inv = make.officer(Role.INVESTIGATOR, agency=sup.agency)
    case = new_case(db, sup)
    items.assign(db, sup, case.id, inv.id)
    db.commit()
    row = db.scalar(select(Notification).where(Notification.officer_id == inv.id))
    assert row.kind == "case.assigned" and case.reference in row.message
    assert notify.unread_count(db, sup) == 0
    auth.login(inv)
    page = client.get("/notifications/").get_data(as_text=True)
    assert case.reference in page and 'aria-label="Notifications: 1 unread"' in page
    response = client.post("/notifications/read", data={"id": row.id, "next": row.url})
    assert response.status_code == 302 and response.location.endswith(f"/cases/{case.id}")
    assert notify.unread_count(db, inv) == 0
    # An outside address is never followed.
    response = client.post("/notifications/read", data={"next": "//evil.example/x"})
    assert response.location.endswith("/notifications/")


def test_mail_goes_after_commit_and_only_as_a_link(app, db, make, monkeypatch):
    sent = []
    monkeypatch.setattr("workers.mail.send", lambda cfg, msg: sent.append(msg))
    app.config["SMTP_HOST"] = "mail.example"
    inv = make.officer()
    notify.notify(db, [inv], "referral.received", "Referral RF-MY-2026-000001: received",
                  "/referrals/1")
    assert sent == []  # nothing leaves before the commit
    db.rollback()
    db.commit()
    assert sent == []  # a rolled-back notification sends nothing
    notify.notify(db, [inv], "referral.received", "Referral RF-MY-2026-000001: received",
                  "/referrals/1")
    db.commit()
    assert len(sent) == 1
    body = sent[0].get_content()
    assert "RF-MY" not in body and "RF-MY" not in sent[0]["Subject"]
    assert "/notifications" in body and sent[0]["To"] == inv.email


def test_others_notifications_are_not_reachable(client, auth, db, make):
    a, b = make.officer(), make.officer()
    notify.notify(db, [a], "x.y", "for a only")
    db.commit()
    auth.login(b)
    assert "for a only" not in client.get("/notifications/").get_data(as_text=True)
    row = db.scalar(select(Notification))
    client.post("/notifications/read", data={"id": row.id})
    db.refresh(row)
    assert row.read_at is None
