"""A referral scenario: a MY case with items and three evidence files, a TH receiver."""

from __future__ import annotations

from dataclasses import dataclass

from anice.cases import items
from anice.evidence import service as evidence_service
from anice.models import Case, Evidence, Officer, Role
from anice.models.geo import Agency
from anice.referrals import service

from ..cases.helpers import LISTING, SEIZURE, SUSPECT, opened_case

PDF = b"%PDF-1.7\n" + b"shared evidence content " * 400 + b"\n%%EOF\n"


def add_evidence(db, actor: Officer, case: Case, name: str, body: bytes = PDF) -> Evidence:
    intake = evidence_service.start_intake(db, actor)
    intake.write(body + name.encode())
    evidence = evidence_service.register(db, actor, case, intake, name, {})
    db.commit()
    return evidence


@dataclass
class World:
    inv: Officer          # MY investigator, drafts
    sup: Officer          # MY supervisor, approves
    my_coord: Officer
    case: Case
    evidence: list[Evidence]
    th_coord: Officer
    th_agency: Agency
    th_other_agency: Agency
    th_sup: Officer
    th_inv: Officer
    th_other_sup: Officer
    vn_coord: Officer
    vn_inv: Officer


def world(db, make) -> World:
    my = make.agency("MY", "KPDN")
    inv = make.officer(Role.INVESTIGATOR, "MY", agency=my)
    sup = make.officer(Role.SUPERVISOR, "MY", agency=my)
    case = opened_case(db, inv)
    items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "brand": "Adidas",
                                                 "description": "Track suits"})
    items.add_item(db, inv, case.id, "listing", LISTING)
    items.add_item(db, inv, case.id, "party", SUSPECT)
    db.commit()
    evidence = [add_evidence(db, inv, case, f"scan-{i}.pdf") for i in range(3)]
    th = make.agency("TH", "DIP")
    th2 = make.agency("TH", "CUS")
    return World(
        inv=inv, sup=sup, my_coord=make.officer(Role.COORDINATOR, "MY"), case=case,
        evidence=evidence, th_coord=make.officer(Role.COORDINATOR, "TH"), th_agency=th,
        th_other_agency=th2, th_sup=make.officer(Role.SUPERVISOR, "TH", agency=th),
        th_inv=make.officer(Role.INVESTIGATOR, "TH", agency=th),
        th_other_sup=make.officer(Role.SUPERVISOR, "TH", agency=th2),
        vn_coord=make.officer(Role.COORDINATOR, "VN"),
        vn_inv=make.officer(Role.INVESTIGATOR, "VN"))


def draft(db, w: World, **overrides):
    seizure = w.case.seizures[0]
    data = {"to": "TH", "requested_action": "investigate", "handling_code": "agency_only",
            "message": "Same supplier ships to Bangkok.", "deadline": "2099-01-31",
            "fields": ["title", "summary"], "seizures": [str(seizure.id)],
            "evidence": [w.evidence[0].public_id], **overrides}
    referrals = service.create_referrals(db, w.inv, w.case.id, data)
    db.commit()
    return referrals[0]


def sent(db, w: World, **overrides):
    referral = draft(db, w, **overrides)
    service.submit(db, w.inv, referral.id)
    db.commit()
    service.approve(db, w.sup, referral.id, {})
    db.commit()
    return referral


def accepted(db, w: World, copy: bool = False, **overrides):
    referral = sent(db, w, **overrides)
    if referral.to_agency_id is None:
        service.route(db, w.th_coord, referral.id, {"agency_id": str(w.th_agency.id)})
        db.commit()
    service.accept(db, w.th_sup, referral.id, {"copy": copy})
    db.commit()
    return referral
