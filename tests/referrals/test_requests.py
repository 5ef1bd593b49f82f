"""Referral requests through the service: asked from a hit, seen by the holder's
coordinator only, answered by a referral back (linked) or declined, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from anice.errors import Conflict, Forbidden, Invalid, NotFound
from anice.models import AuditEvent, Notification, ReferralStatus, RequestStatus
from anice.referrals import requests, service

from ..correlation.helpers import SELLER, online_case

ASK = "Please refer your case: same seller."
ANSWER = {"requested_action": "information_only", "handling_code": "agency_only",
          "message": "Here is our case.", "fields": ["summary"]}


@pytest.fixture
def hit(db, make):
    """TH police holds a case; MY police's case shares its seller: MY sees a hit on ECD."""
    w = make.world()
    w.th_case = online_case(db, w.inv_th, SELLER, title="Secret TH operation Dragon")
    w.case = online_case(db, w.inv_my, {**SELLER, "url": "https://shopee.com.my/wk88"})
    return w


def ask(db, w, **data):
    request = requests.create_request(db, w.inv_my, w.case.id,
                                      {"agency_id": str(w.th_police.id), "message": ASK,
                                       **data})
    db.commit()
    return request


def notes(db, officer, kind):
    return list(db.scalars(select(Notification).where(
        Notification.officer_id == officer.id, Notification.kind == kind)))


def test_a_hit_offers_a_request_prefilled_with_what_the_hit_shows(db, hit):
    form = requests.request_form(db, hit.inv_my, hit.case.id, str(hit.th_police.id))
    assert form["hit"]["agency"]["name"] == hit.th_police.name
    assert hit.case.reference in form["message"] and "marketplace seller id" in form["message"]
    # The holder case stays out of what the asker is shown.
    flat = repr(form["hit"]) + form["message"]
    assert hit.th_case.reference not in flat and "Dragon" not in flat


def test_request_is_created_seen_by_the_holder_coordinator_only(db, hit):
    request = ask(db, hit)
    assert request.reference.startswith("RQ-MY-") and request.status == RequestStatus.OPEN
    assert [c.holder_case_id for c in request.holder_cases] == [hit.th_case.id]
    assert {"kind": "seller_id", "value": "shopee:watchking88"} in \
        request.holder_cases[0].identifiers
    # The holder's coordinator is told, with the asker's case reference, not the officer.
    told = notes(db, hit.coord_th, "referral_request.received")
    assert len(told) == 1 and hit.case.reference in told[0].message
    assert hit.inv_my.name not in told[0].message
    assert [r.id for r in requests.list_requests(db, hit.coord_th, "inbox")] == [request.id]
    assert requests.get_request(db, hit.coord_th, request.id) is request
    # The TH agency itself, other countries, admins: not theirs to see.
    for outsider in (hit.sup_th, hit.inv_th, hit.coord_vn, hit.inv_vn, hit.admin,
                     hit.inv_my_customs):
        with pytest.raises(NotFound):
            requests.get_request(db, outsider, request.id)
        assert requests.list_requests(db, outsider, "inbox") == []
    # The asker's side sees its request, as waiting.
    assert [r.id for r in requests.list_requests(db, hit.sup_my, "outbox")] == [request.id]
    assert requests.asker_status(request) == "Waiting for an answer"
    waiting = requests.waiting_for(db, hit.coord_th)
    assert [w.url for w in waiting] == [f"/referrals/requests/{request.id}"]
    assert requests.waiting_for(db, hit.inv_my) == []


def test_request_is_audited_in_both_countries(db, hit):
    request = ask(db, hit)
    rows = list(db.scalars(select(AuditEvent).where(
        AuditEvent.action == "referral_request.created")))
    assert sorted(r.country_code for r in rows) == ["MY", "TH"]
    th_row = next(r for r in rows if r.country_code == "TH")
    assert th_row.actor_label == f"{hit.inv_my.agency.name}, Malaysia"
    assert th_row.details["request"] == request.reference


def test_only_one_open_request_per_case_and_agency(db, hit):
    ask(db, hit)
    with pytest.raises(Conflict):
        ask(db, hit)


def test_out_of_reach_answers_404(db, hit):
    # A case the officer may not read, and an agency no hit points to.
    with pytest.raises(NotFound):
        requests.create_request(db, hit.inv_my_customs, hit.case.id,
                                {"agency_id": str(hit.th_police.id), "message": ASK})
    with pytest.raises(NotFound):
        requests.create_request(db, hit.inv_my, hit.case.id,
                                {"agency_id": str(hit.th_customs.id), "message": ASK})
    with pytest.raises(NotFound):
        requests.create_request(db, hit.inv_my, hit.th_case.id,
                                {"agency_id": str(hit.my_police.id), "message": ASK})
    with pytest.raises(Invalid) as err:
        requests.create_request(db, hit.inv_my, hit.case.id,
                                {"agency_id": str(hit.th_police.id), "message": ""})
    assert err.value.field == "message"
    # A prosecutor reads the case but does not refer it.
    with pytest.raises(Forbidden):
        requests.create_request(db, hit.pros_my, hit.case.id,
                                {"agency_id": str(hit.th_police.id), "message": ASK})


