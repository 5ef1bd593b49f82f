"""What right holders keep for officers (issue 18), through the service layer: contacts,
guides with sealed images, recordations with documents; a holder edits its own only,
officers read every country's and edit none, a revoked link hides the right's material at
once, and every change is audited."""

from __future__ import annotations

import hashlib
import io
from datetime import timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from anice.errors import Conflict, Invalid, NotFound
from anice.evidence import runtime
from anice.evidence import service as evidence_service
from anice.holders import files, guides, material
from anice.holders import service as holder_service
from anice.models import AuditEvent, HolderFile, HolderRight, Role

# A minimal PDF as a scanner writes a one-page power of attorney (header, catalog, trailer).
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
       b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def image_bytes(fmt: str = "PNG", colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, fmt)
    return out.getvalue()


def audit_count(db, action: str) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == action)) or 0


def sealed(data: bytes):
    intake = files.start_intake()
    intake.write(data)
    return intake


@pytest.fixture
def world(make):
    nike = make.right("MY", mark="NIKE", owner="Nike Innovate C.V.")
    swoosh = make.right("MY", mark="SWOOSH", owner="Nike Innovate C.V.")
    acme_right = make.right("TH", mark="ACME", owner="Acme Co")
    holder = make.holder(rights=(nike, swoosh))
    other = make.holder(rights=(acme_right,))
    return {"nike": nike, "swoosh": swoosh, "acme": acme_right, "holder": holder,
            "other": other, "inv_th": make.officer(Role.INVESTIGATOR, country="TH"),
            "inv_my": make.officer(Role.INVESTIGATOR, country="MY")}


GUIDE = {"title": "Air Max 90: genuine vs fake", "product": "Nike Air Max 90 trainers",
         "genuine_features": "Stitching even, 8 to 10 stitches per inch",
         "counterfeit_features": "Glue stains at the sole; misspelt size label",
         "packaging": "Box label carries the style code CN8490-100",
         "checks": "The style code on the tongue label matches the box",
         "usual_prices": "MYR 499 to 599 retail"}


def make_guide(db, actor, rights, **extra):
    return guides.create_guide(db, actor, {**GUIDE, "rights": [r.id for r in rights],
                                             **extra})


def test_contacts_add_edit_remove_audited(db, world):
    holder = world["holder"]
    contact = material.add_contact(db, holder, {
        "country": "th", "name": "Somchai K.", "role": "Brand protection, Thailand",
        "email": "Somchai@Nike.example", "phone": "+66 2 123 4567",
        "hours": "Mon-Fri 09:00-18:00 ICT", "languages": "th, en"})
    db.commit()
    assert contact.country_code == "TH" and contact.email == "somchai@nike.example"
    assert contact.languages == "th,en"
    material.update_contact(db, holder, contact.id, {"country": "TH", "name": "Somchai K.",
                                                     "phone": "+66 2 765 4321"})
    db.commit()
    assert contact.phone == "+66 2 765 4321" and contact.email is None
    for bad, name in (({"country": "FR", "name": "X", "phone": "1"}, "country"),
                      ({"country": "MY", "name": "", "phone": "1"}, "name"),
                      ({"country": "MY", "name": "X", "email": "not-an-address"}, "email"),
                      ({"country": "MY", "name": "X", "phone": "1", "languages": "english"},
                       "languages")):
        with pytest.raises(Invalid) as err:
            material.add_contact(db, holder, bad)
        assert err.value.field == name, bad
    # another holder and officers edit none of it
    for actor in (world["other"], world["inv_my"]):
        with pytest.raises(NotFound):
            material.update_contact(db, actor, contact.id, {"country": "TH", "name": "Y",
                                                            "phone": "1"})
    material.remove_contact(db, holder, contact.id)
    db.commit()
    assert material.my_contacts(db, holder) == []
    for action in ("holder.contact.add", "holder.contact.edit", "holder.contact.remove"):
        assert audit_count(db, action) == 1, action


