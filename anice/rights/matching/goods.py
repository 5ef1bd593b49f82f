"""Goods and services lists: split per class, cut into terms, and the term closest to what
was seen (a listing's title, a seized item's description).

Pure code on plain strings. A list is published per class ("25: shoes, boots; 18: bags",
or one ``ClassDescription`` per class in XML); a term is what the commas and semicolons
separate ("running shoes"). Words are compared folded (case, accents) and without a plural
ending, so "Running Shoes" meets "running shoe".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# A class heading at the start of the list, of a line or after a semicolon: "25:", "Class 25:".
CLASS_HEADING = re.compile(r"(?:^|[\n;])[ \t]*(?:class[ \t]*)?(\d{1,3})[ \t]*:", re.I)
WORD = re.compile(r"[^\W\d_]+|\d+")
# Words every goods list is full of: they say nothing about the goods.
STOPWORDS = frozenset(
    "a an and or the of for in on to with without from by as at being its their all other "
    "namely including included not made thereof therefor parts fittings goods products "
    "articles related sold use used".split())
# At most this much of one right's list is read for its best line (lists run to 1,000,000
# characters; the first classes hold the goods that matter).
READ = 200_000


@dataclass(frozen=True)
class GoodsPart:
    """The goods of one class as published; ``class_number`` None when none is named."""

    class_number: int | None
    text: str
    language: str | None = None


@dataclass
class GoodsMatch:
    """The term of a right's goods that shares the most words with what was seen."""

    class_number: int | None
    term: str
    words: list[str] = field(default_factory=list)  # the shared words, folded


def split_goods(text: str | None, classes: list[int] | tuple[int, ...] = (),
                language: str | None = None) -> list[GoodsPart]:
    """``25: shoes, boots; 18: bags`` -> one part per class. A heading counts when its
    number is one of the right's ``classes`` (any number 1-99 when none are known); text
    before the first heading is a part without class. A list without headings is one part,
    of the right's class when it has exactly one."""
    text = (text or "").strip()
    if not text:
        return []
    known = set(classes)
    headings = [m for m in CLASS_HEADING.finditer(text)
                if (int(m.group(1)) in known if known else 1 <= int(m.group(1)) <= 99)]
    if not headings:
        only = next(iter(known)) if len(known) == 1 else None
        return [GoodsPart(only, text, language)]
    parts = []
    head = _clean(text[:headings[0].start()])
    if head:
        parts.append(GoodsPart(None, head, language))
    for n, heading in enumerate(headings):
        end = headings[n + 1].start() if n + 1 < len(headings) else len(text)
        body = _clean(text[heading.end():end])
        if body:
            parts.append(GoodsPart(int(heading.group(1)), body, language))
    return parts


def _clean(text: str) -> str:
    return text.strip().strip(";").strip()


def terms(text: str) -> list[str]:
    """The terms of a class's goods: what commas and semicolons separate (not inside
    brackets: "clothing (except gloves, hats)" is one term)."""
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in ",;\n" and depth == 0:
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [t.strip(" .\t") for t in out if t.strip(" .\t")]


def fold(word: str) -> str:
    """A word without case, accents or plural ending: 'Shoes' -> 'shoe'."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> set[str]:
    """The folded words of a text that can say what the goods are."""
    found = set()
    for w in WORD.findall(text):
        folded = fold(w)
        if len(folded) > 1 and folded not in STOPWORDS:
            found.add(folded)
    return found


def best_line(parts: list[GoodsPart], seen: str,
              prefer: frozenset[int] | set[int] = frozenset()) -> GoodsMatch | None:
    """The term of ``parts`` sharing the most words with ``seen``; among equals one of a
    ``prefer``-red class, then the shorter (more specific) term. None when no word is
    shared."""
    wanted = words(seen)
    if not wanted:
        return None
    best, best_key = None, None
    for part in parts:
        text = part.text[:READ]
        lowered = unicodedata.normalize("NFKD", text.casefold())
        if not any(w[:4] in lowered for w in wanted):  # cheap test before cutting terms
            continue
        for term in terms(text):
            shared = wanted & words(term)
            if not shared:
                continue
            key = (len(shared), part.class_number in prefer, -len(term))
            if best_key is None or key > best_key:
                best_key = key
                best = GoodsMatch(part.class_number, term[:1000], sorted(shared))
    return best


def highlight(term: str, shared: list[str] | None) -> list[tuple[str, bool]]:
    """``term`` cut into (piece, is a shared word) for showing the shared words marked."""
    marked = set(shared or ())
    pieces: list[tuple[str, bool]] = []
    for piece in re.split(r"([^\W_]+)", term):
        if piece:
            pieces.append((piece, fold(piece) in marked))
    return pieces
