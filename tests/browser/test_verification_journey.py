"""Verification request pages in a browser (issue 18): an MY investigator asks the holder
about a confirmed match sharing one of two photos (deadline shown first), the holder
answers "counterfeit" with an attachment, the investigator reads the answer on the case
page. Every page is checked with axe. (The full journey of the issue is the
coordinator's; this one covers the pages of this feature.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, Factory
from ..verification.helpers import scene
from .test_journeys import current_code, go, log_in, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_ask_answer_and_read(live_server, new_context, tmp_path):
    with live_server.db() as db:
        s = scene(db, Factory(db))
        db.commit()
        case_id, inv, holder = s.case.id, s.inv, s.holder
        photo = s.photos[0].original_name
    officer_page = new_context().new_page()
    log_in(officer_page, live_server, inv.email, PASSWORD, current_code(inv.totp_secret))
    go(officer_page, f"{live_server.url}/cases/{case_id}")
    with officer_page.expect_navigation():
        officer_page.get_by_role("link", name="Ask the right holder about").first.click()
    page = officer_page
    page.get_by_role("radio", name=re.compile(r"^Nike Innovate C\.V\. ")).check()
    page.get_by_label(f"Evidence: {photo}").check()
    page.get_by_label("Question").fill("Are these NIKE shoes genuine?")
    page.get_by_label("Detention date").fill("2026-10-02")
    page.get_by_label("Working days to answer").fill("10")
    submit(page, "Show the deadline")
    expect(page.locator("#deadline")).to_contain_text("2026-10-16")
    submit(page, "Send the request")
    expect(page.locator("#verifications")).to_contain_text("Nike Innovate C.V.")

    holder_page = new_context().new_page()
    log_in(holder_page, live_server, holder.email, PASSWORD, current_code(holder.totp_secret))
    go(holder_page, f"{live_server.url}/holder/requests/")
    with holder_page.expect_navigation():
        holder_page.locator("main table").get_by_role("link").first.click()
    expect(holder_page.get_by_role("link", name=f"Download {photo}")).to_have_count(1)
    report = tmp_path / "examination.pdf"
    report.write_bytes(b"%PDF-1.7\nExamination report of the holder\n%%EOF\n")
    holder_page.get_by_label("Counterfeit").check()
    holder_page.get_by_label("Statement").fill("The swoosh stitching is wrong.")
    holder_page.get_by_label("Examiner's name").fill("A. Tan")
    holder_page.get_by_label("File a complaint").check()
    holder_page.get_by_label("Attachments (at most 5; sealed into the case's evidence)") \
        .set_input_files(str(report))
    submit(holder_page, "Send the answer")
    expect(holder_page.locator(".flash")).to_contain_text("Your answer was sent.")

    go(page, f"{live_server.url}/cases/{case_id}")
    expect(page.locator("#verifications")).to_contain_text("Counterfeit")