def test_answered_by_a_referral_back_linked_and_approved_by_the_holder(db, hit):
    request = ask(db, hit)
    with pytest.raises(NotFound):
        requests.refer_back(db, hit.sup_th, request.id, ANSWER)
    referral = requests.refer_back(db, hit.coord_th, request.id, ANSWER)
    db.commit()
    assert request.status == RequestStatus.REFERRED and request.referral_id == referral.id
    assert referral.case_id == hit.th_case.id and referral.to_agency_id == hit.my_police.id
    # Holder agency approval as usual: nothing reaches the asker until it is sent.
    assert referral.status == ReferralStatus.PENDING_APPROVAL
    assert requests.asker_status(request) == "Waiting for an answer"
    assert notes(db, hit.inv_my, "referral.request_answered") == []
    assert notes(db, hit.sup_th, "referral.approval")
    service.approve(db, hit.sup_th, referral.id, {})
    db.commit()
    assert requests.asker_status(request) == "Answered by a referral"
    assert requests.answer_shown(request).id == referral.id
    told = notes(db, hit.inv_my, "referral.request_answered")
    assert len(told) == 1 and request.reference in told[0].message
    # The asker's agency reads what was shared through the referral, as any receiver.
    assert service.get_referral(db, hit.sup_my, referral.id).id == referral.id
    rows = list(db.scalars(select(AuditEvent).where(
        AuditEvent.action == "referral_request.referred")))
    assert sorted(r.country_code for r in rows) == ["MY", "TH"]
    with pytest.raises(Conflict):
        requests.decline_request(db, hit.coord_th, request.id, {"reason": "late"})


def test_declined_with_a_reason_the_asker_reads(db, hit):
    request = ask(db, hit)
    with pytest.raises(Invalid) as err:
        requests.decline_request(db, hit.coord_th, request.id, {"reason": ""})
    assert err.value.field == "reason"
    with pytest.raises(NotFound):
        requests.decline_request(db, hit.coord_vn, request.id, {"reason": "no"})
    with pytest.raises(Forbidden):
        requests.decline_request(db, hit.inv_my, request.id, {"reason": "no"})
    requests.decline_request(db, hit.coord_th, request.id, {"reason": "Under court seal."})
    db.commit()
    assert request.status == RequestStatus.DECLINED
    assert request.decline_reason == "Under court seal."
    assert requests.asker_status(request) == "Declined"
    assert notes(db, hit.inv_my, "referral_request.declined")
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "referral_request.declined",
                                              AuditEvent.country_code == "MY"))
    # Declined: a new request may be made.
    assert ask(db, hit).status == RequestStatus.OPEN


def test_a_referral_withdrawn_before_it_left_reopens_the_request(db, hit):
    request = ask(db, hit)
    referral = requests.refer_back(db, hit.coord_th, request.id, ANSWER)
    db.commit()
    service.withdraw(db, hit.sup_th, referral.id, {"reason": "Wrong case."})
    db.commit()
    assert request.status == RequestStatus.OPEN and request.referral_id is None
    assert requests.asker_status(request) == "Waiting for an answer"
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "referral_request.reopened"))
    # The coordinator may answer again.
    assert [w.url for w in requests.waiting_for(db, hit.coord_th)] == [
        f"/referrals/requests/{request.id}"]
    requests.decline_request(db, hit.coord_th, request.id, {"reason": "Sealed."})
    db.commit()
    assert request.status == RequestStatus.DECLINED


def test_my_work_lists_the_request_for_the_holder_coordinator_only(db, hit, client, auth):
    from anice import mywork

    request = ask(db, hit)
    sections = {s.key: s for s in mywork.my_work(db, hit.coord_th)}
    waiting = sections["referral_requests"]
    assert waiting.count == 1 and waiting.urgent
    assert [i.url for i in waiting.items] == [f"/referrals/requests/{request.id}"]
    assert request.reference in waiting.items[0].label
    # Nobody else has the list: the asker's side, the holder agency's own staff, others.
    for other in (hit.inv_my, hit.sup_my, hit.sup_th, hit.inv_th):
        assert "referral_requests" not in {s.key for s in mywork.my_work(db, other)}
    vn = {s.key: s for s in mywork.my_work(db, hit.coord_vn)}["referral_requests"]
    assert vn.count == 0 and vn.items == []  # another country's coordinator: none of it
    # Once answered (declined), it no longer waits.
    requests.decline_request(db, hit.coord_th, request.id, {"reason": "Not ours to share."})
    db.commit()
    after = {s.key: s for s in mywork.my_work(db, hit.coord_th)}["referral_requests"]
    assert after.count == 0 and after.items == []
    # Over HTTP: the home page shows the list with its link while it waits.
    other = ask(db, hit, message="Second ask, after the decline.")
    auth.login(hit.coord_th)
    home = client.get("/").get_data(as_text=True)
    assert "Requests for a referral of your country&#39;s cases" in home
    assert f"/referrals/requests/{other.id}" in home
