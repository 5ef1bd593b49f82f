"""Editing one right: its registry fields, other spellings and contacts per country.

Admins edit every office's rights, a coordinator its own country's
(``policy.can_edit_right``). An edit names the ``updated_at`` it started from and is
refused (Conflict) when the right changed since: the write is an UPDATE guarded by that
value, so two edits or an edit and an import cannot overwrite each other unseen. Every
saved edit moves ``updated_at`` on, which tells the matching index to rebuild.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit, policy
from ..errors import Conflict, Forbidden, Invalid
from ..events import RightsChanged, announce
from ..models import INTERNATIONAL, Officer, Right, RightContact, RightName, utcnow
from . import goods, history, index_store
from .service import (
    EMAIL,
    RightFields,
    check_designated,
    get_right,
    member_offices,
    right_values,
)

MAX_NAMES = 50
MAX_CONTACTS = 20
SCALARS = ("office", "number", "type", "status", "mark_text", "classes", "class_edition",
           "owner",
           "representative", "contact_name", "contact_email", "contact_phone", "filing_date",
           "registration_date", "expiry_date", "goods", "identification_notes", "gi_product",
           "gi_area")
EDITABLE = frozenset((*SCALARS, "names", "contacts", "contact", "updated_at"))
LONG = ("goods", "identification_notes")  # the audit row says that they changed, not how
# Unicode script names as the registry shows them (the first letter's script).
SCRIPTS = {"LATIN": "Latin", "THAI": "Thai", "KHMER": "Khmer", "LAO": "Lao",
           "MYANMAR": "Myanmar", "CJK": "Han", "HANGUL": "Hangul", "HIRAGANA": "Japanese",
           "KATAKANA": "Japanese", "TAMIL": "Tamil", "ARABIC": "Arabic",
           "CYRILLIC": "Cyrillic", "GREEK": "Greek", "DEVANAGARI": "Devanagari"}


def detect_script(text: str) -> str | None:
    """The script of the first letter: 'Thai' for 'ไนกี้', 'Latin' for 'Nike'."""
    for ch in text:
        if ch.isalpha():
            word = unicodedata.name(ch, "").split(" ")[0]
            return SCRIPTS.get(word, word.capitalize()[:16] or None)
    return None


def contacts_of(db: Session, right: Right) -> list[RightContact]:
    return list(db.scalars(select(RightContact).where(RightContact.right_id == right.id)
                           .order_by(RightContact.country)))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(getattr(value, "value", value))


def form_values(db: Session, right: Right) -> dict[str, Any]:
    """The right as the edit form and a PATCH start from (strings; classes ``25;18``)."""
    values = {name: _text(getattr(right, name)) for name in SCALARS if name != "classes"}
    values["classes"] = ";".join(str(c) for c in right.class_list)
    values["names"] = "\n".join(n.text for n in right.names)
    values["contacts"] = [{"country": c.country, "name": c.name or "", "email": c.email or "",
                           "phone": c.phone or ""} for c in contacts_of(db, right)]
    values["updated_at"] = right.updated_at.isoformat()
    return values


def _version(data: Mapping[str, Any]) -> datetime:
    raw = data.get("updated_at")
    try:
        if not isinstance(raw, str):
            raise TypeError
        when = datetime.fromisoformat(raw.strip())
        if when.tzinfo is None:
            raise ValueError
        return when
    except (TypeError, ValueError):
        raise Invalid("updated_at", gettext("is required: the updated_at of the right as you "
                                            "read it (ISO 8601 with its offset)")) from None


def _names(f: RightFields, raw: Any, known: Mapping[str, str | None]
           ) -> list[tuple[str, str | None]]:
    """Other spellings: lines of text, or a list of texts or {text, script}. A spelling
    without a script keeps the one it has, else gets the script of its first letter."""
    items = raw.splitlines() if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple):
        f.error("names", gettext("must be a list of spellings"))
        return []
    names: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    lines = isinstance(raw, str)
    for i, item in enumerate(items):
        entry = item if isinstance(item, Mapping) else {"text": item}
        one = RightFields({"text": entry.get("text"), "script": entry.get("script")},
                          prefix=f"names[{i}].")
        text = one.text("text", max_len=500)
        script = one.text("script", max_len=16)
        for name, message in one.errors:  # the form's textarea: by line
            f.errors.append(("names", gettext("line %(line)s: %(problem)s", line=i + 1,
                                                     problem=message))
                            if lines else (name, message))
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            names.append((text, script or known.get(text) or detect_script(text)))
    if len(names) > MAX_NAMES:
        f.error("names", gettext("at most %(max)s spellings (got %(got)s)", max=MAX_NAMES,
                                 got=len(names)))
    return names


def _contacts(f: RightFields, raw: Any, offices: frozenset[str]
              ) -> dict[str, tuple[str | None, ...]]:
    """Contacts per member state: a list of {country, name, email, phone}; a row left
    blank is dropped (that is how the form removes one)."""
    if not isinstance(raw, list | tuple):
        f.error("contacts", gettext("must be a list of {country, name, email, phone}"))
        return {}
    contacts: dict[str, tuple[str | None, ...]] = {}
    for i, item in enumerate(raw):
        at = f"contacts[{i}]."
        if not isinstance(item, Mapping):
            f.error(f"contacts[{i}]", gettext("must be an object {country, name, email, phone}"))
            continue
        one = RightFields(item, prefix=at)
        country = (one.text("country", max_len=2) or "").upper()
        name = one.text("name", max_len=200)
        email = one.text("email", max_len=254)
        phone = one.text("phone", max_len=64)
        f.errors.extend(one.errors)
        if not (country or name or email or phone):
            continue
        if email and not EMAIL.match(email):
            f.error(at + "email", gettext("%(value)s is not an e-mail address",
                                          value=repr(email[:60])))
        if not country:
            f.error(at + "country", gettext("is required (the member state the contact serves)"))
        elif country not in offices:
            f.error(at + "country", gettext("%(value)s is not a member state", value=repr(country)))
        elif country in contacts:
            f.error(at + "country", gettext("%(country)s has a contact already in this list",
                                            country=country))
        elif not (name or email or phone):
            f.error(at + "name", gettext("give a name, an e-mail address or a phone number"))
        else:
            contacts[country] = (name, email.lower() if email else None, phone)
    if len(contacts) > MAX_CONTACTS:
        f.error("contacts", gettext("at most %(max)s contacts", max=MAX_CONTACTS))
    return contacts


def _merged(db: Session, right: Right, data: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(k for k in data if k not in EDITABLE)
    if unknown:
        raise Invalid(unknown[0], gettext("is not a field of a right that can be edited"))
    merged = {**form_values(db, right), **data}
    contact = data.get("contact")
    if contact is not None:  # the API's {"contact": {name, email, phone}} as read
        if not isinstance(contact, Mapping):
            raise Invalid("contact", gettext("must be an object {name, email, phone}"))
        for key in ("name", "email", "phone"):
            if key in contact:
                merged[f"contact_{key}"] = contact[key]
    merged.pop("contact", None)
    return merged


def get_editable_right(db: Session, actor: Officer, right_id: int) -> Right:
    """A right the actor may edit: NotFound out of reach, Forbidden when the actor reads it
    but may not edit it. The web and the API both ask this."""
    right = get_right(db, actor, right_id)
    if not policy.can_edit_right(actor, right.office):
        raise Forbidden(gettext("Only admins and the coordinator of %(office)s edit this right.",
                                office=right.office))
    return right


def update_right(db: Session, actor: Officer, right_id: int,
                 data: Mapping[str, Any]) -> Right:
    """Edit a right (fields not in ``data`` stay as they are); raises Invalid naming the
    field, Conflict when the right changed after ``data['updated_at']``."""
    right = get_editable_right(db, actor, right_id)
    expected = _version(data)
    merged = _merged(db, right, data)
    offices = member_offices(db)
    f = RightFields(merged)
    values = right_values(f, offices)
    if values.get("office") != right.office:
        # A form carries no designations: a right becomes international by import only.
        check_designated(f, values, offices)
    known = {n.text: n.script for n in right.names}
    names = _names(f, merged["names"], known) if "names" in data else None
    contacts = _contacts(f, merged["contacts"], offices) if "contacts" in data else None
    _check_key(db, actor, right, values, f)
    f.done()
    if expected != right.updated_at:
        raise _conflict(right)
    changes = _changes(db, right, values, names, contacts)
    if not changes:
        return right
    fields = _history(db, right, values, names, contacts)
    _write(db, right, expected, values, names, contacts)
    history.record_edit(db, actor, right.id, fields)
    if "goods" in changes or "classes" in changes:
        goods.rewrite(db, right)
    audit.record(db, actor, "right.edit", right, country_code=right.office,
                 details={"office": right.office, "number": right.number,
                          "changes": changes})
    announce(db, RightsChanged(1, index_store.micros(right.updated_at)))
    return right


def _check_key(db: Session, actor: Officer, right: Right, values: dict[str, Any],
               f: RightFields) -> None:
    office, number = values.get("office"), values.get("number")
    if office and office != right.office and not policy.can_edit_right(actor, office):
        f.error("office", gettext("you may not move a right to office %(office)s", office=office))
    if office and number and (office, number) != (right.office, right.number):
        taken = db.scalar(select(Right.id).where(Right.office == office,
                                                 Right.number == number, Right.id != right.id))
        if taken is not None:
            f.error("number", gettext("%(number)s of office %(office)s is already in the registry",
                                      number=repr(number), office=office))


def _conflict(right: Right) -> Conflict:
    return Conflict(gettext("Right %(right)s was changed by someone else since you opened it. "
                            "Nothing was saved: review the right as it is now and apply your "
                            "changes again.", right=f"{right.office} {right.number}"))


def _short(name: str, value: Any) -> Any:
    return "(changed)" if name in LONG else _text(value)


def _changes(db: Session, right: Right, values: dict[str, Any],
             names: list[tuple[str, str | None]] | None,
             contacts: dict[str, tuple[str | None, ...]] | None) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    for name in SCALARS:
        old, new = getattr(right, name), values.get(name)
        if name == "classes":
            new = new or ""
        if old != new:
            changes[name] = [_short(name, old), _short(name, new)]
    if names is not None and names != [(n.text, n.script) for n in right.names]:
        changes["names"] = [[n.text for n in right.names], [text for text, _ in names]]
    if contacts is not None:
        old = {c.country: (c.name, c.email, c.phone) for c in contacts_of(db, right)}
        changed = sorted(c for c in set(old) | set(contacts) if old.get(c) != contacts.get(c))
        if changed:
            changes["contacts"] = changed
    return changes


def _history(db: Session, right: Right, values: dict[str, Any],
             names: list[tuple[str, str | None]] | None,
             contacts: dict[str, tuple[str | None, ...]] | None) -> dict[str, list[Any]]:
    """The history's {field: [old, new]} of an edit (long texts as length and hash)."""
    new = {name: values.get(name) for name in SCALARS}
    new["classes"] = new["classes"] or ""
    if new["status"] != right.status and right.status_raw is not None:
        new["status_raw"] = None
    fields = history.field_changes(right, new, new)
    if names is not None and names != [(n.text, n.script) for n in right.names]:
        fields["names"] = [[n.text for n in right.names], [text for text, _ in names]]
    if contacts is not None:
        old = {c.country: [c.name, c.email, c.phone] for c in contacts_of(db, right)}
        now = {country: list(contact) for country, contact in contacts.items()}
        if old != now:
            fields["contacts"] = [old, now]
    return fields


def _write(db: Session, right: Right, expected: datetime, values: dict[str, Any],
           names: list[tuple[str, str | None]] | None,
           contacts: dict[str, tuple[str | None, ...]] | None) -> None:
    scalars = {name: values.get(name) for name in SCALARS}
    scalars["classes"] = scalars["classes"] or ""
    if scalars["office"] != INTERNATIONAL:
        scalars["designations"] = ""  # designations belong to international registrations
    if scalars["status"] != right.status:
        # A status set by hand no longer says what the office published.
        scalars["status_raw"] = None
    done = db.execute(update(Right).where(Right.id == right.id, Right.updated_at == expected)
                      .values(**scalars, updated_at=utcnow())
                      .execution_options(synchronize_session=False))
    if done.rowcount != 1:
        db.rollback()
        raise _conflict(right)
    if names is not None:
        right.names.clear()
        db.flush()
        right.names.extend(RightName(text=text, script=script) for text, script in names)
    if contacts is not None:
        for contact in contacts_of(db, right):
            db.delete(contact)
        db.flush()
        db.add_all(RightContact(right_id=right.id, country=country, name=name, email=email,
                                phone=phone)
                   for country, (name, email, phone) in contacts.items())
    db.flush()
    db.expire(right)