def test_guide_covers_own_rights_only_and_is_edited_under_a_version(db, world):
    holder, other = world["holder"], world["other"]
    with pytest.raises(Invalid) as err:
        make_guide(db, holder, [world["acme"]])
    assert err.value.field == "rights"
    with pytest.raises(Invalid) as err:
        guides.create_guide(db, holder, {**GUIDE, "title": " ", "rights": [world["nike"].id]})
    assert err.value.field == "title"
    with pytest.raises(Invalid) as err:
        make_guide(db, holder, [world["nike"]], distributors=[
            {"country": "ZZ", "name": "Nowhere Ltd"}])
    assert err.value.field == "distributors" and "item 1" in err.value.errors[0][1]
    guide = make_guide(db, holder, [world["nike"]], distributors=[
        {"country": "MY", "name": "Nike Sales (Malaysia) Sdn Bhd", "licensee": False,
         "contact": "+60 3 2168 8000"},
        {"country": "TH", "name": "Bangkok Sports Licensing", "licensee": True}])
    db.commit()
    assert guide.version == 1 and len(guide.distributors) == 2
    guides.update_guide(db, holder, guide.id, {**GUIDE, "usual_prices": "MYR 549",
                                                 "rights": [world["nike"].id], "version": 1,
                                                 "distributors": []})
    db.commit()
    assert guide.version == 2 and guide.usual_prices == "MYR 549" and guide.distributors == []
    with pytest.raises(Conflict):  # someone saved since version 1 was read
        guides.update_guide(db, holder, guide.id, {**GUIDE, "rights": [world["nike"].id],
                                                     "version": 1})
    db.rollback()
    with pytest.raises(NotFound):
        guides.update_guide(db, other, guide.id, {**GUIDE, "version": 2,
                                                    "rights": [world["acme"].id]})
    with pytest.raises(NotFound):
        guides.update_guide(db, world["inv_my"], guide.id, {**GUIDE, "version": 2})
    guides.withdraw_guide(db, holder, guide.id, 2)
    db.commit()
    assert guide.withdrawn_at is not None  # the row stays
    with pytest.raises(NotFound):  # officers no longer see it
        guides.get_guide(db, world["inv_th"], guide.id)
    assert guides.get_guide(db, holder, guide.id) is guide
    for action in ("holder.guide.create", "holder.guide.edit", "holder.guide.withdraw"):
        assert audit_count(db, action) == 1, action


def test_distributor_lines_name_the_line():
    rows = guides.distributor_lines("MY; Nike Sales Sdn Bhd; distributor; +60 3 1\n\n"
                                      "TH; Licensee Co; licensee")
    assert [r["line"] for r in rows] == [1, 3] and rows[1]["licensee"] is True
    with pytest.raises(Invalid) as err:
        guides.distributor_lines("MY; Shop; wholesaler")
    assert err.value.field == "distributors" and "line 1" in err.value.errors[0][1]


def test_guide_image_is_sealed_and_reads_back(app, db, world):
    holder = world["holder"]
    guide = make_guide(db, holder, [world["nike"]])
    data = image_bytes("JPEG")
    item = files.add_guide_image(db, holder, guide.id, sealed(data), "tongue-label.jpg",
                                 "Tongue label, genuine")
    db.commit()
    assert item.media_type == "image/jpeg" and item.sha256 == hashlib.sha256(data).hexdigest()
    stored = b"".join(runtime.storage().open(item.storage_key))
    assert stored != data and data not in stored and data[:64] not in stored
    assert item.dek_wrapped and item.kek_id == runtime.keyring().primary_id()
    for actor in (holder, world["inv_th"], world["inv_my"]):
        found, stream = files.read_file(db, actor, item.public_id)
        assert hashlib.sha256(b"".join(stream)).hexdigest() == item.sha256
    with pytest.raises(NotFound):
        files.read_file(db, world["other"], item.public_id)
    assert audit_count(db, "holder.file.add") == 1


