"""Text kept for people to read later (a referral's event line, a notice): the English
message (marked with ``N_`` where it is written) and its values are stored, and each reader
reads it in their own language.

``message(N_("Routed to %(agency)s"), agency=name)`` is such a text; a value may itself be
one (``action=message(action.label)``), translated with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from flask import current_app, has_app_context
from flask_babel import gettext

from .locales import officer_language


def message(msgid: str, **args: Any) -> dict:
    """A text to translate when read: its English message and values (JSON-safe)."""
    return {"msgid": msgid, "args": args}


def _is_message(value: Any) -> bool:
    return isinstance(value, dict) and "msgid" in value


def english(text: dict) -> str:
    """The text in English (what is stored for machines: the audit, the API)."""
    args = {k: english(v) if _is_message(v) else v for k, v in text.get("args", {}).items()}
    return text["msgid"] % args if args else text["msgid"]


def translate(text: dict) -> str:
    """The text in the language in force (the reader's, or ``force_locale``)."""
    args = {k: translate(v) if _is_message(v) else v for k, v in text.get("args", {}).items()}
    return gettext(text["msgid"], **args)


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
