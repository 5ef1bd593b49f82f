"""The My work rows of the access table: which home-page lists concern whom (has_work),
and the filters behind the lists, run against a database holding the shared cast (SQLite
and PostgreSQL). Referral rows are written directly in each state: only who finds them is
asked here (tests/mywork/ drives the real life of a referral)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from anice import policy
from anice.models import (
    HandlingCode,
    ImportJob,
    ImportKind,
    Referral,
    ReferralStatus,
    RequestedAction,
    Role,
)

from .cast import (
    ADMIN,
    COORD_MY,
    GONE,
    INV_MY,
    PROS_MY,
    SECRETARIAT,
    SUP_MY,
)

RS = ReferralStatus


@pytest.mark.parametrize(("actor", "lists"), [
    (SUP_MY, {"approvals", "to_accept", "info_requested", "deadlines", "assigned", "imports",
              "reports"}),
    (INV_MY, {"info_requested", "assigned", "imports"}),
    (PROS_MY, {"info_requested", "assigned"}),
    (COORD_MY, {"to_route", "deadlines", "imports", "reports"}),
    (SECRETARIAT, {"reports"}),
    (ADMIN, {"imports"}),
    (GONE, set()),
    (None, set()),
])
def test_has_work(actor, lists):
    every = {"approvals", "to_route", "to_accept", "info_requested", "deadlines", "assigned",
             "imports", "reports", "no_such_list"}
    assert {s for s in every if policy.has_work(actor, s)} == lists


def _referral(db, case, status, to_agency=None, to="TH") -> int:
    row = Referral(case_id=case.id, from_agency_id=case.agency_id,
                   from_country_code=case.country_code, to_country_code=to,
                   to_agency_id=to_agency.id if to_agency else None,
                   requested_action=RequestedAction.INVESTIGATE,
                   handling_code=HandlingCode.WITHIN_COUNTRY, status=status)
    db.add(row)
    db.commit()
    return row.id


def test_referral_filters_of_my_work(db, make):
    w = make.world()
    mine, customs = make.case(w.inv_my), make.case(w.inv_my_customs)
    pending = _referral(db, mine, RS.PENDING_APPROVAL)
    pending_customs = _referral(db, customs, RS.PENDING_APPROVAL)
    sent = _referral(db, mine, RS.SENT)
    sent_vn = _referral(db, mine, RS.SENT, to="VN")
    routed = _referral(db, mine, RS.ROUTED, w.th_police)
    routed_customs = _referral(db, mine, RS.ROUTED, w.th_customs)
    asked = _referral(db, mine, RS.INFO_REQUESTED, w.th_police)
    asked_customs = _referral(db, customs, RS.INFO_REQUESTED, w.th_police)

    def ids(clause):
        return set(db.scalars(select(Referral.id).where(clause)))

    rows = [
        (policy.referrals_to_approve, w.sup_my, {pending}),
        (policy.referrals_to_approve, w.inv_my, set()),
        (policy.referrals_to_approve, w.sup_th, set()),
        (policy.referrals_to_approve, w.coord_my, set()),
        (policy.referrals_to_route, w.coord_th, {sent}),
        (policy.referrals_to_route, w.coord_vn, {sent_vn}),
        (policy.referrals_to_route, w.coord_my, set()),
        (policy.referrals_to_route, w.sup_th, set()),
        (policy.referrals_to_accept, w.sup_th, {routed}),
        (policy.referrals_to_accept, w.sup_th_customs, {routed_customs}),
        (policy.referrals_to_accept, w.inv_th, set()),
        (policy.referrals_to_accept, w.coord_th, set()),
        (policy.referrals_asking_info, w.inv_my, {asked}),
        (policy.referrals_asking_info, w.sup_my, {asked}),
        (policy.referrals_asking_info, w.inv_my_customs, {asked_customs}),
        (policy.referrals_asking_info, w.coord_my, set()),
        (policy.referrals_asking_info, w.sup_th, set()),
        (policy.referrals_asking_info, None, set()),
    ]
    for predicate, actor, expected in rows:
        assert ids(predicate(actor)) == expected, (predicate.__name__, actor, expected)
    assert pending_customs not in ids(policy.referrals_to_approve(w.sup_my))


def test_visible_import_jobs_are_the_uploaders(db, make):
    a, b = make.officer(Role.INVESTIGATOR), make.officer(Role.COORDINATOR)
    for officer in (a, b):
        db.add(ImportJob(kind=ImportKind.CASES, officer_id=officer.id,
                         country_code=officer.country_code, filename="x.csv",
                         upload_id=f"policy-row-{officer.id}"))
    db.commit()
    for actor in (a, b):
        jobs = list(db.scalars(select(ImportJob).where(policy.visible_import_jobs(actor))))
        assert [j.officer_id for j in jobs] == [actor.id]
    assert list(db.scalars(select(ImportJob).where(policy.visible_import_jobs(None)))) == []
