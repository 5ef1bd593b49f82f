"""Figures typed by people: the reading rules of anice/text/numbers.py, both conventions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anice.text.numbers import FigureError, NumberFormat, default_format, format_figure, read_figure

POINT, COMMA = NumberFormat.POINT, NumberFormat.COMMA


@pytest.mark.parametrize("text, point, comma", [
    # plain digits and the officer's own grouping: read the same everywhere they are valid
    ("1200", "1200", "1200"),
    ("0", "0", "0"),
    ("007", "7", "7"),
    ("1 200", "1200", "1200"),
    ("1\u00a0234\u00a0567", "1234567", "1234567"),       # no-break spaces group
    ("1\u202f234", "1234", "1234"),                      # narrow no-break space
    ("  42  ", "42", "42"),
    ("-5", "-5", "-5"),
    ("\u22125", "-5", "-5"),                              # the minus sign
    ("+5", "5", "5"),
    # the officer's grouping is trusted
    ("1,200", "1200", None),
    ("1.200", None, "1200"),
    ("1,234,567", "1234567", None),
    ("1.234.567", None, "1234567"),
    ("1,234,567.89", "1234567.89", None),
    ("1.234.567,89", None, "1234567.89"),
    ("1 234 567,89", None, "1234567.89"),
    ("1 234 567.89", "1234567.89", None),
    ("36.000,50", None, "36000.50"),
    ("36,000.50", "36000.50", None),
    # decimals that cannot be a thousands group in the other convention
    ("1.5", "1.5", None),
    ("1,5", None, "1.5"),
    ("12.50", "12.50", None),
    ("12,50", None, "12.50"),
    ("0.200", "0.200", None),                            # a group never starts with 0
    ("0,200", None, "0.200"),
    ("1234.567", "1234.567", None),                      # a first group has at most 3 digits
    ("1234,567", None, "1234.567"),
    (".5", "0.5", None),
    (",5", None, "0.5"),
    ("1,200.500", "1200.500", None),
    # digits of the region's scripts
    ("๑,๒๐๐", "1200", None),                              # Thai
    ("၁၂၀၀", "1200", "1200"),                              # Myanmar
    ("１２３", "123", "123"),                                # full width
])
def test_readings(text, point, comma):
    for fmt, expected in ((POINT, point), (COMMA, comma)):
        if expected is None:
            with pytest.raises(FigureError):
                read_figure(text, fmt)
        else:
            assert read_figure(text, fmt) == Decimal(expected), (text, fmt)


@pytest.mark.parametrize("text, fmt, message", [
    ("1.200", POINT, '"1.200" can be read two ways: 1.2 or 1,200? Write 1.2 or 1200'),
    ("1,200", COMMA, '"1,200" can be read two ways: 1,2 or 1.200? Write 1,2 or 1200'),
    ("-1.200", POINT, '"-1.200" can be read two ways: -1.2 or -1,200? Write -1.2 or -1200'),
    ("1.234", POINT, '"1.234" can be read two ways: 1.234 or 1,234? Write 1.2340 or 1234'),
    ("999,000", COMMA, '"999,000" can be read two ways: 999 or 999.000? Write 999 or 999000'),
    ("12.345", POINT, '"12.345" can be read two ways: 12.345 or 12,345? Write 12.3450 or 12345'),
])
def test_ambiguous_input_is_refused_showing_both_readings(text, fmt, message):
    with pytest.raises(FigureError) as err:
        read_figure(text, fmt)
    assert str(err.value) == message


@pytest.mark.parametrize("text, fmt, meant", [
    ("36.000,50", POINT, "if you mean 36,000.50, write 36000.50"),
    ("36,000.50", COMMA, "if you mean 36.000,50, write 36000,50"),
    ("1,5", POINT, "if you mean 1.5, write 1.5"),
    ("1.5", COMMA, "if you mean 1,5, write 1,5"),
    ("1 200,5", POINT, "if you mean 1,200.5, write 1200.5"),
])
def test_the_other_convention_only_is_refused_with_what_to_write(text, fmt, meant):
    with pytest.raises(FigureError) as err:
        read_figure(text, fmt)
    assert meant in str(err.value) and "My account" in str(err.value)


@pytest.mark.parametrize("text, fragment", [
    ("abc", "write only the figure"),
    ("RM 1,200", 'without "RM"'),
    ("Rp1.200", 'without "Rp"'),
    ("$1,200", 'without "$"'),
    ("1.200 ₫", 'without "₫"'),
    ("฿500", 'without "฿"'),
    ("1e5", "is not a number"),
    ("1,2,3", "is not a number"),
    ("1,23,456", "is not a number"),                      # groups of three only
    ("1,234 567", "is not a number"),                     # one kind of group separator
    ("1.", "is not a number"),
    (".", "is not a number"),
    ("-", "is not a number"),
    ("--5", "is not a number"),
    ("5-", "is not a number"),
    ("1/2", "is not a number"),
    ("½", "is not a number"),
    ("²", "is not a number"),
    ("1" * 41, "too long"),
    ("", "is empty"),
    ("   ", "is empty"),
])
def test_not_a_number(text, fragment):
    for fmt in NumberFormat:
        with pytest.raises(FigureError) as err:
            read_figure(text, fmt)
        assert fragment in str(err.value), (text, fmt, str(err.value))


@pytest.mark.parametrize("value, fmt, places, shown", [
    ("1234567.891", POINT, None, "1,234,567.891"),
    ("1234567.891", COMMA, None, "1.234.567,891"),
    ("6000.00", POINT, 2, "6,000.00"),
    ("6000", COMMA, 2, "6.000,00"),
    ("120.000", POINT, None, "120"),
    ("1.234", POINT, None, "1.2340"),     # "1.234" would read two ways
    ("1.234", COMMA, None, "1,2340"),
    ("0.5", COMMA, None, "0,5"),
    ("-1200.5", POINT, None, "-1,200.5"),
    ("0.2200000000", POINT, None, "0.22"),
])
def test_format_figure(value, fmt, places, shown):
    assert format_figure(Decimal(value), fmt, places=places) == shown


@pytest.mark.parametrize("value", [
    "0", "1", "999", "1000", "1.2", "1.234", "12.345", "999.999", "1000.5", "1234567.891",
    "0.001", "0.125", "-1.234", "1234.567", "100000000.25"])
def test_what_is_shown_reads_back_the_same(value):
    for fmt in NumberFormat:
        for group in (True, False):
            text = format_figure(Decimal(value), fmt, group=group)
            assert read_figure(text, fmt) == Decimal(value), (value, fmt, text)


def test_country_defaults_follow_cldr():
    assert {c for c in ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN", "TL")
            if default_format(c) is COMMA} == {"BN", "ID", "LA", "TL", "VN"}
    assert default_format(None) is POINT
