"""Verification request pages (issue 18): the officer sends from the case page, the
holder reads, downloads and answers on its own pages; another holder gets 404; what was
typed survives an error; the officer sees the answer and the holder's custody event."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from anice.holders import service as holders_service
from anice.models import CustodyAction, CustodyEvent, HolderRight, Role, VerificationRequest

from .helpers import PHOTO, scene, send


@pytest.fixture
def s(db, make):
    return scene(db, make)


def test_officer_sends_from_the_case_page(client, auth, db, s):
    auth.login(s.inv)
    page = client.get(f"/cases/{s.case.id}").get_data(as_text=True)
    url = f"/cases/{s.case.id}/matches/{s.match.id}/verification"
    assert url in page and "Ask the right holder" in page
    form = client.get(url).get_data(as_text=True)
    assert "Watch King" not in form or "Listing" in form
    data = {"org_id": str(s.org.id), "seizures": str(s.seizure_id),
            "evidence": str(s.photos[0].id), "question": "Genuine?",
            "detention_date": "2026-10-02", "working_days": "10",
            "handling_code": "agency_only"}
    preview = client.post(url, data={**data, "preview": "1"})
    assert preview.status_code == 200 and "2026-10-16" in preview.get_data(as_text=True)
    bad = client.post(url, data={**data, "question": ""})
    assert bad.status_code == 422
    assert "Question: is required" in bad.get_data(as_text=True)
    assert 'value="2026-10-02"' in bad.get_data(as_text=True)  # what was typed stays
    done = client.post(url, data=data)
    assert done.status_code == 302
    vr = db.scalar(select(VerificationRequest))
    case_page = client.get(f"/cases/{s.case.id}").get_data(as_text=True)
    assert "Verification requests" in case_page and vr.public_id in case_page
    assert client.get(f"/verifications/{vr.public_id}").status_code == 200


def test_holder_downloads_answers_and_the_officer_sees_it(client, auth, db, s):
    vr = send(db, s)
    auth.login(s.holder)
    home = client.get("/holders/me").get_data(as_text=True)
    assert f"/holder/requests/{vr.public_id}" in home
    assert vr.public_id in client.get("/holder/requests/").get_data(as_text=True)
    page = client.get(f"/holder/requests/{vr.public_id}").get_data(as_text=True)
    for hidden in ("Watch King", "Ah Seng", s.case.reference, "photo-2.pdf"):
        assert hidden not in page, hidden
    item = next(i for i in vr.items if i.kind == "evidence")
    got = client.get(f"/holder/requests/{vr.public_id}/items/{item.id}")
    assert got.status_code == 200 and got.data.startswith(b"%PDF-1.7\nphoto")
    event = db.scalars(select(CustodyEvent).where(
        CustodyEvent.evidence_id == s.photos[0].id).order_by(CustodyEvent.id.desc())).first()
    assert event.action == CustodyAction.DOWNLOAD and event.actor_id == s.holder.id
    url = f"/holder/requests/{vr.public_id}/answer"
    bad = client.post(url, content_type="multipart/form-data", data={
        "verdict": "counterfeit", "statement": "Wrong stitching on the heel", "examiner": "",
        "intent": "complaint"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Examiner: is required" in text and "Wrong stitching on the heel" in text
    done = client.post(url, content_type="multipart/form-data", data={
        "verdict": "counterfeit", "statement": "Wrong stitching on the heel",
        "examiner": "A. Tan", "intent": "complaint",
        "attachments": (io.BytesIO(PHOTO + b"report"), "report.pdf")})
    assert done.status_code == 302
    db.expire_all()
    assert db.get(VerificationRequest, vr.id).status.value == "answered"
    auth.logout()
    auth.login(s.inv)
    case_page = client.get(f"/cases/{s.case.id}").get_data(as_text=True)
    assert "Counterfeit" in case_page and "report.pdf" in case_page
    custody = client.get(f"/evidence/{s.photos[0].public_id}").get_data(as_text=True)
    assert s.holder.email in custody


def test_another_holder_and_officer_pages_answer_404(client, auth, db, s):
    vr = send(db, s)
    auth.login(s.other_holder)
    assert client.get(f"/holder/requests/{vr.public_id}").status_code == 404
    item = vr.items[0]
    assert client.get(f"/holder/requests/{vr.public_id}/items/{item.id}").status_code == 404
    assert vr.public_id not in client.get("/holder/requests/").get_data(as_text=True)
    auth.logout()
    auth.login(s.holder)
    assert client.get(f"/verifications/{vr.public_id}").status_code == 404
    assert client.get(f"/cases/{s.case.id}").status_code == 404
    assert client.get("/calendars").status_code == 404


def test_a_revoked_link_ends_the_holders_pages_at_once(client, auth, db, make, s):
    vr = send(db, s)
    auth.login(s.holder)
    assert client.get(f"/holder/requests/{vr.public_id}").status_code == 200
    coord = make.officer(Role.COORDINATOR, country="MY")
    link = db.scalar(select(HolderRight).where(HolderRight.org_id == s.org.id))
    holders_service.revoke_link(db, coord, s.org.id, link.id, "Mandate ended")
    db.commit()
    assert client.get(f"/holder/requests/{vr.public_id}").status_code == 404
    assert vr.public_id not in client.get("/holders/me").get_data(as_text=True)


def test_officer_withdraws_and_the_holder_can_no_longer_answer(client, auth, db, s):
    vr = send(db, s)
    auth.login(s.inv)
    page = client.get(f"/verifications/{vr.public_id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    client.post(f"/verifications/{vr.public_id}/withdraw",
                data={"reason": "Goods released", "version": version})
    db.expire_all()
    assert db.get(VerificationRequest, vr.id).status.value == "withdrawn"
    auth.logout()
    auth.login(s.holder)
    page = client.get(f"/holder/requests/{vr.public_id}").get_data(as_text=True)
    assert "withdrew" in page and "Send the answer" not in page


def test_calendar_page_for_admins_and_coordinators(client, auth, db, make):
    coord = make.officer(Role.COORDINATOR, country="TH")
    auth.login(coord)
    page = client.get("/calendars?country=TH&year=2026")
    assert page.status_code == 200
    added = client.post("/calendars", data={"country": "TH", "year": "2026", "action": "add",
                                            "day": "2026-11-24", "name": "Loy Krathong"})
    assert added.status_code == 302
    assert "Loy Krathong" in client.get("/calendars?country=TH&year=2026").get_data(
        as_text=True)
    bad = client.post("/calendars", data={"country": "TH", "year": "2026",
                                          "action": "weekend", "weekend": "9"})
    assert bad.status_code == 422
    pasted = client.post("/calendars", data={
        "country": "TH", "year": "2026", "action": "import",
        "csv": "country,date,name\nTH,2026-11-25,Test day\nTH,2026-11-26,\n"})
    assert pasted.status_code == 422 and "line 3: name" in pasted.get_data(as_text=True)
    assert client.get("/calendars?country=MY").status_code == 404
    auth.logout()
    auth.login(make.officer())
    assert client.get("/calendars").status_code == 404