def test_only_images_for_guides_and_pdf_for_recordations(db, world):
    holder = world["holder"]
    guide = make_guide(db, holder, [world["nike"]])
    for data, name in ((PDF, "guide.pdf"), (b"GIF89a" + b"\0" * 64, "x.gif"),
                       (image_bytes("PNG"), "label.jpg"), (b"", "empty.png")):
        with pytest.raises(Invalid) as err:
            files.add_guide_image(db, holder, guide.id, sealed(data), name)
        assert err.value.field == "file", name
    assert db.scalar(select(func.count()).select_from(HolderFile)) == 0
    record = material.create_recordation(db, holder, {
        "right": world["nike"].id, "country": "MY", "authority": "customs",
        "number": "JKDM/IPR/2025/0117", "valid_from": "2025-04-01",
        "valid_until": "2027-03-31", "notes": "Application for action, all entry points"})
    doc = files.add_recordation_document(db, holder, record.id, sealed(PDF),
                                         "power-of-attorney.pdf", "Power of attorney")
    db.commit()
    assert doc.media_type == "application/pdf" and not files.images_inline(doc)


def test_file_too_large_is_refused(app, db, world):
    app.config["HOLDER_FILE_MAX_BYTES"] = 1000
    holder = world["holder"]
    guide = make_guide(db, holder, [world["nike"]])
    intake = files.start_intake()
    with pytest.raises(Invalid) as err:
        intake.write(b"\xff" * 2000)
    assert err.value.field == "file" and "limit" in err.value.errors[0][1]
    intake.discard()
    assert guides.guide_images(db, guide) == []


def test_recordations_officers_of_every_country_read_holders_keep_their_own(db, world):
    holder = world["holder"]
    today = material.today()
    current = material.create_recordation(db, holder, {
        "right": world["nike"].id, "country": "MY", "authority": "customs",
        "number": "JKDM/IPR/2025/0117", "valid_from": "2025-04-01",
        "valid_until": (today + timedelta(days=400)).isoformat()})
    expired = material.create_recordation(db, holder, {
        "right": world["nike"].id, "country": "TH", "authority": "police",
        "number": "ECD-2021-88", "valid_from": "2021-01-01",
        "valid_until": (today - timedelta(days=1)).isoformat()})
    for bad, name in (({"right": world["acme"].id}, "right"), ({"country": "US"}, "country"),
                      ({"authority": "navy"}, "authority"),
                      ({"valid_until": "2020-01-01"}, "valid_until"),
                      ({"valid_from": "someday"}, "valid_from")):
        data = {"right": world["nike"].id, "country": "MY", "authority": "customs",
                "number": "N1", "valid_from": "2025-01-01", **bad}
        with pytest.raises(Invalid) as err:
            material.create_recordation(db, holder, data)
        assert err.value.field == name, bad
    db.commit()
    assert material.is_expired(expired) and not material.is_expired(current)
    # an officer of Thailand sees Malaysia's recordation too, and edits none
    shown = material.material_of_right(db, world["inv_th"], world["nike"].id)
    assert [r.id for r in shown[0].recordations] == [current.id, expired.id]
    for actor in (world["inv_th"], world["other"]):
        with pytest.raises(NotFound):
            material.update_recordation(db, actor, current.id, {"number": "X"})
        with pytest.raises(NotFound):
            material.withdraw_recordation(db, actor, current.id)
    material.withdraw_recordation(db, holder, expired.id)
    db.commit()
    shown = material.material_of_right(db, world["inv_th"], world["nike"].id)
    assert [r.id for r in shown[0].recordations] == [current.id]
    assert audit_count(db, "holder.recordation.create") == 2
    assert audit_count(db, "holder.recordation.withdraw") == 1


