"""What a referral carries keeps its handling code in the receiver's linked case: re-share,
export and court use of its fields, copied items, parties and evidence (one test per code
and per kind of thing); the share of evidence added later; the other side's names."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from anice.cases import service as case_service
from anice.cases.export import export_csv
from anice.errors import Forbidden, Invalid
from anice.evidence import service as evidence_service
from anice.models import (
    Case,
    CaseMatch,
    CustodyAction,
    CustodyEvent,
    ReferralCopy,
    Right,
    RightKind,
    RightStatus,
    TimelineEntry,
)
from anice.referrals import service, sharing

from .helpers import accepted, sent, world

CODES = ["agency_only", "within_country", "court_after_consent", "open"]


@pytest.fixture
def w(db, make):
    return world(db, make)


def _everything(w) -> dict:
    """Share the title, the summary and every seizure item, listing and party."""
    return {"fields": ["title", "summary"],
            "seizures": [str(s.id) for s in w.case.seizures],
            "listings": [str(x.id) for x in w.case.listings],
            "parties": [str(p.id) for p in w.case.parties]}


def _linked(db, w, code: str) -> tuple:
    referral = accepted(db, w, copy=True, handling_code=code, **_everything(w))
    linked = referral.linked_case
    db.refresh(linked)
    return referral, linked


def test_the_linked_case_and_its_copies_remember_the_referral_and_code(db, w):
    referral, linked = _linked(db, w, "within_country")
    assert (linked.origin_referral_id, linked.origin_handling) == (referral.id,
                                                                   "within_country")
    copies = db.scalars(select(ReferralCopy).where(ReferralCopy.referral_id == referral.id))
    kinds = sorted((c.kind.value, c.handling_code.value) for c in copies)
    assert kinds == [("listing", "within_country"), ("party", "within_country"),
                     ("seizure", "within_country"), ("seizure", "within_country")]


def _match_on_copied_listing(db, linked):
    """A right the receiver's matching found for the copied listing's title."""
    right = Right(type=RightKind.TRADEMARK, office="TH", number="TH-ROLEX-1",
                  status=RightStatus.REGISTERED, owner="Rolex SA", mark_text="ROLEX")
    db.add(right)
    db.flush()
    listing = linked.listings[0]
    match = CaseMatch(case_id=linked.id, source=f"listing:{listing.id}", text=listing.title,
                      right_id=right.id, score=90.0, reasons=[])
    db.add(match)
    db.commit()
    return match


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("kind", ["title", "summary", "seizures", "listings", "parties",
                                  "matches"])
def test_reshare_from_the_linked_case_follows_the_handling_code(db, w, code, kind):
    referral, linked = _linked(db, w, code)
    if kind == "matches":
        choice = {"matches": [str(_match_on_copied_listing(db, linked).id)]}
    elif kind in ("title", "summary"):
        choice = {"fields": [kind]}
    else:
        choice = {kind: [str(getattr(linked, kind)[0].id)]}
    onward = {"to": "VN", "requested_action": "investigate", "handling_code": "open",
              "message": "Onward", **choice}
    if code != "open":
        with pytest.raises(Invalid) as err:
            service.create_referrals(db, w.sup_th, linked.id, onward)
        db.rollback()
        assert err.value.field == ("fields" if kind in ("title", "summary") else kind)
        assert referral.reference in err.value.message
        assert "may not be shared on" in err.value.message
        return
    [third] = service.create_referrals(db, w.sup_th, linked.id, onward)
    db.commit()
    view = sharing.shared_view(db, third)
    if kind == "title":
        assert w.case.title in view.fields["title"]
    elif kind == "summary":
        assert w.case.reference in view.fields["summary"]
    else:
        assert len(getattr(view, kind)) == 1


@pytest.mark.parametrize("code", CODES)
def test_the_receiver_cannot_share_on_the_sender_s_evidence(db, w, code):
    """Evidence is never copied: a referral shares only its own case's items."""
    _, linked = _linked(db, w, code)
    with pytest.raises(Invalid) as err:
        service.create_referrals(db, w.sup_th, linked.id, {
            "to": "VN", "requested_action": "investigate", "handling_code": "open",
            "message": "Onward", "evidence": [w.evidence[0].public_id]})
    db.rollback()
    assert err.value.field == "evidence"


def _export(db, actor, case) -> str:
    query = case_service.with_items(select(Case).where(Case.id == case.id))
    return export_csv(db, actor, query)


MARKERS = {"title": lambda w: w.case.title, "seizures": lambda w: "Adidas",
           "listings": lambda w: "Watch King"}


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("kind", list(MARKERS))
def test_csv_export_of_the_linked_case_follows_the_handling_code(db, w, code, kind):
    referral, linked = _linked(db, w, code)
    marker = MARKERS[kind](w)
    body = _export(db, w.sup_th, linked)
    db.commit()
    assert linked.reference in body
    assert (marker in body) is (code == "open"), body
    if code != "open":
        assert f"withheld: received through referral {referral.reference}" in body
    if code == "court_after_consent":  # the sender's consent lets it out, for court
        service.consent_court_use(db, w.sup_my, referral.id)
        db.commit()
        assert marker in _export(db, w.sup_th, linked)


