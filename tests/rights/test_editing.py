"""Editing a right: who may, every field with its errors named, optimistic concurrency,
audit in the same transaction, and the matching index seeing the change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from anice.errors import Conflict, Forbidden, Invalid, NotFound
from anice.models import AuditEvent, Right, RightContact, RightName, Role, utcnow
from anice.rights import editing, importing, match_service

from .helpers import ADIDAS, NIKE, csv_bytes


@pytest.fixture
def nike(db):
    importing.import_csv(db, None, csv_bytes(NIKE, ADIDAS))
    db.commit()
    return db.scalar(select(Right).where(Right.number == "TM001"))


def token(right) -> str:
    return right.updated_at.isoformat()


def edit(db, actor, right, **data):
    result = editing.update_right(db, actor, right.id, {"updated_at": token(right), **data})
    db.commit()
    return result


def invalid(db, actor, right, **data) -> dict[str, str]:
    with pytest.raises(Invalid) as exc:
        editing.update_right(db, actor, right.id, {"updated_at": token(right), **data})
    db.rollback()
    return dict(exc.value.errors)


def audits(db) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == "right.edit")))


def test_admin_edits_every_field(db, make, nike):
    admin = make.officer(Role.ADMIN)
    before = nike.updated_at
    edit(db, admin, nike, status="expired", mark_text="NIKE AIR", classes="25;28",
         goods="shoes, sports goods", owner="Nike Innovate CV", representative="",
         contact_name="Brand Protection", contact_phone="+1 503 000",
         filing_date="2001-01-01", expiry_date="2031-03-04",
         identification_notes="Genuine boxes carry a QR label.",
         names="ไนกี้\nNAIKI\nnaiki", gi_product="", gi_area="")
    db.expire_all()
    right = db.get(Right, nike.id)
    assert right.status.value == "expired" and right.mark_text == "NIKE AIR"
    assert right.class_list == [25, 28] and right.representative is None
    assert right.identification_notes.startswith("Genuine")
    assert [(n.text, n.script) for n in right.names] == [("ไนกี้", "Thai"), ("NAIKI", "Latin")]
    assert right.updated_at > before
    [row] = audits(db)
    assert row.actor_id == admin.id and row.country_code == "MY"
    changes = row.details["changes"]
    assert changes["status"] == ["registered", "expired"]
    assert changes["goods"] == ["(changed)", "(changed)"]
    assert changes["names"] == [[], ["ไนกี้", "NAIKI"]]
    assert "number" not in changes


def test_contacts_per_country(db, make, nike):
    admin = make.officer(Role.ADMIN)
    edit(db, admin, nike, contacts=[
        {"country": "th", "name": "Somchai", "email": "TH@Nike.example"},
        {"country": "VN", "phone": "+84 28 000"}, {"country": "", "name": ""}])
    found = {c.country: (c.name, c.email, c.phone) for c in editing.contacts_of(db, nike)}
    assert found == {"TH": ("Somchai", "th@nike.example", None), "VN": (None, None, "+84 28 000")}
    edit(db, admin, db.get(Right, nike.id), contacts=[{"country": "VN", "phone": "+84 28 111"}])
    assert [(c.country, c.phone) for c in editing.contacts_of(db, nike)] == [("VN", "+84 28 111")]
    assert audits(db)[-1].details["changes"] == {"contacts": ["TH", "VN"]}
    assert db.scalar(select(func.count()).select_from(RightContact)) == 1


def test_coordinator_edits_its_own_office_only(db, make, nike):
    adidas = db.scalar(select(Right).where(Right.number == "TM777"))
    coordinator = make.officer(Role.COORDINATOR, country="MY")
    edit(db, coordinator, nike, status="expired")
    with pytest.raises(Forbidden):
        editing.update_right(db, coordinator, adidas.id, {"updated_at": token(adidas),
                                                          "status": "expired"})
    for role, country in ((Role.INVESTIGATOR, "MY"), (Role.SUPERVISOR, "MY"),
                          (Role.COORDINATOR, "TH"), (Role.SECRETARIAT, "MY")):
        with pytest.raises(Forbidden):
            editing.update_right(db, make.officer(role, country=country), nike.id,
                                 {"updated_at": token(nike), "status": "filed"})
    assert invalid(db, coordinator, db.get(Right, nike.id), office="TH") == {
        "office": "you may not move a right to office TH"}
    with pytest.raises(NotFound):
        editing.update_right(db, coordinator, 999999, {"updated_at": token(nike)})


@pytest.mark.parametrize("data, field, message", [
    ({"classes": "25;46"}, "classes", "46 is not a Nice class"),
    ({"type": "design", "classes": "2;33"}, "classes", "33 is not a Locarno class"),
    ({"status": "live"}, "status", "'live' is not one of"),
    ({"mark_text": "N" * 501}, "mark_text", "at most 500 characters"),
    ({"registration_date": "2000-01-01"}, "registration_date", "cannot be before"),
    ({"expiry_date": "31/12/2030"}, "expiry_date", "is not a date"),
    ({"contact_email": "nobody"}, "contact_email", "is not an e-mail address"),
    ({"number": "TM777", "office": "TH"}, "number", "already in the registry"),
    ({"number": ""}, "number", "is required"),
    ({"names": ["ok", "x" * 501]}, "names[1].text", "at most 500"),
    ({"names": "ok\nbad\x01name"}, "names", "line 2: contains control characters"),
    ({"contacts": [{"country": "US", "name": "x"}]}, "contacts[0].country", "not a member"),
    ({"contacts": [{"country": "TH", "email": "no"}]}, "contacts[0].email", "e-mail"),
    ({"contacts": [{"name": "Who"}]}, "contacts[0].country", "is required"),
    ({"contacts": [{"country": "TH"}, {"country": "TH", "name": "x"}]},
     "contacts[0].name", "give a name"),
    ({"contacts": [{"country": "TH", "name": "a"}, {"country": "TH", "name": "b"}]},
     "contacts[1].country", "has a contact already"),
    ({"contacts": "TH"}, "contacts", "must be a list"),
    ({"colour": "red"}, "colour", "is not a field"),
    ({"contact": "x"}, "contact", "must be an object"),
])
def test_bad_input_names_the_field_and_writes_nothing(db, make, nike, data, field, message):
    admin = make.officer(Role.ADMIN)
    errors = invalid(db, admin, nike, **data)
    assert field in errors and message in errors[field], errors
    db.expire_all()
    assert db.get(Right, nike.id).updated_at == nike.updated_at and audits(db) == []


def test_every_error_is_reported_together(db, make, nike):
    errors = invalid(db, make.officer(Role.ADMIN), nike, status="live", classes="99",
                     contacts=[{"country": "XX", "name": "a"}])
    assert set(errors) == {"status", "classes", "contacts[0].country"}


def test_stale_or_missing_version_is_refused(db, make, nike):
    admin = make.officer(Role.ADMIN)
    stale = token(nike)
    edit(db, admin, nike, status="expired")
    with pytest.raises(Conflict) as exc:
        editing.update_right(db, admin, nike.id, {"updated_at": stale, "status": "filed"})
    assert "changed by someone else" in exc.value.message
    for bad in (None, "yesterday", "2026-01-01T00:00:00", 5):
        with pytest.raises(Invalid) as missing:
            editing.update_right(db, admin, nike.id, {"updated_at": bad, "status": "filed"})
        assert missing.value.field == "updated_at"
    db.rollback()
    assert db.get(Right, nike.id).status.value == "expired" and len(audits(db)) == 1


def test_a_write_racing_the_edit_is_a_conflict(db, make, nike, monkeypatch):
    """Between the check and the write another writer (an import) moves updated_at:
    the guarded UPDATE finds nothing and nothing of the edit is kept."""
    real = editing._changes

    def racing(*args, **kwargs):
        changes = real(*args, **kwargs)
        db.execute(update(Right).where(Right.id == nike.id)
                   .values(updated_at=utcnow() + timedelta(seconds=1))
                   .execution_options(synchronize_session=False))
        return changes

    monkeypatch.setattr(editing, "_changes", racing)
    with pytest.raises(Conflict):
        editing.update_right(db, make.officer(Role.ADMIN), nike.id,
                             {"updated_at": token(nike), "mark_text": "NIKE PRO",
                              "names": ["NAIKI"]})
    db.expire_all()
    assert db.get(Right, nike.id).mark_text == "NIKE"
    assert db.scalar(select(func.count()).select_from(RightName)) == 0 and audits(db) == []


def test_nothing_changed_writes_nothing(db, make, nike):
    admin = make.officer(Role.ADMIN)
    values = editing.form_values(db, nike)
    edit(db, admin, nike, **{k: v for k, v in values.items() if k != "updated_at"})
    db.expire_all()
    assert db.get(Right, nike.id).updated_at == nike.updated_at and audits(db) == []


def test_matching_sees_an_edit_at_once(db, make, nike):
    assert not any(m.right.id == nike.id for m in match_service.match(db, "ZUMBARO", [], 5))
    edit(db, make.officer(Role.ADMIN), nike, names=["ZUMBARO"])
    assert match_service.match(db, "ZUMBARO", [], 5)[0].right.id == nike.id
    edit(db, make.officer(Role.ADMIN), db.get(Right, nike.id), status="cancelled")
    assert not any(m.right.id == nike.id for m in match_service.match(db, "NIKE", [], 5))


def test_script_is_detected_or_kept(db, make, nike):
    assert editing.detect_script("ណាយគី") == "Khmer" and editing.detect_script("12 ab") == "Latin"
    assert editing.detect_script("123") is None
    admin = make.officer(Role.ADMIN)
    edit(db, admin, nike, names=[{"text": "NAIKI", "script": "Latn"}])
    edit(db, admin, db.get(Right, nike.id), names="NAIKI\nナイキ")
    db.expire_all()
    assert [(n.text, n.script) for n in db.get(Right, nike.id).names] == [
        ("NAIKI", "Latn"), ("ナイキ", "Japanese")]
