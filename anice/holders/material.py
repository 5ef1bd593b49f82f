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
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit, policy
from ..errors import Conflict, Invalid, NotFound
from ..models import (
    Country,
    Guide,
    GuideDistributor,
    GuideRight,
    HolderContact,
    HolderFile,
    HolderOrg,
    HolderRight,
    Officer,
    Recordation,
    RecordationAuthority,
    Right,
    utcnow,
)
from ..validation import Fields

LANGUAGES = re.compile(r"^[a-z]{2,3}$")
GUIDE_TEXTS = (("genuine_features", 10000), ("counterfeit_features", 10000),
               ("packaging", 5000), ("checks", 5000), ("usual_prices", 2000))


def today() -> date:
    return datetime.now(UTC).date()


def _own_org(actor: Officer) -> HolderOrg:
    """The actor's organisation, if it keeps material there; NotFound otherwise (officers
    edit none: the page or route does not exist for them)."""
    org = actor.holder_org if actor is not None else None
    if org is None or not policy.can_edit_holder_material(actor, org.id):
        raise NotFound("No such page.")
    return org


def _member_state(db: Session, f: Fields, name: str, required: bool = True) -> str | None:
    code = f.text(name, required=required, max_len=2)
    if code is None:
        return None
    country = db.get(Country, code.upper())
    if country is None or not country.active:
        f.error(name, f"{code!r} is not a member state (BN KH ID LA MY MM PH SG TH VN TL)")
        return None
    return country.code


def _record(db: Session, actor: Officer, action: str, obj, org: HolderOrg, **details):
    audit.record(db, actor, action, obj, country_code=org.country_code,
                 details={"org": org.id, **details})


# --- contacts ------------------------------------------------------------------------

def contacts_of(db: Session, actor: Officer, org_id: int) -> list[HolderContact]:
    """An organisation's enforcement contacts, by member state."""
    if not policy.can_view_holder_material(actor, org_id):
        raise NotFound("No such right holder.")
    return list(db.scalars(select(HolderContact).where(HolderContact.org_id == org_id)
                           .order_by(HolderContact.country_code, HolderContact.name)))


def my_contacts(db: Session, actor: Officer) -> list[HolderContact]:
    return contacts_of(db, actor, _own_org(actor).id)


def get_contact(db: Session, actor: Officer, contact_id: int) -> HolderContact:
    """One of the holder's own contacts (to edit), else NotFound."""
    org = _own_org(actor)
    contact = db.get(HolderContact, contact_id)
    if contact is None or contact.org_id != org.id:
        raise NotFound("No such contact.")
    return contact


