"""The referral-request rows of the access table.

MY police's case got a hit on a TH police case and asks TH police for a referral: the
asker's side is who reads the MY case, the holder's side TH's coordinator alone. Pure
objects for the predicates; the filters run on a real database (SQLite and PostgreSQL).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from anice import policy
from anice.models import (
    Officer,
    ReferralRequest,
    ReferralRequestCase,
    RequestStatus,
    Sensitivity,
)

from ..correlation.helpers import SELLER, online_case
from .cast import (
    ADMIN,
    COORD_MY,
    COORD_TH,
    COORD_VN,
    INV_MY,
    INV_MY_CUSTOMS,
    INV_TH,
    INV_VN,
    MY_POLICE,
    PROS_MY,
    SECRETARIAT,
    SUP_MY,
    SUP_MY_CUSTOMS,
    SUP_TH,
    SUP_TH_CUSTOMS,
    TH_CUSTOMS,
    TH_POLICE,
    case,
)

EVERYONE = [INV_MY, SUP_MY, PROS_MY, COORD_MY, INV_MY_CUSTOMS, SUP_MY_CUSTOMS, COORD_TH,
            SUP_TH, INV_TH, SUP_TH_CUSTOMS, COORD_VN, INV_VN, SECRETARIAT, ADMIN, None]
ASKER = case(MY_POLICE, id_=11)
HOLDER = case(TH_POLICE, id_=12)


def request(status: RequestStatus = RequestStatus.OPEN) -> ReferralRequest:
    return ReferralRequest(
        id=1, reference="RQ-MY-2026-000001", asker_case_id=ASKER.id, asker_case=ASKER,
        asker_agency_id=MY_POLICE.id, asker_agency=MY_POLICE, asker_country_code="MY",
        holder_agency_id=TH_POLICE.id, holder_agency=TH_POLICE, holder_country_code="TH",
        kinds=["seller_id"], status=status,
        holder_cases=[ReferralRequestCase(holder_case_id=HOLDER.id, holder_case=HOLDER)])


@pytest.mark.parametrize("question, status, allowed", [
    ("can_view_referral_request", RequestStatus.OPEN, {INV_MY, SUP_MY, PROS_MY, COORD_MY,
                                                       COORD_TH}),
    ("can_view_referral_request", RequestStatus.DECLINED, {INV_MY, SUP_MY, PROS_MY, COORD_MY,
                                                           COORD_TH}),
    ("is_request_holder", RequestStatus.OPEN, {COORD_TH}),
    ("can_answer_referral_request", RequestStatus.OPEN, {COORD_TH}),
    ("can_answer_referral_request", RequestStatus.REFERRED, set()),
    ("can_answer_referral_request", RequestStatus.DECLINED, set()),
])
def test_who_sees_and_answers_a_request(question, status, allowed):
    r = request(status)
    for actor in EVERYONE:
        assert getattr(policy, question)(actor, r) is (actor in allowed), (question, actor)


@pytest.mark.parametrize("holder_case, status, allowed", [
    (HOLDER, RequestStatus.OPEN, {COORD_TH}),
    (HOLDER, RequestStatus.REFERRED, set()),
    # A case the request does not stand for, or of another agency: nobody.
    (case(TH_POLICE, id_=13), RequestStatus.OPEN, set()),
    (case(TH_CUSTOMS, id_=14), RequestStatus.OPEN, set()),
    # Restricted since: the coordinator no longer reads it, so it cannot refer it.
    (case(TH_POLICE, id_=12, sensitivity=Sensitivity.RESTRICTED), RequestStatus.OPEN, set()),
])
def test_who_refers_on_a_request(holder_case, status, allowed):
    r = request(status)
    for actor in EVERYONE:
        assert policy.can_refer_on_request(actor, r, holder_case) is (actor in allowed), actor


@pytest.mark.parametrize("own_case, allowed", [
    (ASKER, {INV_MY, SUP_MY}),
    (case(MY_POLICE, id_=15, sensitivity=Sensitivity.RESTRICTED, team=(INV_MY,)), set()),
])
def test_who_asks_for_a_referral_from_a_hit(own_case, allowed):
    for actor in EVERYONE:
        assert policy.can_request_case(actor, own_case) is (actor in allowed), actor


def test_request_recipients_sides():
    r = request()
    assert str(policy.request_recipients(r, "holder")) == str(policy.coordinators_of("TH"))
    assert str(policy.request_recipients(r, "asker")) == str(policy.supervisors_of(
        MY_POLICE.id))
    with pytest.raises(ValueError):
        policy.request_recipients(r, "anybody")


def test_request_filters_on_a_database(db, make):
    from anice.referrals import requests

    w = make.world()
    online_case(db, w.inv_th, SELLER)
    mine = online_case(db, w.inv_my, {**SELLER, "url": "https://shopee.com.my/x"})
    made = requests.create_request(db, w.inv_my, mine.id,
                                   {"agency_id": str(w.th_police.id), "message": "please"})
    db.commit()

    def found(actor, clause):
        return set(db.scalars(select(ReferralRequest.id).where(clause)))

    for actor, seen in [(w.inv_my, {made.id}), (w.sup_my, {made.id}), (w.coord_my, {made.id}),
                        (w.coord_th, {made.id}), (w.sup_th, set()), (w.inv_th, set()),
                        (w.coord_vn, set()), (w.inv_my_customs, set()), (w.admin, set())]:
        assert found(actor, policy.visible_referral_requests(actor)) == seen, actor
    for actor, inbox in [(w.coord_th, {made.id}), (w.coord_my, set()), (w.sup_th, set()),
                         (w.inv_my, set())]:
        assert found(actor, policy.request_inbox(actor)) == inbox, actor
    told = set(db.scalars(select(Officer.id).where(policy.request_recipients(made, "holder"))))
    assert told == {w.coord_th.id}
