"""What a right holder keeps for officers: enforcement contacts per member state, product
identification guides and recordations (applications for action) with customs or police.

The holder's own account maintains them, for the rights it reaches through standing
links; every officer reads them (on the right's page, beside a match) and edits none.
Each change is audited in the caller's transaction; guides are edited under optimistic
locking (``Guide.version``); withdrawing a guide or a recordation keeps the row.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit, policy
from ..errors import NotFound
from ..models import (
    Country,
    Guide,
    GuideRight,
    HolderContact,
    HolderFile,
    HolderOrg,
    HolderRight,
    Officer,
    Recordation,
    RecordationAuthority,
    utcnow,
)
from ..validation import Fields

LANGUAGES = re.compile(r"^[a-z]{2,3}$")


def today() -> date:
    return datetime.now(UTC).date()


def own_org(actor: Officer) -> HolderOrg:
    """The actor's organisation, if it keeps material there; NotFound otherwise (officers
    edit none: the page or route does not exist for them)."""
    org = actor.holder_org if actor is not None else None
    if org is None or not policy.can_edit_holder_material(actor, org.id):
        raise NotFound(gettext("No such page."))
    return org


def member_state(db: Session, f: Fields, name: str, required: bool = True) -> str | None:
    code = f.text(name, required=required, max_len=2)
    if code is None:
        return None
    country = db.get(Country, code.upper())
    if country is None or not country.active:
        f.error(name, gettext("%(value)s is not a member state (BN KH ID LA MY MM PH SG TH VN "
                              "TL)", value=repr(code)))
        return None
    return country.code


def record(db: Session, actor: Officer, action: str, obj, org: HolderOrg, **details):
    audit.record(db, actor, action, obj, country_code=org.country_code,
                 details={"org": org.id, **details})


# --- contacts ------------------------------------------------------------------------

def contacts_of(db: Session, actor: Officer, org_id: int) -> list[HolderContact]:
    """An organisation's enforcement contacts, by member state."""
    if not policy.can_view_holder_material(actor, org_id):
        raise NotFound(gettext("No such right holder."))
    return list(db.scalars(select(HolderContact).where(HolderContact.org_id == org_id)
                           .order_by(HolderContact.country_code, HolderContact.name)))


def my_contacts(db: Session, actor: Officer) -> list[HolderContact]:
    return contacts_of(db, actor, own_org(actor).id)


def get_contact(db: Session, actor: Officer, contact_id: int) -> HolderContact:
    """One of the holder's own contacts (to edit), else NotFound."""
    org = own_org(actor)
    contact = db.get(HolderContact, contact_id)
    if contact is None or contact.org_id != org.id:
        raise NotFound(gettext("No such contact."))
    return contact


def _contact_values(db: Session, data: Mapping[str, Any]) -> dict[str, Any]:
    f = Fields(data)
    values = {"country_code": member_state(db, f, "country"),
              "name": f.text("name", required=True, max_len=200),
              "role": f.text("role", max_len=200), "phone": f.text("phone", max_len=64),
              "hours": f.text("hours", max_len=200)}
    email = f.text("email", max_len=254)
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized.lower()
        except EmailNotValidError as exc:
            f.error("email", str(exc))
    values["email"] = email
    raw = f.text("languages", max_len=100) or ""
    codes = [c.strip().lower() for c in raw.replace(";", ",").split(",") if c.strip()]
    bad = [c for c in codes if not LANGUAGES.match(c)]
    if bad:
        f.error("languages", gettext("%(value)s is not a language code (ISO 639, such as en, "
                                     "ms, th)", value=repr(bad[0])))
    values["languages"] = ",".join(dict.fromkeys(codes)) or None
    if not (values["email"] or values["phone"]):
        f.error("email", gettext("give an e-mail address or a phone number officers can use"))
    f.done()
    return values


def add_contact(db: Session, actor: Officer, data: Mapping[str, Any]) -> HolderContact:
    """A contact officers of one member state call about the organisation's rights."""
    org = own_org(actor)
    contact = HolderContact(org_id=org.id, **_contact_values(db, data))
    db.add(contact)
    db.flush()
    record(db, actor, "holder.contact.add", contact, org, contact=contact.id,
            country=contact.country_code, name=contact.name)
    return contact


