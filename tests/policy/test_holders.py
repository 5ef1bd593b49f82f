"""Right holders in the access table (issue 18): a holder's account is refused by every
officer predicate and reaches its own organisation's material and requests only;
coordinators keep their country's holder organisations, the secretariat all of them;
officers read holder material and edit none."""

from __future__ import annotations

import inspect
from datetime import date

import pytest
from sqlalchemy import select

from anice import policy
from anice.models import (
    HolderOrg,
    HolderRight,
    Officer,
    Role,
    Sensitivity,
    VerificationRequest,
    VerificationStatus,
)

from . import cast
from .cast import (
    ACME_ORG,
    ADMIN,
    COORD_MY,
    COORD_TH,
    GONE,
    HOLDER,
    HOLDER_GONE,
    HOLDER_SUSPENDED,
    INV_MY,
    INV_TH,
    MY_POLICE,
    NIKE_ORG,
    OTHER_HOLDER,
    SECRETARIAT,
    SUP_MY,
    case,
    verification,
)

VS = VerificationStatus
HOLDER_PREDICATES = {
    "is_holder", "is_holder_account", "holder_reaches", "is_of_holder",
    "can_view_holder_material", "can_edit_holder_material", "can_view_holder_alerts",
    "can_set_holder_alerts", "is_verification_holder", "can_view_verification",
    "can_read_verification_items", "can_answer_verification", "holder_org_countries",
    "tells_holder", "token_allows", "handling_allows", "is_agency_only",
    "names_officer_to", "needs_approval",
}


def _sample(name: str):
    """An argument for a predicate's parameter, by its name (None: no sample)."""
    the_case = case(MY_POLICE, team=(INV_MY,))
    samples = {
        "case": the_case, "own_case": the_case, "country_code": "MY", "office": "MY",
        "org": NIKE_ORG, "org_id": NIKE_ORG.id, "agency": MY_POLICE, "target": INV_MY,
        "referral": cast.referral(cast.RS.SENT), "to": cast.CaseStatus.CLOSED,
        "role": Role.INVESTIGATOR, "officer": INV_MY, "vr": verification(),
        "today": date(2026, 12, 7), "endpoint": "cases.index",
    }
    return samples.get(name, inspect.Parameter.empty)


def test_every_officer_predicate_refuses_a_holder():
    """Deny by default: whatever an officer may do, a holder's account may not (a new
    predicate that forgets _usable fails here)."""
    asked = 0
    for name in sorted(cast_names := {n for n, f in inspect.getmembers(policy, inspect.isfunction)
                                      if f.__module__ == "anice.policy"
                                      and n.startswith("can_")}):
        if name in HOLDER_PREDICATES:
            continue
        fn = getattr(policy, name)
        first, *params = inspect.signature(fn).parameters.values()
        if first.name != "actor":
            continue
        args = [_sample(p.name) for p in params if p.default is inspect.Parameter.empty]
        if any(a is inspect.Parameter.empty for a in args):
            continue
        assert not fn(HOLDER, *args), name
        asked += 1
    assert asked > 40 and cast_names


@pytest.mark.parametrize("actor, expected", [
    (HOLDER, True), (OTHER_HOLDER, True), (HOLDER_GONE, False), (HOLDER_SUSPENDED, False),
    (INV_MY, False), (ADMIN, False), (None, False)])
def test_is_holder(actor, expected):
    assert policy.is_holder(actor) is expected
    assert policy.is_holder_account(actor) is (actor is not None and actor.role == Role.HOLDER)


@pytest.mark.parametrize("endpoint, expected", [
    ("holders.home", True), ("verifications.holder_show", False), ("auth.logout", True),
    ("session.keepalive", True), ("api.holder_requests", True), ("api.me", True),
    ("static", True), ("cases.index", False), ("api.list_cases", False),
    ("admin.officers", False), ("rights.show", False), (None, False)])
def test_holder_reaches(endpoint, expected):
    assert policy.holder_reaches(endpoint) is expected


