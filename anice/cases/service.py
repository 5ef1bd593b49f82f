"""Creating, reading, editing and listing cases."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from .. import errors, policy
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..events import CaseSaved, announce
from ..models import (
    Case,
    CaseAssignment,
    CaseKind,
    CaseStatus,
    Detection,
    Listing,
    Officer,
    Platform,
    RightType,
    SeizureItem,
    Sensitivity,
    TimelineEntry,
)
from ..notifications import stored
from ..text.brand import brand_key
from ..text.locales import N_
from ..text.messages import fields, message
from ..text.messages import word as as_word
from ..validation import ID_MAX, PAGE_MAX, Fields, whole_number
from . import places, references, search, timeline

TAG = re.compile(r"^[\w\- ]{1,40}$", re.UNICODE)
EDITABLE = ("title", "summary", "right_types_mask", "detection", "province", "city",
            "detected_on", "sensitivity", "tags", "tell_holder")
# Whether holders of rights confirmed in the case are told (Case.tell_holder): the words
# of the form and the API, and the stored value (None: the agency's setting).
TELL_HOLDER = {"default": None, "tell": True, "do_not_tell": False}
TELL_HOLDER_CHOICES = (("default", N_("As the agency decides")),
                       ("tell", N_("Tell the right holders")),
                       ("do_not_tell", N_("Do not tell the right holders")))
# Timeline entries (stored in English, shown in the reader's language: notifications/stored).
CREATED = stored.register("created", N_("Created draft %(case)s (%(kind)s)"), words=("kind",))
EDITED = stored.register("edited", N_("Edited %(fields)s"), words=("fields",))


def tell_holder_word(case: Case) -> str:
    """The case's own choice in words of TELL_HOLDER ("default" when it follows its agency)."""
    return next(word for word, value in TELL_HOLDER.items() if value is case.tell_holder)


def _case_fields(f: Fields, country_code: str, *, creating: bool) -> dict[str, Any]:
    """Parse the editable case fields present in the input (all of them when creating)."""
    values: dict[str, Any] = {}
    if creating or f.present("title"):
        values["title"] = f.text("title", required=True, max_len=200)
    if creating or f.present("summary"):
        values["summary"] = f.text("summary", max_len=10_000) or ""
    if creating or f.present("right_types"):
        types = f.choices("right_types", RightType)
        values["right_types_mask"] = sum(t.bit for t in types)
    if creating or f.present("detection"):
        values["detection"] = f.choice("detection", Detection)
    if creating or f.present("province"):
        name = f.text("province", max_len=100)
        province = places.canonical_province(country_code, name) if name else None
        if name and province is None:
            f.error("province", gettext("'%(name)s' is not a province of %(country)s", name=name,
                                            country=country_code))
        values["province"] = province
    if creating or f.present("city"):
        values["city"] = f.text("city", max_len=100)
    if creating or f.present("detected_on"):
        values["detected_on"] = f.day("detected_on")
    if creating or f.present("sensitivity"):
        values["sensitivity"] = f.choice("sensitivity", Sensitivity) or Sensitivity.NORMAL
    if creating or f.present("tags"):
        values["tags"] = _tags(f)
    if f.present("tell_holder"):
        values["tell_holder"] = _tell_holder(f)
    return values


def _tell_holder(f: Fields) -> bool | None:
    word = str(f.data.get("tell_holder") or "default").strip().lower()
    if word not in TELL_HOLDER:
        f.error("tell_holder", gettext("'%(value)s' is not one of: %(choices)s", value=word[:40],
                                       choices=", ".join(TELL_HOLDER)))
        return None
    return TELL_HOLDER[word]


def _tags(f: Fields) -> list[str]:
    raw = f.data.get("tags") or []
    items = raw if isinstance(raw, list) else str(raw).split(",")
    tags: list[str] = []
    for item in items:
        tag = str(item).strip().lower()
        if not tag:
            continue
        if not TAG.match(tag):
            f.error("tags", gettext("'%(tag)s': tags are words of at most 40 letters, digits or -",
                                    tag=tag[:45]))
            return []
        if tag not in tags:
            tags.append(tag)
    if len(tags) > 20:
        f.error("tags", gettext("at most %(num)s tags", num=20))
    return tags[:20]


