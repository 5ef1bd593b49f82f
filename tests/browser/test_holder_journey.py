"""Browser journey of issue 18 (right holders): the MY national coordinator registers a
brand owner, invites its representative and links two of its rights; the representative
enrols (password, TOTP) and writes a product identification guide with two images; an MY
investigator confirms a match of a case, sends a verification request sharing one of the
case's two photos; the holder answers "counterfeit" with a statement and an attachment;
the investigator reads the answer in the case timeline and the holder's download in the
photo's chain of custody; another holder gets 404 for the same request. Each person has
their own browser context; axe-core checks every page on the way."""

from __future__ import annotations

import io
import re
import time
from types import SimpleNamespace

import pyotp
import pytest
from PIL import Image
from playwright.sync_api import expect

from anice.models import Right, Role
from anice.verification import holidays as verification_holidays

from ..factories import PASSWORD, Factory
from ..verification.helpers import PHOTO
from .a11y import assert_accessible
from .test_journeys import current_code, go, log_in, path_of, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

HOLDER_PASSWORD = "swoosh ledger harbour 2026"


def picture(path, colour) -> str:
    out = io.BytesIO()
    Image.new("RGB", (160, 100), colour).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return str(path)


def coordinator_registers_and_invites(page, server, rights) -> str:
    """The coordinator's part: register, link two rights, invite; returns the link."""
    go(page, f"{server.url}/holders/")
    page.get_by_label("Organisation name").fill("Nike Innovate C.V.")
    page.get_by_label("Kind").select_option("owner")
    page.get_by_label("How you checked who they are").fill(
        "Dutch trade register extract; call-back to the published number")
    submit(page, "Register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nike Innovate C.V.")
    for right in rights:
        page.get_by_label("Office").fill(right.office)
        page.get_by_label("Right number").fill(right.number)
        page.get_by_label("The organisation is").select_option("owner")
        page.get_by_label("Registered holder (as in the register)").fill(right.owner)
        submit(page, "Confirm and link")
        expect(page.locator(".flash")).to_contain_text(f"{right.office} {right.number} linked")
    page.get_by_label("Full name").fill("Sarah Okafor")
    page.get_by_label("E-mail").fill("sarah.okafor@nike.example")
    submit(page, "Invite")
    link = page.locator("#invite-link").inner_text().strip()
    assert link.startswith(f"{server.url}/invite/"), link
    return link


