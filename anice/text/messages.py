"""Text kept for people to read later (a case's timeline entry, a referral's event line, a
notice): the English message (marked with ``N_`` where it is written) and its values are
stored as JSON, and each reader reads it in their own language.

``message(N_("Routed to %(agency)s"), agency=name)`` is such a text; a value may itself be
one (``action=message(action.label)``), a word of ANICE in running text (``unit=word(unit)``:
"pieces", translated and lower-cased at its first letter) or a list of field names
(``fields=fields(["title", "tags"])``: "title and tags") or a number
(``size=number(1234)``: "1,234", "1.234"), translated with it.

Rows written as plain English sentences before their table had a column for this are read
by ``anice.notifications.stored`` (which parses the sentence back).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale, format_decimal

from ..extensions import gettext
from .labels import field_list, lower_first
from .labels import word as english_word
from .locales import DEFAULT, officer_language


def message(msgid: str, **args: Any) -> dict:
    """A text to translate when read: its English message and values (JSON-safe)."""
    return {"msgid": msgid, "args": args}


def word(value: Any) -> dict:
    """A value of ANICE (an enum member, a unit) in words for the middle of a sentence:
    "pieces", "under investigation"."""
    return {"msgid": english_word(value), "word": True}


def words(values: Iterable[Any]) -> dict:
    """Values of ANICE in running text, comma-separated ("phone number, e-mail address")."""
    return {"words": [english_word(v) for v in dict.fromkeys(values)]}


def fields(names: Iterable[str]) -> dict:
    """Field names in running text ("title, tags and detection date"), each once."""
    return {"fields": list(dict.fromkeys(names))}


def number(value: int | float) -> dict:
    """A number written in the reader's way ("1,234,567", "1.234.567")."""
    return {"number": value}


def _is_message(value: Any) -> bool:
    return isinstance(value, dict) and bool(value.keys() & {"msgid", "fields", "number",
                                                            "words"})


def translate(text: dict) -> str:
    """The text in the language in force (the reader's, or ``force_locale``)."""
    if "number" in text:
        return format_decimal(text["number"])
    if "words" in text:
        return ", ".join(lower_first(gettext(w)) for w in text["words"])
    if "fields" in text:
        return field_list(text["fields"])
    if text.get("word"):
        return lower_first(gettext(text["msgid"])) if text["msgid"] else ""
    args = {k: translate(v) if _is_message(v) else v for k, v in text.get("args", {}).items()}
    return gettext(text["msgid"], **args) if args else gettext(text["msgid"])


def english(text: dict) -> str:
    """The text in English (what is stored for machines: the audit, the API)."""
    with force_locale(DEFAULT):
        return translate(text)


def by_language(people: Iterable[Any]) -> Iterator[tuple[str, list]]:
    """The people grouped by the language each reads (each person once, in order)."""
    # A test's pseudo-locale counts as a language (as in anice/web.py:select_locale).
    pseudo = current_app.config.get("PSEUDO_LOCALE") if has_app_context() else None
    extra = (pseudo,) if pseudo else ()
    groups: dict[str, list] = {}
    seen: set[int] = set()
    for person in people:
        if person is None or person.id in seen:
            continue
        seen.add(person.id)
        groups.setdefault(officer_language(person, extra), []).append(person)
    yield from groups.items()
