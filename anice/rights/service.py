"""Reading the registry, and the rules every right's fields follow (import and forms)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, selectinload

from .. import policy
from ..errors import Forbidden, Invalid, NotFound
from ..evidence import runtime
from ..models import (
    INTERNATIONAL,
    Country,
    Officer,
    Right,
    RightImage,
    RightKind,
    RightStatus,
    classes_text,
    designations_text,
)
from ..validation import MISSING, PAGE_MAX, Fields, whole_number
from . import goods
from .matching.goods import GoodsPart

NICE_CLASSES = range(1, 46)
LOCARNO_CLASSES = frozenset((*range(1, 33), 99))
MAX_CLASS = 999
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Longest text per field (database column sizes).
TEXT_LIMITS = {"mark_text": 500, "owner": 300, "representative": 300,
               "contact_name": 200, "contact_phone": 64, "gi_product": 300, "gi_area": 300,
               "goods": 1_000_000, "identification_notes": 20_000}
MAX_GOODS = TEXT_LIMITS["goods"]  # real lists run past 100,000 characters
DATES = ("filing_date", "registration_date", "expiry_date")
IMAGE_CHUNK = 64 * 1024
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


class RightFields(Fields):
    """Fields with a regex control-character check: the same rules, fast enough for
    a million-row import (the generic check runs Python code per character)."""

    def text(self, name: str, *, required: bool = False, max_len: int = 200) -> str | None:
        value = self.raw(name, required)
        if value is MISSING:
            return None
        if not isinstance(value, str):
            return super().text(name, required=required, max_len=max_len)
        value = value.strip()
        if len(value) > max_len:
            self.error(name, gettext("must be at most %(max)s characters (got %(got)s)",
                                     max=max_len, got=len(value)))
            return None
        if CONTROL.search(value):
            self.error(name, gettext("contains control characters"))
            return None
        return value


def member_offices(db: Session) -> frozenset[str]:
    """The offices a right may belong to: the member states' country codes."""
    return frozenset(db.scalars(select(Country.code)))


def parse_classes(f: Fields, kind: RightKind | None) -> str:
    """``25;18`` -> ``;25;18;`` (order kept, repeats dropped); Nice 1-45 for trademarks,
    Locarno 1-32 (and 99) for designs."""
    raw = f.data.get("classes")
    if raw is None or str(raw).strip() == "":
        return ""
    items = raw if isinstance(raw, list | tuple) else str(raw).replace(",", ";").split(";")
    classes: list[int] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not (text.isascii() and text.isdigit()):
            f.error("classes", gettext("%(value)s is not a class number (numbers separated "
                                       "by ;)", value=repr(text[:20])))
            return ""
        number = int(text)
        problem = _class_problem(number, kind)
        if problem:
            f.error("classes", problem)
            return ""
        if number not in classes:
            classes.append(number)
    return classes_text(classes)


def _class_problem(number: int, kind: RightKind | None) -> str | None:
    if kind == RightKind.TRADEMARK and number not in NICE_CLASSES:
        return gettext("%(number)s is not a Nice class (1-45)", number=number)
    if kind == RightKind.DESIGN and number not in LOCARNO_CLASSES:
        return gettext("%(number)s is not a Locarno class (1-32, or 99)", number=number)
    if not 1 <= number <= MAX_CLASS:
        return gettext("%(number)s is not a class number", number=number)
    return None


def _date(f: Fields, name: str) -> date | None:
    # Not Fields.day: rights run from the 19th century and expire in the future.
    value = f.raw(name, False)
    if value is MISSING:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        f.error(name, gettext("%(value)s is not a date as YYYY-MM-DD", value=repr(str(value)[:20])))
        return None


def parse_designations(f: Fields, offices: frozenset[str]) -> str:
    """``MY SG;VN`` -> ``;MY;SG;VN;``: the designated contracting parties of an
    international registration, separated by spaces, commas or ``;``. Only member states
    are kept (a Madrid registration designates others too: they are no concern here)."""
    raw = f.data.get("designations")
    items = raw if isinstance(raw, list | tuple) else re.split(r"[\s,;]+", str(raw or ""))
    codes: list[str] = []
    for item in items:
        code = str(item).strip().upper()
        if not code:
            continue
        if not COUNTRY_CODE.match(code):
            f.error("designations", gettext("%(value)s is not a two-letter country code (codes "
                                            "separated by spaces or ;)", value=repr(code[:20])))
            return ""
        if code in offices and code not in codes:
            codes.append(code)
    return designations_text(codes)


