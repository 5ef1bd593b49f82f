"""The same file twice in one case: refused naming the item, kept only with a reason."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from anice.auth import tokens
from anice.evidence import runtime, service
from anice.models import AuditEvent, Evidence, HeldUpload, utcnow

from ..cases.helpers import new_case
from .test_service import pdf_bytes, upload

REASON = "second copy came from the customs scanner, with its own chain"


@pytest.fixture
def officer_case(db, make, auth):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    return inv, case


def stored_keys(app) -> list[str]:
    with app.app_context():
        return [key for key, _ in runtime.storage().keys("ev/")]


def intake_of(db, actor, data: bytes):
    intake = service.start_intake(db, actor)
    intake.write(data)
    return intake


def items(db) -> list[Evidence]:
    db.expire_all()
    return list(db.scalars(select(Evidence).order_by(Evidence.id)))


def test_service_refuses_a_duplicate_naming_the_existing_item(app, db, officer_case):
    inv, case = officer_case
    data = pdf_bytes(20_000)
    first = service.register(db, inv, case, intake_of(db, inv, data), "scan.pdf", {})
    db.commit()
    with pytest.raises(service.DuplicateEvidence) as caught:
        service.register(db, inv, case, intake_of(db, inv, data), "scan-again.pdf", {})
    db.rollback()
    assert caught.value.existing.public_id == first.public_id
    assert caught.value.status == 409 and "scan.pdf" in str(caught.value)
    assert caught.value.held_id is None
    assert [e.public_id for e in items(db)] == [first.public_id]
    assert stored_keys(app) == [first.storage_key]  # nothing of the refused upload stays


def test_the_same_file_in_another_case_is_no_duplicate(db, officer_case):
    inv, case = officer_case
    other = new_case(db, inv)
    data = pdf_bytes(20_000)
    service.register(db, inv, case, intake_of(db, inv, data), "scan.pdf", {})
    second = service.register(db, inv, other, intake_of(db, inv, data), "scan.pdf", {})
    db.commit()
    assert second.duplicate_of_id is None and len(items(db)) == 2


def test_keeping_both_needs_a_reason_stored_audited_and_in_custody(db, officer_case):
    inv, case = officer_case
    data = pdf_bytes(20_000)
    first = service.register(db, inv, case, intake_of(db, inv, data), "scan.pdf", {})
    second = service.register(db, inv, case, intake_of(db, inv, data), "scan.pdf",
                              {"duplicate_reason": REASON})
    db.commit()
    assert second.duplicate_of_id == first.id and second.duplicate_reason == REASON
    events = service.custody_of(db, second)
    assert [e.action.value for e in events] == ["intake"]
    assert events[0].reason == REASON and events[0].details["duplicate_of"] == first.public_id
    audit = db.scalar(select(AuditEvent).where(AuditEvent.action == "evidence.duplicate_kept"))
    assert audit.details["duplicate_of"] == first.public_id
    assert audit.details["reason"] == REASON and audit.actor_id == inv.id


def test_web_upload_comes_back_with_the_warning_a_link_and_the_reason_field(
        app, client, db, officer_case):
    inv, case = officer_case
    data = pdf_bytes(20_000)
    assert upload(client, case.id, data).status_code == 302
    first = items(db)[0]
    again = upload(client, case.id, data, name="scan-2.pdf", acquired_where="Port Klang")
    assert again.status_code == 303 and "/evidence/held/" in again.headers["Location"]
    assert len(items(db)) == 1
    page = client.get(again.headers["Location"])
    text = page.data.decode()
    assert page.status_code == 200 and "already evidence of the case" in text
    assert f'href="/evidence/{first.public_id}"' in text
    assert "Keep both, because" in text and 'value="Port Klang"' in text
    assert "do not need to choose the file again" in text

    blank = client.post(again.headers["Location"], data={"duplicate_reason": " ",
                                                         "acquired_where": "Port Klang"})
    assert blank.status_code == 422 and "say why both files are kept" in blank.data.decode()
    assert len(items(db)) == 1

    kept = client.post(again.headers["Location"], data={"duplicate_reason": REASON,
                                                        "acquired_where": "Port Klang"})
    assert kept.status_code == 302
    first, second = items(db)
    assert kept.headers["Location"].endswith(f"/evidence/{second.public_id}")
    assert second.duplicate_of_id == first.id and second.duplicate_reason == REASON
    assert second.original_name == "scan-2.pdf" and second.acquired_where == "Port Klang"
    assert client.get(f"/evidence/{second.public_id}/download").data == data
    assert [(e.action.value, e.reason) for e in service.custody_of(db, second)][0] == (
        "intake", REASON)
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "evidence.duplicate_kept")) == 1
    assert db.scalar(select(func.count()).select_from(HeldUpload)) == 0
    shown = client.get(f"/evidence/{second.public_id}").data.decode()
    assert "Same content as" in shown and REASON in shown


def test_a_held_upload_can_be_dropped_and_leaves_nothing(app, client, db, officer_case):
    _, case = officer_case
    data = pdf_bytes(20_000)
    upload(client, case.id, data)
    held = upload(client, case.id, data).headers["Location"]
    assert len(stored_keys(app)) == 2  # the held copy, sealed
    dropped = client.post(held + "/drop")
    assert dropped.status_code == 302
    assert len(stored_keys(app)) == 1 and len(items(db)) == 1
    assert db.scalar(select(func.count()).select_from(HeldUpload)) == 0


def test_a_held_upload_is_its_officers_only_and_expires(app, client, db, make, auth,
                                                        officer_case):
    inv, case = officer_case
    data = pdf_bytes(20_000)
    upload(client, case.id, data)
    held = upload(client, case.id, data).headers["Location"]
    colleague = make.officer(agency=inv.agency)
    auth.logout()
    auth.login(colleague)
    taken = client.post(held, data={"duplicate_reason": REASON})
    assert taken.status_code == 302 and len(items(db)) == 1
    auth.logout()
    auth.login(inv)
    row = db.scalar(select(HeldUpload))
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    late = client.post(held, data={"duplicate_reason": REASON}, follow_redirects=True)
    assert "choose the file again" in late.data.decode() and len(items(db)) == 1
    with app.app_context():
        assert service.duplicates.purge_expired(db) == 1
    db.commit()
    assert len(stored_keys(app)) == 1


def test_script_upload_gets_409_with_the_item_and_the_form(client, db, officer_case):
    _, case = officer_case
    data = pdf_bytes(20_000)
    upload(client, case.id, data)
    first = items(db)[0]
    answer = client.post(f"/cases/{case.id}/evidence",
                         data={"file": (io.BytesIO(data), "again.pdf")},
                         content_type="multipart/form-data",
                         headers={"X-Requested-With": "XMLHttpRequest"})
    body = answer.get_json()
    assert answer.status_code == 409 and body["field"] == "duplicate_reason"
    assert body["existing"]["id"] == first.public_id
    assert body["existing"]["url"] == f"/evidence/{first.public_id}"
    assert "/evidence/held/" in body["location"]


def test_api_409_names_the_existing_item_and_duplicate_reason_keeps_both(client, db, make):
    inv = make.officer()
    case = new_case(db, inv)
    _, raw = tokens.create_token(db, inv, "scanner", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    data = pdf_bytes(20_000)
    url = f"/api/v1/cases/{case.id}/evidence?filename=scan.pdf"
    first = client.post(url, data=data, headers=headers)
    assert first.status_code == 201 and first.get_json()["duplicate_of"] is None
    again = client.post(url, data=data, headers=headers)
    problem = again.get_json()
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    assert problem["existing"] == first.get_json()["id"]
    assert problem["field"] == "duplicate_reason"
    assert len(items(db)) == 1
    kept = client.post(f"{url}&duplicate_reason=scanner+copy", data=data, headers=headers)
    assert kept.status_code == 201
    assert kept.get_json()["duplicate_of"] == first.get_json()["id"]
    assert kept.get_json()["duplicate_reason"] == "scanner copy"
