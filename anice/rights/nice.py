"""The Nice classes a case's goods likely fall in, from a small table of data
(``anice/data/nice_classes.json``): a seizure's category, or the words of a listing's title
or an item's description. A hint that ranks candidates of those classes first, never a
filter."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from ..models import Category
from .matching.goods import WORD, fold

NICE_FILE = Path(__file__).resolve().parent.parent / "data" / "nice_classes.json"


@cache
def _table() -> tuple[dict[Category, list[int]], dict[str, list[int]]]:
    data = json.loads(NICE_FILE.read_text(encoding="utf-8"))
    categories = {Category(name): list(classes)
                  for name, classes in data["categories"].items()}
    words: dict[str, list[int]] = {}
    for number, names in data["words"].items():
        for name in names:
            words.setdefault(fold(name), []).append(int(number))
    return categories, words


def category_classes(category: Category | None) -> list[int]:
    """The classes goods of a seizure category usually fall in ([] for *other*)."""
    return list(_table()[0].get(category, [])) if category is not None else []


def word_classes(text: str | None) -> list[int]:
    """The classes the goods words of ``text`` point to ('running shoes' -> [25])."""
    table = _table()[1]
    found: dict[int, None] = {}
    for word in WORD.findall(text or ""):
        for number in table.get(fold(word), ()):
            found.setdefault(number, None)
    return sorted(found)


def likely_classes(category: Category | None = None, text: str | None = None) -> list[int]:
    """The category's classes; without a telling category, those of the text's words."""
    return category_classes(category) or word_classes(text)
