"""/api/v1 referral requests: asked from a hit, answered by the holder's coordinator; the
asker reads nothing beyond the hit until the referral is sent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from anice.models import AuditEvent, Referral

from ..correlation.helpers import SELLER, online_case
from .test_referrals_api import _problem, api  # noqa: F401  (api: the fixture)


@pytest.fixture
def hit(db, make):
    w = make.world()
    w.th_case = online_case(db, w.inv_th, SELLER, title="Secret TH operation Dragon")
    w.case = online_case(db, w.inv_my, {**SELLER, "url": "https://shopee.com.my/wk88"})
    return w


def _ask(api, hit, **body):  # noqa: F811
    return api(hit.inv_my).post(f"/cases/{hit.case.id}/referral-requests",
                                json={"agency_id": hit.th_police.id,
                                      "message": "Please refer it.", **body})


def test_request_answered_by_a_referral_back(api, db, hit):  # noqa: F811
    response = _ask(api, hit)
    assert response.status_code == 201, response.get_data(as_text=True)
    made = response.get_json()
    assert made["side"] == "asker" and made["status"] == "open"
    assert made["holder_cases"] is None and made["referral"] is None
    assert made["holder"]["agency"]["id"] == hit.th_police.id
    flat = response.get_data(as_text=True)
    assert hit.th_case.reference not in flat and "Dragon" not in flat
    # Seen by the holder's coordinator only.
    coord = api(hit.coord_th)
    inbox = coord.get("/referral-requests?box=inbox").get_json()
    assert [r["id"] for r in inbox] == [made["id"]]
    held = inbox[0]
    assert held["side"] == "holder"
    assert held["holder_cases"][0]["reference"] == hit.th_case.reference
    for outsider in (hit.sup_th, hit.coord_vn, hit.inv_my_customs):
        _problem(api(outsider).get(f"/referral-requests/{made['id']}"), 404)
        assert api(outsider).get("/referral-requests?box=inbox").get_json() == []
    _problem(api(hit.sup_th).post(f"/referral-requests/{made['id']}/refer",
                                  json={"requested_action": "information_only",
                                        "handling_code": "agency_only", "message": "x"}), 404)
    answer = coord.post(f"/referral-requests/{made['id']}/refer", json={
        "requested_action": "information_only", "handling_code": "agency_only",
        "message": "Our case.", "fields": ["summary"]})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    referral = answer.get_json()
    assert referral["status"] == "pending_approval"
    assert referral["to"]["agency"]["id"] == hit.my_police.id
    # Waiting for the holder agency's approval: the asker still reads "open".
    mine = api(hit.inv_my).get(f"/referral-requests/{made['id']}").get_json()
    assert mine["status"] == "open" and mine["referral"] is None
    assert api(hit.sup_th).post(f"/referrals/{referral['id']}/approve").status_code == 200
    mine = api(hit.inv_my).get(f"/referral-requests/{made['id']}").get_json()
    assert mine["status"] == "referred" and mine["referral"]["id"] == referral["id"]
    _problem(coord.post(f"/referral-requests/{made['id']}/decline", json={"reason": "x"}), 409)
    assert db.scalar(select(Referral)).case_id == hit.th_case.id
    assert db.scalars(select(AuditEvent).where(
        AuditEvent.action == "referral_request.referred")).all()


def test_decline_and_bad_input(api, db, hit):  # noqa: F811
    _problem(_ask(api, hit, message=""), 422, "message")
    _problem(api(hit.inv_my).post(f"/cases/{hit.case.id}/referral-requests",
                                  json={"agency_id": hit.th_customs.id, "message": "x"}), 404)
    _problem(api(hit.inv_my_customs).post(f"/cases/{hit.case.id}/referral-requests",
                                          json={"agency_id": hit.th_police.id,
                                                "message": "x"}), 404)
    made = _ask(api, hit).get_json()
    _problem(_ask(api, hit), 409)
    coord = api(hit.coord_th)
    _problem(coord.post(f"/referral-requests/{made['id']}/decline", json={"reason": ""}),
             422, "reason")
    declined = coord.post(f"/referral-requests/{made['id']}/decline",
                          json={"reason": "Sealed by the court."})
    assert declined.status_code == 200 and declined.get_json()["status"] == "declined"
    mine = api(hit.inv_my).get("/referral-requests?box=outbox").get_json()
    assert mine[0]["status"] == "declined"
    assert mine[0]["decline_reason"] == "Sealed by the court."
    _problem(api(hit.inv_my).get("/referral-requests?box=elsewhere"), 422, "box")


def test_routing_over_the_api_needs_a_choice_and_happens_once(api, db, make):  # noqa: F811
    from ..referrals.helpers import sent, world

    w = world(db, make)
    referral = sent(db, w)
    coord = api(w.coord_th)
    _problem(coord.post(f"/referrals/{referral.id}/route", json={"agency_id": ""}), 422,
             "agency_id")
    assert coord.post(f"/referrals/{referral.id}/route",
                      json={"agency_id": w.th_police.id}).status_code == 200
    _problem(coord.post(f"/referrals/{referral.id}/route",
                        json={"agency_id": w.th_customs.id}), 403)
    _problem(coord.post(f"/referrals/{referral.id}/decline", json={"reason": "no"}), 403)
