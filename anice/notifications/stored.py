"""Sentences stored in English only, read in each reader's language: the case timeline's
rows written before migration ``f3a5c7e9b1d2`` and notifications written before
``a4c6e8f0b2d3``. What is written now keeps its message and values
(``anice.text.messages``); this module reads the older rows.

A producer registers the English messages it wrote under a key (a notification's kind, a
timeline entry's kind) where it defines them, ``MSG = register(kind, N_("..."), words=...)``
(and writes ``messages.message(MSG, ...)`` today). ``shown(key, text)`` finds which registered
message the stored text was made from, reads the values back out of it and translates the
message with them; values that are words of ANICE (``words=``: kinds of identifier,
statuses, units, comma-separated) are translated too. A text that matches no registered
message is looked up whole in the catalog, else shown as stored (an officer's note, a row of
an older wording).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext

from ..text.labels import lower_first

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


@dataclass(frozen=True)
class _Message:
    msgid: str
    words: tuple[str, ...] = ()
    pattern: re.Pattern = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        parts, last, seen = [], 0, set()
        for m in _PLACEHOLDER.finditer(self.msgid):
            parts.append(re.escape(self.msgid[last:m.start()]))
            name = m.group(1)
            if name is None:
                parts.append("%")
            elif name in seen:
                parts.append(f"(?P={name})")
            else:
                seen.add(name)
                parts.append(f"(?P<{name}>.+?)")
            last = m.end()
        parts.append(re.escape(self.msgid[last:]))
        object.__setattr__(self, "pattern", re.compile("".join(parts), re.DOTALL))


_REGISTRY: dict[str, list[_Message]] = {}


def register(key: str, msgid: str, words: tuple[str, ...] = ()) -> str:
    """Remember that texts stored under ``key`` may be made from ``msgid`` (marked with
    ``N_`` by the caller); returns ``msgid``."""
    known = _REGISTRY.setdefault(key, [])
    if all(m.msgid != msgid for m in known):
        known.append(_Message(msgid, tuple(words)))
        # The most literal text first: "Moved from %(a)s to %(b)s (reopened: %(r)s)" before
        # "Moved from %(a)s to %(b)s", which would also match it.
        known.sort(key=lambda m: -len(_PLACEHOLDER.sub("", m.msgid)))
    return msgid


_LIST = re.compile(r", | and ")


def _one_word(part: str) -> str:
    translated = gettext(part)
    if translated == part and part[:1].islower():  # "pieces" shown from "Pieces"
        capital = part[:1].upper() + part[1:]
        found = gettext(capital)
        if found != capital:
            return lower_first(found)
    return translated


def _word(value: str) -> str:
    """Words of ANICE in a stored list ("phone number, e-mail address"), each translated."""
    return ", ".join(_one_word(part) for part in _LIST.split(value))


def shown(key: str, text: str | None) -> str:
    """``text`` stored under ``key``, in the reader's language."""
    if not text:
        return text or ""
    for message in _REGISTRY.get(key, ()):
        m = message.pattern.fullmatch(text)
        if m:
            values = {name: _word(value) if name in message.words else value
                      for name, value in m.groupdict().items()}
            return gettext(message.msgid, **values)
    return gettext(text)
