"""The holder material API (issue 18): a holder's brand-protection system keeps guides,
images, contacts and recordations; another holder gets 404; officers read a right's
holders' material and edit none. Every answer is checked against the OpenAPI document
(tests/api_contract.py)."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from anice.api import spec
from anice.auth import tokens
from anice.evidence import runtime
from anice.holders import service as holder_service
from anice.models import HolderFile, HolderRight, Role

from .test_material import GUIDE, PDF, image_bytes


def bearer(db, who, scope="read-write") -> dict:
    _, raw = tokens.create_token(db, who, "brand protection system", scope, 30)
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def world(db, make):
    nike = make.right("MY", mark="NIKE", owner="Nike Innovate C.V.")
    holder = make.holder(rights=(nike,))
    other = make.holder(rights=(make.right("TH", mark="ACME"),))
    inv = make.officer(Role.INVESTIGATOR, country="TH")
    return {"nike": nike, "holder": holder, "h": bearer(db, holder),
            "other": bearer(db, other), "inv": bearer(db, inv)}


def test_the_document_lists_the_holder_operations(app):
    document = spec.document(app)
    paths = document["paths"]
    assert "post" in paths["/holder/guides"] and "put" in paths["/holder/guides/{guide_id}"]
    assert "post" in paths["/holder/guides/{guide_id}/images"]
    assert "get" in paths["/holder/contacts"] and "get" in paths["/holder/recordations"]
    assert "get" in paths["/rights/{right_id}/holders"]
    assert "GuideOut" in document["components"]["schemas"]


def test_holder_maintains_guides_with_images(client, db, world):
    h = world["h"]
    bad = client.post("/api/v1/holder/guides", headers=h, json={**GUIDE, "rights": []})
    assert bad.status_code == 422 and "rights" in bad.json["detail"]
    created = client.post("/api/v1/holder/guides", headers=h, json={
        **GUIDE, "rights": [world["nike"].id],
        "distributors": [{"country": "MY", "name": "Nike Sales (Malaysia) Sdn Bhd",
                          "licensee": False, "contact": "+60 3 2168 8000"}]})
    assert created.status_code == 201, created.json
    guide = created.json
    data = image_bytes("PNG")
    upload = client.post(f"/api/v1/holder/guides/{guide['id']}/images?filename=label.png"
                         "&caption=Tongue%20label", headers=h, data=data,
                         content_type="application/octet-stream")
    assert upload.status_code == 201, upload.json
    assert upload.json["sha256"] == hashlib.sha256(data).hexdigest()
    item = db.scalar(select(HolderFile))
    stored = b"".join(runtime.storage().open(item.storage_key))
    assert data not in stored
    refused = client.post(f"/api/v1/holder/guides/{guide['id']}/images?filename=a.pdf",
                          headers=h, data=PDF, content_type="application/octet-stream")
    assert refused.status_code == 422 and "file" in refused.json["detail"]
    updated = client.put(f"/api/v1/holder/guides/{guide['id']}", headers=h, json={
        **GUIDE, "rights": [world["nike"].id], "version": 1, "usual_prices": "MYR 549"})
    assert updated.status_code == 200 and updated.json["version"] == 2
    assert len(updated.json["images"]) == 1
    stale = client.put(f"/api/v1/holder/guides/{guide['id']}", headers=h, json={
        **GUIDE, "rights": [world["nike"].id], "version": 1})
    assert stale.status_code == 409
    listed = client.get("/api/v1/holder/guides", headers=h)
    assert [g["id"] for g in listed.json] == [guide["id"]]
    content = client.get(upload.json["content"], headers=h)
    assert content.status_code == 200 and content.data == data
    # another holder: nothing of it
    o = world["other"]
    assert client.get(f"/api/v1/holder/guides/{guide['id']}", headers=o).status_code == 404
    assert client.put(f"/api/v1/holder/guides/{guide['id']}", headers=o, json={
        **GUIDE, "rights": [world["nike"].id], "version": 2}).status_code == 404
    assert client.get(upload.json["content"], headers=o).status_code == 404
    assert client.get("/api/v1/holder/guides", headers=o).json == []
    withdrawn = client.post(f"/api/v1/holder/guides/{guide['id']}/withdraw", headers=h,
                            json={"version": 2})
    assert withdrawn.status_code == 200 and withdrawn.json["withdrawn_at"]


def test_contacts_and_recordations_and_the_officer_view(client, db, world):
    h, nike = world["h"], world["nike"]
    contact = client.post("/api/v1/holder/contacts", headers=h, json={
        "country": "TH", "name": "Somchai K.", "email": "somchai@nike.example",
        "languages": "th,en"})
    assert contact.status_code == 201 and contact.json["languages"] == ["th", "en"]
    assert client.post("/api/v1/holder/contacts", headers=h, json={
        "country": "FR", "name": "X", "phone": "1"}).status_code == 422
    client.post("/api/v1/holder/contacts", headers=h, json={
        "country": "MY", "name": "Aminah", "phone": "+60 3 1234 5678"})
    record = client.post("/api/v1/holder/recordations", headers=h, json={
        "right": nike.id, "country": "MY", "authority": "customs",
        "number": "JKDM/IPR/2025/0117", "valid_from": "2025-04-01",
        "valid_until": "2027-03-31"})
    assert record.status_code == 201, record.json
    document = client.post(f"/api/v1/holder/recordations/{record.json['id']}/documents"
                           "?filename=poa.pdf&caption=Power%20of%20attorney", headers=h,
                           data=PDF, content_type="application/octet-stream")
    assert document.status_code == 201 and document.json["media_type"] == "application/pdf"
    # an officer of Thailand reads Malaysia's recordation and its own country's contact first
    inv = world["inv"]
    shown = client.get(f"/api/v1/rights/{nike.id}/holders", headers=inv)
    assert shown.status_code == 200
    assert shown.json[0]["contacts"][0]["country"] == "TH"
    assert shown.json[0]["recordations"][0]["valid_until"] == "2027-03-31"
    assert shown.json[0]["recordations"][0]["documents"][0]["name"] == "poa.pdf"
    assert client.get(document.json["content"], headers=inv).status_code == 200
    # and edits none
    assert client.put(f"/api/v1/holder/contacts/{contact.json['id']}", headers=inv, json={
        "country": "TH", "name": "Y", "phone": "1"}).status_code == 404
    assert client.post("/api/v1/holder/recordations", headers=inv, json={
        "right": nike.id, "country": "MY", "authority": "customs", "number": "N",
        "valid_from": "2025-01-01"}).status_code == 404
    assert client.post(f"/api/v1/holder/recordations/{record.json['id']}/withdraw",
                       headers=inv).status_code == 404
    # another holder neither; the holder withdraws
    assert client.delete(f"/api/v1/holder/contacts/{contact.json['id']}",
                         headers=world["other"]).status_code == 404
    assert client.delete(f"/api/v1/holder/contacts/{contact.json['id']}",
                         headers=h).status_code == 204
    # a holder does not reach the officers' view
    assert client.get(f"/api/v1/rights/{nike.id}/holders", headers=h).status_code == 404


def test_read_token_cannot_write(client, db, world):
    read = bearer(db, world["holder"], "read")
    assert client.get("/api/v1/holder/contacts", headers=read).status_code == 200
    assert client.post("/api/v1/holder/contacts", headers=read, json={
        "country": "MY", "name": "X", "phone": "1"}).status_code == 403


def test_revoked_link_hides_the_material_from_the_holders_system(client, db, make, world):
    h, nike = world["h"], world["nike"]
    record = client.post("/api/v1/holder/recordations", headers=h, json={
        "right": nike.id, "country": "MY", "authority": "customs", "number": "R-1",
        "valid_from": "2025-01-01"})
    guide = client.post("/api/v1/holder/guides", headers=h, json={
        **GUIDE, "rights": [nike.id]})
    assert record.status_code == guide.status_code == 201
    coord = make.officer(Role.COORDINATOR, country="MY")
    link = db.scalar(select(HolderRight).where(HolderRight.right_id == nike.id))
    holder_service.revoke_link(db, coord, link.org_id, link.id, "mandate ended")
    db.commit()
    assert client.get("/api/v1/holder/recordations", headers=h).json == []
    assert client.get("/api/v1/holder/guides", headers=h).json == []
    assert client.get(f"/api/v1/holder/guides/{guide.json['id']}", headers=h).status_code == 404
    assert client.put(f"/api/v1/holder/recordations/{record.json['id']}", headers=h, json={
        "right": nike.id, "country": "MY", "authority": "customs", "number": "R-2",
        "valid_from": "2025-01-01"}).status_code == 404