def _contact_values(db: Session, data: Mapping[str, Any]) -> dict[str, Any]:
    f = Fields(data)
    values = {"country_code": _member_state(db, f, "country"),
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
        f.error("languages", f"{bad[0]!r} is not a language code (ISO 639, such as en, ms, th)")
    values["languages"] = ",".join(dict.fromkeys(codes)) or None
    if not (values["email"] or values["phone"]):
        f.error("email", "give an e-mail address or a phone number officers can use")
    f.done()
    return values


def add_contact(db: Session, actor: Officer, data: Mapping[str, Any]) -> HolderContact:
    """A contact officers of one member state call about the organisation's rights."""
    org = _own_org(actor)
    contact = HolderContact(org_id=org.id, **_contact_values(db, data))
    db.add(contact)
    db.flush()
    _record(db, actor, "holder.contact.add", contact, org, contact=contact.id,
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
        _record(db, actor, "holder.contact.edit", contact, _own_org(actor),
                contact=contact.id, fields=sorted(changed))
    return contact


def remove_contact(db: Session, actor: Officer, contact_id: int) -> None:
    contact = get_contact(db, actor, contact_id)
    _record(db, actor, "holder.contact.remove", contact, _own_org(actor),
            contact=contact.id, country=contact.country_code, name=contact.name)
    db.delete(contact)
    db.flush()


# --- guides --------------------------------------------------------------------------

def _guide_query(actor: Officer):
    return (select(Guide).where(policy.visible_guides(actor))
            .options(selectinload(Guide.rights), selectinload(Guide.distributors)))


def my_guides(db: Session, actor: Officer) -> list[Guide]:
    """The holder's guides on the rights it reaches, withdrawn ones last."""
    _own_org(actor)
    return list(db.scalars(_guide_query(actor).order_by(Guide.withdrawn_at.is_not(None),
                                                        Guide.title)))


def get_guide(db: Session, actor: Officer, guide_id: int) -> Guide:
    """A guide the actor may read: every officer a guide in force, the holder its own on
    rights it reaches; NotFound otherwise."""
    guide = db.scalar(_guide_query(actor).where(Guide.id == guide_id))
    if guide is None or not policy.can_view_holder_material(actor, guide.org_id):
        raise NotFound("No such guide.")
    return guide


def my_guide(db: Session, actor: Officer, guide_id: int) -> Guide:
    """One of the holder's own guides (withdrawn too); NotFound for anyone else."""
    _own_org(actor)
    return get_guide(db, actor, guide_id)


def editable_guide(db: Session, actor: Officer, guide_id: int) -> Guide:
    """One of the holder's own guides, in force, to change; NotFound for anyone else."""
    guide = get_guide(db, actor, guide_id)
    if not policy.can_edit_holder_material(actor, guide.org_id) or guide.withdrawn_at:
        raise NotFound("No such guide.")
    return guide


def guide_rights(db: Session, guide: Guide) -> list[Right]:
    ids = [r.right_id for r in guide.rights]
    return list(db.scalars(select(Right).where(Right.id.in_(ids))
                           .order_by(Right.office, Right.number))) if ids else []


def guide_images(db: Session, guide: Guide) -> list[HolderFile]:
    return list(db.scalars(select(HolderFile).where(HolderFile.guide_id == guide.id,
                                                    HolderFile.removed_at.is_(None))
                           .order_by(HolderFile.position, HolderFile.id)))


def distributor_lines(text: str | None) -> list[dict[str, Any]]:
    """Distributors typed one per line: ``MY; Name; distributor or licensee; contact``."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(";")]
        if len(parts) < 2:
            raise Invalid("distributors", f"line {number}: write 'country; name; "
                                          "distributor or licensee; contact'")
        kind = parts[2].lower() if len(parts) > 2 else "distributor"
        if kind not in ("distributor", "licensee", ""):
            raise Invalid("distributors", f"line {number}: {parts[2]!r} is neither "
                                          "distributor nor licensee")
        rows.append({"country": parts[0], "name": parts[1], "licensee": kind == "licensee",
                     "contact": "; ".join(parts[3:]) or None, "line": number})
    return rows


def _guide_values(db: Session, actor: Officer, data: Mapping[str, Any]) -> dict[str, Any]:
    f = Fields(data)
    values: dict[str, Any] = {"title": f.text("title", required=True, max_len=200),
                              "product": f.text("product", required=True, max_len=300)}
    for name, limit in GUIDE_TEXTS:
        values[name] = f.text(name, max_len=limit) or ""
    right_ids = f.integer_list("rights")
    reachable = set(db.scalars(policy.holder_right_ids(actor)))
    if not right_ids and not any(name == "rights" for name, _ in f.errors):
        f.error("rights", "choose at least one of your rights the guide covers")
    elif any(r not in reachable for r in right_ids):
        f.error("rights", "a guide covers only rights your organisation holds or represents")
    values["rights"] = list(dict.fromkeys(right_ids))
    values["distributors"] = _distributors(db, f, data.get("distributors"))
    f.done()
    return values


def _distributors(db: Session, f: Fields, raw) -> list[GuideDistributor]:
    if raw is None or raw == "":
        return []
    if not isinstance(raw, list):
        f.error("distributors", "must be a list of {country, name, licensee, contact}")
        return []
    rows = []
    for index, item in enumerate(raw):
        where = f"line {item.get('line')}" if isinstance(item, dict) and item.get("line") \
            else f"item {index + 1}"
        if not isinstance(item, dict):
            f.error("distributors", f"{where}: must be an object")
            continue
        one = Fields(item)
        country = _member_state(db, one, "country")
        name = one.text("name", required=True, max_len=300)
        contact = one.text("contact", max_len=300)
        licensee = item.get("licensee", False)
        if not isinstance(licensee, bool):
            one.error("licensee", "must be true or false")
        for name_, message in one.errors:
            f.error("distributors", f"{where}: {name_} {message}")
        if not one.errors:
            rows.append(GuideDistributor(country_code=country, name=name, contact=contact,
                                         licensee=licensee))
    return rows


def _apply(guide: Guide, values: dict[str, Any]) -> list[str]:
    changed = [k for k in ("title", "product", *dict(GUIDE_TEXTS))
               if getattr(guide, k) != values[k]]
    for key in changed:
        setattr(guide, key, values[key])
    if sorted(r.right_id for r in guide.rights) != sorted(values["rights"]):
        guide.rights = [GuideRight(right_id=r) for r in values["rights"]]
        changed.append("rights")
    before = [(d.country_code, d.name, d.licensee, d.contact) for d in guide.distributors]
    after = [(d.country_code, d.name, d.licensee, d.contact) for d in values["distributors"]]
    if sorted(before, key=str) != sorted(after, key=str):
        guide.distributors = values["distributors"]
        changed.append("distributors")
    return changed


def create_guide(db: Session, actor: Officer, data: Mapping[str, Any]) -> Guide:
    """A product identification guide for some of the holder's rights."""
    org = _own_org(actor)
    values = _guide_values(db, actor, data)
    guide = Guide(org_id=org.id, title=values["title"], product=values["product"])
    _apply(guide, values)
    db.add(guide)
    db.flush()
    _record(db, actor, "holder.guide.create", guide, org, guide=guide.id,
            title=guide.title, rights=values["rights"])
    return guide


def _locked(db: Session, actor: Officer, guide_id: int, version) -> Guide:
    """The guide, locked for the change, if nobody changed it since ``version``."""
    guide = editable_guide(db, actor, guide_id)
    try:
        expected = int(version)
    except (TypeError, ValueError):
        raise Invalid("version", "is required: the version of the guide you edited") from None
    guide = db.execute(select(Guide).where(Guide.id == guide.id).with_for_update()
                       .execution_options(populate_existing=True)).scalar_one()
    if guide.version != expected:
        raise Conflict(f"Someone changed the guide since you opened it (version "
                       f"{guide.version}, you edited {expected}): reload it and make "
                       "your change again.")
    return guide


def update_guide(db: Session, actor: Officer, guide_id: int, data: Mapping[str, Any]) -> Guide:
    """Change a guide; ``data["version"]`` is the version the editor read (Conflict if
    someone saved meanwhile)."""
    guide = _locked(db, actor, guide_id, data.get("version"))
    values = _guide_values(db, actor, data)
    changed = _apply(guide, values)
    if changed:
        guide.version += 1
        guide.updated_at = utcnow()
        _record(db, actor, "holder.guide.edit", guide, guide.org, guide=guide.id,
                fields=changed, version=guide.version)
    db.flush()
    return guide


def guide_values_for_form(guide: Guide) -> dict[str, Any]:
    """A guide as its edit form shows it (distributors one per line)."""
    values = {k: getattr(guide, k) for k in ("title", "product", "version", *dict(GUIDE_TEXTS))}
    values["rights"] = [str(r.right_id) for r in guide.rights]
    values["distributors"] = "\n".join(
        "; ".join(filter(None, (d.country_code, d.name,
                                "licensee" if d.licensee else "distributor", d.contact)))
        for d in guide.distributors)
    return values


def withdraw_guide(db: Session, actor: Officer, guide_id: int, version) -> Guide:
    """Officers no longer see the guide; the row and its images stay for the record."""
    guide = _locked(db, actor, guide_id, version)
    guide.withdrawn_at = guide.updated_at = utcnow()
    guide.version += 1
    _record(db, actor, "holder.guide.withdraw", guide, guide.org, guide=guide.id)
    return guide


# --- recordations --------------------------------------------------------------------

def my_recordations(db: Session, actor: Officer) -> list[Recordation]:
    _own_org(actor)
    return list(db.scalars(select(Recordation).where(policy.visible_recordations(actor))
                           .options(selectinload(Recordation.right))
                           .order_by(Recordation.withdrawn_at.is_not(None),
                                     Recordation.country_code, Recordation.valid_from)))


def get_recordation(db: Session, actor: Officer, recordation_id: int) -> Recordation:
    found = db.scalar(select(Recordation).where(Recordation.id == recordation_id,
                                                policy.visible_recordations(actor)))
    if found is None or not policy.can_view_holder_material(actor, found.org_id):
        raise NotFound("No such recordation.")
    return found


def editable_recordation(db: Session, actor: Officer, recordation_id: int) -> Recordation:
    found = get_recordation(db, actor, recordation_id)
    if not policy.can_edit_holder_material(actor, found.org_id) or found.withdrawn_at:
        raise NotFound("No such recordation.")
    return found


def recordation_documents(db: Session, recordation: Recordation) -> list[HolderFile]:
    return list(db.scalars(select(HolderFile).where(
        HolderFile.recordation_id == recordation.id, HolderFile.removed_at.is_(None))
        .order_by(HolderFile.position, HolderFile.id)))


def documents_by_recordation(db: Session, actor: Officer) -> dict[int, list[HolderFile]]:
    """The holder's recordations' documents, by recordation."""
    org = _own_org(actor)
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
        f.error("right", "choose one of the rights your organisation holds or represents")
    values = {"right_id": right_id, "country_code": _member_state(db, f, "country"),
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
    org = _own_org(actor)
    found = Recordation(org_id=org.id, **_recordation_values(db, actor, data))
    db.add(found)
    db.flush()
    _record(db, actor, "holder.recordation.create", found, org, recordation=found.id,
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
        _record(db, actor, "holder.recordation.edit", found, found.org,
                recordation=found.id, fields=changed)
    return found


def withdraw_recordation(db: Session, actor: Officer, recordation_id: int) -> Recordation:
    found = editable_recordation(db, actor, recordation_id)
    found.withdrawn_at = found.updated_at = utcnow()
    _record(db, actor, "holder.recordation.withdraw", found, found.org, recordation=found.id)
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