@pytest.mark.parametrize("actor, org, expected", [
    (HOLDER, NIKE_ORG, True), (HOLDER, ACME_ORG, False), (OTHER_HOLDER, NIKE_ORG, False),
    (HOLDER_SUSPENDED, cast.SUSPENDED_ORG, False), (INV_MY, NIKE_ORG, False)])
def test_own_material(actor, org, expected):
    assert policy.is_of_holder(actor, org.id) is expected
    assert policy.can_edit_holder_material(actor, org.id) is expected
    assert policy.can_view_holder_alerts(actor, org.id) is expected
    assert policy.can_set_holder_alerts(actor, org) is expected


@pytest.mark.parametrize("actor, org, expected", [
    (HOLDER, NIKE_ORG, True), (HOLDER, ACME_ORG, False), (INV_MY, NIKE_ORG, True),
    (INV_TH, ACME_ORG, True), (SUP_MY, ACME_ORG, True), (GONE, NIKE_ORG, False),
    (None, NIKE_ORG, False)])
def test_view_holder_material(actor, org, expected):
    """Officers of every country read every holder's material; they edit none."""
    assert policy.can_view_holder_material(actor, org.id) is expected
    if actor is not None and actor.role != Role.HOLDER:
        assert policy.can_edit_holder_material(actor, org.id) is False


@pytest.mark.parametrize("actor, org, expected", [
    (COORD_MY, NIKE_ORG, True), (COORD_TH, NIKE_ORG, False), (COORD_TH, ACME_ORG, True),
    (SECRETARIAT, ACME_ORG, True), (ADMIN, NIKE_ORG, False), (SUP_MY, NIKE_ORG, False),
    (HOLDER, NIKE_ORG, False), (None, NIKE_ORG, False)])
def test_manage_holder_org(actor, org, expected):
    assert policy.can_manage_holder_org(actor, org) is expected
    assert policy.can_manage_holders(actor) is (expected or actor in (COORD_TH, COORD_MY))


@pytest.mark.parametrize("actor, expected", [
    (SECRETARIAT, None), (COORD_MY, ("MY",)), (COORD_TH, ("TH",)), (INV_MY, ()),
    (HOLDER, ()), (None, ())])
def test_holder_org_countries(actor, expected):
    assert policy.holder_org_countries(actor) == expected


@pytest.mark.parametrize("actor, office, expected", [
    (COORD_MY, "MY", True), (COORD_MY, "TH", True), (COORD_MY, "WO", True),
    (COORD_MY, "", False), (SECRETARIAT, "WO", True), (SECRETARIAT, "TH", True),
    (COORD_TH, "MY", False), (HOLDER, "MY", False), (INV_MY, "MY", False)])
def test_link_right(actor, office, expected):
    assert policy.can_link_right(actor, NIKE_ORG, office) is expected


@pytest.mark.parametrize("agency_says, case_says, sensitivity, expected", [
    (True, None, Sensitivity.NORMAL, True), (False, None, Sensitivity.NORMAL, False),
    (False, True, Sensitivity.NORMAL, True), (True, False, Sensitivity.NORMAL, False),
    (True, True, Sensitivity.RESTRICTED, False)])
def test_tells_holder(agency_says, case_says, sensitivity, expected):
    the_case = case(MY_POLICE, sensitivity=sensitivity)
    the_case.agency.tell_holders = agency_says
    the_case.tell_holder = case_says
    try:
        assert policy.tells_holder(the_case) is expected
    finally:
        the_case.agency.tell_holders = False


@pytest.mark.parametrize("actor, expected", [
    (INV_MY, True), (SUP_MY, True), (INV_TH, False), (HOLDER, False), (None, False)])
def test_request_verification(actor, expected):
    the_case = case(MY_POLICE, team=(INV_MY,))
    assert policy.can_request_verification(actor, the_case) is expected
    assert policy.can_set_tell_holder(actor, the_case) is expected


