"""A referral scenario on the shared cast (tests/factories.py World): a MY case with
items and three evidence files, and the steps that take a referral of it to TH."""

from __future__ import annotations

from anice.models import Case, Evidence, Officer

from ..factories import LISTING, PDF, SUSPECT, Factory, World

__all__ = ["PDF", "World", "accepted", "add_evidence", "draft", "sent", "world"]


def add_evidence(db, actor: Officer, case: Case, name: str, body: bytes = PDF) -> Evidence:
    return Factory(db).evidence(actor, case, name, body)


def world(db, make: Factory) -> World:
    """The shared cast, with the case MY police refers: opened, with a second seizure
    (Adidas), a listing, a suspect and three evidence files."""
    w = make.world()
    w.case = make.case(w.inv_my, opened=True)
    make.seizure_item(w.inv_my, w.case, brand="Adidas", description="Track suits")
    make.listing(w.inv_my, w.case, **LISTING)
    make.party(w.inv_my, w.case, **SUSPECT)
    w.evidence = [make.evidence(w.inv_my, w.case, f"scan-{i}.pdf") for i in range(3)]
    return w


def _request(w: World, overrides: dict) -> dict:
    return {"to": "TH", "requested_action": "investigate", "handling_code": "agency_only",
            "message": "Same supplier ships to Bangkok.", "deadline": "2099-01-31",
            "fields": ["title", "summary"], "seizures": [str(w.case.seizures[0].id)],
            "evidence": [w.evidence[0].public_id], **overrides}


def draft(db, w: World, **overrides):
    return Factory(db).referral(w.inv_my, w.case, **_request(w, overrides))


def sent(db, w: World, **overrides):
    return Factory(db).referral(w.inv_my, w.case, state="sent", approver=w.sup_my,
                                **_request(w, overrides))


def accepted(db, w: World, copy: bool = False, **overrides):
    return Factory(db).referral(w.inv_my, w.case, state="accepted", approver=w.sup_my,
                                router=w.coord_th, route_to=w.th_police, receiver=w.sup_th,
                                copy=copy, **_request(w, overrides))
