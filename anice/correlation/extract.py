"""Read the identifiers out of a case's items: pure, on plain objects.

Only suspects count among the parties: right holders and their representatives appear in
many cases for the same reason (the brand), which says nothing about the offender.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..models.correlation import IdentifierKind
from . import normalize as n

K = IdentifierKind
Found = dict[tuple[IdentifierKind, str], str]


def _add(found: Found, kind: IdentifierKind, value: str | None, source: str) -> None:
    if value:
        found.setdefault((kind, value), source)


def _enum_value(value: Any) -> str:
    return getattr(value, "value", value) or ""


def _listing(found: Found, item: Any, region: str) -> None:
    source = f"listing:{item.id}"
    platform = _enum_value(item.platform)
    _add(found, K.SELLER_NAME, n.seller_name(item.seller_name), source)
    _add(found, K.SELLER_ID, n.seller_id(platform, item.seller_id), source)
    parsed = n.url(item.url)
    if parsed:
        _add(found, K.URL, parsed[0], source)
        _add(found, K.DOMAIN, parsed[1], source)
    _add(found, K.PHONE, n.phone(getattr(item, "seller_phone", None), region), source)


def _party(found: Found, item: Any, region: str, key: bytes) -> None:
    if _enum_value(item.role) != "suspect":
        return
    source = f"party:{item.id}"
    company = _enum_value(item.kind) == "company"
    country = item.nationality or region
    if company:
        _add(found, K.SELLER_NAME, n.seller_name(item.name), source)
        _add(found, K.COMPANY_NUMBER, n.company_number(item.id_number, country), source)
    else:
        number = n.person_number(item.id_number)
        if number:
            _add(found, K.NATIONAL_ID, n.keyed_hash(key, K.NATIONAL_ID, number), source)
    passport = n.person_number(getattr(item, "passport_number", None))
    if passport:
        _add(found, K.PASSPORT, n.keyed_hash(key, K.PASSPORT, passport), source)
    _add(found, K.PHONE, n.phone(getattr(item, "phone", None), region), source)
    _add(found, K.EMAIL, n.email(getattr(item, "email", None)), source)
    for number in n.phones_in(item.contact, region):
        _add(found, K.PHONE, number, source)
    for address in n.emails_in(item.contact):
        _add(found, K.EMAIL, address, source)


def _seizure(found: Found, item: Any, region: str) -> None:
    source = f"seizure:{item.id}"
    _add(found, K.CONTAINER, n.container(getattr(item, "container_number", None)), source)
    _add(found, K.AIRWAY_BILL, n.airway_bill(getattr(item, "airway_bill", None)), source)
    _add(found, K.VEHICLE_PLATE, n.vehicle_plate(getattr(item, "vehicle_plate", None), region),
         source)


def identifiers_of(case: Any, key: bytes, confirmed: Iterable[tuple[int, str, str]] = ()
                   ) -> Found:
    """{(kind, value): source} of a case; ``confirmed`` holds (match id, office, number) of
    the rights its officers confirmed."""
    found: Found = {}
    region = case.country_code
    for item in case.listings:
        _listing(found, item, region)
    for item in case.parties:
        _party(found, item, region, key)
    for item in case.seizures:
        _seizure(found, item, region)
    for match_id, office, number in confirmed:
        _add(found, K.RIGHT, n.right(office, number), f"match:{match_id}")
    return found
