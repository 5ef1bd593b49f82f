"""Browser journey of holder alerts: a holder's representative subscribes on its home page;
an MY investigator whose agency tells holders confirms a match of its right; the holder
sees the alert (country, agency, goods; never the case) on its alerts page. axe-core checks
every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from anice.models import Role

from ..factories import PASSWORD, Factory
from .a11y import assert_accessible
from .test_journeys import current_code, fill_login, path_of

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_holder_subscribes_and_reads_an_alert(live_server, new_context):
    with live_server.db() as db:
        make = Factory(db)
        nike = make.right("MY", "TM400001", mark="NIKE", owner="Nike Innovate C.V.")
        holder = make.holder(org=make.holder_org(name="Nike Innovate C.V.", rights=(nike,)))
        inv = make.officer(Role.INVESTIGATOR, country="MY")
        inv.agency.tell_holders = True
        case = make.case(inv, opened=True)
        db.commit()
        reference, agency = case.reference, inv.agency.name

    page = new_context().new_page()
    page.goto(f"{live_server.url}/login")
    fill_login(page, holder.email, PASSWORD, current_code(holder.totp_secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Log in", exact=True).click()
    assert path_of(page) == "/holders/me", page.url
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Subscribe to alerts").click()
    expect(page.get_by_role("button", name="Stop alerts")).to_be_visible()

    with live_server.db() as db:
        make = Factory(db)
        make.match(db.merge(inv), db.merge(case), db.merge(nike))

    with page.expect_navigation():
        page.get_by_role("link", name="Alerts received").click()
    assert path_of(page) == "/holders/me/alerts", page.url
    assert_accessible(page)
    row = page.locator("table.data tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("MY TM400001")
    expect(row).to_contain_text(agency)
    expect(row).to_contain_text("120 pairs")
    assert reference not in page.content()
