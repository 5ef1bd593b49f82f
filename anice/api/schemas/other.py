"""The rights registry, matching, and correlation (links and lookups)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...models import Platform, RightKind, RightStatus
from ...models.correlation import IdentifierKind
from .base import Country2, Day, In, Moment, Out, Text

Strength = Literal["strong", "medium", "weak"]


class RightSummary(Out):
    id: int
    office: str  # a member state, or WO: an international registration (Madrid)
    number: str
    # WO: the designated member states; [] for a national right.
    designations: list[Country2]
    # Where the right may be enforced: [office], or the designations of a WO right.
    enforceable_in: list[Country2]
    type: RightKind
    status: RightStatus
    mark_text: str | None
    classes: list[int]
    owner: str | None
    expiry_date: Day | None


class Contact(Out):
    name: str | None
    email: str | None
    phone: str | None


class RightName(Out):
    text: str
    script: str | None


class CountryContact(Out):
    country: Country2
    name: str | None
    email: str | None
    phone: str | None


class ImportRef(Out):
    """An imported registry file: one run of the importer."""

    id: int
    filename: str
    sha256: str | None  # of the whole file as received
    format: str  # csv, st66, st86, st96
    finished_at: Moment | None
    by: str  # the officer's name, or the operator at the server


class Provenance(Out):
    created: ImportRef | None  # the import that created the right (null: entered otherwise)
    last: ImportRef | None  # the last import that changed it


class RightChangeOut(Out):
    id: int
    at: Moment
    kind: Literal["created", "updated", "withdrawn", "expired", "transferred", "restored"]
    source: Literal["import", "edit"]
    by: str
    registry_import: ImportRef | None
    # {field: [old, new]}; a long text as {"length", "sha256"}; null for "created".
    changes: dict[str, list[Any]] | None


class RightHistoryPage(Out):
    items: list[RightChangeOut]
    page: int
    per_page: int
    total: int


class RightImageOut(Out):
    """A mark image (figurative or combined mark), served as PNG with the same token."""

    url: str
    thumbnail_url: str
    vienna_codes: list[str]
    width: int
    height: int
    sha256: str  # of the file as the office published it
    media_type: str  # of the file as published (the served image is always PNG)


class GoodsOfClass(Out):
    """The goods of one class, as published (``class`` null when the list names none)."""

    class_number: int | None = Field(alias="class")
    text: str
    language: str | None


class GoodsMatch(Out):
    """The right's goods line closest to the text seen: its class, the term (what commas
    and semicolons separate), and the words they share (folded: lower case, singular)."""

    class_number: int | None = Field(alias="class")
    term: str
    words: list[str]


class RightOut(RightSummary):
    status_raw: str | None  # the status as the office published it (XML import)
    # The classification edition as published (Nice "12-2024", Locarno "14").
    class_edition: str | None
    goods_by_class: list[GoodsOfClass]
    filing_date: Day | None
    registration_date: Day | None
    representative: str | None
    contact: Contact
    goods: str | None
    identification_notes: str | None
    gi_product: str | None
    gi_area: str | None
    names: list[RightName]
    contacts: list[CountryContact]
    images: list[RightImageOut]
    updated_at: Moment
    provenance: Provenance


class RightPage(Out):
    items: list[RightSummary]
    page: int
    per_page: int
    total: int


class RightMatch(Out):
    office: str
    number: str
    designations: list[Country2]  # office WO: the designated member states
    mark_text: str | None
    score: float
    reasons: list[str]
    right_id: int
    # The best candidates' (the first 10) goods line sharing words with the query.
    goods_match: GoodsMatch | None


class ContactInput(In):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class NameInput(In):
    text: str
    script: str | None = None


class CountryContactInput(In):
    country: Country2
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class RightEdit(In):
    """Send ``updated_at`` as read and only the members to change (409 if it changed)."""

    updated_at: Moment
    office: Country2 = None
    number: str = None
    type: RightKind = None
    status: RightStatus = None
    mark_text: str | None = None
    classes: list[int] | str = None
    class_edition: str | None = None
    owner: str | None = None
    representative: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    contact: ContactInput = None
    filing_date: Day | None = None
    registration_date: Day | None = None
    expiry_date: Day | None = None
    goods: str | None = None
    identification_notes: str | None = None
    gi_product: str | None = None
    gi_area: str | None = None
    names: list[str | NameInput] = None
    contacts: list[CountryContactInput] = None


# --- correlation ---------------------------------------------------------------------

class SharedValue(Out):
    kind: IdentifierKind
    value: str | None  # null for person identifiers (kept hashed)


class LinkedAgency(Out):
    id: int
    code: str


class LinkedCase(Out):
    id: int
    reference: str
    title: str
    status: str
    agency: LinkedAgency
    country: Country2


class Link(Out):
    case: LinkedCase
    shared: list[SharedValue]
    strength: Strength
    score: float


class HitAgency(Out):
    id: int
    code: str
    name: str


class HitCountry(Out):
    code: str
    name: str


class Hit(Out):
    """A case outside the officer's reach: never its reference, content or values."""

    agency: HitAgency
    country: HitCountry
    kinds: list[IdentifierKind]
    strength: Strength


class Links(Out):
    cases: list[Link]
    hits: list[Hit]
    common: list[SharedValue]
    silenced: list[SharedValue]
    hits_withheld: bool


class LookupResult(Out):
    cases: list[Link]
    hits: list[Hit]
    common: bool
    silenced: bool
    hits_withheld: bool
    kind: IdentifierKind
    value: str | None


class LookupInput(In):
    kind: IdentifierKind
    value: Text
    platform: Platform = None  # required for seller_id
    country: Country2 = None  # rules for phones, plates, company numbers
