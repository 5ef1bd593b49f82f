"""The state of the language catalogs for their reviewers (docs/i18n.md): per language, the
messages still untranslated or marked fuzzy (changed since translated), read from the
committed catalogs (``anice/translations/<code>/LC_MESSAGES/messages.po``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po
from flask_babel import gettext

from .. import policy
from ..errors import NotFound
from ..models import Officer
from ..text import locales

CATALOGS = Path(__file__).resolve().parents[1] / "translations"


@dataclass(frozen=True)
class Entry:
    """One message to review: its English text, the catalog's current text, its flags."""

    msgid: str
    plural: str | None
    text: str  # the translation as it stands ("" when untranslated; plural forms joined)
    fuzzy: bool
    flags: tuple[str, ...]


@dataclass(frozen=True)
class CatalogStatus:
    code: str
    name: str
    total: int
    untranslated: int
    fuzzy: int
    entries: tuple[Entry, ...]  # the untranslated and fuzzy ones, in catalog order
    reviewed: str  # the header's Status line ("draft, not yet reviewed", ...)

    @property
    def translated(self) -> int:
        return self.total - self.untranslated - self.fuzzy


def _forms(value) -> tuple[str, ...]:
    if isinstance(value, tuple | list):
        return tuple(v or "" for v in value)
    return (value or "",)


def read_catalog(code: str, folder: Path | None = None) -> CatalogStatus:
    """The untranslated and fuzzy messages of one catalog and the counts."""
    path = (folder or CATALOGS) / code / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=None)
    entries, total, untranslated, fuzzy = [], 0, 0, 0
    for message in catalog:
        if not message.id:
            continue  # the header
        total += 1
        ids, forms = _forms(message.id), _forms(message.string)
        empty = not all(forms)
        if not empty and not message.fuzzy:
            continue
        untranslated += empty
        fuzzy += (not empty) and message.fuzzy
        entries.append(Entry(msgid=ids[0], plural=ids[1] if len(ids) > 1 else None,
                             text=" | ".join(f for f in forms if f), fuzzy=message.fuzzy,
                             flags=tuple(sorted(message.flags))))
    status = next((line.split(":", 1)[1].strip() for line in
                   (catalog.header_comment or "").splitlines()
                   if line.lstrip("# ").lower().startswith("status:")), "")
    return CatalogStatus(code=code, name=locales.LANGUAGES.get(code, code), total=total,
                         untranslated=untranslated, fuzzy=fuzzy, entries=tuple(entries),
                         reviewed=status)


def catalog_status(actor: Officer, folder: Path | None = None) -> list[CatalogStatus]:
    """Every catalog the actor reviews (policy.translation_languages), else NotFound."""
    codes = policy.translation_languages(actor)
    if not codes:
        raise NotFound(gettext("No such page."))
    return [read_catalog(code, folder) for code in codes]
