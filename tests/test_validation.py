"""Input parsing shared by forms, the API and imports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anice.errors import Invalid
from anice.validation import Fields


@pytest.mark.parametrize("text, expected", [
    ("6000", "6000"), ("6,000", "6000"), ("6,000.50", "6000.50"), ("6.000,50", "6000.50"),
    ("1,5", "1.5"), ("1 500", "1500"), ("1,234,567", "1234567"), ("0.22", "0.22"),
    ("12", "12")])
def test_numbers_as_written_in_the_region(text, expected):
    f = Fields({"n": text})
    assert f.number("n") == Decimal(expected)
    f.done()


@pytest.mark.parametrize("text, message", [
    ("abc", "must be a number"), ("-1", "cannot be negative"), ("1.234", "decimal places"),
    ("NaN", "must be a number"), ("1,2,3", "must be a number"), ("1e30", "at most")])
def test_bad_numbers_are_named(text, message):
    f = Fields({"amount": text})
    assert f.number("amount") is None
    with pytest.raises(Invalid) as err:
        f.done()
    assert err.value.field == "amount" and message in err.value.message


def test_quantity_allows_three_places_and_json_numbers():
    f = Fields({"q": 1.5, "r": "0.1234567891", "i": 7})
    assert f.number("q", places=3) == Decimal("1.5")
    assert f.number("r", places=10) == Decimal("0.1234567891")
    assert f.number("i") == Decimal(7)
    f.done()