def create_case(db: Session, actor: Officer, data: Mapping[str, Any]) -> Case:
    """A new draft case of the actor's agency; the creator is on its team."""
    if not policy.can_create_case(actor):
        raise Forbidden(gettext("Only investigators and supervisors open cases."))
    f = Fields(data)
    kind = f.choice("kind", CaseKind, required=True)
    values = _case_fields(f, actor.country_code, creating=True)
    f.done()
    agency = actor.agency
    year = datetime.now(UTC).year
    seq = references.next_sequence(db, agency.id, year)
    case = Case(reference=references.format_reference(agency, year, seq), agency_id=agency.id,
                country_code=agency.country_code, year=year, seq=seq, kind=kind,
                status=CaseStatus.DRAFT, created_by_id=actor.id, **values)
    case.assignments.append(CaseAssignment(officer_id=actor.id))
    db.add(case)
    db.flush()
    timeline.record(db, actor, case, "created",
                    message(CREATED, case=case.reference, kind=as_word(kind)))
    announce(db, CaseSaved(case.id, actor.id))
    return case


def get_case(db: Session, actor: Officer, case_id: int) -> Case:
    """A case the actor may see; otherwise NotFound, as if it did not exist."""
    case = db.get(Case, case_id)
    if case is None or not policy.can_view_case(actor, case):
        raise NotFound(gettext("No such case."))
    return case


def get_editable_case(db: Session, actor: Officer, case_id: int) -> Case:
    """A case the actor may change (facts, items, matching): NotFound out of reach, Forbidden
    when the actor sees it but may not change it. The web and the API both ask this."""
    case = get_case(db, actor, case_id)
    if not policy.can_edit_case(actor, case):
        raise Forbidden(gettext("You may not change this case.")
                        if case.status != CaseStatus.CLOSED
                        else gettext("A closed case must be reopened before it is changed."))
    return case


def get_case_by_reference(db: Session, actor: Officer, reference: str) -> Case:
    case = db.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None or not policy.can_view_case(actor, case):
        raise NotFound(gettext("No such case."))
    return case


def check_version(case: Case, version: Any) -> None:
    """Optimistic locking: refuse an edit based on an older version of the case."""
    try:
        if isinstance(version, bool):
            raise TypeError
        expected = int(version)
    except (TypeError, ValueError):
        raise Invalid("version",
                      gettext("is required (the version of the case you edited)")) from None
    if expected != case.version:
        raise Conflict(gettext(
            "Case %(case)s was changed by someone else since you opened it (version "
            "%(expected)s -> %(current)s). Nothing was saved: review the current case and "
            "apply your changes again.", case=case.reference, expected=expected,
            current=case.version))


def update_case(db: Session, actor: Officer, case_id: int, data: Mapping[str, Any]) -> Case:
    """Edit the case's facts; ``data['version']`` must be the version the edit started from."""
    case = get_editable_case(db, actor, case_id)
    check_version(case, data.get("version"))
    f = Fields(data)
    values = _case_fields(f, case.country_code, creating=False)
    if values.get("detected_on"):
        for name, problem in later_dates_before(case, values["detected_on"]):
            f.error(name, problem)
    f.done()
    wanted = values.get("sensitivity")
    if wanted is not None and wanted != case.sensitivity and not policy.can_change_sensitivity(
            actor, case, wanted):
        raise Forbidden(gettext("Only the agency's supervisor lifts a restriction; the case's "
                                "team may restrict it."))
    if ("tell_holder" in values and values["tell_holder"] is not case.tell_holder
            and not policy.can_set_tell_holder(actor, case)):
        raise Forbidden(gettext("You may not decide whether this case's right holders are told."))
    changes = timeline.diff(case, values)
    if changes:
        flush_or_conflict(db, case)
        timeline.record(db, actor, case, "edited",
                        message(EDITED, fields=fields(c["field"] for c in changes)),
                        changes)
        announce(db, CaseSaved(case.id, actor.id))
    return case


def later_dates_before(case: Case, detected_on: date) -> list[tuple[str, str]]:
    """What a new detection date would contradict: a court date or a disposal before it.
    Reported on ``detected_on``, the field being changed."""
    day = detected_on.isoformat()
    problems = []
    if case.court_date and case.court_date < detected_on:
        problems.append(("detected_on", gettext(
            "%(day)s is after the court date (%(court)s): a case is heard in court after its "
            "goods are found", day=day, court=case.court_date.isoformat())))
    for item in case.seizures:
        if item.disposal_on and item.disposal_on < detected_on:
            problems.append(("detected_on", gettext(
                "%(day)s is after the disposal of %(brand)s (%(disposal)s): goods are "
                "disposed of after they are found", day=day, brand=item.brand,
                disposal=item.disposal_on.isoformat())))
    return problems


