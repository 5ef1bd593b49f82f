"""Browser journey of the Referrals issue: an investigator in MY refers a case to Thailand
from its page, sharing one of its three evidence items; the MY supervisor approves it from
the bell; the TH coordinator routes it from the inbox; the agency's supervisor accepts (a
linked case opens) and puts an investigator on it; that investigator reads exactly the one
shared item and downloads it; the MY investigator sees the download in that item's chain
of custody. Every officer has their own browser context. axe-core checks the referral pages
(form, inbox, each side's view of the referral) and the notifications; pages that other
journeys check (login, home, case and evidence pages) are only passed through, to keep the
test short."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from anice.models import CustodyEvent, Referral, ReferralStatus

from ..factories import PASSWORD, Factory
from ..referrals.helpers import world
from . import screenshots
from .a11y import assert_accessible
from .test_cases_journey import field
from .test_journeys import MAIN_NAV, current_code, fill_login, path_of

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

MESSAGE = "The same supplier ships these track suits to Bangkok. Please investigate."
ACTION = "Investigate"
HANDLING = "For the recipient's agency only"
TH_AGENCY = "Department of Intellectual Property"
SHARED = 1  # of the case's three evidence items, the one that is shared


def sign_in(page, server, officer) -> None:
    page.goto(f"{server.url}/login")
    fill_login(page, officer.email, PASSWORD, current_code(officer.totp_secret))
    with page.expect_navigation():
        page.get_by_role("button", name="Log in", exact=True).click()
    assert path_of(page) == "/", page.url


def press(page, button: str, check: bool = True) -> None:
    """Press a submit button, wait for the next page; axe-check it unless told not to."""
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name=button, exact=True).click()
    if check:
        assert_accessible(page)


def open_link(page, name: str, within: str = "main", check: bool = True) -> None:
    with page.expect_navigation():
        page.locator(within).get_by_role("link", name=name, exact=True).first.click()
    if check:
        assert_accessible(page)


def bell(page):
    return page.locator("header a.bell")


def open_from_bell(page, reference: str, check: bool = True) -> None:
    """Follow the bell to the notifications, then open the one about the referral."""
    with page.expect_navigation():
        bell(page).click()
    if check:
        assert_accessible(page)
    row = page.locator("table.notifications tbody tr", has_text=reference)
    expect(row).to_have_count(1)
    with page.expect_navigation():
        row.get_by_role("button", name=re.compile(r"^Open")).click()
    assert_accessible(page)


def status(page):
    return page.locator(".referral-status")


def test_referral_shares_one_item_and_the_sender_sees_its_download(live_server, new_context):
    with live_server.db() as db:
        w = world(db, Factory(db))
        # Names as the officers would see them (for the screenshot).
        w.case.agency.name = "Ministry of Domestic Trade and Cost of Living"
        w.th_police.name = TH_AGENCY
        w.th_customs.name = "Customs Department"
        for officer, name in ((w.inv_my, "Nurul Aisyah binti Hassan"),
                              (w.sup_my, "Rajesh a/l Kumar"),
                              (w.coord_th, "Somchai Wongsakul"), (w.sup_th, "Kanya Srisuk"),
                              (w.inv_th, "Arthit Chaiyaporn")):
            officer.name = name
        db.commit()
        case_id, case_reference = w.case.id, w.case.reference
        names = [e.original_name for e in w.evidence]
        shared = w.evidence[SHARED]
        shared_id, shared_db_id, shared_sha256 = shared.public_id, shared.id, shared.sha256
    others = [n for i, n in enumerate(names) if i != SHARED]
    deadline = (date.today() + timedelta(days=30)).isoformat()

    def officer_page(officer):
        page = new_context().new_page()
        sign_in(page, live_server, officer)
        return page

    # The MY investigator refers the case to Thailand from its page.
    inv = officer_page(w.inv_my)
    inv.goto(f"{live_server.url}/cases/{case_id}")
    assert_accessible(inv)  # with its referrals section
    expect(inv.locator("#referrals")).to_contain_text("No referrals.")
    open_link(inv, "Refer this case to another member state")
    assert path_of(inv) == "/referrals/new", inv.url
    expect(inv.get_by_role("heading", level=1)).to_have_text(
        f"Refer case {case_reference} to another member state")
    form = inv.locator("form.referral-form")
    form.get_by_role("checkbox", name="Thailand (TH)", exact=True).check()
    field(form, "Requested action").select_option(label=ACTION)
    field(form, "Handling code").select_option(label=HANDLING)
    field(form, "Answer by").fill(deadline)
    field(form, "Message to the receiver").fill(MESSAGE)
    evidence_boxes = form.get_by_role("group", name="Evidence").get_by_role("checkbox")
    expect(evidence_boxes).to_have_count(3)
    chosen = form.get_by_role("checkbox", name=re.compile(rf"^{re.escape(names[SHARED])} "))
    chosen.check()
    expect(chosen).to_be_checked()
    assert [box.is_checked() for box in evidence_boxes.all()].count(True) == 1
    press(inv, "Submit for approval")
    assert re.fullmatch(r"/referrals/\d+", path_of(inv)), inv.url
    referral_url = inv.url
    reference = inv.get_by_role("heading", level=1).inner_text().removeprefix("Referral ")
    expect(inv.locator(".flash")).to_have_text(f"Submitted: {reference}.")
    expect(status(inv)).to_have_text("Pending approval")

    # The MY supervisor: the bell counts one, and leads to the referral; approve it.
    sup = officer_page(w.sup_my)
    expect(bell(sup)).to_have_attribute("aria-label", "Notifications: 1 unread")
    expect(bell(sup).locator(".bell-count")).to_have_text("1")
    open_from_bell(sup, reference)
    assert sup.url == referral_url, sup.url
    expect(bell(sup)).to_have_attribute("aria-label", "Notifications: 0 unread")
    shares = sup.locator("#shared")
    expect(shares.locator("table.shared-evidence tbody tr")).to_have_count(1)
    expect(shares).to_contain_text(names[SHARED])
    press(sup, "Approve and send", check=False)
    expect(sup.locator(".flash")).to_have_text("Approved and sent.")
    expect(status(sup)).to_have_text("Sent")

    # The TH coordinator finds it in the inbox and routes it to the agency.
    coord = officer_page(w.coord_th)
    expect(bell(coord)).to_have_attribute("aria-label", "Notifications: 1 unread")
    open_link(coord, "Referrals", within=MAIN_NAV)
    tabs = coord.get_by_role("navigation", name="Referral boxes")
    expect(tabs.locator("[aria-current=page]")).to_contain_text("Inbox")
    expect(tabs).to_contain_text("1 waiting")
    rows = coord.locator("table.data tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(reference)
    open_link(coord, reference)
    assert coord.url == referral_url, coord.url
    expect(coord.locator("dl.facts").first).to_contain_text(HANDLING)
    field(coord.locator("#actions"), "Route to agency").select_option(label=TH_AGENCY)
    press(coord, "Route", check=False)
    expect(status(coord)).to_have_text("Routed")

    # The agency's supervisor accepts (a linked case opens) and puts an investigator on it.
    th_sup = officer_page(w.sup_th)
    expect(bell(th_sup)).to_have_attribute("aria-label", "Notifications: 1 unread")
    open_from_bell(th_sup, reference, check=False)
    expect(th_sup.locator("#shared table.shared-evidence tbody tr")).to_have_count(1)
    press(th_sup, "Accept and open a linked case", check=False)
    expect(th_sup.locator(".flash")).to_have_text(
        "Accepted: your agency's linked case is open.")
    expect(status(th_sup)).to_have_text("Accepted")
    with live_server.db() as db:
        referral = db.scalar(select(Referral).where(Referral.reference == reference))
        assert referral.status == ReferralStatus.ACCEPTED
        linked_reference = referral.linked_case.reference
    open_link(th_sup, linked_reference, check=False)
    assert re.fullmatch(r"/cases/\d+", path_of(th_sup)), th_sup.url
    expect(th_sup.locator("#referrals")).to_contain_text(f"from {w.case.agency.name} (MY)")
    team = th_sup.locator("#team")
    field(team, "Assign an officer").select_option(label="Arthit Chaiyaporn (Investigator)")
    press(th_sup, "Assign", check=False)
    expect(team.locator("ul.plain")).to_contain_text("Arthit Chaiyaporn")

    # Its investigator reads exactly the shared item, through the linked case's referral.
    th_inv = officer_page(w.inv_th)
    open_link(th_inv, "Referrals", within=MAIN_NAV, check=False)
    open_link(th_inv, reference)
    assert th_inv.url == referral_url, th_inv.url
    expect(th_inv.locator("#shared-h")).to_have_text("Shared with you")
    listed = th_inv.locator("#shared table.shared-evidence tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first.locator("td").first).to_have_text(names[SHARED])
    main = th_inv.locator("main")
    for name in others:  # not even their names
        expect(main).not_to_contain_text(name)
    expect(main.get_by_role("link", name=linked_reference, exact=True)).to_be_visible()
    expect(main.get_by_role("link", name="open the case")).to_have_count(0)
    expect(th_inv.locator("#actions")).to_have_count(0)  # nothing for them to decide
    # From the top of the page's content: the summary and the shared item in view.
    th_inv.evaluate("window.scrollTo(0, document.querySelector('main').offsetTop)")
    screenshots.save(th_inv, "referral")
    with th_inv.expect_download() as info:
        listed.first.get_by_role("link", name=f"Download {names[SHARED]}", exact=True).click()
    download = info.value
    assert download.suggested_filename == names[SHARED]
    assert hashlib.sha256(Path(download.path()).read_bytes()).hexdigest() == shared_sha256

    # The MY investigator sees that download in the item's chain of custody.
    inv.goto(referral_url)
    expect(status(inv)).to_have_text("Accepted")
    # Approved and sent, then accepted.
    expect(bell(inv)).to_have_attribute("aria-label", "Notifications: 2 unread")
    open_link(inv, f"Chain of custody of {names[SHARED]}", within="#shared", check=False)
    assert path_of(inv) == f"/evidence/{shared_id}", inv.url
    last = inv.locator("table.changes tbody tr").last
    expect(last).to_contain_text(
        f"Download · by {TH_AGENCY} (TH) through referral {reference}")
    expect(last).to_contain_text(w.inv_th.email)
    with live_server.db() as db:
        reads = db.scalars(select(CustodyEvent).where(CustodyEvent.actor_id == w.inv_th.id))
        assert [(e.evidence_id, e.action.value) for e in reads] == [(shared_db_id, "download")]
