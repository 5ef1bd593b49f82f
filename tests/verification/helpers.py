"""A case with a confirmed match whose right a holder organisation stands linked to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from anice.evidence import service as evidence_service
from anice.models import Case, CaseMatch, Evidence, HolderOrg, Officer, Role
from anice.verification import holidays, service

PHOTO = b"%PDF-1.7\n" + b"photo of the detained shoes " * 200 + b"\n%%EOF\n"


@dataclass
class Scene:
    inv: Officer
    case: Case
    match: CaseMatch
    org: HolderOrg
    holder: Officer
    other_holder: Officer
    photos: list[Evidence]
    seizure_id: int
    listing_id: int


def scene(db, make) -> Scene:
    inv = make.officer(Role.INVESTIGATOR, country="MY")
    holidays.ensure_reference_calendars(db)
    case = make.case(inv, opened=True)
    seizure = case.seizures[0]
    listing = make.listing(inv, case)
    make.party(inv, case)
    right = make.right("MY", mark="NIKE", owner="Nike Innovate C.V.")
    match = make.match(inv, case, right)
    org = make.holder_org(name="Nike Innovate C.V.", rights=(right,))
    holder = make.holder(org=org)
    other = make.holder(org=make.holder_org(name="Other Brand Ltd", rights=(right,)))
    photos = [make.evidence(inv, case, "photo-1.pdf", PHOTO),
              make.evidence(inv, case, "photo-2.pdf", PHOTO)]
    return Scene(inv, case, match, org, holder, other, photos, seizure.id, listing.id)


def send(db, s: Scene, **overrides):
    data = dict(org_id=s.org.id, seizure_ids=[s.seizure_id], listing_ids=[s.listing_id],
                evidence_ids=[s.photos[0].id], question="Are these genuine NIKE shoes?",
                detention_date=date(2026, 10, 2), working_days=10,
                handling_code="agency_only")
    data.update(overrides)
    vr = service.send(db, s.inv, s.case.id, s.match.id, **data)
    db.commit()
    return vr


def intake(db, actor, body: bytes = PHOTO + b"holder report"):
    found = evidence_service.start_intake(db, actor)
    found.write(body)
    return found
