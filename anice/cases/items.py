"""What a case holds: seizure items, online listings, parties, notes and its team."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import notifications as notify
from .. import policy
from ..correlation import normalize as identifiers
from ..errors import Forbidden, Invalid, NotFound
from ..events import CaseItemsChanged, announce
from ..models import (
    Case,
    CaseAssignment,
    CaseNote,
    Category,
    Disposal,
    Listing,
    Officer,
    Party,
    PartyKind,
    PartyRole,
    Platform,
    SeizureItem,
    TakedownResult,
    Unit,
)
from ..notifications import stored
from ..text import check_digits
from ..text.brand import brand_key
from ..text.labels import label, lower_first, word
from ..text.locales import N_
from ..text.messages import message
from ..text.messages import word as as_word
from ..validation import MACHINE, Fields, Reading
from . import rates, timeline
from .service import get_case, get_editable_case


def _editable(db: Session, actor: Officer, case_id: int) -> Case:
    return get_editable_case(db, actor, case_id)


def _seizure_values(db: Session, case: Case, f: Fields) -> dict[str, Any]:
    values: dict[str, Any] = {
        "description": f.text("description", required=True, max_len=500),
        "brand": f.text("brand", required=True, max_len=200),
        "category": f.choice("category", Category, required=True),
        "quantity": f.number("quantity", required=True, positive=True,
                             maximum=Decimal("1e10"), places=3),
        "unit": f.choice("unit", Unit, required=True),
        "value_local": f.number("value_local"),
        "currency": _currency(f, case),
        "storage_place": f.text("storage_place", max_len=200),
        "disposal": f.choice("disposal", Disposal),
        "disposal_on": f.day("disposal_on"),
        "container_number": f.text("container_number", max_len=20),
        "airway_bill": f.text("airway_bill", max_len=20),
        "vehicle_plate": f.text("vehicle_plate", max_len=20),
    }
    _check_number(f, "container_number", values["container_number"],
                  check_digits.container_problem)
    _check_number(f, "airway_bill", values["airway_bill"], check_digits.airway_bill_problem)
    given_rate = f.number("usd_rate", positive=True, maximum=Decimal("100000"), places=10)
    _whole_if_counted(f, values["quantity"], values["unit"])
    if values["disposal"] is not None and values["disposal_on"] is None:
        f.error("disposal_on", gettext("give the date of the disposal"))
    if values["disposal_on"] and case.detected_on and values["disposal_on"] < case.detected_on:
        f.error("disposal_on", gettext(
            "cannot be before the case's detection date (%(date)s): goods are disposed of "
            "after they are found", date=case.detected_on.isoformat()))
    if values["brand"]:
        values["brand_key"] = brand_key(values["brand"])
    values.update(usd_rate=None, rate_date=None, value_usd=None)
    if values["value_local"] is not None and values["currency"]:
        on = case.detected_on or datetime.now(UTC).date()
        rate = given_rate or rates.rate_on(db, values["currency"], on)
        if rate is None:
            f.error("usd_rate", gettext(
                "no reference rate for %(currency)s on %(date)s: enter the USD value of one "
                "unit", currency=values["currency"], date=on.isoformat()))
        else:
            values.update(usd_rate=rate, rate_date=on,
                          value_usd=rates.to_usd(values["value_local"], rate))
    return values


def _check_number(f: Fields, name: str, value: str | None, problem) -> None:
    """A shipment number with a check digit: the message says what is wrong with it."""
    if value and (wrong := problem(value)):
        f.error(name, wrong)


def _currency(f: Fields, case: Case) -> str | None:
    """The currency given, else the case country's (what an officer there pays in)."""
    return f.currency("currency") or (None if f.data.get("currency") else case.currency)


def _whole_if_counted(f: Fields, quantity: Decimal | None, unit: Unit | None) -> None:
    if quantity is not None and unit is not None and unit.counted and quantity % 1:
        f.error("quantity", gettext(
            "must be a whole number of %(unit)s (got %(quantity)s): only kg and litres take "
            "fractions", unit=lower_first(label(unit)), quantity=f"{quantity.normalize():f}"))


def _check_shape(f: Fields, name: str, value: str | None, normaliser, message: str) -> None:
    if value and normaliser(value) is None:
        f.error(name, message)


def _phone(f: Fields, name: str, region: str) -> str | None:
    value = f.text(name, max_len=40)
    _check_shape(f, name, value, lambda v: identifiers.phone(v, region),
                 gettext("is not a phone number: write it with its country code, e.g. "
                         "%(example)s", example="+60 12-345 6789"))
    return value


