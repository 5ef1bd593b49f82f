"""Browser journey of the correlation issue: an investigator in MY adds a listing whose
seller is already in a Thai case, sees a hit that names only the Thai agency and country,
and requests that case from it; the Thai coordinator finds the request in its referral
inbox and answers it by referring its case back (nothing ticked to share until it chooses),
which waits for its agency's approval. axe-core checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from anice.cases import items
from anice.models import Role

from ..cases.helpers import new_case
from ..factories import PASSWORD, Factory
from . import screenshots
from .test_cases_journey import field, open_details
from .test_journeys import current_code, follow, go, log_in, path_of, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

TH_TITLE = "Bangkok night market watch ring"


def test_listing_with_a_known_thai_seller_gives_a_hit_and_a_referral_draft(live_server,
                                                                           new_context):
    with live_server.db() as db:
        make = Factory(db)
        my_agency = make.agency("MY", "KPDNHEP")
        th_agency = make.agency("TH", "DIP")
        th_agency.name = "Department of Intellectual Property"
        inv_my = make.officer(Role.INVESTIGATOR, agency=my_agency)
        inv_th = make.officer(Role.INVESTIGATOR, agency=th_agency)
        coord_th = make.officer(Role.COORDINATOR, agency=th_agency)
        th_case = new_case(db, inv_th, kind="online", title=TH_TITLE, province="")
        items.add_item(db, inv_th, th_case.id, "listing", {
            "url": "https://shopee.co.th/watchking88", "platform": "shopee",
            "seller_name": "Watch King", "seller_id": "watchking88"})
        my_case = new_case(db, inv_my, kind="online", title="Replica watches on Shopee",
                           province="")
        earlier = new_case(db, inv_my, kind="online", title="Watch King's first shop",
                           province="")
        items.add_item(db, inv_my, earlier.id, "listing", {
            "url": "https://watchking.example.com/shop", "platform": "website",
            "seller_name": "Watch King", "seller_phone": "+60 12-345 6789"})
        db.commit()
        th_reference, my_case_id, th_agency_id = th_case.reference, my_case.id, th_agency.id
        email, secret = inv_my.email, inv_my.totp_secret
        coord_email, coord_secret = coord_th.email, coord_th.totp_secret
        my_agency_name = my_agency.name

    page = new_context().new_page()
    log_in(page, live_server, email, PASSWORD, current_code(secret))
    go(page, f"{live_server.url}/cases/{my_case_id}")
    open_details(page, "Add a listing")
    form = page.locator("form", has=page.get_by_role("button", name="Add listing"))
    field(form, "Listing URL").fill("https://shopee.com.my/watch.king.my?sp_atk=abc")
    field(form, "Platform").select_option(value="shopee")
    field(form, "Seller name").fill("WATCH-KING Official Store")
    field(form, "Seller id on the platform").fill("@WatchKing88")
    submit(page, "Add listing")

    links = page.locator("#links")
    expect(links).to_contain_text("also appears in a case held by "
                                  "Department of Intellectual Property, Thailand")
    expect(links).to_contain_text("marketplace seller id")
    body = page.locator("main").inner_text()
    assert th_reference not in body and TH_TITLE not in body
    assert f"/cases/{th_case.id}" not in page.content()
    expect(links.locator("table.data")).to_contain_text("Watch King's first shop")
    links.scroll_into_view_if_needed()
    screenshots.save(page, "correlation-hit")
    follow(page, "Network view of your cases")
    expect(page.get_by_role("heading", level=1)).to_have_text("Network of your cases")
    expect(page.locator("main")).to_contain_text("seller or shop name: watchking")
    expect(page.locator("svg.network-graph")).to_be_visible()
    screenshots.save(page, "correlation-network")
    go(page, f"{live_server.url}/cases/{my_case_id}")

    ask_name = "Request this case from Department of Intellectual Property"
    ask = links.get_by_role("link", name=ask_name, exact=True)
    expect(ask).to_have_attribute("href", re.compile(rf"agency_id={th_agency_id}"))
    expect(links.get_by_role("link", name=re.compile("for a referral"))).to_have_count(0)
    follow(page, ask_name)
    assert path_of(page) == "/referrals/requests/new", page.url
    form = page.locator("main form")
    message = field(form, "Message to the coordinator")
    expect(message).to_have_value(re.compile("marketplace seller id"))
    assert th_reference not in page.locator("main").inner_text()
    message.fill("Our new case shares a marketplace seller id with a case of yours. "
                 "Please refer it to us.")
    submit(page, "Send the request")
    assert re.fullmatch(r"/referrals/requests/\d+", path_of(page)), page.url
    request_url = page.url
    expect(page.locator(".request-status")).to_have_text("Waiting for an answer")
    assert th_reference not in page.locator("main").inner_text()
    go(page, f"{live_server.url}/cases/{my_case_id}")
    expect(links).to_contain_text("waiting for an answer")
    expect(links.get_by_role("link", name=ask_name)).to_have_count(0)

    # The Thai coordinator finds it in its referral inbox and refers its case back.
    coord = new_context().new_page()
    log_in(coord, live_server, coord_email, PASSWORD, current_code(coord_secret))
    go(coord, f"{live_server.url}/referrals/?box=inbox")
    requests_table = coord.locator("section", has=coord.get_by_role(
        "heading", name="Requests for your country's cases"))
    expect(requests_table).to_contain_text(my_agency_name)
    reference = requests_table.locator("tbody tr td a").first.inner_text()
    follow(coord, reference)
    assert coord.url == request_url, coord.url
    expect(coord.locator("main")).to_contain_text(th_reference)
    follow(coord, f"Refer {th_reference} to {my_agency_name}")
    form = coord.locator("form.referral-form")
    expect(form).to_contain_text(f"In answer to request {reference}")
    expect(form.locator("input[type=checkbox]:checked")).to_have_count(0)
    field(form, "Requested action").select_option(label="Information only")
    form.get_by_role("checkbox", name="Summary", exact=True).check()
    submit(coord, "Submit for approval")
    assert re.fullmatch(r"/referrals/\d+", path_of(coord)), coord.url
    expect(coord.locator(".flash")).to_contain_text("waits for the approval of")
    expect(coord.locator(".referral-status")).to_have_text("Pending approval")
    expect(coord.locator("main")).to_contain_text(f"request {reference}")

    # Until the Thai agency approves, the asker reads nothing more than "waiting".
    go(page, request_url)
    expect(page.locator(".request-status")).to_have_text("Waiting for an answer")
