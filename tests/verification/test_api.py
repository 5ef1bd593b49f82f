"""/api/v1 verification requests (issue 18): officers send, list and withdraw; a holder's
token lists, reads, downloads and answers (multipart, attachments sealed into the case);
another holder, and a holder whose link was revoked, get 404. Every answer is checked
against the OpenAPI document (tests/api_contract.py)."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from anice.auth import tokens
from anice.holders import service as holders_service
from anice.models import CustodyAction, CustodyEvent, HolderRight, Role

from .helpers import PHOTO, scene, send


def bearer(db, person, scope="read-write") -> dict:
    _, raw = tokens.create_token(db, person, "brand system", scope, 30)
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def s(db, make):
    return scene(db, make)


def test_officer_sends_lists_and_withdraws(client, db, s):
    headers = bearer(db, s.inv)
    body = {"match_id": s.match.id, "org_id": s.org.id, "seizure_ids": [s.seizure_id],
            "evidence_ids": [s.photos[0].id], "question": "Genuine?",
            "detention_date": "2026-10-02", "working_days": 10,
            "handling_code": "agency_only"}
    bad = client.post(f"/api/v1/cases/{s.case.id}/verifications", headers=headers,
                      json={**body, "seizure_ids": [], "evidence_ids": []})
    assert bad.status_code == 422 and "items" in bad.get_json()["detail"]
    sent = client.post(f"/api/v1/cases/{s.case.id}/verifications", headers=headers, json=body)
    assert sent.status_code == 201, sent.get_json()
    vr = sent.get_json()
    assert vr["deadline"] == "2026-10-16" and vr["holder"] == s.org.name
    listed = client.get(f"/api/v1/cases/{s.case.id}/verifications", headers=headers)
    assert [r["id"] for r in listed.get_json()] == [vr["id"]]
    stale = client.post(f"/api/v1/verifications/{vr['id']}/withdraw", headers=headers,
                        json={"reason": "Released", "version": vr["version"] + 1})
    assert stale.status_code == 409
    done = client.post(f"/api/v1/verifications/{vr['id']}/withdraw", headers=headers,
                       json={"reason": "Released", "version": vr["version"]})
    assert done.status_code == 200 and done.get_json()["status"] == "withdrawn"


def test_holder_lists_downloads_and_answers(client, db, s):
    vr = send(db, s)
    headers = bearer(db, s.holder)
    listed = client.get("/api/v1/holder/verifications", headers=headers).get_json()
    assert [r["id"] for r in listed] == [vr.public_id]
    one = client.get(f"/api/v1/holder/verifications/{vr.public_id}", headers=headers)
    body = one.get_json()
    assert "case_id" not in body and "holder" not in body
    assert s.case.reference not in one.get_data(as_text=True)
    assert "Watch King" not in one.get_data(as_text=True)
    file_item = next(i for i in body["items"] if i["content"])
    got = client.get(file_item["content"], headers=headers)
    assert got.status_code == 200 and got.data.startswith(b"%PDF-1.7\nphoto")
    event = db.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == s.photos[0].id)
                       .order_by(CustodyEvent.id.desc())).first()
    assert event.action == CustodyAction.DOWNLOAD and event.actor_id == s.holder.id
    url = f"/api/v1/holder/verifications/{vr.public_id}/answer"
    bad = client.post(url, headers=headers, content_type="multipart/form-data",
                      data={"verdict": "perhaps", "statement": "s", "examiner": "e",
                            "intent": "complaint"})
    assert bad.status_code == 422 and "verdict" in bad.get_json()["detail"]
    answered = client.post(url, headers=headers, content_type="multipart/form-data", data={
        "verdict": "counterfeit", "statement": "Fake hologram", "examiner": "A. Tan",
        "intent": "destruction", "attachments": (io.BytesIO(PHOTO + b"api"), "report.pdf")})
    assert answered.status_code == 200, answered.get_json()
    out = answered.get_json()
    assert out["answer"]["verdict"] == "counterfeit"
    assert [i["kind"] for i in out["items"]].count("answer") == 1
    again = client.post(url, headers=headers, json={
        "verdict": "genuine", "statement": "x", "examiner": "y", "intent": "no_action"})
    assert again.status_code == 409


def test_other_holder_revoked_link_and_officer_routes_answer_404(client, db, make, s):
    vr = send(db, s)
    other = bearer(db, s.other_holder)
    assert client.get(f"/api/v1/holder/verifications/{vr.public_id}",
                      headers=other).status_code == 404
    assert client.get("/api/v1/holder/verifications", headers=other).get_json() == []
    mine = bearer(db, s.holder)
    for path in (f"/api/v1/verifications/{vr.public_id}",
                 f"/api/v1/cases/{s.case.id}/verifications"):
        assert client.get(path, headers=mine).status_code == 404
    coord = make.officer(Role.COORDINATOR, country="MY")
    link = db.scalar(select(HolderRight).where(HolderRight.org_id == s.org.id))
    holders_service.revoke_link(db, coord, s.org.id, link.id, "Mandate ended")
    db.commit()
    assert client.get(f"/api/v1/holder/verifications/{vr.public_id}",
                      headers=mine).status_code == 404
    officer = bearer(db, make.officer(Role.INVESTIGATOR, country="TH"))
    assert client.get(f"/api/v1/verifications/{vr.public_id}",
                      headers=officer).status_code == 404
