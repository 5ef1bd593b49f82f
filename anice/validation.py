"""Parsing of user input (form fields, JSON bodies, CSV cells) into typed values.

Every problem names its field; all problems of one input are reported together.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pycountry
from flask_babel import gettext

from .errors import Invalid
from .text.numbers import FigureError, NumberFormat, format_figure, read_figure
from .text.times import TimeError, from_wall_clock

E = TypeVar("E", bound=enum.Enum)
MISSING = object()
# Every integer taken from a request is bounded before it reaches SQL: ids fit the
# PostgreSQL ``integer`` primary keys (SQLite would take 2**63 - 1, PostgreSQL does not).
ID_MAX = 2**31 - 1
PAGE_MAX = 100_000
_DIGITS_MAX = 12


def whole_number(raw: Any, field: str, *, default: int | None = None, minimum: int = 1,
                 maximum: int = ID_MAX, clamp: bool = False) -> int | None:
    """A request's integer (query argument, form or JSON value) between ``minimum`` and
    ``maximum``; blank gives ``default``. Only ASCII digits (no signs, exponents, unicode
    digits); too large is refused, or capped at ``maximum`` with ``clamp`` (page sizes)."""
    if _blank(raw):
        return default
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise Invalid(field, _whole(minimum, maximum))
    text = str(raw).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > _DIGITS_MAX:
        if clamp and text.isascii() and text.isdigit():
            return maximum
        raise Invalid(field, _whole(minimum, maximum))
    value = int(text)
    if value > maximum and clamp:
        return maximum
    if not minimum <= value <= maximum:
        raise Invalid(field, _whole(minimum, maximum))
    return value


def _whole(minimum: int, maximum: int) -> str:
    return gettext("must be a whole number from %(minimum)s to %(maximum)s",
                   minimum=minimum, maximum=maximum)


def _not_one_of(value: Any, enum_cls: type[enum.Enum]) -> str:
    # The allowed values are the machine's words (API, CSV); forms offer them as choices.
    return gettext("%(value)s is not one of: %(allowed)s", value=repr(str(value)[:40]),
                   allowed=", ".join(str(m.value) for m in enum_cls))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


@dataclass(frozen=True)
class Reading:
    """How the text of an input is written. ``figures``: the number format of the officer
    who typed it (anice.text.numbers), or None for a machine's input (JSON numbers, or
    strings such as 1234.5 without separators). ``zone``: the time zone of a date-time
    given without an offset (the officer's zone for forms; UTC for the API)."""

    figures: NumberFormat | None = None
    zone: str = "UTC"

    @classmethod
    def typed_by(cls, officer: Any) -> Reading:
        """Input an officer typed: their number format and time zone."""
        return cls(officer.number_style, officer.timezone or "UTC")


MACHINE = Reading()
_MACHINE_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class Fields:
    """Reads fields from a mapping, collecting every error; ``done()`` raises them."""

    def __init__(self, data: Mapping[str, Any], prefix: str = "",
                 reading: Reading = MACHINE) -> None:
        self.data = data
        self.prefix = prefix
        self.reading = reading
        self.errors: list[tuple[str, str]] = []

    def present(self, name: str) -> bool:
        return name in self.data

    def error(self, name: str, message: str) -> None:
        self.errors.append((self.prefix + name, message))

    def raw(self, name: str, required: bool) -> Any:
        value = self.data.get(name)
        if _blank(value):
            if required:
                self.error(name, gettext("is required"))
            return MISSING
        return value

    def text(self, name: str, *, required: bool = False, max_len: int = 200) -> str | None:
        value = self.raw(name, required)
        if value is MISSING:
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.error(name, gettext("must be text"))
            return None
        value = str(value).strip()
        if len(value) > max_len:
            self.error(name, gettext("must be at most %(max)s characters (got %(length)s)",
                                    max=max_len, length=len(value)))
            return None
        if any(ord(c) < 32 and c not in "\n\r\t" for c in value):
            self.error(name, gettext("contains control characters"))
            return None
        if any("\ud800" <= c <= "\udfff" for c in value):  # unencodable: a 500 in SQL
            self.error(name, gettext("contains characters that are not valid Unicode"))
            return None
        return value

    def choice(self, name: str, enum_cls: type[E], *, required: bool = False) -> E | None:
        value = self.raw(name, required)
        if value is MISSING:
            return None
        try:
            return enum_cls(str(value).strip().lower())
        except ValueError:
            self.error(name, _not_one_of(value, enum_cls))
            return None

    def choices(self, name: str, enum_cls: type[E], *, required: bool = False) -> list[E]:
        value = self.raw(name, required)
        if value is MISSING:
            return []
        items = (value if isinstance(value, list | tuple)
                 else str(value).replace(";", ",").split(","))
        result: list[E] = []
        for item in items:
            if _blank(item):
                continue
            try:
                member = enum_cls(str(item).strip().lower())
            except ValueError:
                self.error(name, _not_one_of(item, enum_cls))
                return []
            if member not in result:
                result.append(member)
        if required and not result:
            self.error(name, gettext("choose at least one"))
        return result

    def day(self, name: str, *, required: bool = False, not_future: bool = True,
            not_before: date | None = None) -> date | None:
        value = self.raw(name, required)
        if value is MISSING:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            parsed = value
        else:
            try:
                parsed = date.fromisoformat(str(value).strip())
            except ValueError:
                self.error(name, gettext("must be a date as YYYY-MM-DD"))
                return None
        if not_future and parsed > datetime.now(UTC).date():
            self.error(name, gettext("cannot be in the future"))
            return None
        if parsed.year < 1990:
            self.error(name, gettext("is too far in the past"))
            return None
        if not_before and parsed < not_before:
            self.error(name, gettext("cannot be before %(date)s", date=not_before.isoformat()))
            return None
        return parsed

    def moment(self, name: str, *, required: bool = False) -> datetime | None:
        """A past date-time, as UTC. Without an offset it is a wall-clock time in the
        reading's zone (the officer's for forms, UTC for the API)."""
        value = self.raw(name, required)
        if value is MISSING:
            return None
        try:
            parsed = value if isinstance(value, datetime) else datetime.fromisoformat(
                str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            self.error(name, gettext("must be a date and time as YYYY-MM-DDTHH:MM"))
            return None
        if parsed.tzinfo is None:
            try:
                parsed = from_wall_clock(parsed, self.reading.zone)
            except TimeError as exc:
                self.error(name, str(exc))
                return None
        if parsed > datetime.now(UTC):
            self.error(name, gettext("cannot be in the future"))
            return None
        return parsed.astimezone(UTC)

    def number(self, name: str, *, required: bool = False, minimum: Decimal = Decimal(0),
               maximum: Decimal = Decimal("1e15"), positive: bool = False,
               places: int = 2) -> Decimal | None:
        """A figure: typed text in the reading's number format, or a machine's number."""
        value = self.raw(name, required)
        if value is MISSING:
            return None
        parsed = self._figure(name, value)
        if parsed is None:
            return None
        exponent = parsed.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < -places:
            self.error(name, gettext("has more than %(places)s decimal places", places=places))
            return None
        if parsed < minimum or (positive and parsed <= 0):
            if positive:
                self.error(name, gettext("must be greater than zero"))
            elif minimum == 0:
                self.error(name, gettext("cannot be negative"))
            else:
                self.error(name, gettext("must be at least %(minimum)s", minimum=minimum))
            return None
        if parsed > maximum:
            self.error(name, gettext("must be at most %(maximum)s", maximum=self._shown(maximum)))
            return None
        return parsed

    def _shown(self, figure: Decimal) -> str:
        """A bound in a message, written as the reader writes figures."""
        return format_figure(figure, self.reading.figures or NumberFormat.POINT)

    def _figure(self, name: str, value: Any) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
            self.error(name, gettext("must be a number"))
            return None
        if isinstance(value, str) and self.reading.figures is not None:
            try:
                return read_figure(value, self.reading.figures)
            except FigureError as exc:
                self.error(name, str(exc))
                return None
        if isinstance(value, str) and not _MACHINE_NUMBER.fullmatch(value.strip()):
            self.error(name, gettext("must be a number such as 1234.5 (a JSON number, or a "
                                     "string with a decimal point and no thousands "
                                     "separators)"))
            return None
        parsed = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        if not parsed.is_finite():
            self.error(name, gettext("must be a number"))
            return None
        return parsed

    def url(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_len=2000)
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            self.error(name, gettext("must be an http(s) address such as "
                                     "https://shop.example/item/1"))
            return None
        return value

    def identifier(self, name: str, *, required: bool = False) -> int | None:
        """The id of a record (1 .. ID_MAX)."""
        value = self.raw(name, required)
        if value is MISSING:
            return None
        try:
            return whole_number(value, name)
        except Invalid as exc:
            self.error(name, exc.errors[0][1])
            return None

    def integer_list(self, name: str) -> list[int]:
        """Record ids, as a list or comma separated (each 1 .. ID_MAX)."""
        value = self.raw(name, False)
        if value is MISSING:
            return []
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        try:
            return [int(whole_number(v, name) or 0) for v in items if not _blank(v)]
        except Invalid:
            self.error(name, gettext("must be a list of numbers from 1 to %(maximum)s",
                                     maximum=ID_MAX))
            return []

    def country(self, name: str, *, required: bool = False) -> str | None:
        """An ISO 3166 alpha-2 code (any country: suspects come from everywhere)."""
        value = self.text(name, required=required, max_len=2)
        if value is None:
            return None
        if pycountry.countries.get(alpha_2=value.upper()) is None:
            self.error(name, gettext("%(value)s is not an ISO 3166 country code such as MY",
                                     value=repr(value)))
            return None
        return value.upper()

    def currency(self, name: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required, max_len=3)
        if value is None:
            return None
        if pycountry.currencies.get(alpha_3=value.upper()) is None:
            self.error(name, gettext("%(value)s is not an ISO 4217 currency code such as MYR",
                                     value=repr(value)))
            return None
        return value.upper()

    def done(self) -> None:
        if self.errors:
            raise Invalid.many(self.errors)
