"""Account, reference data and the problem document."""

from __future__ import annotations

from typing import Any, Literal

from ...models import AgencyKind, Role
from ...text.locales import LANGUAGES
from ...text.numbers import NumberFormat
from .base import Country2, In, Moment, Out, Text

# The languages of the pages (anice/text/locales.py): English and the nine of the member states.
Language = Literal[tuple(LANGUAGES)]


class Problem(Out):
    """An RFC 9457 problem document (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    errors: list[dict[str, Any]] | None = None
    # 409 of an evidence upload: the public id of the item with the same content.
    existing: str | None = None


class Country(Out):
    code: Country2
    name: str
    currency: str
    timezone: str
    active: bool


class Agency(Out):
    id: int
    country: Country2
    code: str
    name: str
    kind: AgencyKind
    active: bool


class AgencyRef(Out):
    id: int
    code: str
    name: str


class Token(Out):
    name: str
    scope: str
    expires_at: Moment


class HolderRef(Out):
    id: int
    name: str


class Me(Out):
    id: int
    email: str
    name: str
    role: Role
    agency: AgencyRef | None  # None for a right holder's account
    holder: HolderRef | None = None  # the holder organisation of a holder's account
    country: Country2
    timezone: str
    # How the officer's forms read and show figures: point 1,234.5 / comma 1.234,5.
    number_format: NumberFormat
    # The language the officer chose for the pages; null: their country's (docs/i18n.md).
    language: Language | None = None
    token: Token | None = None


class MeInput(In):
    timezone: Text = None  # an IANA name such as Asia/Bangkok
    number_format: NumberFormat = None
    # A language code; null: go back to the country's language. Absent: unchanged.
    language: Language | None = None