def right_values(f: Fields, offices: frozenset[str]) -> dict[str, Any]:
    """Parse the fields of one right that are present; errors collect in ``f``. The
    office is a member state, or WO (an international registration) designating one."""
    values: dict[str, Any] = {}
    office = f.text("office", required=True, max_len=2)
    if office is not None:
        office = office.upper()
        if office not in offices and office != INTERNATIONAL:
            known = ", ".join(sorted(offices)) or gettext("none is set up yet")
            f.error("office", gettext("%(office)s is neither a member state (%(known)s) nor WO "
                                      "(an international registration designating a member "
                                      "state): refused", office=repr(office), known=known))
        values["office"] = office
    if f.present("designations"):
        values["designations"] = parse_designations(f, offices)
        if values["designations"] and office != INTERNATIONAL:
            f.error("designations", gettext("only an international registration (office WO) "
                                            "designates member states, not office %(office)s",
                                            office=office))
    values["number"] = f.text("number", required=True, max_len=64)
    kind = f.choice("type", RightKind, required=True)
    values["type"] = kind
    values["status"] = f.choice("status", RightStatus, required=True)
    for name, limit in TEXT_LIMITS.items():
        if f.present(name):
            values[name] = f.text(name, max_len=limit)
    if f.present("contact_email"):
        email = f.text("contact_email", max_len=254)
        if email and not EMAIL.match(email):
            f.error("contact_email", gettext("%(value)s is not an e-mail address",
                                             value=repr(email[:60])))
        values["contact_email"] = email.lower() if email else None
    if f.present("classes"):
        values["classes"] = parse_classes(f, kind)
    if f.present("class_edition"):
        values["class_edition"] = f.text("class_edition", max_len=40) or None
    for name in DATES:
        if f.present(name):
            values[name] = _date(f, name)
    filed, registered = values.get("filing_date"), values.get("registration_date")
    if filed and registered and registered < filed:
        f.error("registration_date", gettext("cannot be before the filing date"))
    expires = values.get("expiry_date")
    if expires and (registered or filed) and expires < (registered or filed):
        f.error("expiry_date", gettext("cannot be before the registration or filing date"))
    return values


def check_designated(f: Fields, values: dict[str, Any], offices: frozenset[str]) -> None:
    """An international registration must designate a member state (import, and a form
    that sets office WO)."""
    if values.get("office") != INTERNATIONAL or values.get("designations") or any(
            name == "designations" for name, _ in f.errors):
        return
    given = str(f.data.get("designations") or "").strip()
    known = ", ".join(sorted(offices)) or gettext("none is set up yet")
    if given:
        f.error("designations", gettext("office WO: the international registration designates "
                                        "no member state (%(known)s); it designates "
                                        "%(given)s: refused", known=known, given=given[:60]))
    else:
        f.error("designations", gettext("office WO: the international registration designates "
                                        "no member state (%(known)s): refused", known=known))


# --- reading -------------------------------------------------------------------

SORTS = {"mark": Right.mark_text, "office": Right.office, "number": Right.number,
         "type": Right.type, "status": Right.status, "owner": Right.owner,
         "expiry": Right.expiry_date, "updated": Right.updated_at}


@dataclass
class RightFilter:
    q: str = ""
    office: str = ""
    type: str = ""
    status: str = ""
    klass: str = ""
    sort: str = "mark"
    page: int = 1
    per_page: int = 50
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> RightFilter:
        def integer(name: str, default: int, maximum: int) -> int:
            return int(whole_number(args.get(name), name, default=default, maximum=maximum,
                                    clamp=name == "per_page") or default)

        return cls(q=str(args.get("q", "")).strip()[:200],
                   office=str(args.get("office", "")).strip().upper()[:2],
                   type=str(args.get("type", "")).strip(),
                   status=str(args.get("status", "")).strip(),
                   klass=str(args.get("class", "")).strip()[:60],
                   sort=str(args.get("sort", "mark")), page=integer("page", 1, PAGE_MAX),
                   per_page=integer("per_page", 50, 200))


