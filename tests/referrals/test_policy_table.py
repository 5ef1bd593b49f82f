"""The referral rows of the access table (pure objects, no database).

A MY case (MY police) referred to Thailand; routed to TH police; TH customs and a third
country (VN) are outsiders. Each row: actor x referral state x question -> answer.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from anice import policy
from anice.models import (
    Agency,
    AgencyKind,
    Case,
    CaseKind,
    CaseStatus,
    Country,
    HandlingCode,
    Officer,
    Referral,
    ReferralStatus,
    Role,
    Sensitivity,
)

RS = ReferralStatus
TODAY = date(2026, 11, 25)


def _agency(id_: int, country: str, code: str) -> Agency:
    agency = Agency(id=id_, country_code=country, code=code, name=f"{country} {code}",
                    kind=AgencyKind.POLICE, active=True, referral_approval=True)
    agency.country = Country(code=country, name=country, currency="X", timezone="UTC")
    return agency


MY_POL, MY_CUS = _agency(1, "MY", "PDRM"), _agency(2, "MY", "JKDM")
TH_POL, TH_CUS = _agency(3, "TH", "ECD"), _agency(4, "TH", "CUS")
VN_POL = _agency(5, "VN", "C05")
_ids = iter(range(100, 1000))


def officer(role: Role, agency: Agency) -> Officer:
    return Officer(id=next(_ids), email=f"{role}{agency.id}@t", name=role.value, role=role,
                   agency=agency, agency_id=agency.id, active=True, timezone="UTC")


INV_MY, SUP_MY, PROS_MY = (officer(r, MY_POL) for r in (Role.INVESTIGATOR, Role.SUPERVISOR,
                                                         Role.PROSECUTOR))
COORD_MY, INV_MY_CUS = officer(Role.COORDINATOR, MY_CUS), officer(Role.INVESTIGATOR, MY_CUS)
COORD_TH, SUP_TH, INV_TH = (officer(Role.COORDINATOR, TH_CUS), officer(Role.SUPERVISOR, TH_POL),
                            officer(Role.INVESTIGATOR, TH_POL))
SUP_TH_CUS = officer(Role.SUPERVISOR, TH_CUS)
COORD_VN, INV_VN = officer(Role.COORDINATOR, VN_POL), officer(Role.INVESTIGATOR, VN_POL)
SECRETARIAT = officer(Role.SECRETARIAT, VN_POL)
ADMIN = officer(Role.ADMIN, VN_POL)


def _case(agency: Agency, id_: int) -> Case:
    return Case(id=id_, agency_id=agency.id, agency=agency, country_code=agency.country_code,
                kind=CaseKind.COUNTERFEIT, status=CaseStatus.OPEN,
                sensitivity=Sensitivity.NORMAL, assignments=[], title="t", reference=f"C{id_}")


def referral(status: RS, *, routed: bool = True, linked: bool = False,
             code: HandlingCode = HandlingCode.WITHIN_COUNTRY,
             share_until: date | None = None) -> Referral:
    case = _case(MY_POL, 1)
    r = Referral(id=1, reference="RF-MY-2026-000001", case_id=1, case=case,
                 from_agency_id=MY_POL.id, from_agency=MY_POL, from_country_code="MY",
                 to_country_code="TH", to_agency_id=TH_POL.id if routed else None,
                 to_agency=TH_POL if routed else None, status=status, handling_code=code,
                 created_by_id=INV_MY.id, share_until=share_until, shares=[])
    if linked:
        r.linked_case = _case(TH_POL, 2)
        r.linked_case_id = 2
    else:
        r.linked_case = None
    return r


EVERYONE = [INV_MY, SUP_MY, PROS_MY, COORD_MY, INV_MY_CUS, COORD_TH, SUP_TH, INV_TH,
            SUP_TH_CUS, COORD_VN, INV_VN, SECRETARIAT, ADMIN, None]


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
    (RS.ACCEPTED, SUP_TH_CUS, False), (RS.ACCEPTED, COORD_VN, False),
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
    ("can_route_referral", RS.SENT, {COORD_TH}),
    ("can_route_referral", RS.ACCEPTED, set()),
    ("can_accept_referral", RS.ROUTED, {SUP_TH}),
    ("can_accept_referral", RS.WITHDRAWN, set()),
    ("can_answer_referral", RS.ROUTED, {SUP_TH, COORD_TH}),
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
    case = _case(TH_POL, 2)
    case.origin_referral_id, case.origin_handling = 1, code.value
    return case


@pytest.mark.parametrize("actor, expected", _who({SUP_TH, INV_TH}))
def test_agency_only_linked_case_is_read_by_the_receiving_agency_alone(actor, expected):
    case = _linked_case(HandlingCode.AGENCY_ONLY)
    assert policy.can_view_case(actor, case) is expected
    # Nobody outside the agency gets a hit from what was copied into it either.
    assert policy.linked_case_view(actor, case) == ("case" if expected else None)


def test_agency_only_holds_whatever_the_sensitivity():
    case = _linked_case(HandlingCode.AGENCY_ONLY)
    case.sensitivity = Sensitivity.RESTRICTED
    assert not policy.can_view_case(COORD_TH, case) and not policy.can_view_case(INV_TH, case)
    assert policy.can_view_case(SUP_TH, case)


@pytest.mark.parametrize("code", [HandlingCode.WITHIN_COUNTRY, HandlingCode.COURT_AFTER_CONSENT,
                                  HandlingCode.OPEN])
def test_other_codes_leave_the_linked_case_to_the_country(code):
    assert policy.can_view_case(COORD_TH, _linked_case(code))


@pytest.mark.parametrize("code, expected", [
    (HandlingCode.AGENCY_ONLY, False), (HandlingCode.WITHIN_COUNTRY, False),
    (HandlingCode.COURT_AFTER_CONSENT, False), (HandlingCode.OPEN, True)])
def test_export_out_of_anice(code, expected):
    assert policy.handling_allows(referral(RS.ACCEPTED, code=code), "export") is expected