def test_officer_sees_own_country_contact_first(db, world):
    holder = world["holder"]
    for country in ("MY", "SG", "TH"):
        material.add_contact(db, holder, {"country": country, "name": f"Desk {country}",
                                          "email": f"{country.lower()}@nike.example"})
    make_guide(db, holder, [world["nike"]])
    db.commit()
    shown = material.material_of_rights(db, world["inv_th"], [world["nike"].id,
                                                              world["swoosh"].id])
    nike = shown[world["nike"].id][0]
    assert nike.contacts[0].country_code == "TH" and len(nike.contacts) == 3
    assert [g.title for g in nike.guides] == [GUIDE["title"]]
    assert shown[world["swoosh"].id][0].guides == []


def test_revoked_link_hides_the_rights_material_from_the_holder_at_once(db, make, world):
    holder = world["holder"]
    guide = make_guide(db, holder, [world["nike"]])
    image = files.add_guide_image(db, holder, guide.id, sealed(image_bytes()), "a.png")
    record = material.create_recordation(db, holder, {
        "right": world["nike"].id, "country": "MY", "authority": "customs", "number": "R1",
        "valid_from": "2025-01-01"})
    db.commit()
    coord = make.officer(Role.COORDINATOR, country="MY")
    link = db.scalar(select(HolderRight).where(HolderRight.right_id == world["nike"].id))
    holder_service.revoke_link(db, coord, holder.holder_org_id, link.id, "mandate ended")
    db.commit()
    for get, key in ((guides.get_guide, guide.id), (material.get_recordation, record.id),
                     (files.read_file, image.public_id)):
        with pytest.raises(NotFound):
            get(db, holder, key)
    assert guides.my_guides(db, holder) == [] and material.my_recordations(db, holder) == []
    with pytest.raises(Invalid):  # nor can it write new material on that right
        make_guide(db, holder, [world["nike"]])
    # officers no longer see the unlinked organisation beside the right
    assert material.material_of_right(db, world["inv_my"], world["nike"].id) == []


def test_remove_image_shreds_it(db, world):
    holder = world["holder"]
    guide = make_guide(db, holder, [world["nike"]])
    image = files.add_guide_image(db, holder, guide.id, sealed(image_bytes()), "a.png")
    db.commit()
    with pytest.raises(NotFound):
        files.remove_file(db, world["inv_my"], image.public_id)
    files.remove_file(db, holder, image.public_id)
    db.commit()
    assert image.dek_wrapped is None and image.removed_at is not None
    assert guides.guide_images(db, guide) == []
    with pytest.raises(FileNotFoundError):
        runtime.storage().size(image.storage_key)
    assert audit_count(db, "holder.file.remove") == 1


def test_rewrap_covers_holder_files(app, db, world):
    holder = world["holder"]
    guide = make_guide(db, holder, [world["nike"]])
    data = image_bytes()
    image = files.add_guide_image(db, holder, guide.id, sealed(data), "a.png")
    db.commit()
    old = image.kek_id
    ring = runtime.keyring()
    new = ring.rotate()
    assert evidence_service.kek_usage(db).get(old) == 1
    evidence_service.rewrap(db)
    db.refresh(image)
    assert image.kek_id == new != old
    _, stream = files.read_file(db, holder, image.public_id)
    assert hashlib.sha256(b"".join(stream)).hexdigest() == image.sha256
    assert evidence_service.kek_usage(db).get(old) is None
    # the orphan sweep leaves holder files alone (they share the evidence store)
    assert evidence_service.cleanup_orphans(db, older_than_seconds=0) == []
    assert runtime.storage().size(image.storage_key) > image.size


def test_keys_rotate_command_rewraps_holder_files(app, db, runner, world):
    """`flask --app wsgi keys rotate` (a new KEK, then rewrap) moves holder files too."""
    holder = world["holder"]
    guide = make_guide(db, holder, [world["nike"]])
    image = files.add_guide_image(db, holder, guide.id, sealed(image_bytes()), "a.png")
    db.commit()
    old = image.kek_id
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    db.expire_all()
    assert image.kek_id != old
    assert audit_count(db, "keys.rewrap") >= 1
    _, stream = files.read_file(db, holder, image.public_id)
    assert hashlib.sha256(b"".join(stream)).hexdigest() == image.sha256
