"""Referrals through the service layer: life cycle, sharing, handling codes, evidence."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from anice.errors import Conflict, Forbidden, Invalid, NotFound
from anice.evidence import service as evidence_service
from anice.models import (
    AuditEvent,
    CustodyAction,
    CustodyEvent,
    Notification,
    ReferralEvent,
    ReferralStatus,
    TimelineEntry,
)
from anice.referrals import service

from .helpers import accepted, draft, sent, world


@pytest.fixture
def w(db, make):
    return world(db, make)


def test_draft_needs_approval_then_reaches_the_coordinator(db, w):
    referral = draft(db, w)
    assert referral.reference.startswith("RF-MY-") and referral.status == ReferralStatus.DRAFT
    # Not visible to the receiver before it leaves.
    with pytest.raises(NotFound):
        service.get_referral(db, w.coord_th, referral.id)
    service.submit(db, w.inv_my, referral.id)
    db.commit()
    assert referral.status == ReferralStatus.PENDING_APPROVAL
    assert db.scalar(select(Notification).where(Notification.officer_id == w.sup_my.id))
    with pytest.raises(Forbidden):
        service.approve(db, w.inv_my, referral.id, {})
    db.rollback()
    service.approve(db, w.sup_my, referral.id, {})
    db.commit()
    assert referral.status == ReferralStatus.SENT and referral.sent_at is not None
    assert service.get_referral(db, w.coord_th, referral.id) is referral
    assert db.scalar(select(Notification).where(Notification.officer_id == w.coord_th.id,
                                                Notification.kind == "referral.received"))
    # The agency that turned approval off sends at once.
    w.case.agency.referral_approval = False
    db.commit()
    second = draft(db, w, to="VN")
    service.submit(db, w.inv_my, second.id)
    db.commit()
    assert second.status == ReferralStatus.SENT


def test_one_referral_per_receiver_and_bad_input_names_fields(db, w):
    many = service.create_referrals(db, w.inv_my, w.case.id, {
        "to": ["TH", f"agency:{w.th_customs.id}", "VN"][::2] + ["ID"],
        "requested_action": "seize", "handling_code": "within_country", "message": "x",
        "fields": ["title"]})
    db.commit()
    assert sorted(r.to_country_code for r in many) == ["ID", "TH", "VN"]
    with pytest.raises(Invalid) as err:
        service.create_referrals(db, w.inv_my, w.case.id, {
            "to": ["MY", "XX"], "requested_action": "dance", "handling_code": "",
            "message": "", "deadline": "2001-01-01", "fields": ["secret"],
            "seizures": ["999999"], "evidence": ["nope"]})
    fields = {f for f, _ in err.value.errors}
    assert {"to", "requested_action", "handling_code", "message", "deadline", "fields",
            "seizures", "evidence"} <= fields
    db.rollback()


def test_receiver_reads_only_what_is_shared(db, w):
    referral = accepted(db, w)
    view = service.shared_for(db, w.sup_th, referral)
    assert set(view.fields) == {"title", "summary"}
    assert [s.id for s in view.seizures] == [w.case.seizures[0].id]
    assert view.listings == [] and view.parties == [] and view.matches == []
    assert [e.id for e in view.evidence] == [w.evidence[0].id]
    # The linked case exists, in the receiver's agency, and references the sender's case.
    linked = referral.linked_case
    assert linked.agency_id == w.th_police.id and w.case.reference in linked.summary
    # The sender's case itself stays out of reach.
    from anice.cases.service import get_case

    with pytest.raises(NotFound):
        get_case(db, w.sup_th, w.case.id)
    # A third country sees nothing.
    for outsider in (w.coord_vn, w.inv_vn, w.sup_th_customs):
        with pytest.raises(NotFound):
            service.get_referral(db, outsider, referral.id)


def test_shared_evidence_download_is_custody_of_the_sender(db, w):
    referral = accepted(db, w)
    shared, unshared = w.evidence[0], w.evidence[1]
    ev, stream = evidence_service.read(db, w.inv_th, shared.public_id, CustodyAction.DOWNLOAD)
    assert b"".join(stream).endswith(b"scan-0.pdf")
    db.commit()
    event = db.scalar(select(CustodyEvent).where(CustodyEvent.evidence_id == shared.id,
                                                 CustodyEvent.action == CustodyAction.DOWNLOAD))
    assert event.actor_id == w.inv_th.id and event.details["referral"] == referral.reference
    # The sender sees it in its item's custody.
    assert event in evidence_service.custody_of(db, evidence_service.get_evidence(
        db, w.inv_my, shared.public_id))
    with pytest.raises(NotFound):
        evidence_service.read(db, w.inv_th, unshared.public_id, CustodyAction.DOWNLOAD)
    # Exporting for court is refused by the handling code.
    with pytest.raises(Forbidden) as err:
        evidence_service.read(db, w.inv_th, shared.public_id, CustodyAction.EXPORT,
                              reason="court")
    assert "agency only" in str(err.value)


def test_withdrawal_cuts_access_but_not_copies(db, w):
    referral = accepted(db, w, copy=True)
    linked = referral.linked_case
    db.refresh(linked)
    assert [s.brand for s in linked.seizures] == ["Adidas"] or linked.seizures
    service.withdraw(db, w.inv_my, referral.id, {"reason": "Case closed at home"})
    db.commit()
    assert service.shared_for(db, w.sup_th, referral) is None
    with pytest.raises(NotFound):
        evidence_service.read(db, w.inv_th, w.evidence[0].public_id, CustodyAction.DOWNLOAD)
    db.refresh(linked)
    assert len(linked.seizures) == 1  # what it copied stays, and its audit shows it
    assert db.scalar(select(Notification).where(Notification.officer_id == w.sup_th.id,
                                                Notification.kind == "referral.withdrawn"))


def test_decline_and_info_request_are_first_answers(db, w):
    referral = sent(db, w)
    service.request_info(db, w.coord_th, referral.id, {"message": "Which port?"})
    db.commit()
    first = referral.first_response_at
    assert referral.status == ReferralStatus.INFO_REQUESTED and first is not None
    service.post_message(db, w.inv_my, referral.id, {"body": "Laem Chabang."})
    db.commit()
    assert referral.status == ReferralStatus.SENT
    with pytest.raises(Invalid):
        service.decline(db, w.coord_th, referral.id, {"reason": ""})
    db.rollback()
    service.decline(db, w.coord_th, referral.id, {"reason": "Not an IP matter here"})
    db.commit()
    assert referral.status == ReferralStatus.DECLINED and referral.first_response_at == first
    assert service.shared_for(db, w.coord_th, referral) is None
    kinds = [e.kind for e in service.events_of(db, referral, w.inv_my)]
    assert kinds == ["drafted", "submitted", "sent", "info_requested", "message", "declined"]
    # The sender's drafting and approval are not the receiver's to read.
    kinds = [e.kind for e in service.events_of(db, referral, w.coord_th)]
    assert kinds == ["sent", "info_requested", "message", "declined"]


def test_everything_is_audited_and_on_both_timelines(db, w):
    referral = accepted(db, w)
    actions = set(db.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("referral.%"))))
    assert {"referral.drafted", "referral.submitted", "referral.sent", "referral.routed",
            "referral.accepted"} <= actions
    for case in (w.case, referral.linked_case):
        lines = db.scalars(select(TimelineEntry.summary).where(
            TimelineEntry.case_id == case.id, TimelineEntry.kind == "referral"))
        assert any("Accepted" in line for line in lines)


def test_reshare_of_received_items_follows_the_handling_code(db, w):
    referral = accepted(db, w, copy=True)
    linked = referral.linked_case
    db.refresh(linked)
    copied = linked.seizures[0]
    with pytest.raises(Invalid) as err:
        service.create_referrals(db, w.sup_th, linked.id, {
            "to": "VN", "requested_action": "investigate", "handling_code": "open",
            "message": "Onward", "seizures": [str(copied.id)]})
    assert "may not be shared on" in str(err.value) and referral.reference in str(err.value)
    db.rollback()


def test_stale_version_and_wrong_roles(db, w):
    referral = sent(db, w)
    with pytest.raises(Conflict):
        service.route(db, w.coord_th, referral.id, {"agency_id": str(w.th_police.id),
                                                     "version": referral.version - 1})
    db.rollback()
    with pytest.raises(NotFound):  # not routed to its agency yet: not its business
        service.accept(db, w.sup_th, referral.id, {})
    db.rollback()
    with pytest.raises(Forbidden):  # the coordinator routes, the agency accepts
        service.accept(db, w.coord_th, referral.id, {})
    db.rollback()
    with pytest.raises(Invalid):
        service.route(db, w.coord_th, referral.id, {"agency_id": str(w.case.agency_id)})
    db.rollback()


def test_reminders_go_once_before_the_deadline(db, w):
    from datetime import date, timedelta

    referral = sent(db, w, deadline=(date.today() + timedelta(days=3)).isoformat())
    assert service.remind_due(db, date.today()) == 1
    db.commit()
    assert service.remind_due(db, date.today()) == 0
    assert service.remind_due(db, date.today() + timedelta(days=2)) == 1
    db.commit()
    assert db.scalar(select(ReferralEvent).where(ReferralEvent.kind == "reminder"))
    assert referral.overdue(date.today() + timedelta(days=4))


def test_remind_command(runner, db, w):
    from datetime import date, timedelta

    sent(db, w, deadline=(date.today() + timedelta(days=1)).isoformat())
    result = runner.invoke(args=["referrals", "remind"])
    assert result.exit_code == 0 and "reminders sent: 1" in result.output
    db.expire_all()
    assert db.scalar(select(Notification).where(Notification.kind == "referral.reminder"))


def test_demo_referrals(db):
    from anice.demo import load
    from anice.demo.cases import load_cases
    from anice.demo.referrals import load_referrals
    from anice.models import Referral

    load(db)
    db.commit()
    load_cases(db, count=24)
    db.commit()
    assert load_referrals(db) == 4
    db.commit()
    states = sorted(r.status.value for r in db.scalars(select(Referral)))
    assert states == ["accepted", "info_requested", "pending_approval", "sent"]


def test_the_drafter_hears_of_the_approval(db, w):
    referral = sent(db, w)
    row = db.scalar(select(Notification).where(Notification.officer_id == w.inv_my.id,
                                               Notification.kind == "referral.approved"))
    assert row is not None and referral.reference in row.message