def _choice(name: str, value: str, enum_cls) -> Any:
    try:
        return enum_cls(value)
    except ValueError:
        raise Invalid(name, gettext("%(value)s is not one of: %(choices)s", value=repr(value[:40]),
                                    choices=", ".join(m.value for m in enum_cls))) from None


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def class_filter(raw: str) -> list[int]:
    """``25``, ``25 18`` or ``25;18`` -> [25, 18]; Invalid naming ``class``."""
    numbers: list[int] = []
    for item in re.split(r"[\s,;]+", raw.strip()):
        if not item:
            continue
        if not (item.isascii() and item.isdigit()) or not 1 <= int(item) <= MAX_CLASS:
            raise Invalid("class", gettext("%(value)s is not a class number such as 25 "
                                           "(several: 25;18)", value=repr(item[:10])))
        numbers.append(int(item))
    return numbers


def rights_query(actor: Officer | None, f: RightFilter) -> Select:
    """Rights matching the filter, sorted; raises Invalid naming a bad filter."""
    if not policy.can_view_rights(actor):
        raise Forbidden(gettext("Only active officers see the rights registry."))
    query = select(Right).options(selectinload(Right.images))
    if f.q:
        pattern = _like(f.q)
        query = query.where(or_(Right.mark_text.ilike(pattern, escape="\\"),
                                Right.owner.ilike(pattern, escape="\\")))
    if f.office:
        # A member state's rights: its own, and the international ones designating it.
        designated = (Right.designations.like(f"%;{f.office};%")
                      if COUNTRY_CODE.match(f.office) else False)
        query = query.where(or_(Right.office == f.office, designated))
    if f.type:
        query = query.where(Right.type == _choice("type", f.type, RightKind))
    if f.status:
        query = query.where(Right.status == _choice("status", f.status, RightStatus))
    numbers = class_filter(f.klass) if f.klass else []
    if numbers:  # one class or several ("25 18", "25;18"): rights in any of them
        query = query.where(or_(*(Right.classes.like(f"%;{n};%") for n in numbers)))
    key = f.sort.removeprefix("-")
    if key not in SORTS:
        raise Invalid("sort", gettext("%(value)s is not one of: %(choices)s",
                                      value=repr(f.sort[:20]), choices=", ".join(SORTS)))
    column = SORTS[key]
    ordered = column.desc() if f.sort.startswith("-") else column.asc()
    return query.order_by(ordered, Right.id)


def goods_by_class(right: Right) -> list[tuple[int | None, list[GoodsPart]]]:
    """The right's goods grouped by class, in the order published (its page, the API)."""
    return goods.grouped(right)


def get_right(db: Session, actor: Officer | None, right_id: int) -> Right:
    if not policy.can_view_rights(actor):
        raise NotFound(gettext("No such right."))
    right = db.scalar(select(Right).where(Right.id == right_id)
                      .options(selectinload(Right.names), selectinload(Right.images),
                               selectinload(Right.goods_rows)))
    if right is None:
        raise NotFound(gettext("No such right."))
    return right


# --- mark images (stored by ``mark_images`` during imports) -----------------------------

def get_image(db: Session, actor: Officer | None, right_id: int, image_id: int) -> RightImage:
    """A mark image of a right the actor may see, else NotFound (also for an image of
    another right)."""
    if not policy.can_view_rights(actor):
        raise NotFound(gettext("No such image."))
    image = db.get(RightImage, image_id) if 0 < image_id < 2**63 else None
    if image is None or image.right_id != right_id:
        raise NotFound(gettext("No such image."))
    return image


def open_image(db: Session, actor: Officer | None, right_id: int, image_id: int,
               thumb: bool = False) -> tuple[RightImage, int, Iterator[bytes]]:
    """(the image, the PNG's size, its bytes in chunks) of a right the actor may see."""
    image = get_image(db, actor, right_id, image_id)
    key = image.thumb_key if thumb else image.storage_key
    store = runtime.storage()
    try:
        size = store.size(key)
        stream = store.open(key)
    except FileNotFoundError:
        raise NotFound(gettext("The image file is missing from storage.")) from None

    def chunks() -> Iterator[bytes]:
        with stream:
            while block := stream.read(IMAGE_CHUNK):
                yield block

    return image, size, chunks()