@pytest.mark.parametrize("actor, status, linked, view, read, answer, withdraw", [
    (HOLDER, VS.SENT, True, True, True, True, False),
    (HOLDER, VS.SENT, False, False, False, False, False),      # link revoked
    (HOLDER, VS.ANSWERED, True, True, True, False, False),
    (HOLDER, VS.WITHDRAWN, True, True, False, False, False),
    (OTHER_HOLDER, VS.SENT, True, False, False, False, False),  # another holder
    (HOLDER_GONE, VS.SENT, True, False, False, False, False),
    (INV_MY, VS.SENT, True, True, False, False, True),
    (INV_MY, VS.ANSWERED, True, True, False, False, False),
    (INV_TH, VS.SENT, True, False, False, False, False),
    (None, VS.SENT, True, False, False, False, False)])
def test_verification_rows(actor, status, linked, view, read, answer, withdraw):
    vr = verification(status=status)
    assert policy.can_view_verification(actor, vr, linked) is view
    assert policy.can_read_verification_items(actor, vr, linked) is read
    assert policy.can_answer_verification(actor, vr, linked) is answer
    assert policy.can_withdraw_verification(actor, vr) is withdraw
    assert policy.is_verification_holder(actor, vr) is (actor is HOLDER)


@pytest.mark.parametrize("actor, country, expected", [
    (ADMIN, "TH", True), (COORD_MY, "MY", True), (COORD_MY, "TH", False),
    (SUP_MY, "MY", False), (HOLDER, "MY", False), (None, "MY", False)])
def test_maintain_holidays(actor, country, expected):
    assert policy.can_maintain_holidays(actor, country) is expected


# --- the filters, on a database ---------------------------------------------------------

def test_holder_filters(db, make):
    right, other_right = make.right("MY", "HF000001"), make.right("MY", "HF000002")
    holder = make.holder(rights=(right,))
    other = make.holder(rights=(other_right,))
    inv = make.officer(Role.INVESTIGATOR, "MY")
    coord_my, coord_th = make.officer(Role.COORDINATOR, "MY"), make.officer(Role.COORDINATOR, "TH")
    the_case = make.case(inv)
    db.add_all([VerificationRequest(
        public_id=f"vr{i}", case_id=the_case.id, right_id=r.id, org_id=o.holder_org_id,
        country_code="MY", agency_id=inv.agency_id, sent_by_id=inv.id, question="?",
        detention_date=the_case.created_at.date(), working_days=5,
        deadline=the_case.created_at.date(), handling_code="agency_only")
        for i, (r, o) in enumerate(((right, holder), (other_right, other)))])
    db.commit()

    def orgs(actor):
        return set(db.scalars(select(HolderOrg.id).where(policy.visible_holder_orgs(actor))))

    def requests(actor):
        return set(db.scalars(select(VerificationRequest.public_id)
                              .where(policy.visible_verifications(actor))))

    assert orgs(holder) == {holder.holder_org_id}
    assert orgs(coord_my) >= {holder.holder_org_id, other.holder_org_id}
    assert orgs(coord_th) & {holder.holder_org_id, other.holder_org_id} == set()
    assert orgs(inv) == set()
    assert requests(holder) == {"vr0"} and requests(other) == {"vr1"}
    assert requests(inv) == {"vr0", "vr1"} and requests(coord_th) == set()
    # The case page's filter (no visible-cases subquery) answers as the general one does.
    for actor in (holder, other, inv, coord_my, coord_th):
        of_case = set(db.scalars(select(VerificationRequest.public_id)
                                 .where(policy.verifications_of_case(actor, the_case))))
        assert of_case == requests(actor), actor
    assert set(db.scalars(policy.holder_right_ids(holder))) == {right.id}
    assert set(db.scalars(policy.holder_right_ids(inv))) == set()
    link = db.scalar(select(HolderRight).where(policy.active_links(holder.holder_org_id)))
    link.revoked_at = the_case.created_at
    db.commit()
    assert requests(holder) == set()  # a revoked link ends access at once
    vr = db.scalar(select(VerificationRequest).where(VerificationRequest.public_id == "vr0"))
    told = set(db.scalars(select(Officer.id).where(policy.verification_officers(vr))))
    assert told == {inv.id}
    holders = set(db.scalars(select(Officer.id).where(
        policy.verification_holders(holder.holder_org_id))))
    assert holders == {holder.id}
