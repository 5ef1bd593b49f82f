"""Input parsing shared by forms, the API and imports."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anice.errors import Invalid
from anice.text.numbers import NumberFormat
from anice.validation import Fields, Reading


@pytest.mark.parametrize("text, fmt, expected", [
    ("6000", "point", "6000"), ("6,000", "point", "6000"), ("6,000.50", "point", "6000.50"),
    ("6.000,50", "comma", "6000.50"), ("1,5", "comma", "1.5"), ("1 500", "point", "1500"),
    ("1 500", "comma", "1500"), ("1,234,567", "point", "1234567"), ("0.22", "point", "0.22"),
    ("1.200", "comma", "1200"), ("12", "comma", "12")])
def test_numbers_typed_are_read_in_the_officers_format(text, fmt, expected):
    f = Fields({"n": text}, reading=Reading(NumberFormat(fmt)))
    assert f.number("n") == Decimal(expected)
    f.done()


@pytest.mark.parametrize("text, message", [
    ("abc", "must be a number"), ("-1", "cannot be negative"), ("1.234", "decimal places"),
    ("NaN", "must be a number"), ("1,2,3", "must be a number"), ("1" + "0" * 30, "at most"),
    ("6,000", "no thousands separators"), ("1 500", "no thousands separators"),
    ("1e5", "must be a number"), (True, "must be a number"), (float("inf"), "must be a number")])
def test_bad_numbers_are_named(text, message):
    f = Fields({"amount": text})  # a machine's input (the API): no separators at all
    assert f.number("amount") is None
    with pytest.raises(Invalid) as err:
        f.done()
    assert err.value.field == "amount" and message in err.value.message


def test_typed_figure_errors_name_the_field():
    f = Fields({"value_local": "1.200"}, reading=Reading(NumberFormat.POINT))
    assert f.number("value_local") is None
    with pytest.raises(Invalid) as err:
        f.done()
    assert err.value.field == "value_local"
    assert err.value.message == '"1.200" can be read two ways: 1.2 or 1,200? Write 1.2 or 1200'


def test_quantity_allows_three_places_and_json_numbers():
    f = Fields({"q": 1.5, "r": "0.1234567891", "i": 7})
    assert f.number("q", places=3) == Decimal("1.5")
    assert f.number("r", places=10) == Decimal("0.1234567891")
    assert f.number("i") == Decimal(7)
    f.done()
