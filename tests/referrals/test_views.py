"""Referral pages over HTTP: draft from a case, approve, route, accept, read what is shared."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from anice.models import CustodyEvent, Notification, Referral, ReferralStatus

from .helpers import accepted, sent, world


@pytest.fixture
def w(db, make):
    return world(db, make)


def _as(auth, officer):
    auth.logout()
    assert auth.login(officer).status_code == 302


def test_the_whole_life_over_http(client, auth, db, w):
    _as(auth, w.inv_my)
    page = client.get(f"/cases/{w.case.id}").get_data(as_text=True)
    assert "Refer this case to another member state" in page
    form = client.get(f"/referrals/new?case_id={w.case.id}").get_data(as_text=True)
    assert w.evidence[0].public_id in form and "Thailand" in form
    response = client.post("/referrals/new", data={
        "case_id": w.case.id, "to": "TH", "requested_action": "investigate",
        "handling_code": "agency_only", "message": "Same supplier.", "deadline": "2099-12-31",
        "fields": ["title"], "evidence": [w.evidence[1].public_id], "submit": "1"})
    assert response.status_code == 302
    referral = db.scalar(select(Referral))
    assert referral.status == ReferralStatus.PENDING_APPROVAL

    _as(auth, w.sup_my)
    assert client.post(f"/referrals/{referral.id}/approve",
                       data={"version": referral.version}).status_code == 302
    _as(auth, w.coord_th)
    inbox = client.get("/referrals/?box=inbox").get_data(as_text=True)
    assert referral.reference in inbox
    assert client.post(f"/referrals/{referral.id}/route",
                       data={"agency_id": w.th_police.id}).status_code == 302
    _as(auth, w.sup_th)
    assert client.get("/notifications/").status_code == 200
    assert client.post(f"/referrals/{referral.id}/accept", data={"copy": "1"}).status_code == 302
    db.expire_all()
    assert referral.status == ReferralStatus.ACCEPTED
    _as(auth, w.inv_th)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert w.evidence[1].original_name in page and w.evidence[0].original_name not in page
    assert w.case.summary not in page  # the summary was not shared
    download = client.get(f"/evidence/{w.evidence[1].public_id}/download")
    assert download.status_code == 200 and download.data.endswith(b"scan-1.pdf")
    assert client.get(f"/evidence/{w.evidence[0].public_id}/download").status_code == 404
    assert client.get(f"/cases/{w.case.id}").status_code == 404
    # The sender sees the receiver's download in its custody log.
    _as(auth, w.inv_my)
    custody = client.get(f"/evidence/{w.evidence[1].public_id}").get_data(as_text=True)
    assert w.inv_th.email in custody and referral.reference in custody


def test_bad_input_keeps_the_form_and_names_fields(client, auth, db, w):
    _as(auth, w.inv_my)
    response = client.post("/referrals/new", data={
        "case_id": w.case.id, "requested_action": "", "handling_code": "agency_only",
        "message": "keep me", "deadline": "1999-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "keep me" in page
    for field in ("err-to", "err-requested_action", "err-deadline"):
        assert field in page
    assert db.scalar(select(Referral)) is None


def test_outsiders_get_404(client, auth, db, w):
    referral = sent(db, w)
    for outsider in (w.coord_vn, w.inv_vn, w.sup_th_customs, w.inv_th):
        _as(auth, outsider)
        assert client.get(f"/referrals/{referral.id}").status_code == 404
        assert client.post(f"/referrals/{referral.id}/accept").status_code == 404
        assert referral.reference not in client.get("/referrals/").get_data(as_text=True)


def test_withdrawal_over_http_ends_the_receivers_reading(client, auth, db, w):
    referral = accepted(db, w)
    _as(auth, w.inv_my)
    assert client.post(f"/referrals/{referral.id}/withdraw",
                       data={"reason": "No longer needed"}).status_code == 302
    _as(auth, w.sup_th)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Nothing of the sender" in page and w.evidence[0].original_name not in page
    assert client.get(f"/evidence/{w.evidence[0].public_id}/download").status_code == 404
    bell = re.search(r'aria-label="Notifications: (\d+) unread"', page)
    assert bell and int(bell.group(1)) >= 1
    assert db.scalar(select(Notification).where(Notification.officer_id == w.sup_th.id,
                                                Notification.kind == "referral.withdrawn"))
    assert not db.scalar(select(CustodyEvent).where(CustodyEvent.actor_id == w.sup_th.id))