def update_contact(db: Session, actor: Officer, contact_id: int,
                   data: Mapping[str, Any]) -> HolderContact:
    contact = get_contact(db, actor, contact_id)
    values = _contact_values(db, data)
    changed = {k: v for k, v in values.items() if getattr(contact, k) != v}
    for key, value in changed.items():
        setattr(contact, key, value)
    if changed:
        contact.updated_at = utcnow()
        record(db, actor, "holder.contact.edit", contact, own_org(actor),
                contact=contact.id, fields=sorted(changed))
    return contact


def remove_contact(db: Session, actor: Officer, contact_id: int) -> None:
    contact = get_contact(db, actor, contact_id)
    record(db, actor, "holder.contact.remove", contact, own_org(actor),
            contact=contact.id, country=contact.country_code, name=contact.name)
    db.delete(contact)
    db.flush()


# --- recordations --------------------------------------------------------------------

def my_recordations(db: Session, actor: Officer) -> list[Recordation]:
    own_org(actor)
    return list(db.scalars(select(Recordation).where(policy.visible_recordations(actor))
                           .options(selectinload(Recordation.right))
                           .order_by(Recordation.withdrawn_at.is_not(None),
                                     Recordation.country_code, Recordation.valid_from)))


def get_recordation(db: Session, actor: Officer, recordation_id: int) -> Recordation:
    found = db.scalar(select(Recordation).where(Recordation.id == recordation_id,
                                                policy.visible_recordations(actor)))
    if found is None or not policy.can_view_holder_material(actor, found.org_id):
        raise NotFound(gettext("No such recordation."))
    return found


def editable_recordation(db: Session, actor: Officer, recordation_id: int) -> Recordation:
    found = get_recordation(db, actor, recordation_id)
    if not policy.can_edit_holder_material(actor, found.org_id) or found.withdrawn_at:
        raise NotFound(gettext("No such recordation."))
    return found


def recordation_documents(db: Session, recordation: Recordation) -> list[HolderFile]:
    return list(db.scalars(select(HolderFile).where(
        HolderFile.recordation_id == recordation.id, HolderFile.removed_at.is_(None))
        .order_by(HolderFile.position, HolderFile.id)))


def documents_by_recordation(db: Session, actor: Officer) -> dict[int, list[HolderFile]]:
    """The holder's recordations' documents, by recordation."""
    org = own_org(actor)
    found: dict[int, list[HolderFile]] = {}
    for item in db.scalars(select(HolderFile).where(
            HolderFile.org_id == org.id, HolderFile.recordation_id.is_not(None),
            HolderFile.removed_at.is_(None)).order_by(HolderFile.position, HolderFile.id)):
        found.setdefault(item.recordation_id, []).append(item)
    return found


def recordation_values_for_form(found: Recordation) -> dict[str, Any]:
    return {"right": str(found.right_id), "country": found.country_code,
            "authority": found.authority.value, "number": found.number,
            "valid_from": found.valid_from.isoformat(),
            "valid_until": found.valid_until.isoformat() if found.valid_until else "",
            "notes": found.notes}


def _recordation_values(db: Session, actor: Officer, data: Mapping[str, Any]) -> dict:
    f = Fields(data)
    right_id = f.identifier("right", required=True)
    if right_id is not None and right_id not in set(db.scalars(policy.holder_right_ids(actor))):
        f.error("right", gettext("choose one of the rights your organisation holds or represents"))
    values = {"right_id": right_id, "country_code": member_state(db, f, "country"),
              "authority": f.choice("authority", RecordationAuthority, required=True),
              "number": f.text("number", required=True, max_len=100),
              "valid_from": f.day("valid_from", required=True, not_future=False),
              "notes": f.text("notes", max_len=5000) or ""}
    values["valid_until"] = f.day("valid_until", not_future=False,
                                  not_before=values["valid_from"])
    f.done()
    return values


