"""Browser journey of what holders keep (issue 18): a holder's representative writes a
product identification guide, uploads two images (without JavaScript: a plain multipart
post) and adds a recordation; an investigator of another country opens the right's page
("Recorded with MY customs until ..."), follows the guide link and sees both images
served by ANICE itself. axe-core checks every page on the way."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from anice.models import Role

from ..factories import PASSWORD, Factory
from .a11y import assert_accessible
from .test_journeys import current_code, go, log_in, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


def picture(path, colour) -> str:
    out = io.BytesIO()
    Image.new("RGB", (120, 80), colour).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return str(path)


def test_holder_writes_a_guide_officer_reads_it(live_server, new_context, tmp_path):
    with live_server.db() as db:
        make = Factory(db)
        nike = make.right("MY", mark="NIKE", owner="Nike Innovate C.V.")
        holder = make.holder(rights=(nike,))
        officer = make.officer(Role.INVESTIGATOR, country="TH")
        right_id = nike.id

    page = new_context().new_page()
    log_in(page, live_server, holder.email, PASSWORD, current_code(holder.totp_secret))
    go(page, f"{live_server.url}/holders/me/guides")
    page.get_by_label("Title").fill("Air Max 90: genuine vs fake")
    page.get_by_label("Product (required)", exact=True).fill("Nike Air Max 90 trainers")
    page.get_by_label("NIKE", exact=False).check()
    page.get_by_label("Signs of a counterfeit").fill("Glue stains at the sole")
    submit(page, "Save guide")
    expect(page.locator("h1")).to_have_text("Air Max 90: genuine vs fake")
    for n, colour in enumerate(((200, 30, 30), (30, 30, 200))):
        page.get_by_label("Image (JPEG").set_input_files(picture(tmp_path / f"v{n}.png", colour))
        page.get_by_label("Caption").fill(f"View {n + 1}")
        submit(page, "Upload image")
    expect(page.locator("figure img")).to_have_count(2)

    go(page, f"{live_server.url}/holders/me/recordations")
    page.get_by_label("Right (required)", exact=True).select_option(str(right_id))
    page.get_by_label("Member state (code)").fill("MY")
    page.get_by_label("Authority").select_option("customs")
    page.get_by_label("Recordation or application number").fill("JKDM/IPR/2025/0117")
    page.get_by_label("Valid from").fill("2025-04-01")
    page.get_by_label("Valid until").fill("2027-03-31")
    submit(page, "Save recordation")

    other = new_context().new_page()
    log_in(other, live_server, officer.email, PASSWORD, current_code(officer.totp_secret))
    go(other, f"{live_server.url}/rights/{right_id}")
    expect(other.locator("main")).to_contain_text("Recorded with MY customs until 2027-03-31")
    with other.expect_navigation():
        other.get_by_role("link", name="Air Max 90: genuine vs fake").click()
    assert_accessible(other)
    images = other.locator("figure img")
    expect(images).to_have_count(2)
    widths = [images.nth(i).evaluate("img => img.naturalWidth") for i in range(2)]
    assert widths == [120, 120]  # decrypted and served by ANICE, shown inline
    expect(other.get_by_role("button", name="Withdraw the guide")).to_have_count(0)
