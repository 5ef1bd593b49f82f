"""Browser journeys of issue 16 (findings 3 and 4): an Indonesian officer types "1.200" and
gets one thousand two hundred; a Thai officer types a time in Asia/Bangkok and finds the
right UTC instant stored and the same wall-clock time shown back. The browser itself runs in
UTC, so every conversion seen here is the server's. axe-core checks each page."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from anice.models import Listing, Role, SeizureItem

from ..cases.helpers import new_case
from ..factories import PASSWORD, Factory
from .a11y import assert_accessible
from .test_cases_journey import field, open_details
from .test_journeys import current_code, go, log_in, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_indonesian_officer_types_thousands_with_dots(live_server, page):
    with live_server.db() as db:
        officer = Factory(db).officer(role=Role.INVESTIGATOR, country="ID")
        case = new_case(db, officer, title="Razia gudang sepatu palsu")
        db.commit()
        case_url = f"{live_server.url}/cases/{case.id}"

    log_in(page, live_server, officer.email, PASSWORD, current_code(officer.totp_secret))
    go(page, case_url)
    seizures = page.locator("#seizure")
    open_details(page, "Add a seizure item")
    form = seizures.locator("form")
    expect(field(form, "Currency")).to_have_value("IDR")  # the case country's
    expect(form).to_contain_text("1.234.567,89")           # the officer's way, in the hints
    field(form, "Brand as seen on the goods").fill("Nike")
    field(form, "Product description").fill("Sepatu lari")
    field(form, "Category").select_option(label="Footwear")
    field(form, "Unit").select_option(label="Pairs")
    field(form, "USD per unit of currency").fill("0,000064")

    # "1,200" could be 1,2 or 1.200 for someone who writes 1.234.567,89: refused, both shown.
    field(form, "Quantity").fill("1,200")
    field(form, "Estimated value").fill("36.000.000,50")
    submit(page, "Add seizure item")
    quantity = field(form, "Quantity")
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#seizure-quantity-error")).to_have_text(
        '"1,200" can be read two ways: 1,2 or 1.200? Write 1,2 or 1200')
    expect(quantity).to_have_value("1,200")                 # what was typed is kept
    expect(seizures.locator("tbody tr")).to_have_text(["No seizure items yet."])

    quantity.fill("1.200")
    submit(page, "Add seizure item")
    row = seizures.locator("tbody tr").first
    expect(row).to_contain_text("1.200 pairs")
    expect(row).to_contain_text("36.000.000,50 IDR")
    with live_server.db() as db:
        item = db.query(SeizureItem).filter_by(case_id=case.id).one()
        assert (item.quantity, item.value_local, item.currency) == (
            Decimal(1200), Decimal("36000000.50"), "IDR")

    # The edit form shows the figures back as the officer writes them, and saves unchanged.
    with page.expect_navigation():
        row.get_by_role("link", name="Edit").click()
    assert_accessible(page)
    expect(field(page.locator("main form"), "Quantity")).to_have_value("1.200")
    expect(field(page.locator("main form"), "Estimated value")).to_have_value("36.000.000,5")
    submit(page, "Save")
    with live_server.db() as db:
        item = db.query(SeizureItem).filter_by(case_id=case.id).one()
        assert (item.quantity, item.value_local) == (Decimal(1200), Decimal("36000000.50"))


def test_time_typed_in_bangkok_is_stored_in_utc_and_shown_back(live_server, page):
    with live_server.db() as db:
        officer = Factory(db).officer(role=Role.INVESTIGATOR, country="TH")
        case = new_case(db, officer, kind="online", title="Fake watches on a Thai shop")
        db.commit()
        case_url = f"{live_server.url}/cases/{case.id}"
    assert officer.timezone == "Asia/Bangkok"

    log_in(page, live_server, officer.email, PASSWORD, current_code(officer.totp_secret))
    go(page, case_url)
    listings = page.locator("#listing")
    open_details(page, "Add a listing")
    form = listings.locator("form")
    expect(form).to_contain_text("Times in Asia/Bangkok (UTC+07:00)")
    field(form, "Listing URL").fill("https://shopee.co.th/product/42")
    field(form, "Platform").select_option(label="Shopee")
    field(form, "Price").fill("1,250.50")
    field(form, "Seen at").fill("2026-09-14T14:30")
    submit(page, "Add listing")

    with live_server.db() as db:
        listing = db.query(Listing).filter_by(case_id=case.id).one()
        assert listing.seen_at == datetime(2026, 9, 14, 7, 30, tzinfo=UTC)
        assert (listing.price, listing.currency) == (Decimal("1250.50"), "THB")
    row = listings.locator("tbody tr").first
    expect(row).to_contain_text("2026-09-14 14:30 +07")
    expect(row).to_contain_text("1,250.50 THB")

    with page.expect_navigation():
        row.get_by_role("link", name="Edit").click()
    assert_accessible(page)
    edit = page.locator("main form")
    expect(field(edit, "Seen at")).to_have_value("2026-09-14T14:30")
    expect(edit).to_contain_text("Times in Asia/Bangkok (UTC+07:00)")
    submit(page, "Save")
    with live_server.db() as db:
        listing = db.query(Listing).filter_by(case_id=case.id).one()
        assert listing.seen_at == datetime(2026, 9, 14, 7, 30, tzinfo=UTC)


def test_account_page_changes_time_zone_and_number_format(live_server, page):
    with live_server.db() as db:
        officer = Factory(db).officer(role=Role.INVESTIGATOR, country="MY")

    log_in(page, live_server, officer.email, PASSWORD, current_code(officer.totp_secret))
    go(page, f"{live_server.url}/account")
    settings = page.locator("#regional")
    expect(settings.get_by_label("Time zone")).to_have_value("Asia/Kuala_Lumpur")
    expect(settings.get_by_label("Number format")).to_have_value("point")
    settings.get_by_label("Time zone").select_option("Asia/Yangon")
    settings.get_by_label("Number format").select_option("comma")
    submit(page, "Save regional settings")
    expect(page.locator(".flash")).to_contain_text("times in Asia/Yangon")
    expect(settings.get_by_label("Time zone")).to_have_value("Asia/Yangon")
    expect(settings.get_by_label("Number format")).to_have_value("comma")
