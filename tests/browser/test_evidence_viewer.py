"""Browser journey of the evidence viewer and duplicate uploads: an investigator uploads a
photo and opens it in the viewer (fitted to the window, zoom), uploads the same photo again
and is sent to the "keep both" form (warning, link to the first item, reason), then opens a
real three-page PDF rendered page by page. No console error (CSP) on any page; axe checks
each one; the chain of custody holds one event per image or page served."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from anice.models import Role

from ..cases.helpers import new_case
from ..evidence.test_derived import jpeg_with_exif
from ..evidence.test_viewer import three_page_pdf
from ..factories import PASSWORD, Factory
from .a11y import assert_accessible
from .test_cases_journey import field, open_details
from .test_evidence_journey import custody_actions
from .test_journeys import current_code, go, log_in, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

REASON = "The customs scanner's copy, received with its own transmittal"


def upload_file(page, case_url: str, path) -> None:
    go(page, case_url)
    open_details(page, "Add evidence")
    form = page.locator("form.evidence-upload")
    form.locator("input[type=file]").set_input_files(path)
    with page.expect_navigation(url=re.compile(r"/evidence/"), timeout=30_000):
        form.get_by_role("button", name="Upload", exact=True).click()


def image_width(page) -> float:
    return page.locator("img.viewer-content").evaluate("i => i.getBoundingClientRect().width")


def test_viewer_and_duplicate_upload(serve, page, tmp_path, expected_failures):
    live_server = serve()
    with live_server.db() as db:
        investigator = Factory(db).officer(role=Role.INVESTIGATOR, country="MY")
        case = new_case(db, investigator, title="Raid on a Klang warehouse")
        case_url = f"{live_server.url}/cases/{case.id}"
        case_id = case.id
    log_in(page, live_server, investigator.email, PASSWORD,
           current_code(investigator.totp_secret))

    photo = tmp_path / "raid-photo.jpg"
    photo.write_bytes(jpeg_with_exif((2400, 1600)))
    upload_file(page, case_url, photo)
    assert_accessible(page)
    evidence_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("raid-photo.jpg")

    # The viewer: inside the app, the image fitted to the window, the hash beside it.
    with page.expect_navigation(url=re.compile(r"/view$")):
        page.get_by_role("link", name="View", exact=True).click()
    image = page.locator("img.viewer-content")
    expect(image).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.viewer-content').complete")
    assert image.evaluate("i => i.naturalWidth") == 2400
    frame_width = page.locator(".viewer-frame").evaluate("f => f.clientWidth")
    fitted = image_width(page)
    assert 0 < fitted <= frame_width
    expect(page.locator(".viewer-facts code.hash")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(page.locator(".viewer-scale")).to_have_text("Fitted to the window")
    assert_accessible(page)
    page.get_by_role("button", name="Zoom in").click()
    assert image_width(page) > fitted
    page.get_by_role("button", name="Actual size").click()
    expect(page.locator(".viewer-scale")).to_have_text("100 %")
    assert image_width(page) == 2400
    page.get_by_role("button", name="Fit to window").click()
    assert image_width(page) == fitted

    # Opening the evidence page again records nothing; the one preview served is a view.
    go(page, evidence_url)
    go(page, evidence_url)
    assert custody_actions(page) == ["Intake", "View"]

    # The same photo again: the "keep both" form, with a link to the first item.
    expected_failures.append((409, f"/cases/{case_id}/evidence"))
    upload_file(page, case_url, photo)
    assert "/evidence/held/" in page.url
    assert_accessible(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This file is already evidence of the case")
    expect(page.get_by_role("alert")).to_contain_text("raid-photo.jpg")
    expect(page.get_by_role("link", name="raid-photo.jpg")).to_have_attribute(
        "href", evidence_url.removeprefix(live_server.url))
    field(page.locator("main"), "Keep both, because…").fill(REASON)
    submit(page, "Keep both")
    assert re.search(r"/evidence/[0-9a-f]+$", page.url) and page.url != evidence_url
    expect(page.locator("dl.facts").first).to_contain_text(f"kept because: {REASON}")
    assert custody_actions(page) == ["Intake"]

    # A real PDF, page by page.
    pdf = tmp_path / "inventory.pdf"
    pdf.write_bytes(three_page_pdf())
    upload_file(page, case_url, pdf)
    with page.expect_navigation(url=re.compile(r"/view$")):
        page.get_by_role("link", name="View", exact=True).click()
    expect(page.get_by_role("heading", level=2, name="Page 1 of 3")).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.viewer-content').complete")
    assert page.locator("img.viewer-content").evaluate("i => i.naturalWidth") > 0
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Next page").click()
    expect(page.get_by_role("heading", level=2, name="Page 2 of 3")).to_be_visible()
    page.wait_for_function("() => document.querySelector('img.viewer-content').complete")
    assert page.locator("img.viewer-content").evaluate("i => i.naturalWidth") > 0
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="evidence record").click()
    assert custody_actions(page) == ["Intake", "View", "View"]
    expect(page.locator("table.changes tbody tr").nth(2)).to_contain_text("View (page 2)")