def _listing_values(f: Fields, case: Case) -> dict[str, Any]:
    values: dict[str, Any] = {
        "url": f.url("url", required=True),
        "platform": f.choice("platform", Platform, required=True),
        "seller_name": f.text("seller_name", max_len=200),
        "seller_id": f.text("seller_id", max_len=200),
        "seller_phone": _phone(f, "seller_phone", case.country_code),
        "title": f.text("title", max_len=500),
        "price": f.number("price"),
        "currency": _currency(f, case),
        "seen_at": f.moment("seen_at"),
        "takedown_requested_on": f.day("takedown_requested_on"),
        "takedown_result": f.choice("takedown_result", TakedownResult),
    }
    values["takedown_done_on"] = f.day("takedown_done_on",
                                       not_before=values["takedown_requested_on"])
    if values["takedown_done_on"] and not values["takedown_requested_on"]:
        f.error("takedown_requested_on", gettext("give the request date of a completed takedown"))
    return values


def _party_values(f: Fields, case: Case) -> dict[str, Any]:
    values = {
        "role": f.choice("role", PartyRole, required=True),
        "kind": f.choice("kind", PartyKind, required=True),
        "name": f.text("name", required=True, max_len=200),
        "nationality": f.country("nationality"),
        "id_number": f.text("id_number", max_len=100),
        "passport_number": f.text("passport_number", max_len=40),
        "phone": _phone(f, "phone", case.country_code),
        "email": f.text("email", max_len=320),
        "contact": f.text("contact", max_len=500),
        "notes": f.text("notes", max_len=5000),
    }
    _check_shape(f, "email", values["email"], identifiers.email,
                 gettext("is not an e-mail address such as %(example)s",
                         example="name@example.com"))
    return values


KINDS = {
    "seizure": (SeizureItem, "seizures", N_("seizure item")),
    "listing": (Listing, "listings", N_("listing")),
    "party": (Party, "parties", N_("party")),
}
SAVED = {"seizure": N_("The seizure item was saved."), "listing": N_("The listing was saved."),
         "party": N_("The party was saved.")}

# Timeline entries of items (message and values, shown in the reader's language; registered
# for rows stored as English sentences before: notifications/stored).
_ITEM_WORDS = ("unit", "platform", "role")
ITEM_TEXTS = {
    "seizure_added": N_("Added seizure item %(brand)s (%(quantity)s %(unit)s)"),
    "seizure_edited": N_("Edited seizure item %(brand)s (%(quantity)s %(unit)s)"),
    "seizure_removed": N_("Removed seizure item %(brand)s (%(quantity)s %(unit)s)"),
    "listing_added": N_("Added listing on %(platform)s: %(url)s"),
    "listing_edited": N_("Edited listing on %(platform)s: %(url)s"),
    "listing_removed": N_("Removed listing on %(platform)s: %(url)s"),
    "party_added": N_("Added party %(name)s (%(role)s)"),
    "party_edited": N_("Edited party %(name)s (%(role)s)"),
    "party_removed": N_("Removed party %(name)s (%(role)s)"),
}
for _key, _msgid in ITEM_TEXTS.items():
    stored.register(_key, _msgid, words=_ITEM_WORDS)
ASSIGNED = stored.register("assigned", N_("Assigned %(name)s"))
UNASSIGNED = stored.register("unassigned", N_("Removed %(name)s from the team"))
ON_TEAM = stored.register("case.assigned", N_("You are on the team of case %(case)s"))


def _values(db: Session, case: Case, kind: str, f: Fields) -> dict[str, Any]:
    if kind == "seizure":
        return _seizure_values(db, case, f)
    if kind == "listing":
        return _listing_values(f, case)
    return _party_values(f, case)


def _summary(kind: str, action: str, item: Any) -> dict:
    """The timeline's sentence about an item (shown translated)."""
    msgid = ITEM_TEXTS[f"{kind}_{action}"]
    if kind == "seizure":
        return message(msgid, brand=item.brand, quantity=f"{item.quantity.normalize():f}",
                       unit=as_word(item.unit))
    if kind == "listing":
        return message(msgid, platform=message(word(item.platform)), url=item.url[:80])
    return message(msgid, name=item.name, role=as_word(item.role))


def add_item(db: Session, actor: Officer, case_id: int, kind: str,
             data: Mapping[str, Any], reading: Reading = MACHINE) -> Any:
    """Add a seizure item, listing or party to a case. ``reading``: how its figures and
    times are written (``Reading.typed_by(actor)`` for what an officer typed)."""
    model, collection, _noun = _kind(kind)
    case = _editable(db, actor, case_id)
    f = Fields(data, reading=reading)
    values = _values(db, case, kind, f)
    f.done()
    item = model(**values)
    getattr(case, collection).append(item)
    db.flush()
    changes = [{"field": f"{kind}.{k}", "before": None, "after": timeline.plain(v)}
               for k, v in values.items() if v is not None and k != "brand_key"]
    timeline.record(db, actor, case, f"{kind}_added", _summary(kind, "added", item),
                    changes, obj=item)
    announce(db, CaseItemsChanged(case.id, actor.id))
    return item