def test_the_receiver_s_own_additions_are_exported(db, w):
    from anice.cases import items

    _, linked = _linked(db, w, "agency_only")
    items.add_item(db, w.sup_th, linked.id, "seizure", {
        "description": "Caps", "brand": "Puma", "category": "apparel", "quantity": "5",
        "unit": "pieces", "value_local": "100", "currency": "THB", "usd_rate": "0.03"})
    db.commit()
    body = _export(db, w.sup_th, linked)
    assert "Puma" in body and "Adidas" not in body


@pytest.mark.parametrize("code", CODES)
def test_court_use_of_shared_evidence_follows_the_handling_code(db, w, code):
    referral = accepted(db, w, handling_code=code)
    shared = w.evidence[0].public_id

    def export():
        return evidence_service.read(db, w.sup_th, shared, CustodyAction.EXPORT, reason="court")

    if code == "open":
        export()
        return
    with pytest.raises(Forbidden) as err:
        export()
    db.rollback()
    assert referral.reference in str(err.value)
    if code == "court_after_consent":
        service.consent_court_use(db, w.sup_my, referral.id)
        db.commit()
        export()


def _shares(db, evidence) -> list[CustodyEvent]:
    return list(db.scalars(select(CustodyEvent).where(
        CustodyEvent.evidence_id == evidence.id, CustodyEvent.action == CustodyAction.SHARE)))


def test_evidence_added_to_a_sent_referral_is_a_custody_share(db, w):
    referral = sent(db, w)
    added = w.evidence[1]
    assert _shares(db, added) == []
    assert service.add_shares(db, w.inv_my, referral.id, {"evidence": [added.public_id]}) == 1
    db.commit()
    [event] = _shares(db, added)
    assert event.actor_id == w.inv_my.id and event.details["referral"] == referral.reference
    assert event.details["to"] == "TH"


def test_evidence_added_to_a_draft_is_shared_once_when_sent(db, w):
    from .helpers import draft

    referral = draft(db, w)
    service.add_shares(db, w.inv_my, referral.id, {"evidence": [w.evidence[2].public_id]})
    db.commit()
    assert _shares(db, w.evidence[2]) == []
    service.submit(db, w.inv_my, referral.id)
    service.approve(db, w.sup_my, referral.id, {})
    db.commit()
    assert len(_shares(db, w.evidence[2])) == 1


def _labels(db, case) -> set[str]:
    return set(db.scalars(select(TimelineEntry.actor_label).where(
        TimelineEntry.case_id == case.id, TimelineEntry.kind == "referral")))


def test_timelines_name_the_other_side_by_agency_never_its_officer(db, w):
    referral, linked = _linked(db, w, "open")
    service.post_message(db, w.inv_my, referral.id, {"body": "Another shipment left."})
    service.post_message(db, w.sup_th, referral.id, {"body": "We are on it."})
    db.commit()
    receiver = _labels(db, linked)
    assert w.inv_my.name not in receiver and w.sup_my.name not in receiver
    assert f"{w.inv_my.agency.name} (MY)" in receiver and w.sup_th.name in receiver
    sender = _labels(db, w.case)
    assert w.sup_th.name not in sender
    assert f"{w.sup_th.agency.name} (TH)" in sender and w.inv_my.name in sender
    # Nor does the other side's entry point at the officer.
    ids = set(db.scalars(select(TimelineEntry.actor_id).where(
        TimelineEntry.case_id == linked.id, TimelineEntry.kind == "referral")))
    assert w.inv_my.id not in ids and w.sup_my.id not in ids


def test_the_migration_fills_in_existing_linked_cases_and_copies(db, runner, w):
    from anice.models import HandlingCode

    referral, linked = _linked(db, w, "agency_only")
    linked_id, referral_id = linked.id, referral.id
    db.commit()
    db.close()  # PostgreSQL: no open transaction may hold the tables being altered
    down = runner.invoke(args=["db", "downgrade", "f5c264790250-1"])
    assert down.exit_code == 0, down.output
    up = runner.invoke(args=["db", "upgrade"])
    assert up.exit_code == 0, up.output
    db.expire_all()
    linked = db.get(Case, linked_id)
    assert (linked.origin_referral_id, linked.origin_handling) == (referral_id, "agency_only")
    codes = set(db.scalars(select(ReferralCopy.handling_code)))
    assert codes == {HandlingCode.AGENCY_ONLY}
    assert db.get(Case, w.case.id).origin_referral_id is None
