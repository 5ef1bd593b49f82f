"""Verification requests through the service (issue 18): what the holder sees (only what
was sent), custody of its downloads, its answer sealed into the case, withdrawal,
revoked links, deadlines' reminders, audit rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from anice.errors import Conflict, Invalid, NotFound
from anice.evidence import service as evidence_service
from anice.holders import service as holders_service
from anice.models import (
    AuditEvent,
    CustodyAction,
    CustodyEvent,
    Evidence,
    HolderRight,
    Notification,
    Role,
    TimelineEntry,
    VerificationStatus,
)
from anice.verification import reminders, service

from .helpers import intake, scene, send


def audited(db, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == action)) or 0


def notices(db, officer, kind: str) -> int:
    return db.scalar(select(func.count()).select_from(Notification).where(
        Notification.officer_id == officer.id, Notification.kind == kind)) or 0


@pytest.fixture
def s(db, make):
    return scene(db, make)


def test_send_snapshots_only_what_was_chosen(db, s):
    vr = send(db, s)
    assert vr.deadline == date(2026, 10, 16)  # ten MY working days after Fri 2 Oct 2026
    assert vr.status == VerificationStatus.SENT and vr.org_id == s.org.id
    kinds = sorted(i.kind for i in vr.items)
    assert kinds == ["evidence", "listing", "seizure"]
    text = repr([i.snapshot for i in vr.items])
    for secret in ("Watch King", "watchking88", "Ah Seng", s.case.reference, s.case.title,
                   "KPDN store room", "photo-2.pdf", "Fake sports shoes"):
        assert secret not in text, secret
    listing = next(i.snapshot for i in vr.items if i.kind == "listing")
    assert listing["url"] == "https://shopee.com.my/product/123" and listing["price"] == "350.00"
    assert audited(db, "verification.send") == 1
    assert db.scalar(select(TimelineEntry).where(TimelineEntry.kind == "verification_sent"))
    assert notices(db, s.holder, "verification.received") == 1


def test_send_refuses_bad_input_naming_the_field(db, make, s):
    cases = [
        (dict(seizure_ids=[], listing_ids=[], evidence_ids=[]), "items"),
        (dict(seizure_ids=[999999]), "seizures"),
        (dict(question="  "), "question"),
        (dict(detention_date=date(2099, 1, 1)), "detention_date"),
        (dict(working_days=0), "working_days"),
        (dict(handling_code="shout"), "handling_code"),
        (dict(org_id=999999), "org"),
    ]
    for fields, name in cases:
        with pytest.raises(Invalid) as err:
            send(db, s, **fields)
        assert err.value.field == name, fields
        db.rollback()
    other_case = make.case(s.inv, opened=True)
    with pytest.raises(Invalid) as err:
        send(db, s, seizure_ids=[other_case.seizures[0].id])
    assert err.value.field == "seizures"
    db.rollback()
    pending = make.match(s.inv, other_case, s.match.right, decision=None)
    with pytest.raises(Invalid) as err:
        service.send(db, s.inv, other_case.id, pending.id, org_id=s.org.id,
                     seizure_ids=[other_case.seizures[0].id], question="q",
                     detention_date=date(2026, 10, 2), working_days=5,
                     handling_code="open")
    assert err.value.field == "match"
    db.rollback()
    outsider = make.officer(Role.INVESTIGATOR, country="TH")
    with pytest.raises(NotFound):
        service.send_choices(db, outsider, s.case.id, s.match.id)
    assert audited(db, "verification.send") == 0


def test_holder_sees_its_request_and_nothing_else(db, s):
    vr = send(db, s)
    assert [r.id for r in service.holder_requests(db, s.holder)] == [vr.id]
    assert service.get_for_holder(db, s.holder, vr.public_id).id == vr.id
    assert service.holder_requests(db, s.other_holder) == []
    with pytest.raises(NotFound):
        service.get_for_holder(db, s.other_holder, vr.public_id)
    with pytest.raises(NotFound):
        service.read_item(db, s.other_holder, vr.public_id, vr.items[0].id)
    with pytest.raises(NotFound):  # a holder never reaches the officer's side
        service.get_for_officer(db, s.holder, vr.public_id)
    with pytest.raises(NotFound):
        service.get_for_holder(db, s.inv, vr.public_id)


def test_download_is_a_custody_event_the_officer_sees(db, s):
    vr = send(db, s)
    item = next(i for i in vr.items if i.kind == "evidence")
    evidence, stream = service.read_item(db, s.holder, vr.public_id, item.id)
    db.commit()
    assert b"".join(stream).startswith(b"%PDF-1.7\nphoto of the detained shoes")
    events = evidence_service.custody_of(db, s.photos[0])
    last = events[-1]
    assert last.action == CustodyAction.DOWNLOAD and last.actor_id == s.holder.id
    assert last.details["verification"] == vr.public_id
    assert audited(db, "verification.download") == 1
    seizure = next(i for i in vr.items if i.kind == "seizure")
    with pytest.raises(NotFound):  # only evidence items are files
        service.read_item(db, s.holder, vr.public_id, seizure.id)
    assert not [e for e in evidence_service.custody_of(db, s.photos[1])
                if e.actor_id == s.holder.id]


def test_answer_lands_in_the_case_with_its_attachment(db, s):
    vr = send(db, s)
    service.answer(db, s.holder, vr.public_id, verdict="counterfeit",
                   statement="Stitching and the size label are wrong.", examiner="A. Tan",
                   intent="complaint", attachments=[(intake(db, s.holder), "report.pdf")])
    db.commit()
    assert vr.status == VerificationStatus.ANSWERED and vr.verdict.value == "counterfeit"
    answer = next(i for i in vr.items if i.kind == "answer")
    evidence = db.get(Evidence, answer.evidence_id)
    assert evidence.case_id == s.case.id and evidence.uploaded_by_id == s.holder.id
    intake_event = db.scalar(select(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id))
    assert intake_event.action == CustodyAction.INTAKE and intake_event.actor_id == s.holder.id
    assert intake_event.details["verification"] == vr.public_id
    assert db.scalar(select(TimelineEntry).where(TimelineEntry.kind == "verification_answered"))
    assert audited(db, "verification.answer") == 1
    assert notices(db, s.inv, "verification.answered") == 1
    with pytest.raises(Conflict):  # once
        service.answer(db, s.holder, vr.public_id, verdict="genuine", statement="x",
                       examiner="y", intent="no_action")


def test_answer_refuses_bad_input_and_keeps_nothing(db, s):
    vr = send(db, s)
    for fields, name in [(dict(verdict="maybe"), "verdict"), (dict(statement=""), "statement"),
                         (dict(examiner=""), "examiner"), (dict(intent="sue"), "intent")]:
        data = dict(verdict="counterfeit", statement="s", examiner="e", intent="complaint")
        data.update(fields)
        with pytest.raises(Invalid) as err:
            service.answer(db, s.holder, vr.public_id, **data)
        assert err.value.field == name
        db.rollback()
    assert db.get(type(vr), vr.id).status == VerificationStatus.SENT


def test_withdrawal_ends_reading_and_answering(db, s):
    vr = send(db, s)
    with pytest.raises(Conflict):  # a stale page
        service.withdraw(db, s.inv, vr.public_id, "Goods released", version=vr.version + 1)
    service.withdraw(db, s.inv, vr.public_id, "Goods released", version=vr.version)
    db.commit()
    assert vr.status == VerificationStatus.WITHDRAWN
    item = next(i for i in vr.items if i.kind == "evidence")
    with pytest.raises(NotFound):
        service.read_item(db, s.holder, vr.public_id, item.id)
    with pytest.raises(Conflict):
        service.answer(db, s.holder, vr.public_id, verdict="genuine", statement="x",
                       examiner="y", intent="no_action")
    assert audited(db, "verification.withdraw") == 1
    assert notices(db, s.holder, "verification.withdrawn") == 1


def test_revoked_link_ends_the_holders_access(db, make, s):
    vr = send(db, s)
    coord = make.officer(Role.COORDINATOR, country="MY")
    link = db.scalar(select(HolderRight).where(HolderRight.org_id == s.org.id))
    holders_service.revoke_link(db, coord, s.org.id, link.id, "Assignment ended")
    db.commit()
    assert service.holder_requests(db, s.holder) == []
    with pytest.raises(NotFound):
        service.get_for_holder(db, s.holder, vr.public_id)
    with pytest.raises(NotFound):
        service.read_item(db, s.holder, vr.public_id, vr.items[-1].id)


def test_reminder_and_overdue_notice_once_each(db, s):
    vr = send(db, s)  # due Fri 16 Oct 2026
    version = vr.version
    assert reminders.remind_due(db, date(2026, 10, 12)) == {"reminded": 0, "overdue": 0}
    assert reminders.remind_due(db, date(2026, 10, 14)) == {"reminded": 1, "overdue": 0}
    db.commit()
    db.expire_all()
    assert vr.version == version and vr.reminded_at is not None  # a notice is no change
    assert reminders.remind_due(db, date(2026, 10, 15)) == {"reminded": 0, "overdue": 0}
    assert reminders.remind_due(db, date(2026, 10, 19)) == {"reminded": 0, "overdue": 1}
    assert reminders.remind_due(db, date(2026, 10, 20)) == {"reminded": 0, "overdue": 0}
    db.commit()
    for person in (s.inv, s.holder):
        assert notices(db, person, "verification.reminder") == 1
        assert notices(db, person, "verification.overdue") == 1
    assert service.is_overdue(vr, date(2026, 10, 17))
    assert audited(db, "verification.reminders") == 2