def update_item(db: Session, actor: Officer, case_id: int, kind: str, item_id: int,
                data: Mapping[str, Any], reading: Reading = MACHINE) -> Any:
    """Replace an item's facts (``reading`` as for ``add_item``)."""
    model, collection, _noun = _kind(kind)
    case = _editable(db, actor, case_id)
    item = _find(case, collection, item_id)
    f = Fields(data, reading=reading)
    values = _values(db, case, kind, f)
    f.done()
    changes = timeline.diff(item, values)
    changes = [dict(c, field=f"{kind}.{c['field']}") for c in changes
               if c["field"] != "brand_key"]
    if changes:
        timeline.record(db, actor, case, f"{kind}_edited", _summary(kind, "edited", item),
                        changes, obj=item)
        announce(db, CaseItemsChanged(case.id, actor.id))
    return item


def remove_item(db: Session, actor: Officer, case_id: int, kind: str, item_id: int) -> None:
    _, collection, _noun = _kind(kind)
    case = _editable(db, actor, case_id)
    item = _find(case, collection, item_id)
    summary = _summary(kind, "removed", item)
    getattr(case, collection).remove(item)
    db.flush()
    timeline.record(db, actor, case, f"{kind}_removed", summary, obj=case)
    announce(db, CaseItemsChanged(case.id, actor.id))


def _kind(kind: str):
    if kind not in KINDS:
        raise NotFound(gettext("No such kind of case item."))
    return KINDS[kind]


def _find(case: Case, collection: str, item_id: int) -> Any:
    item = next((i for i in getattr(case, collection) if i.id == item_id), None)
    if item is None:
        raise NotFound(gettext("No such item in this case."))
    return item


def add_note(db: Session, actor: Officer, case_id: int, text: str) -> CaseNote:
    case = get_case(db, actor, case_id)
    if not policy.can_add_note(actor, case):
        raise Forbidden(gettext("You may not add notes to this case."))
    f = Fields({"text": text})
    body = f.text("text", required=True, max_len=10_000)
    f.done()
    note = CaseNote(case_id=case.id, author_id=actor.id, text=body)
    db.add(note)
    db.flush()
    timeline.record(db, actor, case, "note", body, obj=note)
    return note


def team_candidates(db: Session, actor: Officer, case: Case) -> list[Officer]:
    """Officers the actor may add to the case's team (none when it may not assign)."""
    if not policy.can_assign(actor, case):
        return []

    officers = db.scalars(select(Officer).where(Officer.agency_id == case.agency_id,
                                                Officer.active.is_(True))
                          .order_by(Officer.name))
    return [o for o in officers
            if policy.can_assign_to(actor, case, o) and o.id not in case.assigned_ids]


def assign(db: Session, actor: Officer, case_id: int, officer_id: int) -> Case:
    case = get_case(db, actor, case_id)
    officer = db.get(Officer, officer_id)
    if officer is None or not policy.can_assign_to(actor, case, officer):
        if not policy.can_assign(actor, case):
            raise Forbidden(gettext("Only the agency's supervisor assigns officers."))
        raise Invalid("officer", gettext("must be an active officer of the case's agency"))
    if officer.id not in case.assigned_ids:
        case.assignments.append(CaseAssignment(officer_id=officer.id))
        db.flush()
        timeline.record(db, actor, case, "assigned", message(ASSIGNED, name=officer.name),
                        [{"field": "team", "before": None, "after": officer.name}])
        if officer.id != actor.id:
            notify.notify(db, [officer], "case.assigned",
                          message(ON_TEAM, case=case.reference),
                          f"/cases/{case.id}")
    return case


def unassign(db: Session, actor: Officer, case_id: int, officer_id: int) -> Case:
    case = get_case(db, actor, case_id)
    if not policy.can_assign(actor, case):
        raise Forbidden(gettext("Only the agency's supervisor changes the team."))
    link = next((a for a in case.assignments if a.officer_id == officer_id), None)
    if link is None:
        raise NotFound(gettext("This officer is not on the case."))
    name = link.officer.name
    case.assignments.remove(link)
    db.flush()
    timeline.record(db, actor, case, "unassigned", message(UNASSIGNED, name=name),
                    [{"field": "team", "before": name, "after": None}])
    return case
