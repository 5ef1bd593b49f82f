"""The holder's material pages and the officer side over HTTP (issue 18): forms keep what
was typed on error (422 naming the field), submit once, images upload sealed and are
served inline with a safe type; another holder gets 404; officers read and edit none."""

from __future__ import annotations

import hashlib
import io
import re

import pytest
from sqlalchemy import func, select

from anice.holders import guides, material
from anice.models import CaseMatch, Guide, HolderContact, HolderFile, MatchDecision, Role

from .test_material import GUIDE, PDF, image_bytes


@pytest.fixture
def world(make):
    nike = make.right("MY", mark="NIKE", owner="Nike Innovate C.V.")
    holder = make.holder(rights=(nike,))
    return {"nike": nike, "holder": holder,
            "other": make.holder(rights=(make.right("TH", mark="ACME"),))}


def test_contact_form_keeps_input_on_error_and_submits_once(client, db, auth, world):
    auth.login(world["holder"])
    page = client.get("/holders/me/contacts")
    assert page.status_code == 200 and b"Add a contact" in page.data
    bad = client.post("/holders/me/contacts", data={
        "country": "FR", "name": "Aminah binti Yusof", "email": "aminah@nike.example"})
    assert bad.status_code == 422
    assert b"Aminah binti Yusof" in bad.data and b"is not a member state" in bad.data
    token = re.search(rb'name="form_token" value="([^"]+)"', page.data).group(1).decode()
    form = {"country": "MY", "name": "Aminah binti Yusof", "email": "aminah@nike.example",
            "languages": "ms,en", "form_token": token}
    assert client.post("/holders/me/contacts", data=form).status_code == 302
    assert client.post("/holders/me/contacts", data=form).status_code == 303  # once
    assert db.scalar(select(func.count()).select_from(HolderContact)) == 1