def create_recordation(db: Session, actor: Officer, data: Mapping[str, Any]) -> Recordation:
    """A recordation or application for action with one member state's customs, police or
    another authority."""
    org = own_org(actor)
    found = Recordation(org_id=org.id, **_recordation_values(db, actor, data))
    db.add(found)
    db.flush()
    record(db, actor, "holder.recordation.create", found, org, recordation=found.id,
            right=found.right_id, country=found.country_code, number=found.number)
    return found


def update_recordation(db: Session, actor: Officer, recordation_id: int,
                       data: Mapping[str, Any]) -> Recordation:
    found = editable_recordation(db, actor, recordation_id)
    values = _recordation_values(db, actor, data)
    changed = sorted(k for k, v in values.items() if getattr(found, k) != v)
    for key in changed:
        setattr(found, key, values[key])
    if changed:
        found.updated_at = utcnow()
        record(db, actor, "holder.recordation.edit", found, found.org,
                recordation=found.id, fields=changed)
    return found


def withdraw_recordation(db: Session, actor: Officer, recordation_id: int) -> Recordation:
    found = editable_recordation(db, actor, recordation_id)
    found.withdrawn_at = found.updated_at = utcnow()
    record(db, actor, "holder.recordation.withdraw", found, found.org, recordation=found.id)
    return found


# --- what officers see beside a right ------------------------------------------------

@dataclass
class HolderMaterial:
    """One linked holder's material on one right, as an officer reads it."""

    link: HolderRight
    contacts: list[HolderContact] = field(default_factory=list)
    recordations: list[Recordation] = field(default_factory=list)
    guides: list[Guide] = field(default_factory=list)


def material_of_rights(db: Session, actor: Officer,
                       right_ids: list[int]) -> dict[int, list[HolderMaterial]]:
    """For each right, its standing-linked holders with their contacts (the officer's
    country first), recordations of every country in force (expired ones included, to be
    marked) and guides covering the right."""
    if not right_ids or not policy.can_view_rights(actor):
        return {}
    links = list(db.scalars(select(HolderRight).where(HolderRight.right_id.in_(right_ids),
                                                      HolderRight.revoked_at.is_(None))
                            .options(selectinload(HolderRight.org))
                            .order_by(HolderRight.id)))
    if not links:  # most rights: no holder has linked them (three queries saved a page)
        return {}
    orgs = {link.org_id for link in links}
    contacts = list(db.scalars(select(HolderContact).where(HolderContact.org_id.in_(orgs))
                               .order_by(HolderContact.country_code, HolderContact.name)))
    records = list(db.scalars(select(Recordation).where(
        Recordation.right_id.in_(right_ids), Recordation.org_id.in_(orgs),
        policy.visible_recordations(actor))
        .order_by(Recordation.country_code, Recordation.valid_from.desc())))
    covering = select(GuideRight.guide_id).where(GuideRight.right_id.in_(right_ids))
    guides = list(db.scalars(select(Guide).where(
        Guide.id.in_(covering), Guide.org_id.in_(orgs), policy.visible_guides(actor))
        .options(selectinload(Guide.rights)).order_by(Guide.title)))
    by_right: dict[int, list[HolderMaterial]] = {}
    mine = actor.country_code
    for link in links:
        if not policy.can_view_holder_material(actor, link.org_id):
            continue
        own = [c for c in contacts if c.org_id == link.org_id]
        by_right.setdefault(link.right_id, []).append(HolderMaterial(
            link=link, contacts=sorted(own, key=lambda c: c.country_code != mine),
            recordations=[r for r in records if r.org_id == link.org_id
                          and r.right_id == link.right_id],
            guides=[g for g in guides if g.org_id == link.org_id
                    and any(r.right_id == link.right_id for r in g.rights)]))
    return by_right


def material_of_right(db: Session, actor: Officer, right_id: int) -> list[HolderMaterial]:
    return material_of_rights(db, actor, [right_id]).get(right_id, [])


def is_expired(recordation: Recordation, on: date | None = None) -> bool:
    return (recordation.valid_until is not None
            and recordation.valid_until < (on or today()))
