"""Reference data for Cases: anice/data/places.json and anice/data/usd_rates.csv."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "anice" / "data"

EXPECTED_COUNTS = {
    "BN": 4,    # districts
    "KH": 25,   # 24 provinces + Phnom Penh
    "ID": 38,   # provinces, including the 2022 Papua splits
    "LA": 18,   # 17 provinces + Vientiane Capital
    "MY": 16,   # 13 states + 3 federal territories
    "MM": 15,   # 7 regions + 7 states + Naypyidaw Union Territory
    "PH": 18,   # 17 regions + Negros Island Region (RA 12000, 2024)
    "SG": 5,    # CDC districts
    "TH": 77,   # 76 provinces + Bangkok
    "VN": 34,   # provincial-level units since 1 July 2025
    "TL": 14,   # 12 municipalities + Oecusse (RAEOA) + Atauro
}
CURRENCIES = {"BND", "KHR", "IDR", "LAK", "MYR", "MMK", "PHP", "SGD", "THB", "VND", "USD"}


def _months(first=(2024, 1), last=(2026, 11)):
    y, m = first
    out = []
    while (y, m) <= last:
        out.append(f"{y:04d}-{m:02d}-01")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _places():
    with open(DATA / "places.json", encoding="utf-8") as f:
        return json.load(f)


def _rates():
    with open(DATA / "usd_rates.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ["currency", "on", "usd_per_unit"]
        return list(reader)


def test_places_countries_and_counts():
    places = _places()
    countries = {k for k in places if not k.startswith("_")}
    assert countries == set(EXPECTED_COUNTS)
    for code, expected in EXPECTED_COUNTS.items():
        names = places[code]
        assert len(names) == expected, (code, len(names))
        assert len(set(names)) == len(names), code
        assert names == sorted(names), code
        assert all(isinstance(n, str) and n.strip() == n and n for n in names), code


def test_rates_cover_every_month_for_every_currency():
    rows = _rates()
    seen = [(r["currency"], r["on"]) for r in rows]
    assert len(seen) == len(set(seen)), "duplicate currency/month rows"
    months = _months()
    assert len(months) == 35
    assert set(seen) == {(c, m) for c in CURRENCIES for m in months}


def test_rates_positive_and_usd_is_one():
    for r in _rates():
        value = Decimal(r["usd_per_unit"])
        assert value > 0, r
        if r["currency"] == "USD":
            assert value == 1, r