def test_guide_with_two_images_served_inline_to_officers(client, db, make, auth, world):
    holder = world["holder"]
    auth.login(holder)
    bad = client.post("/holders/me/guides", data={**GUIDE, "title": "",
                                                  "rights": [str(world["nike"].id)]})
    assert bad.status_code == 422 and GUIDE["product"].encode() in bad.data
    done = client.post("/holders/me/guides", data={
        **GUIDE, "rights": [str(world["nike"].id)],
        "distributors": "MY; Nike Sales (Malaysia) Sdn Bhd; distributor; +60 3 2168 8000"})
    assert done.status_code == 302
    guide = db.scalar(select(Guide))
    pictures = [image_bytes("PNG"), image_bytes("JPEG", (10, 10, 200))]
    for n, data in enumerate(pictures):
        sent = client.post(f"/holders/me/guides/{guide.id}/images",
                           data={"caption": f"View {n}", "file": (io.BytesIO(
                               data), f"view{n}.{'png' if n == 0 else 'jpg'}")},
                           content_type="multipart/form-data")
        assert sent.status_code == 302, sent.data[:500]
    refused = client.post(f"/holders/me/guides/{guide.id}/images",
                          data={"caption": "A scan", "file": (io.BytesIO(PDF),
                                                              "scan.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and b"A scan" in refused.data
    images = guides.guide_images(db, guide)
    assert len(images) == 2
    # the officer of another country opens the guide page and its images
    auth.logout()
    auth.login(make.officer(Role.INVESTIGATOR, country="TH"))
    page = client.get(f"/holders/guides/{guide.id}")
    assert page.status_code == 200 and b"Nike Sales (Malaysia)" in page.data
    assert page.data.count(b"<img src=\"/holders/files/") == 2
    assert b"Withdraw the guide" not in page.data
    served = client.get(f"/holders/files/{images[1].public_id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Content-Disposition"].startswith("inline")
    assert "sandbox" in served.headers.get("Content-Security-Policy", "")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Cache-Control"] == "no-store"
    assert hashlib.sha256(served.data).hexdigest() == images[1].sha256
    # officers edit none
    for path in (f"/holders/me/guides/{guide.id}/edit", "/holders/me/guides",
                 "/holders/me/contacts", "/holders/me/recordations"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/holders/me/guides/{guide.id}/withdraw",
                       data={"version": "1"}).status_code == 404
    assert client.post(f"/holders/me/files/{images[0].public_id}/remove").status_code == 404


def test_another_holder_gets_404(client, db, auth, world):
    guide = guides.create_guide(db, world["holder"], {**GUIDE,
                                                        "rights": [world["nike"].id]})
    record = material.create_recordation(db, world["holder"], {
        "right": world["nike"].id, "country": "MY", "authority": "customs",
        "number": "R-1", "valid_from": "2025-01-01"})
    db.commit()
    auth.login(world["other"])
    for path in (f"/holders/guides/{guide.id}", f"/holders/me/guides/{guide.id}/edit",
                 f"/holders/me/recordations/{record.id}"):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/holders/me/recordations/{record.id}/withdraw").status_code == 404
    assert b"R-1" not in client.get("/holders/me/recordations").data


def test_guide_edit_conflict_keeps_input(client, db, auth, world):
    holder = world["holder"]
    guide = guides.create_guide(db, holder, {**GUIDE, "rights": [world["nike"].id]})
    db.commit()
    auth.login(holder)
    form = {**GUIDE, "rights": [str(world["nike"].id)], "version": "1",
            "usual_prices": "MYR 549"}
    assert client.post(f"/holders/me/guides/{guide.id}/edit", data=form).status_code == 302
    stale = client.post(f"/holders/me/guides/{guide.id}/edit",
                        data={**form, "usual_prices": "MYR 599"})
    assert stale.status_code == 409 and b"MYR 599" in stale.data


def test_recordation_with_document_on_the_officer_pages(client, db, make, auth, world):
    holder = world["holder"]
    auth.login(holder)
    bad = client.post("/holders/me/recordations", data={
        "right": str(world["nike"].id), "country": "MY", "authority": "customs",
        "number": "JKDM/IPR/2025/0117", "valid_from": "2025-04-01",
        "valid_until": "2024-01-01"})
    assert bad.status_code == 422 and b"JKDM/IPR/2025/0117" in bad.data
    ok = client.post("/holders/me/recordations", data={
        "right": str(world["nike"].id), "country": "MY", "authority": "customs",
        "number": "JKDM/IPR/2025/0117", "valid_from": "2025-04-01",
        "valid_until": "2027-03-31"})
    assert ok.status_code == 302
    record = material.my_recordations(db, holder)[0]
    sent = client.post(f"/holders/me/recordations/{record.id}/documents",
                       data={"caption": "Power of attorney",
                             "file": (io.BytesIO(PDF), "poa.pdf")},
                       content_type="multipart/form-data")
    assert sent.status_code == 302
    document = db.scalar(select(HolderFile))
    auth.logout()
    inv = make.officer(Role.INVESTIGATOR, country="TH")
    auth.login(inv)
    page = client.get(f"/rights/{world['nike'].id}")
    assert page.status_code == 200
    assert b"Recorded with MY customs until 2027-03-31" in page.data
    served = client.get(f"/holders/files/{document.public_id}")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")


def test_case_page_shows_holders_beside_the_match(client, db, make, auth, world):
    material.create_recordation(db, world["holder"], {
        "right": world["nike"].id, "country": "MY", "authority": "customs",
        "number": "R-9", "valid_from": "2020-01-01", "valid_until": "2021-12-31"})
    material.add_contact(db, world["holder"], {"country": "MY", "name": "Aminah",
                                               "email": "aminah@nike.example"})
    inv = make.officer(Role.INVESTIGATOR, country="MY")
    case = make.case(inv)
    db.add(CaseMatch(case_id=case.id, right_id=world["nike"].id, text="NIKE AIR",
                     source="brand", score=95, reasons=["exact"],
                     decision=MatchDecision.CONFIRMED))
    db.commit()
    auth.login(inv)
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200, page.data[:300]
    assert b"Recorded with MY customs until 2021-12-31" in page.data
    assert b"expired" in page.data and b"aminah@nike.example" in page.data
