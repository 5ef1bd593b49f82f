"""Browser journey of the Cases issue: an investigator creates a counterfeit case with two
seizure items, moves it to investigation and finds it by brand in the case list. axe-core
checks every page the browser lands on (the case page also with its forms unfolded)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from anice.cases import items
from anice.models import Role

from ..cases.helpers import SEIZURE, new_case
from ..factories import PASSWORD, Factory
from .a11y import assert_accessible
from .test_journeys import MAIN_NAV, current_code, follow, log_in, path_of, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

TITLE = "Raid on a Shah Alam warehouse"
DETECTED_ON = "2026-03-14"  # in the past; no reference rates are loaded, so a USD rate is typed


def field(scope, label: str):
    """The control labelled exactly ``label`` (with or without the "(required)" mark)."""
    return scope.get_by_label(re.compile(rf"^{re.escape(label)}( \(required\))?$"))


def open_details(page, summary: str) -> None:
    """Unfold a <details> form by its summary; check the page with it open."""
    page.locator("summary", has_text=summary).click()
    expect(page.locator("details", has=page.locator("summary", has_text=summary))
           ).to_have_attribute("open", "")
    assert_accessible(page)


def fill_seizure(form, brand: str, description: str, category: str, quantity: str,
                 unit: str, value: str) -> None:
    field(form, "Brand as seen on the goods").fill(brand)
    field(form, "Product description").fill(description)
    field(form, "Category").select_option(label=category)
    field(form, "Quantity").fill(quantity)
    field(form, "Unit").select_option(label=unit)
    field(form, "Estimated value").fill(value)
    field(form, "Currency").fill("MYR")
    field(form, "USD per unit of currency").fill("0.22")


def test_counterfeit_case_to_investigation_and_search(live_server, page):
    with live_server.db() as db:
        investigator = Factory(db).officer(role=Role.INVESTIGATOR, country="MY")
        # Another case of the agency, so that the searches below have something to leave out.
        decoy = new_case(db, investigator, title="Market stall of fake handbags")
        items.add_item(db, investigator, decoy.id, "seizure", {**SEIZURE, "brand": "Puma"})
        db.commit()
        decoy_reference = decoy.reference

    log_in(page, live_server, investigator.email, PASSWORD,
           current_code(investigator.totp_secret))
    follow(page, "Cases", within=MAIN_NAV)
    assert path_of(page) == "/cases/"

    # The case form.
    follow(page, "New counterfeit case")
    expect(page.get_by_role("heading", level=1)).to_have_text("New counterfeit case")
    form = page.locator("main form")
    field(form, "Title").fill(TITLE)
    field(form, "Summary").fill("Counterfeit sports shoes found in a warehouse during a raid.")
    form.get_by_role("checkbox", name="Trademark", exact=True).check()
    field(form, "How it was detected").select_option(label="Raid")
    field(form, "Province / state").select_option(label="Selangor")
    field(form, "City / town").fill("Shah Alam")
    field(form, "Detected on").fill(DETECTED_ON)
    submit(page, "Create draft")

    assert re.fullmatch(r"/cases/\d+", path_of(page)), page.url
    case_url = page.url
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(TITLE)
    reference = heading.inner_text().split(" · ")[0].strip()
    expect(page.locator(".flash")).to_have_text(f"Case {reference} created as a draft.")
    status = page.locator(".page-head .status")
    expect(status).to_have_text("Draft")
    expect(page.locator("#team")).to_contain_text(investigator.name)  # the creator

    # First seizure item.
    seizures = page.locator("#seizure")
    open_details(page, "Add a seizure item")
    fill_seizure(seizures.locator("form"), "Nike", "Running shoes", "Footwear", "120", "Pairs",
                 "6000")
    submit(page, "Add seizure item")
    assert page.url.startswith(case_url) and page.url.endswith("#seizure"), page.url
    rows = seizures.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Nike")
    expect(rows.first).to_contain_text("1,320.00")  # 6,000 MYR at 0.22 USD

    # A negative quantity: the error is shown at the field, the typed values are kept.
    open_details(page, "Add a seizure item")
    form = seizures.locator("form")
    fill_seizure(form, "Adidaz", "Track jackets", "Apparel", "-1", "Pieces", "2500")
    submit(page, "Add seizure item")
    quantity = field(form, "Quantity")
    expect(page.locator("details", has=page.locator("summary", has_text="Add a seizure item"))
           ).to_have_attribute("open", "")
    expect(quantity).to_have_attribute("aria-invalid", "true")
    expect(quantity).to_have_attribute("aria-describedby", "seizure-quantity-error")
    expect(form.locator("#seizure-quantity-error")).to_have_text("must be greater than zero")
    expect(form.locator(".field.has-error")).to_have_count(1)
    expect(field(form, "Brand as seen on the goods")).to_have_value("Adidaz")
    expect(field(form, "Product description")).to_have_value("Track jackets")
    expect(field(form, "Currency")).to_have_value("MYR")
    expect(rows).to_have_count(1)  # nothing was added

    # Second seizure item: correct the quantity and send the form again.
    quantity.fill("300")
    submit(page, "Add seizure item")
    expect(rows).to_have_count(2)
    expect(seizures.locator("tbody")).to_contain_text("Adidaz")
    expect(rows.filter(has_text="Adidaz")).to_contain_text("300 pieces")

    # The workflow: draft -> open -> under investigation.
    workflow = page.locator("#workflow")
    expect(workflow.get_by_role("button")).to_have_text(["Move to open"])
    submit(page, "Move to open")
    expect(status).to_have_text("Open")
    expect(workflow.get_by_role("button")).to_have_text(["Move to under investigation"])
    submit(page, "Move to under investigation")
    expect(status).to_have_text("Under investigation")
    expect(page.locator("#workflow")).to_have_count(0)  # the next moves are the prosecutor's
    timeline = page.locator("#timeline")
    expect(timeline.get_by_text("Moved from draft to open", exact=True)).to_have_count(1)
    expect(timeline.get_by_text("Moved from open to under investigation", exact=True)
           ).to_have_count(1)
    expect(timeline).to_contain_text("Added seizure item Nike (120 pairs)")
    expect(timeline).to_contain_text("Added seizure item Adidaz (300 pieces)")

    # The case list: both cases, then a search and a brand filter find only this one.
    follow(page, "Cases", within=MAIN_NAV)
    listed = page.locator("table.data tbody tr")
    expect(listed).to_have_count(2)

    filters = page.get_by_role("search", name="Search and filter cases")
    field(filters, "Search (title, summary, brand, listing, seller)").fill("adidaz")
    submit(page, "Search")
    assert "q=adidaz" in page.url, page.url
    expect(listed).to_have_count(1)
    row = listed.first
    expect(row.get_by_role("link", name=reference, exact=True)).to_be_visible()
    expect(row).to_contain_text("Under investigation")
    expect(row).to_contain_text("Nike, Adidaz")

    field(filters, "Search (title, summary, brand, listing, seller)").fill("")
    field(filters, "Brand starts with").fill("nik")
    submit(page, "Search")
    assert "brand=nik" in page.url, page.url
    expect(listed).to_have_count(1)
    expect(listed.first.get_by_role("link", name=reference, exact=True)).to_be_visible()
    expect(page.locator("table.data")).not_to_contain_text(decoy_reference)

    follow(page, reference)
    assert page.url == case_url, page.url
