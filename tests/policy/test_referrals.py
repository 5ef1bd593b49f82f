"""The referral rows of the access table (pure objects, no database).

A MY case (MY police) referred to Thailand; routed to TH police; TH customs and a third
country (VN) are outsiders (the shared cast, tests/policy/cast.py). Each row: actor x
referral state x question -> answer.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from anice import policy
from anice.models import Case, HandlingCode, ReferralStatus, Sensitivity

from .cast import (
    ADMIN,
    COORD_MY,
    COORD_TH,
    COORD_VN,
    INV_MY,
    INV_MY_CUSTOMS,
    INV_TH,
    INV_VN,
    PROS_MY,
    SECRETARIAT,
    SUP_MY,
    SUP_MY_CUSTOMS,
    SUP_TH,
    SUP_TH_CUSTOMS,
    TH_POLICE,
    agency,
    case,
    referral,
)

RS = ReferralStatus
TODAY = date(2026, 11, 25)


EVERYONE = [INV_MY, SUP_MY, PROS_MY, COORD_MY, INV_MY_CUSTOMS, COORD_TH, SUP_TH, INV_TH,
            SUP_TH_CUSTOMS, COORD_VN, INV_VN, SECRETARIAT, ADMIN, None]


def _who(allowed: set) -> list:
    return [(actor, actor in allowed) for actor in EVERYONE]


@pytest.mark.parametrize("actor, expected", _who({INV_MY, SUP_MY, PROS_MY, COORD_MY}))
def test_draft_is_seen_by_the_sending_side_only(actor, expected):
    assert policy.can_view_referral(actor, referral(RS.DRAFT)) is expected


@pytest.mark.parametrize("actor, expected", _who({INV_MY, SUP_MY, PROS_MY, COORD_MY,
                                                  COORD_TH, SUP_TH}))
def test_routed_referral_before_acceptance(actor, expected):
    assert policy.can_view_referral(actor, referral(RS.ROUTED)) is expected


@pytest.mark.parametrize("actor, expected", _who({INV_MY, SUP_MY, PROS_MY, COORD_MY,
                                                  COORD_TH, SUP_TH, INV_TH}))
def test_accepted_referral_reaches_the_linked_case_team(actor, expected):
    assert policy.can_view_referral(actor, referral(RS.ACCEPTED, linked=True)) is expected


@pytest.mark.parametrize("status, actor, expected", [
    (RS.ACCEPTED, SUP_TH, True), (RS.ACCEPTED, INV_TH, True), (RS.ACCEPTED, COORD_TH, True),
    (RS.ROUTED, SUP_TH, True), (RS.INFO_REQUESTED, SUP_TH, True), (RS.SENT, COORD_TH, True),
    (RS.WITHDRAWN, SUP_TH, False), (RS.WITHDRAWN, INV_TH, False), (RS.WITHDRAWN, COORD_TH, False),
    (RS.DECLINED, SUP_TH, False), (RS.DRAFT, COORD_TH, False),
    (RS.PENDING_APPROVAL, COORD_TH, False),
    (RS.ACCEPTED, SUP_TH_CUSTOMS, False), (RS.ACCEPTED, COORD_VN, False),
    (RS.ACCEPTED, INV_VN, False), (RS.ACCEPTED, SECRETARIAT, False), (RS.ACCEPTED, ADMIN, False),
    (RS.ACCEPTED, INV_MY, False),  # the sender is not a receiver (it reads its own case)
])
def test_who_reads_shared_items(status, actor, expected):
    r = referral(status, linked=status == RS.ACCEPTED or status == RS.WITHDRAWN)
    assert policy.can_read_shared(actor, r, TODAY) is expected


def test_sharing_ends_on_share_until():
    r = referral(RS.ACCEPTED, linked=True, share_until=TODAY)
    assert policy.can_read_shared(SUP_TH, r, TODAY)
    assert not policy.can_read_shared(SUP_TH, r, TODAY + timedelta(days=1))


def test_agency_only_keeps_the_coordinator_out_once_routed():
    assert not policy.can_read_shared(COORD_TH, referral(RS.ROUTED,
                                                         code=HandlingCode.AGENCY_ONLY), TODAY)
    assert policy.can_read_shared(COORD_TH, referral(RS.SENT, routed=False,
                                                     code=HandlingCode.AGENCY_ONLY), TODAY)
    assert policy.can_read_shared(SUP_TH, referral(RS.ROUTED,
                                                   code=HandlingCode.AGENCY_ONLY), TODAY)


@pytest.mark.parametrize("question, status, allowed", [
    ("can_edit_referral", RS.DRAFT, {INV_MY, SUP_MY}),
    ("can_submit_referral", RS.DRAFT, {INV_MY, SUP_MY}),
    ("can_approve_referral", RS.PENDING_APPROVAL, {SUP_MY}),
    ("can_accept_referral", RS.ROUTED, {SUP_TH}),
    ("can_accept_referral", RS.WITHDRAWN, set()),
    # Once routed, the agency answers: the coordinator no longer routes or declines.
    ("can_route_referral", RS.ROUTED, set()),
    ("can_route_referral", RS.ACCEPTED, set()),
    ("can_answer_referral", RS.ROUTED, {SUP_TH}),
    ("can_answer_referral", RS.DECLINED, set()),
    ("can_withdraw_referral", RS.ROUTED, {INV_MY, SUP_MY}),
    ("can_withdraw_referral", RS.ACCEPTED, {INV_MY, SUP_MY}),
    ("can_withdraw_referral", RS.WITHDRAWN, set()),
    ("can_add_shares", RS.ACCEPTED, {INV_MY, SUP_MY}),
    ("can_add_shares", RS.DECLINED, set()),
    ("can_message_referral", RS.ROUTED, {INV_MY, SUP_MY, PROS_MY, SUP_TH, COORD_TH}),
    ("can_message_referral", RS.WITHDRAWN, set()),
    ("can_message_referral", RS.DRAFT, set()),
])
def test_who_may_do_what(question, status, allowed):
    r = referral(status, linked=status == RS.ACCEPTED)
    for actor in EVERYONE:
        assert getattr(policy, question)(actor, r) is (actor in allowed), (question, actor)


@pytest.mark.parametrize("question, status, allowed", [
    ("can_route_referral", RS.SENT, {COORD_TH}),
    ("can_answer_referral", RS.SENT, {COORD_TH}),
    ("can_answer_referral", RS.INFO_REQUESTED, {COORD_TH}),
    ("can_accept_referral", RS.SENT, set()),
])
def test_before_routing_the_coordinator_routes_or_answers(question, status, allowed):
    r = referral(status, routed=False)
    for actor in EVERYONE:
        assert getattr(policy, question)(actor, r) is (actor in allowed), (question, actor)


@pytest.mark.parametrize("code, use, expected", [
    (HandlingCode.AGENCY_ONLY, "reshare", False), (HandlingCode.AGENCY_ONLY, "court", False),
    (HandlingCode.AGENCY_ONLY, "copy", True), (HandlingCode.WITHIN_COUNTRY, "forward", True),
    (HandlingCode.WITHIN_COUNTRY, "reshare", False), (HandlingCode.OPEN, "reshare", True),
    (HandlingCode.COURT_AFTER_CONSENT, "court", False), (HandlingCode.OPEN, "court", True),
    (HandlingCode.AGENCY_ONLY, "anything else", False),
])
def test_handling_codes(code, use, expected):
    assert policy.handling_allows(referral(RS.ACCEPTED, code=code), use) is expected


def test_court_use_after_consent():
    from anice.models import utcnow

    r = referral(RS.ACCEPTED, linked=True, code=HandlingCode.COURT_AFTER_CONSENT)
    assert policy.can_consent_court_use(SUP_MY, r) and not policy.can_consent_court_use(INV_MY, r)
    r.court_consent_at = utcnow()
    assert policy.handling_allows(r, "court")
    assert not policy.can_consent_court_use(SUP_MY, r)


def _linked_case(code: HandlingCode) -> Case:
    return case(TH_POLICE, id_=2, origin=code)


@pytest.mark.parametrize("actor, expected", _who({SUP_TH, INV_TH}))
def test_agency_only_linked_case_is_read_by_the_receiving_agency_alone(actor, expected):
    linked = _linked_case(HandlingCode.AGENCY_ONLY)
    assert policy.can_view_case(actor, linked) is expected
    # Nobody outside the agency gets a hit from what was copied into it either.
    assert policy.linked_case_view(actor, linked) == ("case" if expected else None)


def test_agency_only_holds_whatever_the_sensitivity():
    linked = _linked_case(HandlingCode.AGENCY_ONLY)
    linked.sensitivity = Sensitivity.RESTRICTED
    assert not policy.can_view_case(COORD_TH, linked)
    assert not policy.can_view_case(INV_TH, linked)
    assert policy.can_view_case(SUP_TH, linked)


@pytest.mark.parametrize("code", [HandlingCode.WITHIN_COUNTRY, HandlingCode.COURT_AFTER_CONSENT,
                                  HandlingCode.OPEN])
def test_other_codes_leave_the_linked_case_to_the_country(code):
    assert policy.can_view_case(COORD_TH, _linked_case(code))


@pytest.mark.parametrize("code, expected", [
    (HandlingCode.AGENCY_ONLY, False), (HandlingCode.WITHIN_COUNTRY, False),
    (HandlingCode.COURT_AFTER_CONSENT, False), (HandlingCode.OPEN, True)])
def test_export_out_of_anice(code, expected):
    assert policy.handling_allows(referral(RS.ACCEPTED, code=code), "export") is expected


@pytest.mark.parametrize("actor, expected", _who({INV_MY, SUP_MY}))
def test_who_refers_a_case(actor, expected):
    assert policy.can_refer_case(actor, referral(RS.DRAFT).case) is expected


@pytest.mark.parametrize("status, allowed", [
    (RS.DRAFT, {INV_MY, SUP_MY, PROS_MY, COORD_MY}),
    (RS.ACCEPTED, {INV_MY, SUP_MY, PROS_MY, COORD_MY})])
def test_the_sender_is_who_reads_the_referred_case(status, allowed):
    r = referral(status, linked=status == RS.ACCEPTED)
    for actor in EVERYONE:
        assert policy.is_sender(actor, r) is (actor in allowed), actor


@pytest.mark.parametrize("status, routed, linked, allowed", [
    (RS.DRAFT, True, False, set()), (RS.PENDING_APPROVAL, True, False, set()),
    (RS.SENT, False, False, {COORD_TH}),
    (RS.ROUTED, True, False, {COORD_TH, SUP_TH}),
    (RS.ACCEPTED, True, True, {COORD_TH, SUP_TH, INV_TH}),
    (RS.DECLINED, True, False, {COORD_TH, SUP_TH}),
])
def test_the_receiver_is_the_country_then_the_agency(status, routed, linked, allowed):
    r = referral(status, routed=routed, linked=linked)
    for actor in EVERYONE:
        assert policy.is_receiver(actor, r) is (actor in allowed), actor


@pytest.mark.parametrize("actor, approval, expected", [
    (INV_MY, True, True), (SUP_MY, True, False),   # the supervisor drafting approves itself
    (INV_MY, False, False), (SUP_MY_CUSTOMS, True, True)])
def test_needs_approval(actor, approval, expected):
    r = referral(RS.DRAFT)
    r.from_agency = agency(1, "MY", "PDRM")
    r.from_agency.referral_approval = approval
    assert policy.needs_approval(actor, r) is expected