def holder_enrols(page, link: str) -> None:
    go(page, link)
    page.get_by_label("New password").fill(HOLDER_PASSWORD)
    page.get_by_label("Repeat the password").fill(HOLDER_PASSWORD)
    submit(page, "Continue")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Code shown by the authenticator app").fill(pyotp.TOTP(secret).now())
    submit(page, "Confirm")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is ready")
    with page.expect_navigation():
        page.get_by_role("link", name="Go to the login page").click()
    page.get_by_label("E-mail").fill("sarah.okafor@nike.example")
    page.get_by_label("Password").fill(HOLDER_PASSWORD)
    page.get_by_label("Authenticator code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    submit(page, "Log in")
    assert path_of(page) == "/holders/me", page.url
    # Malay, its organisation's country's language, until it picks English in the footer.
    expect(page.locator("html")).to_have_attribute("lang", "ms")
    submit(page, "English")
    assert path_of(page) == "/holders/me", page.url
    expect(page.locator("html")).to_have_attribute("lang", "en")


def holder_writes_a_guide(page, server, tmp_path) -> None:
    go(page, f"{server.url}/holders/me/guides")
    page.get_by_label("Title").fill("Air Max 90: genuine vs fake")
    page.get_by_label("Product (required)", exact=True).fill("Nike Air Max 90 trainers")
    page.get_by_label("NIKE", exact=False).first.check()
    page.get_by_label("Signs of a counterfeit").fill("Glue stains at the sole")
    submit(page, "Save guide")
    for n, colour in enumerate(((200, 30, 30), (30, 30, 200))):
        page.get_by_label("Image (JPEG").set_input_files(picture(tmp_path / f"g{n}.png", colour))
        page.get_by_label("Caption").fill(f"View {n + 1}")
        submit(page, "Upload image")
    expect(page.locator("figure img")).to_have_count(2)


def investigator_asks_the_holder(page, server, case_id: int, photo: str) -> None:
    """Confirm the NIKE match on the case page, then ask its holder sharing one photo."""
    go(page, f"{server.url}/cases/{case_id}")
    with page.expect_navigation():
        page.get_by_role("button", name="Confirm NIKE", exact=False).first.click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Ask the right holder about").first.click()
    assert_accessible(page)
    page.get_by_role("radio", name=re.compile(r"^Nike Innovate C\.V\. ")).check()
    page.get_by_label(f"Evidence: {photo}").check()
    page.get_by_label("Question").fill("Are these NIKE shoes detained at Port Klang genuine?")
    page.get_by_label("Detention date").fill("2026-10-02")
    page.get_by_label("Working days to answer").fill("10")
    submit(page, "Show the deadline")
    expect(page.locator("#deadline")).to_contain_text("2026-10-16")
    submit(page, "Send the request")
    expect(page.locator("#verifications")).to_contain_text("Nike Innovate C.V.")


def holder_reads_and_answers(page, server, photo: str, other_photo: str, report) -> str:
    """Open the request, download the one shared photo, answer; returns the request URL."""
    go(page, f"{server.url}/holder/requests/")
    with page.expect_navigation():
        page.locator("main table").get_by_role("link").first.click()
    assert_accessible(page)
    url = page.url
    main = page.locator("main")
    expect(main).not_to_contain_text(other_photo)  # only what was shared
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Download {photo}").click()
    assert download.value.suggested_filename == photo
    page.get_by_label("Counterfeit").check()
    page.get_by_label("Statement").fill("The swoosh is printed, not stitched: counterfeit.")
    page.get_by_label("Examiner's name").fill("Sarah Okafor")
    page.get_by_label("File a complaint").check()
    page.get_by_label("Attachments (at most 5; sealed into the case's evidence)") \
        .set_input_files(str(report))
    submit(page, "Send the answer")
    expect(page.locator(".flash")).to_contain_text("Your answer was sent.")
    return url


def test_coordinator_holder_and_investigator(live_server, new_context, tmp_path):
    with live_server.db() as db:
        make = Factory(db)
        coordinator = make.officer(Role.COORDINATOR, country="MY")
        rights = [make.right("MY", mark="NIKE", owner="Nike Innovate C.V.", classes="25"),
                  make.right("MY", mark="AIR MAX", owner="Nike Innovate C.V.",
                             classes="25")]
        inv = make.officer(Role.INVESTIGATOR, country="MY")
        case = make.case(inv, opened=True)  # a seizure of Nike running shoes
        photos = [make.evidence(inv, case, f"label-{n}.pdf", PHOTO + bytes([n]))
                  for n in (1, 2)]
        make.match(inv, case, db.get(Right, rights[0].id), decision=None)
        other = make.holder(rights=(rights[0],))  # another organisation, same right
        verification_holidays.ensure_reference_calendars(db)
        db.commit()
        rights = [SimpleNamespace(id=r.id, office=r.office, number=r.number, owner=r.owner)
                  for r in rights]
        coord_login = coordinator.email, current_code(coordinator.totp_secret)
        inv_login = inv.email, current_code(inv.totp_secret)
        other_login = other.email, other.totp_secret
        case_id, shared, kept = case.id, photos[0].original_name, photos[1].original_name
        shared_id = photos[0].public_id

    coord = new_context().new_page()
    log_in(coord, live_server, coord_login[0], PASSWORD, coord_login[1])
    link = coordinator_registers_and_invites(coord, live_server, rights)

    holder = new_context().new_page()
    holder_enrols(holder, link)
    for right in rights:
        expect(holder.locator("main")).to_contain_text(f"{right.office} {right.number}")
    holder_writes_a_guide(holder, live_server, tmp_path)

    officer = new_context().new_page()
    log_in(officer, live_server, inv_login[0], PASSWORD, inv_login[1])
    investigator_asks_the_holder(officer, live_server, case_id, shared)

    report = tmp_path / "examination.pdf"
    report.write_bytes(b"%PDF-1.7\nExamination report: counterfeit\n%%EOF\n")
    request_url = holder_reads_and_answers(holder, live_server, shared, kept, report)

    # The investigator reads the answer in the timeline and the download in the custody.
    go(officer, f"{live_server.url}/cases/{case_id}")
    timeline = officer.locator("#timeline")
    expect(timeline).to_contain_text("Nike Innovate C.V. answered the verification request")
    expect(timeline).to_contain_text("Counterfeit")
    go(officer, f"{live_server.url}/evidence/{shared_id}")
    custody = officer.locator("table", has_text="download")
    expect(custody).to_contain_text("sarah.okafor@nike.example")

    # Another holder of the same right: the request does not exist for it.
    stranger = new_context().new_page()
    log_in(stranger, live_server, other_login[0], PASSWORD, current_code(other_login[1]))
    assert stranger.goto(request_url).status == 404
