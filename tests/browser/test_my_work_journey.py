"""Browser journey of My work: an investigator has submitted a referral for approval; the
supervisor logs in, finds it on its home page under "Referrals waiting for your approval"
with a count, follows the link to the filtered list and on to the referral, and approves
it; home then says nothing waits. On the way: the referral inbox shows what waits for
approval, and the bell groups a flood of "new link" notices into one entry and puts the
approval first. axe-core checks every page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from anice import notifications as notify
from anice.referrals import service as referrals

from ..factories import Factory
from ..referrals.helpers import draft, world
from .a11y import assert_accessible
from .test_journeys import path_of
from .test_referral_journey import bell, open_link, press, sign_in

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

LINKS = 40  # "new link" notices about one case, on one day


def test_my_work_shows_an_approval_waiting_for_the_supervisor(live_server, new_context):
    with live_server.db() as db:
        w = world(db, Factory(db))
        referral = draft(db, w)
        referrals.submit(db, w.inv_my, referral.id)
        for i in range(LINKS):
            notify.notify(db, [w.sup_my], "correlation.link",
                          f"New link: case MY-X-{i} shares a phone number with your case "
                          f"{w.case.reference}.", url=f"/cases/{w.case.id}",
                          group=f"case:{w.case.id}")
        db.commit()
        reference, referral_id = referral.reference, referral.id

    page = new_context().new_page()
    sign_in(page, live_server, w.sup_my)
    assert_accessible(page)
    approvals = page.locator("#approvals")
    expect(approvals.get_by_role("heading", level=3)).to_contain_text(
        "Referrals waiting for your approval")
    expect(approvals.locator(".badge")).to_have_text("1")
    expect(approvals).to_contain_text(reference)
    expect(page.locator("#to_accept")).to_contain_text(
        "No referral routed to your agency waits for an answer.")

    # The count's link: the outbox filtered to what waits for approval.
    with page.expect_navigation():
        approvals.get_by_role("link", name=re.compile(r"^See all \(1\)")).click()
    assert_accessible(page)
    assert path_of(page) == "/referrals/", page.url
    assert "status=pending_approval" in page.url
    expect(page.locator("table.data tbody tr")).to_have_count(1)
    expect(page.locator("table.data tbody")).to_contain_text(reference)

    # The inbox says so too, instead of "Nothing here".
    page.goto(f"{live_server.url}/referrals/?box=inbox")
    assert_accessible(page)
    waiting = page.locator("section", has=page.get_by_role(
        "heading", name="Waiting for your approval (1)"))
    expect(waiting).to_contain_text(reference)

    # The bell: the approval first, the forty links as one entry; two entries unread.
    expect(bell(page)).to_have_attribute("aria-label", "Notifications: 2 unread")
    with page.expect_navigation():
        bell(page).click()
    assert_accessible(page)
    rows = page.locator("table.notifications > tbody > tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("action needed")
    expect(rows.first).to_contain_text(reference)
    expect(rows.nth(1)).to_contain_text(f"New links between cases: {LINKS}")
    with page.expect_navigation():
        rows.nth(1).get_by_role("button", name=re.compile(r"^Mark all 40 read")).click()
    assert_accessible(page)
    expect(bell(page)).to_have_attribute("aria-label", "Notifications: 1 unread")

    # Home again: follow the referral and approve it; then nothing waits.
    page.goto(live_server.url + "/")
    open_link(page, reference, within="#approvals")
    assert path_of(page) == f"/referrals/{referral_id}", page.url
    press(page, "Approve and send", check=False)
    expect(page.locator(".flash")).to_have_text("Approved and sent.")
    page.goto(live_server.url + "/")
    assert_accessible(page)
    expect(page.locator("#approvals")).to_contain_text("No referral waits for your approval.")
