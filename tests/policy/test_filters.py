"""The query-filter rows of the access table: each ``visible_*`` (and the other filters
policy hands to queries) run against a real database holding the shared cast
(``make.world()``), on SQLite and PostgreSQL. A row: actor x filter -> the records found.

The scene: MY police has a normal case (inv_my) and a restricted one (inv_my2's team),
MY customs and TH police a case each; MY police refers its normal case to TH "agency
only", sharing one of three evidence files; TH police accepts it, opening a linked case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from anice import policy
from anice.models import AuditEvent, Case, Evidence, Officer, Referral
from anice.models.report import Report

from ..factories import World

TODAY = date(2026, 11, 25)


@dataclass
class Scene:
    w: World
    normal: Case
    restricted: Case
    customs: Case
    th: Case
    referral: Referral
    linked: Case
    shared: Evidence
    kept: Evidence


@pytest.fixture
def scene(db, make) -> Scene:
    w = make.world()
    normal = make.case(w.inv_my, opened=True)
    restricted = make.case(w.inv_my2, sensitivity="restricted")
    customs = make.case(w.inv_my_customs)
    th = make.case(w.inv_th)
    shared, kept = (make.evidence(w.inv_my, normal, name) for name in ("a.pdf", "b.pdf"))
    referral = make.referral(
        w.inv_my, normal, state="accepted", approver=w.sup_my, router=w.coord_th,
        route_to=w.th_police, receiver=w.sup_th, to="TH", requested_action="investigate",
        handling_code="agency_only", message="Same supplier.", deadline="2099-01-31",
        fields=["title"], evidence=[shared.public_id])
    db.refresh(referral)
    return Scene(w, normal, restricted, customs, th, referral, referral.linked_case, shared,
                 kept)


def found(db, model, clause) -> set[int]:
    return set(db.scalars(select(model.id).where(clause)))


def test_visible_officers(db, scene):
    w = scene.w
    my_police = {w.inv_my.id, w.inv_my2.id, w.sup_my.id, w.pros_my.id}
    my_country = set(db.scalars(select(Officer.id).where(Officer.agency.has(country_code="MY"))))
    rows = [(w.admin, set(db.scalars(select(Officer.id)))), (w.coord_my, my_country),
            (w.sup_my, my_police), (w.inv_my, {w.inv_my.id}),
            (w.secretariat, {w.secretariat.id}), (None, set())]
    for actor, expected in rows:
        assert found(db, Officer, policy.visible_officers(actor)) == expected, actor
    assert my_police < my_country and w.inv_th.id not in my_country


def test_visible_audit_events(db, scene):
    w = scene.w
    everything = set(db.scalars(select(AuditEvent.id)))
    of_my = set(db.scalars(select(AuditEvent.id).where(AuditEvent.country_code == "MY")))
    assert of_my and of_my != everything
    rows = [(w.admin, everything), (w.coord_my, of_my), (w.sup_my, set()), (w.inv_my, set()),
            (w.secretariat, set()), (None, set())]
    for actor, expected in rows:
        assert found(db, AuditEvent, policy.visible_audit_events(actor)) == expected, actor


def test_visible_referrals_and_the_inbox(db, scene):
    w, one = scene.w, {scene.referral.id}
    # actor: visible_referrals, inbox_filter
    rows = [(w.inv_my, one, set()), (w.sup_my, one, set()), (w.pros_my, one, set()),
            (w.coord_my, one, set()),                 # its country's normal case
            (w.inv_my2, one, set()), (w.inv_my_customs, set(), set()),
            (w.sup_th, one, one), (w.inv_th, one, one),   # the linked case's agency
            (w.coord_th, one, one), (w.sup_th_customs, set(), set()),
            (w.inv_vn, set(), set()), (w.coord_vn, set(), set()),
            (w.admin, set(), set()), (w.secretariat, set(), set()), (None, set(), set())]
    for actor, visible, inbox in rows:
        assert found(db, Referral, policy.visible_referrals(actor)) == visible, actor
        assert found(db, Referral, policy.inbox_filter(actor)) == inbox, actor


def test_visible_and_shared_evidence(db, scene):
    w = scene.w
    both, shared = {scene.shared.id, scene.kept.id}, {scene.shared.id}
    # actor: visible_evidence, shared_evidence
    rows = [(w.inv_my, both, set()), (w.sup_my, both, set()), (w.coord_my, both, set()),
            (w.inv_my_customs, set(), set()),
            (w.sup_th, shared, shared), (w.inv_th, shared, shared),
            (w.coord_th, set(), set()),               # "agency only", routed: not its own
            (w.sup_th_customs, set(), set()), (w.inv_vn, set(), set()),
            (w.admin, set(), set()), (w.secretariat, set(), set()), (None, set(), set())]
    for actor, visible, through_referrals in rows:
        assert found(db, Evidence, policy.visible_evidence(actor, TODAY)) & both == visible, actor
        assert (found(db, Evidence, policy.shared_evidence(actor, TODAY)) & both
                == through_referrals), actor


def test_cases_counted_by_reports(db, scene):
    s = scene
    mine = {s.normal.id, s.restricted.id, s.customs.id, s.th.id, s.linked.id}
    rows = [(("agency", "MY", s.w.my_police.id), {s.normal.id, s.restricted.id}),
            (("agency", "TH", s.w.th_police.id), {s.th.id, s.linked.id}),
            (("country", "MY", None), {s.normal.id, s.customs.id}),
            (("country", "TH", None), {s.th.id}),            # not the agency-only copy
            (("region", None, None), {s.normal.id, s.customs.id, s.th.id})]
    for scope, expected in rows:
        assert found(db, Case, policy.report_cases(*scope)) & mine == expected, scope
    assert found(db, Case, policy.not_agency_only()) & mine == mine - {s.linked.id}


def test_who_reads_a_report(db, scene):
    w = scene.w
    rows = [(("region", None, None), {w.secretariat.id}),
            (("country", "MY", None), {w.coord_my.id}), (("country", "TH", None), {w.coord_th.id}),
            (("agency", "MY", w.my_police.id), {w.sup_my.id}),
            (("agency", "TH", w.th_customs.id), {w.sup_th_customs.id})]
    cast = {o.id for o in vars(w).values() if isinstance(o, Officer)}
    for scope, expected in rows:
        assert found(db, Officer, policy.report_readers(*scope)) & cast == expected, scope


def _report(db, level, country=None, agency_id=None, schema=None) -> int:
    report = Report(scope_level=level, country_code=country, agency_id=agency_id,
                    period_kind="month", period_key="2026-10", period_start=date(2026, 10, 1),
                    period_end=date(2026, 10, 31), origin="cli",
                    figures=None if schema is None else {"schema": schema})
    db.add(report)
    db.flush()
    return report.id


def test_visible_and_deliverable_reports(db, scene):
    w = scene.w
    region_old, region = _report(db, "region", schema=1), _report(db, "region", schema=2)
    my_old, my = _report(db, "country", "MY", schema=1), _report(db, "country", "MY")
    th = _report(db, "country", "TH", schema=2)
    police_old = _report(db, "agency", "MY", w.my_police.id, schema=1)
    customs = _report(db, "agency", "MY", w.my_customs.id, schema=2)
    db.commit()
    assert found(db, Report, policy.deliverable_reports()) == {region, my, th, police_old,
                                                                customs}
    assert {region_old, my_old}.isdisjoint(found(db, Report, policy.deliverable_reports()))
    rows = [(w.secretariat, {region}), (w.coord_my, {my}), (w.coord_th, {th}),
            (w.sup_my, {police_old}), (w.inv_my, set()), (w.admin, set()), (None, set())]
    for actor, expected in rows:
        assert found(db, Report, policy.visible_reports(actor)) == expected, actor


def test_referral_destinations_and_routes(db, scene):
    from anice.models import Agency, Country

    w = scene.w
    countries = set(db.scalars(select(Country.code)))
    rows = [(w.inv_my, countries - {"MY"}), (w.coord_th, countries - {"TH"}), (None, set())]
    for actor, expected in rows:
        assert set(db.scalars(select(Country.code).where(
            policy.referable_countries(actor)))) == expected, actor
    agencies = {a.id: a for a in db.scalars(select(Agency))}
    for actor in (w.inv_my, w.sup_th, None):
        expected = ({i for i, a in agencies.items() if a.country_code != actor.country_code}
                    if actor else set())
        assert found(db, Agency, policy.referable_agencies(actor)) == expected, actor
    routable = found(db, Agency, policy.routable_agencies(scene.referral))
    assert routable == {i for i, a in agencies.items() if a.country_code == "TH" and a.active}
    assert w.th_police.id in routable and w.my_police.id not in routable


def test_who_is_told(db, scene):
    w = scene.w
    rows = [(policy.hit_recipients("MY"), {w.coord_my.id}),
            (policy.hit_recipients("TH"), {w.coord_th.id}),
            (policy.coordinators_of("VN"), {w.coord_vn.id}),
            (policy.supervisors_of(w.my_police.id), {w.sup_my.id}),
            (policy.referral_recipients(scene.referral, "sender"), {w.sup_my.id}),
            (policy.referral_recipients(scene.referral, "receiver"), {w.sup_th.id}),
            (policy.referral_recipients(scene.referral, "router"), {w.coord_th.id})]
    for clause, expected in rows:
        assert found(db, Officer, clause) == expected


def test_visible_noise(db, scene):
    from anice.models.correlation import IdentifierKind, IdentifierNoise

    w = scene.w
    marks = {code: IdentifierNoise(kind=IdentifierKind.PHONE, value=f"+60{i}", country_code=code)
             for i, code in enumerate(("MY", "TH", None))}
    db.add_all(marks.values())
    db.flush()
    ids = {code: mark.id for code, mark in marks.items()}
    rows = [(w.admin, set(ids.values())), (w.coord_my, {ids["MY"], ids[None]}),
            (w.coord_th, {ids["TH"], ids[None]}), (w.sup_my, set()), (w.inv_my, set()),
            (None, set())]
    for actor, expected in rows:
        assert found(db, IdentifierNoise, policy.visible_noise(actor)) == expected, actor
