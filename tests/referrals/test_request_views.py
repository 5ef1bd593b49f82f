"""Referral requests, sharing and routing over HTTP: a hit offers "Request this case from
<agency>"; the holder's coordinator answers; nothing pre-ticked; routing needs a choice."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from anice.models import Referral, ReferralRequest, ReferralStatus, RequestStatus
from anice.referrals import sharing

from ..correlation.helpers import SELLER, online_case
from .helpers import sent, world


def _as(auth, officer):
    auth.logout()
    assert auth.login(officer).status_code == 302


@pytest.fixture
def hit(db, make):
    w = make.world()
    w.th_case = online_case(db, w.inv_th, SELLER, title="Secret TH operation Dragon")
    w.case = online_case(db, w.inv_my, {**SELLER, "url": "https://shopee.com.my/wk88"})
    return w


def test_a_hit_offers_a_request_not_a_referral_of_ones_own_case(client, auth, db, hit):
    _as(auth, hit.inv_my)
    page = client.get(f"/cases/{hit.case.id}").get_data(as_text=True)
    assert f"Request this case from {hit.th_police.name}" in page
    assert "for a referral</a>" not in page and "agency_id" not in page.split(
        "/referrals/new?")[-1].split('"')[0]
    link = re.search(r'href="(/referrals/requests/new\?[^"]+)"', page).group(1)
    form = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert hit.case.reference in form and "marketplace seller id" in form
    assert hit.th_case.reference not in form and "Dragon" not in form
    response = client.post(link.replace("&amp;", "&"), data={
        "agency_id": str(hit.th_police.id), "message": "Please refer it."})
    assert response.status_code == 302
    made = db.scalar(select(ReferralRequest))
    shown = client.get(response.headers["Location"]).get_data(as_text=True)
    assert made.reference in shown and "Waiting for an answer" in shown
    assert hit.th_case.reference not in shown and "Dragon" not in shown
    # The hit now says it was asked, and offers no second request.
    page = client.get(f"/cases/{hit.case.id}").get_data(as_text=True)
    assert made.reference in page and "Request this case from" not in page
    outbox = client.get("/referrals/?box=outbox").get_data(as_text=True)
    assert made.reference in outbox


def test_bad_request_keeps_the_text_and_out_of_reach_is_404(client, auth, db, hit):
    _as(auth, hit.inv_my)
    url = f"/referrals/requests/new?case_id={hit.case.id}&agency_id={hit.th_police.id}"
    response = client.post(url, data={"agency_id": str(hit.th_police.id), "message": " "})
    assert response.status_code == 422 and "err-message" in response.get_data(as_text=True)
    assert client.get(f"/referrals/requests/new?case_id={hit.case.id}"
                      f"&agency_id={hit.th_customs.id}").status_code == 404
    assert client.get(f"/referrals/requests/new?case_id={hit.th_case.id}"
                      f"&agency_id={hit.my_police.id}").status_code == 404
    _as(auth, hit.inv_my_customs)
    assert client.get(url).status_code == 404


def test_the_holder_coordinator_answers_with_a_referral_back(client, auth, db, hit):
    _as(auth, hit.inv_my)
    client.post(f"/referrals/requests/new?case_id={hit.case.id}&agency_id={hit.th_police.id}",
                data={"agency_id": str(hit.th_police.id), "message": "Please refer it."})
    made = db.scalar(select(ReferralRequest))
    for outsider in (hit.sup_th, hit.inv_th, hit.coord_vn):
        _as(auth, outsider)
        assert client.get(f"/referrals/requests/{made.id}").status_code == 404
    _as(auth, hit.coord_th)
    inbox = client.get("/referrals/?box=inbox").get_data(as_text=True)
    assert made.reference in inbox
    page = client.get(f"/referrals/requests/{made.id}").get_data(as_text=True)
    assert hit.th_case.reference in page and "shopee:watchking88" in page
    form = client.get(f"/referrals/requests/{made.id}/refer?case_id={hit.th_case.id}")
    text = form.get_data(as_text=True)
    assert form.status_code == 200 and hit.my_police.name in text and made.reference in text
    assert 'name="to"' not in text and "checked" not in text.split("What to share")[1]
    response = client.post(f"/referrals/requests/{made.id}/refer?case_id={hit.th_case.id}",
                           data={"case_id": str(hit.th_case.id),
                                 "requested_action": "information_only",
                                 "handling_code": "agency_only", "message": "Our case.",
                                 "fields": ["summary"]})
    assert response.status_code == 302
    referral = db.scalar(select(Referral))
    db.expire_all()
    assert made.status == RequestStatus.REFERRED and made.referral_id == referral.id
    assert referral.to_agency_id == hit.my_police.id
    assert referral.status == ReferralStatus.PENDING_APPROVAL
    # Answered: no second answer is offered.
    page = client.get(f"/referrals/requests/{made.id}").get_data(as_text=True)
    assert "Decline the request" not in page and "/refer?" not in page
    # Until the holder agency approves, the asker sees nothing more than waiting.
    _as(auth, hit.inv_my)
    page = client.get(f"/referrals/requests/{made.id}").get_data(as_text=True)
    assert "Waiting for an answer" in page and referral.reference not in page
    _as(auth, hit.sup_th)
    assert client.post(f"/referrals/{referral.id}/approve").status_code == 302
    _as(auth, hit.sup_my)
    page = client.get(f"/referrals/requests/{made.id}").get_data(as_text=True)
    assert "Answered by a referral" in page and referral.reference in page
    shown = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert made.reference in shown  # the referral says which request it answers


def test_the_holder_coordinator_declines_with_a_reason(client, auth, db, hit):
    _as(auth, hit.inv_my)
    client.post(f"/referrals/requests/new?case_id={hit.case.id}&agency_id={hit.th_police.id}",
                data={"agency_id": str(hit.th_police.id), "message": "Please refer it."})
    made = db.scalar(select(ReferralRequest))
    _as(auth, hit.coord_th)
    response = client.post(f"/referrals/requests/{made.id}/decline", data={"reason": ""})
    assert response.status_code == 422 and "err-reason" in response.get_data(as_text=True)
    assert client.post(f"/referrals/requests/{made.id}/decline",
                       data={"reason": "Sealed by the court."}).status_code == 302
    assert client.post(f"/referrals/requests/{made.id}/decline",
                       data={"reason": "again"}).status_code == 409
    _as(auth, hit.inv_my)
    page = client.get(f"/referrals/requests/{made.id}").get_data(as_text=True)
    assert "Declined" in page and "Sealed by the court." in page
    # The hit offers a new request.
    page = client.get(f"/cases/{hit.case.id}").get_data(as_text=True)
    assert f"Request this case from {hit.th_police.name}" in page


def test_nothing_is_ticked_to_share(client, auth, db, make):
    w = world(db, make)
    _as(auth, w.inv_my)
    form = client.get(f"/referrals/new?case_id={w.case.id}").get_data(as_text=True)
    share = form.split("What to share")[1]
    assert " checked" not in share
    for key in sharing.FIELDS:
        assert f'name="fields" value="{key}"' in share


def test_routing_needs_a_choice_and_happens_once(client, auth, db, make):
    w = world(db, make)
    referral = sent(db, w)
    _as(auth, w.coord_th)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert '<option value="">Choose an agency</option>' in page
    assert "selected" not in page.split('name="agency_id"')[1].split("</select>")[0]
    assert "Decline the referral" in page or "Decline, because" in page
    response = client.post(f"/referrals/{referral.id}/route", data={"agency_id": ""})
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and "choose the agency to route the referral to" in text
    db.expire_all()
    assert referral.status == ReferralStatus.SENT
    assert client.post(f"/referrals/{referral.id}/route",
                       data={"agency_id": w.th_police.id}).status_code == 302
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert 'name="agency_id"' not in page and "Decline, because" not in page
    assert "Ask the sender for more" not in page
    # The server refuses too.
    assert client.post(f"/referrals/{referral.id}/route",
                       data={"agency_id": w.th_customs.id}).status_code == 403
    assert client.post(f"/referrals/{referral.id}/decline",
                       data={"reason": "no"}).status_code == 403
    # The routed agency's supervisor now answers.
    _as(auth, w.sup_th)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Decline, because" in page and "Accept and open a linked case" in page
