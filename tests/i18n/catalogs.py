"""The catalogs as the tests read them: the template (.pot), each language's .po, the
glossaries, and the pseudo-locale made from the template."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from anice.text import locales

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "anice" / "translations"
POT = TRANSLATIONS / "messages.pot"
GLOSSARY = ROOT / "docs" / "glossary"
LANGUAGES = tuple(code for code in locales.LANGUAGES if code != locales.DEFAULT)

# The pseudo-locale: a real CLDR locale that ANICE does not offer (so Babel can format
# dates and numbers for it), whose every message is the English one between markers.
PSEUDO = "eo"
OPEN = "[Ȧççéñţéð "
CLOSE = "]"
# The same options as `make i18n-extract` (Makefile).
EXTRACT = ["-q", "extract", "-F", "babel.cfg", "-k", "_l", "-k", "N_", "--no-location",
           "--sort-output"]
PLACEHOLDERS = re.compile(r"%\(\w+\)s|</?strong>|<a [^>]*>|</a>")


def read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh)


def template() -> Catalog:
    return read(POT)


def catalog(code: str) -> Catalog:
    return read(TRANSLATIONS / code / "LC_MESSAGES" / "messages.po")


def extracted(out: Path) -> Catalog:
    """What the sources mark today, extracted like `make i18n-extract` does."""
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *EXTRACT, "-o", str(out),
                    "."], cwd=ROOT, check=True)
    return read(out)


def write_mo_file(cat: Catalog, folder: Path, code: str) -> None:
    target = folder / code / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / "messages.mo").open("wb") as fh:
        write_mo(fh, cat)


def pseudo_catalog() -> Catalog:
    """Every message of the template as "[Ȧççéñţéð <English>]"."""
    cat = Catalog(locale=PSEUDO)
    for message in template():
        if isinstance(message.id, tuple):  # ngettext: each form between the markers
            cat.add(message.id, tuple(OPEN + form + CLOSE for form in message.id))
        elif message.id:
            cat.add(message.id, OPEN + message.id + CLOSE)
    return cat


def forms(message) -> list[tuple[str, str]]:
    """(English, translation) per form of a message: one pair for a plain message; for a
    plural one each translated form against the English it stands for (the singular for
    the first form of a language with two or more, else the plural)."""
    if not isinstance(message.id, tuple):
        return [(message.id, message.string or "")]
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    singular, plural = message.id
    if len(strings) == 1:
        return [(plural, strings[0] or "")]
    return [(singular if i == 0 else plural, s or "") for i, s in enumerate(strings)]


def build(folder: Path) -> Path:
    """The catalogs of today's .po files and the pseudo-locale, compiled into ``folder``
    (so the tests never read a stale .mo of an earlier `make install`)."""
    for code in LANGUAGES:
        write_mo_file(catalog(code), folder, code)
    write_mo_file(pseudo_catalog(), folder, PSEUDO)
    return folder


def glossary(code: str) -> dict[str, str]:
    """English term -> what a translation holding it must contain (docs/glossary/<code>.md)."""
    terms = {}
    for line in (GLOSSARY / f"{code}.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("English", "") and not cells[0].startswith("-"):
            terms[cells[0]] = cells[2]
    return terms
