"""Check digits of shipment numbers: ISO 6346 container numbers and IATA air waybills.

Pure functions on plain strings. ``container_problem`` and ``airway_bill_problem`` say in
words what is wrong with a number (None when it is valid), for the services' messages.
"""

from __future__ import annotations

import re
import string

from flask_babel import gettext

# ISO 6346: letters count from A = 10, skipping 11, 22 and 33 (multiples of 11).
_LETTER_VALUES: dict[str, int] = {}
_value = 10
for _letter in string.ascii_uppercase:
    if _value % 11 == 0:
        _value += 1
    _LETTER_VALUES[_letter] = _value
    _value += 1

# Equipment category: U freight container, J detachable equipment, Z trailer or chassis.
CONTAINER_CATEGORIES = "UJZ"
_CONTAINER_SHAPE = re.compile(r"^[A-Z]{3}[A-Z]\d{7}$")
_SEPARATORS = re.compile(r"[\s\-./]+")


def compact(raw: str) -> str:
    """The number without spaces, dashes, dots or slashes, in capitals."""
    return _SEPARATORS.sub("", raw or "").upper()


def container_check_digit(first_ten: str) -> int:
    """The ISO 6346 check digit of owner code, category letter and 6-digit serial."""
    total = 0
    for position, char in enumerate(first_ten):
        value = int(char) if char.isdigit() else _LETTER_VALUES[char]
        total += value * 2**position
    return total % 11 % 10


def container_problem(raw: str) -> str | None:
    """What is wrong with an ISO 6346 container number, or None if it is valid."""
    number = compact(raw)
    if not _CONTAINER_SHAPE.fullmatch(number):
        return gettext("must be an ISO 6346 container number: 3-letter owner code, category "
                       "letter, 6-digit serial and check digit, such as CSQU3054383")
    if number[3] not in CONTAINER_CATEGORIES:
        return gettext("%(letter)s is not an ISO 6346 category letter: the fourth letter is U "
                       "(freight container), J (detachable equipment) or Z (trailer or "
                       "chassis)", letter=repr(number[3]))
    expected = container_check_digit(number[:10])
    if int(number[10]) != expected:
        return gettext("the check digit of %(number)s is %(expected)s, not %(given)s: a "
                       "character was probably mistyped", number=number[:10],
                       expected=expected, given=number[10])
    return None


def airway_bill_check_digit(serial_seven: str) -> int:
    """The IATA check digit of an air waybill: the 7-digit serial modulo 7."""
    return int(serial_seven) % 7


def airway_bill_problem(raw: str) -> str | None:
    """What is wrong with an air waybill number (3-digit airline prefix and 8 digits, the
    last of which is the first seven modulo 7), or None if it is valid."""
    number = compact(raw)
    if not (number.isascii() and number.isdigit() and len(number) == 11):
        return gettext("must be an air waybill number: 3-digit airline prefix and 8 digits, "
                       "such as 157-12345675")
    serial, check = number[3:10], int(number[10])
    expected = airway_bill_check_digit(serial)
    if check != expected:
        shown = number[:3] + "-" + serial
        return gettext("the check digit of %(number)s is %(expected)s (the serial modulo 7), "
                       "not %(given)s: a digit was probably mistyped",
                       number=shown, expected=expected, given=check)
    return None
