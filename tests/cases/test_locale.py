"""Figures and times of case items as officers type them: their number format and time zone,
the case country's currency, whole counted units; the API's machine format unchanged."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from anice.auth import service as auth_service
from anice.cases import items
from anice.errors import Invalid
from anice.models import AuditEvent
from anice.text.numbers import NumberFormat
from anice.validation import Reading

from .helpers import LISTING, SEIZURE, new_case


def _errors(exc: pytest.ExceptionInfo) -> dict[str, str]:
    return dict(exc.value.errors)


def test_an_indonesian_officer_types_thousands_with_dots(db, make):
    inv = make.officer(country="ID")
    assert inv.number_style is NumberFormat.COMMA and inv.timezone == "Asia/Jakarta"
    case = new_case(db, inv)
    item = items.add_item(db, inv, case.id, "seizure",
                          {**SEIZURE, "quantity": "1.200", "value_local": "36.000.000,50",
                           "currency": "IDR", "usd_rate": "0,000064"},
                          reading=Reading.typed_by(inv))
    db.commit()
    db.refresh(item)
    assert item.quantity == Decimal("1200")
    assert item.value_local == Decimal("36000000.50")
    assert item.usd_rate == Decimal("0.000064")


def test_a_malaysian_officer_types_thousands_with_commas(db, make):
    inv = make.officer(country="MY")
    assert inv.number_style is NumberFormat.POINT
    case = new_case(db, inv)
    item = items.add_item(db, inv, case.id, "seizure",
                          {**SEIZURE, "quantity": "1,200", "value_local": "36,000.50"},
                          reading=Reading.typed_by(inv))
    assert (item.quantity, item.value_local) == (Decimal(1200), Decimal("36000.50"))


@pytest.mark.parametrize("country, field, typed, message", [
    ("MY", "value_local", "1.200", '"1.200" can be read two ways: 1.2 or 1,200? Write 1.2 or 1200'),
    ("ID", "value_local", "1,200", '"1,200" can be read two ways: 1,2 or 1.200? Write 1,2 or 1200'),
    ("VN", "quantity", "1,500", '"1,500" can be read two ways: 1,5 or 1.500? Write 1,5 or 1500'),
    ("MY", "value_local", "36.000,50", "if you mean 36,000.50, write 36000.50"),
    ("ID", "value_local", "36,000.50", "if you mean 36.000,50, write 36000,50"),
    ("TH", "value_local", "฿500", 'without "฿"'),
    ("MY", "quantity", "twelve", "write only the figure"),
    ("MY", "value_local", "1,2,3", "is not a number"),
])
def test_figures_that_are_not_clear_are_refused_naming_the_field(db, make, country, field,
                                                                 typed, message):
    inv = make.officer(country=country)
    case = new_case(db, inv)
    with pytest.raises(Invalid) as err:
        items.add_item(db, inv, case.id, "seizure", {**SEIZURE, field: typed},
                       reading=Reading.typed_by(inv))
    assert message in _errors(err)[field]


@pytest.mark.parametrize("unit, quantity, whole", [
    ("pieces", "1.5", False), ("pairs", "2.25", False), ("boxes", "0.5", False),
    ("cartons", "3.0", True), ("sets", "7", True), ("kg", "1.5", True), ("litres", "0.75", True),
])
def test_counted_units_are_whole(db, make, unit, quantity, whole):
    inv = make.officer()
    case = new_case(db, inv)
    data = {**SEIZURE, "unit": unit, "quantity": quantity}
    if whole:
        item = items.add_item(db, inv, case.id, "seizure", data, reading=Reading.typed_by(inv))
        assert item.quantity == Decimal(quantity)
        return
    with pytest.raises(Invalid) as err:
        items.add_item(db, inv, case.id, "seizure", data, reading=Reading.typed_by(inv))
    assert _errors(err)["quantity"].startswith(f"must be a whole number of {unit}")


def test_counted_units_are_whole_over_the_api_too(db, make):
    inv = make.officer()
    case = new_case(db, inv)
    with pytest.raises(Invalid) as err:
        items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "quantity": 1.5})
    assert "whole number of pairs" in _errors(err)["quantity"]


@pytest.mark.parametrize("value, ok", [
    (1200, True), (1200.5, True), ("1200.50", True), ("-0", True),
    ("1,200", False), ("1.200,5", False), ("1 200", False), ("Rp 1200", False)])
def test_machine_input_takes_numbers_without_separators(db, make, value, ok):
    inv = make.officer(country="ID")  # the API ignores the officer's format
    case = new_case(db, inv)
    data = {**SEIZURE, "value_local": value}
    if ok:
        item = items.add_item(db, inv, case.id, "seizure", data)
        assert item.value_local == Decimal(str(value))
        return
    with pytest.raises(Invalid) as err:
        items.add_item(db, inv, case.id, "seizure", data)
    assert "no thousands separators" in _errors(err)["value_local"]


def test_currency_of_a_new_item_defaults_to_the_case_countrys(db, make):
    inv = make.officer(country="TH")
    case = new_case(db, inv)
    seizure = items.add_item(db, inv, case.id, "seizure",
                             {**SEIZURE, "currency": "", "usd_rate": "0.03"},
                             reading=Reading.typed_by(inv))
    listing = items.add_item(db, inv, case.id, "listing", {**LISTING, "currency": ""},
                             reading=Reading.typed_by(inv))
    given = items.add_item(db, inv, case.id, "listing", {**LISTING, "currency": "usd"})
    assert (seizure.currency, listing.currency, given.currency) == ("THB", "THB", "USD")


@pytest.mark.parametrize("zone, typed, utc", [
    ("Asia/Bangkok", "2026-09-14T14:30", datetime(2026, 9, 14, 7, 30, tzinfo=UTC)),
    ("Asia/Yangon", "2026-09-14T14:30", datetime(2026, 9, 14, 8, 0, tzinfo=UTC)),
    ("Asia/Kuala_Lumpur", "2026-09-14T14:30", datetime(2026, 9, 14, 6, 30, tzinfo=UTC)),
])
def test_seen_at_is_typed_in_the_officers_zone_and_stored_in_utc(db, make, zone, typed, utc):
    inv = make.officer()
    auth_service.set_regional(db, inv, timezone=zone)
    case = new_case(db, inv, kind="online")
    listing = items.add_item(db, inv, case.id, "listing", {**LISTING, "seen_at": typed},
                             reading=Reading.typed_by(inv))
    db.commit()
    db.refresh(listing)
    assert listing.seen_at == utc
    # The API reads a time without an offset as UTC, and keeps an offset given.
    api = items.add_item(db, inv, case.id, "listing", {**LISTING, "seen_at": typed})
    assert api.seen_at == datetime.fromisoformat(typed).replace(tzinfo=UTC)


def test_regional_settings_are_checked_and_audited(db, make):
    inv = make.officer(country="MY")
    auth_service.set_regional(db, inv, timezone="Asia/Yangon", number_format="comma")
    db.commit()
    assert (inv.timezone, inv.number_style) == ("Asia/Yangon", NumberFormat.COMMA)
    row = db.scalars(select(AuditEvent).where(
        AuditEvent.action == "officer.regional_settings")).one()
    assert row.details["before"] == {"timezone": "Asia/Kuala_Lumpur", "number_format": "point"}
    assert row.details["after"] == {"timezone": "Asia/Yangon", "number_format": "comma"}
    with pytest.raises(Invalid) as err:
        auth_service.set_regional(db, inv, timezone="Moon/Base", number_format="roman")
    assert set(_errors(err)) == {"timezone", "number_format"}
    assert inv.timezone == "Asia/Yangon"
