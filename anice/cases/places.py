"""Provinces and other first-level divisions per member state (anice/data/places.json)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from .search import fold

PLACES_FILE = Path(__file__).resolve().parent.parent / "data" / "places.json"


@cache
def _places() -> dict[str, tuple[str, ...]]:
    data = json.loads(PLACES_FILE.read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in data.items() if not k.startswith("_")}


def provinces(country_code: str) -> tuple[str, ...]:
    return _places().get(country_code, ())


def _key(name: str) -> str:
    return "".join(ch for ch in fold(name) if ch.isalnum())


def canonical_province(country_code: str, name: str) -> str | None:
    """The listed spelling of ``name`` ignoring case, accents and spacing ("Ha Noi" is
    Hanoi), or None when it is not listed."""
    wanted = _key(name)
    return next((p for p in provinces(country_code) if _key(p) == wanted), None)
