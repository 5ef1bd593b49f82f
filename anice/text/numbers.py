"""Figures typed by people (quantities, values, prices), read the way the officer writes them.

Two conventions, a profile setting of each officer (``NumberFormat``):

    POINT  1,234,567.89  decimal point, thousands grouped by commas
    COMMA  1.234.567,89  decimal comma, thousands grouped by dots

The default follows the CLDR data of each member state's main language (Babel 2.18):
COMMA for ID (id), VN (vi), LA (lo), BN (ms_BN) and TL (pt_TL, which groups with a space);
POINT for KH (km), MY (ms), MM (my), PH (fil, en), SG (en) and TH (th).

How a text is read (``read_figure``):

1. Spaces around it are dropped. Inside it, a space, a no-break space (U+00A0), a narrow
   no-break space (U+202F) or a thin space (U+2009) is a group separator in both conventions.
   Decimal digits of any script (Thai, Lao, Khmer, Myanmar, full width) are digits. One sign
   (``+``, ``-`` or the minus sign U+2212) may lead.
2. Letters and currency symbols ("RM", "Rp", "$", "₫", "฿") are refused: a figure is written
   alone, its currency has a field of its own. So are exponents and every other character.
3. A *reading* of the text in a convention is valid when the text is: an optional sign, an
   integer part, then optionally the convention's decimal mark and one or more digits (the
   integer part may be empty: ".5"). The integer part is plain digits, or digits grouped by
   threes with ONE kind of group separator (the convention's group mark, or spaces), whose
   first group has 1 to 3 digits and does not start with 0.
4. The officer's own reading decides, except in two cases, both refused with a message that
   says how to write the figure:

   - *ambiguous*: the text holds the officer's decimal mark, and the other convention reads
     it too, as a different number. This happens exactly when the only separator is one
     decimal mark followed by exactly three digits after 1 to 3 digits not starting with 0:
     "1.200" for a POINT officer (1.2 or 1,200?), "1,200" for a COMMA officer (1,2 or
     1.200?). A grouping in the officer's own convention is trusted ("1.200" is 1200 for a
     COMMA officer, "1,200" is 1200 for a POINT officer): thousands are written every day,
     while exactly three decimals are rare in quantities and money and are the mark of a
     figure copied from the other convention.
   - *the other convention only*: "36.000,50" typed by a POINT officer is not a number in
     its own convention; the message shows the other reading instead of guessing.

   Valid in neither: "is not a number", with an example in the officer's convention.

The messages are in the reader's language (gettext); the examples and figures in them stay
in the officer's own convention, which does not depend on the language of the pages.

``format_figure`` writes a figure back in the officer's convention so that reading it again
gives the same number (a value that would read ambiguously gets a trailing zero: 1.2340).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask_babel import gettext


class NumberFormat(enum.StrEnum):
    POINT = "point"  # 1,234,567.89
    COMMA = "comma"  # 1.234.567,89

    @property
    def decimal_mark(self) -> str:
        return "." if self is NumberFormat.POINT else ","

    @property
    def group_mark(self) -> str:
        return "," if self is NumberFormat.POINT else "."

    @property
    def other(self) -> NumberFormat:
        return NumberFormat.COMMA if self is NumberFormat.POINT else NumberFormat.POINT

    @property
    def example(self) -> str:
        return "1,234,567.89" if self is NumberFormat.POINT else "1.234.567,89"

    @property
    def label(self) -> str:
        return (f"{self.example} (decimal {'point' if self is NumberFormat.POINT else 'comma'}"
                f", thousands with {'commas' if self is NumberFormat.POINT else 'dots'})")


_COMMA_COUNTRIES = frozenset({"ID", "VN", "LA", "BN", "TL"})


def default_format(country_code: str | None) -> NumberFormat:
    """The number format of an officer of ``country_code`` until they choose one."""
    return NumberFormat.COMMA if country_code in _COMMA_COUNTRIES else NumberFormat.POINT


class FigureError(ValueError):
    """A text that is not read as a figure; the message says why and what to write."""


_SPACES = " \u00a0\u202f\u2009"
_SIGNS = {"+": "", "-": "-", "\u2212": "-"}
_DIGITS = "0123456789"
_ALLOWED = frozenset(_DIGITS + "., ")
_LONGEST = 40


def _ascii(text: str) -> str:
    """Digits of any script as ASCII; spaces of every kind as one plain space."""
    out = []
    for ch in text:
        if ch in _SPACES:
            out.append(" ")
        elif ch.isdecimal():
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)


def _pattern(fmt: NumberFormat) -> re.Pattern[str]:
    dec, grp = re.escape(fmt.decimal_mark), re.escape(fmt.group_mark)
    grouped = rf"[1-9][0-9]{{0,2}}(?:{grp}[0-9]{{3}})+|[1-9][0-9]{{0,2}}(?: [0-9]{{3}})+"
    return re.compile(rf"(?P<int>{grouped}|[0-9]*)(?:{dec}(?P<frac>[0-9]+))?")


_PATTERNS = {fmt: _pattern(fmt) for fmt in NumberFormat}


def _reading(body: str, fmt: NumberFormat) -> Decimal | None:
    match = _PATTERNS[fmt].fullmatch(body)
    if match is None or not (match["int"] or match["frac"]):
        return None
    digits = re.sub(r"[^0-9]", "", match["int"]) or "0"
    try:
        return Decimal(f"{digits}.{match['frac']}" if match["frac"] else digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits digits only
        return None


@dataclass(frozen=True)
class _Split:
    sign: str
    body: str


def _split(text: str, fmt: NumberFormat) -> _Split:
    s = _ascii(text.strip())
    if len(s) > _LONGEST:
        raise FigureError(gettext("is too long for a figure (at most %(max)s characters)",
                                  max=_LONGEST))
    sign = ""
    if s[:1] in _SIGNS:
        sign, s = _SIGNS[s[0]], s[1:].lstrip()
    foreign = "".join(ch for ch in s if ch not in _ALLOWED).strip()
    if foreign:
        if any(unicodedata.category(ch) == "Sc" or ch.isalpha() for ch in foreign) and not (
                foreign in ("e", "E") and s[:1] in _DIGITS):
            raise FigureError(gettext('write only the figure, without "%(foreign)s" (the '
                                      "currency has a field of its own), e.g. %(example)s",
                                      foreign=foreign, example=fmt.example))
        raise FigureError(gettext('"%(text)s" is not a number: write it like %(example)s',
                                  text=text.strip(), example=fmt.example))
    return _Split(sign, s)


def read_figure(text: str, fmt: NumberFormat) -> Decimal:
    """The number ``text`` means for an officer writing in ``fmt`` (see the module doc);
    FigureError when it is not one, or when it could be read two ways."""
    if not text or not text.strip():
        raise FigureError(gettext("is empty"))
    split = _split(text, fmt)
    own, other = _reading(split.body, fmt), _reading(split.body, fmt.other)
    shown = text.strip()
    if own is None and other is None:
        raise FigureError(gettext('"%(text)s" is not a number: write it like %(example)s or '
                                  "%(plain)s", text=shown, example=fmt.example,
                                  plain=fmt.example.replace(fmt.group_mark, "")))
    if own is None:
        assert other is not None
        value = Decimal(split.sign + str(other))
        raise FigureError(gettext(
            '"%(text)s" is not written as you write numbers (%(example)s): if you mean '
            "%(value)s, write %(plain)s (or change your number format in My account)",
            text=shown, example=fmt.example,
            value=format_figure(value, fmt, places=_places(value)), plain=_plain(value, fmt)))
    value = Decimal(split.sign + str(own))
    if fmt.decimal_mark in split.body and other is not None and other != own:
        alt = Decimal(split.sign + str(other))
        raise FigureError(gettext(
            '"%(text)s" can be read two ways: %(one)s or %(other)s? Write %(one_plain)s or '
            "%(other_plain)s", text=shown, one=format_figure(value, fmt, unambiguous=False),
            other=format_figure(alt, fmt), one_plain=format_figure(value, fmt, group=False),
            other_plain=format_figure(alt, fmt, group=False)))
    return value


def _plain(value: Decimal, fmt: NumberFormat) -> str:
    """``value`` written without grouping, read back the same in ``fmt``."""
    return format_figure(value, fmt, group=False, places=_places(value))


def _places(value: Decimal) -> int | None:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else None


def format_figure(value: Decimal | int | None, fmt: NumberFormat, *, group: bool = True,
                  places: int | None = None, unambiguous: bool = True) -> str:
    """``value`` in the officer's convention (``places`` fixed decimals, else as few as the
    value needs), written so that ``read_figure`` gives it back unchanged (unless
    ``unambiguous`` is False: then 1.234 stays 1.234, for messages)."""
    if value is None:
        return ""
    number = Decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places))
    text = f"{abs(number):f}"
    whole, _, frac = text.partition(".")
    if places is None:
        frac = frac.rstrip("0")
    if group:
        whole = f"{int(whole):,}".replace(",", fmt.group_mark)
    body = f"{whole}{fmt.decimal_mark}{frac}"
    if unambiguous and frac and _reading(body, fmt.other) not in (None, _reading(body, fmt)):
        frac += "0"  # "1.234" would read two ways; "1.2340" does not
    sign = "-" if number < 0 else ""
    return f"{sign}{whole}{fmt.decimal_mark}{frac}" if frac else f"{sign}{whole}"
