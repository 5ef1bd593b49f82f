"""Check digits of container numbers (ISO 6346) and air waybills (IATA modulo 7)."""

from __future__ import annotations

import pytest

from anice.text import check_digits as cd

# Published valid numbers: the ISO 6346 example of Wikipedia (CSQU3054383), python-stdnum's
# test set (TCNU7200794, TOLU4734787, GYOU4047990) and calc-ilu-check-digit's (ZEPU0037255).
VALID_CONTAINERS = ["CSQU3054383", "csqu 305438 3", "CSQU-305438-3", "TCNU7200794",
                    "TOLU4734787", "GYOU4047990", "ZEPU 003725 5"]


@pytest.mark.parametrize("number", VALID_CONTAINERS)
def test_valid_container_numbers(number):
    assert cd.container_problem(number) is None


@pytest.mark.parametrize(("number", "words"), [
    ("CSQU3054384", "the check digit of CSQU305438 is 3, not 4"),
    ("MSCU1234565", "the check digit of MSCU123456 is 6, not 5"),
    ("CSQU305438", "3-letter owner code"),
    ("CSQU3054Z83", "3-letter owner code"),
    ("C5QU3054383", "3-letter owner code"),
    ("CSQX3054383", "'X' is not an ISO 6346 category letter"),
    ("", "must be an ISO 6346 container number"),
])
def test_invalid_container_numbers_say_why(number, words):
    assert words in cd.container_problem(number)


@pytest.mark.parametrize(("first_ten", "digit"), [
    ("CSQU305438", 3), ("TCNU720079", 4), ("TOLU473478", 7), ("GYOU404799", 0),
    ("ZEPU003725", 5),
])
def test_container_check_digit(first_ten, digit):
    assert cd.container_check_digit(first_ten) == digit


@pytest.mark.parametrize("number", ["157-12345675", "15712345675", "020 1234 5675",
                                    "176-00000000", "618-99999992"])
def test_valid_air_waybills(number):
    assert cd.airway_bill_problem(number) is None


@pytest.mark.parametrize(("number", "words"), [
    ("157-12345676", "the check digit of 157-1234567 is 5 (the serial modulo 7), not 6"),
    ("618-99999999", "is 2 (the serial modulo 7), not 9"),
    ("157-1234567", "3-digit airline prefix and 8 digits"),
    ("157-1234567A", "3-digit airline prefix and 8 digits"),
    ("", "must be an air waybill number"),
])
def test_invalid_air_waybills_say_why(number, words):
    assert words in cd.airway_bill_problem(number)


@pytest.mark.parametrize(("serial", "digit"), [("1234567", 5), ("0000000", 0),
                                                ("9999999", 2), ("0000007", 0)])
def test_air_waybill_check_digit(serial, digit):
    assert cd.airway_bill_check_digit(serial) == digit