def flush_or_conflict(db: Session, case: Case) -> None:
    errors.flush_or_conflict(db, gettext(
        "Case %(case)s was changed by someone else at the same time. Nothing was saved: "
        "reload it and apply your changes again.", case=case.reference))


def timeline_of(db: Session, actor: Officer, case: Case) -> list[TimelineEntry]:
    return list(db.scalars(select(TimelineEntry).where(TimelineEntry.case_id == case.id)
                           .order_by(TimelineEntry.at.desc(), TimelineEntry.id.desc())))


# --- list, filters and search ---------------------------------------------------

SORTS = {"reference": Case.reference, "detected": Case.detected_on, "updated": Case.updated_at,
         "status": Case.status, "title": Case.title}


@dataclass
class CaseFilter:
    q: str = ""
    kind: str = ""
    status: str = ""
    right_type: str = ""
    brand: str = ""
    platform: str = ""
    date_from: str = ""
    date_to: str = ""
    officer_id: int | None = None
    agency_id: int | None = None
    country: str = ""
    sort: str = "-updated"
    page: int = 1
    per_page: int = 50
    errors: list[tuple[str, str]] = field(default_factory=list)

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> CaseFilter:
        def integer(name: str, maximum: int = ID_MAX) -> int | None:
            return whole_number(args.get(name), name, maximum=maximum,
                                clamp=name == "per_page")

        return cls(q=str(args.get("q", ""))[:200], kind=args.get("kind", ""),
                   status=args.get("status", ""), right_type=args.get("right_type", ""),
                   brand=str(args.get("brand", ""))[:200], platform=args.get("platform", ""),
                   date_from=args.get("from", ""), date_to=args.get("to", ""),
                   officer_id=integer("officer"), agency_id=integer("agency"),
                   country=str(args.get("country", "")).upper()[:2],
                   sort=args.get("sort", "-updated"),
                   page=integer("page", PAGE_MAX) or 1,
                   per_page=integer("per_page", 200) or 50)


def _enum_filter(f: CaseFilter, name: str, enum_cls) -> Any:
    value = getattr(f, name)
    if not value:
        return None
    try:
        return enum_cls(value)
    except ValueError:
        raise Invalid(name, gettext("'%(value)s' is not one of: %(choices)s", value=value,
                                    choices=", ".join(m.value for m in enum_cls))) from None


def _date_filter(name: str, value: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(name, gettext("must be a date as YYYY-MM-DD")) from None


def cases_query(db: Session, actor: Officer, f: CaseFilter) -> Select:
    """The actor's visible cases, filtered, searched and sorted (not yet paginated)."""
    query = select(Case).where(policy.visible_cases(actor))
    if (kind := _enum_filter(f, "kind", CaseKind)) is not None:
        query = query.where(Case.kind == kind)
    if (status := _enum_filter(f, "status", CaseStatus)) is not None:
        query = query.where(Case.status == status)
    if (right := _enum_filter(f, "right_type", RightType)) is not None:
        query = query.where(Case.right_types_mask.op("&")(right.bit) != 0)
    if (platform := _enum_filter(f, "platform", Platform)) is not None:
        query = query.where(Case.id.in_(select(Listing.case_id)
                                        .where(Listing.platform == platform)))
    if prefix := (brand_key(f.brand) if f.brand.strip() else ""):
        # A prefix as an index range on the matcher's folded key ("hermes" finds "Hermès",
        # "nike" finds "NlKE").
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        query = query.where(Case.id.in_(select(SeizureItem.case_id).where(
            SeizureItem.brand_key >= prefix, SeizureItem.brand_key < upper)))
    if (start := _date_filter("from", f.date_from)) is not None:
        query = query.where(Case.detected_on >= start)
    if (end := _date_filter("to", f.date_to)) is not None:
        query = query.where(Case.detected_on <= end)
    if f.officer_id:
        query = query.where(Case.id.in_(select(CaseAssignment.case_id)
                                        .where(CaseAssignment.officer_id == f.officer_id)))
    if f.agency_id:
        query = query.where(Case.agency_id == f.agency_id)
    if f.country:
        query = query.where(Case.country_code == f.country)
    if f.q.strip() and (match := search.matching(db, f.q)) is not None:
        query = query.where(match)
    column = SORTS.get(f.sort.lstrip("-"), Case.updated_at)
    order = column.desc() if f.sort.startswith("-") else column.asc()
    return query.order_by(order, Case.id.desc())


def with_items(query: Select) -> Select:
    return query.options(selectinload(Case.seizures), selectinload(Case.listings))
