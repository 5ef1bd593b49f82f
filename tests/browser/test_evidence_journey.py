"""Browser journey of the Evidence issue: an investigator uploads a 3 MB PDF to a draft case
with the page's script (XHR with a progress bar), verifies it, downloads and exports it and
reads the chain of custody; a PDF named like a photo and a file over the size limit are
refused in the status line without leaving the case page. axe-core checks the case page
with the upload form open and the evidence page. The same form also works without
JavaScript (a plain post with flashes)."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from anice.models import Role

from ..cases.helpers import new_case
from ..factories import PASSWORD, Factory
from .a11y import assert_accessible
from .test_cases_journey import field, open_details
from .test_journeys import current_code, fill_login, go, log_in, path_of, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

FILE_NAME = "raid-inventory.pdf"
WHERE = "Warehouse 4, Jalan Klang Lama"
HOW = "Scanned from the seizure list signed on site"
EXPORT_REASON = "Court bundle for the Sessions Court, Shah Alam"
LIMIT = 4 * 1024**2  # the server's evidence size limit here: 3 MB fits, 5 MB does not

# Records what the upload form shows while the script sends the file: the progress bar's
# value (None while hidden), the status line and whether the button is disabled, in
# sessionStorage (kept across the navigation to the evidence page).
WATCH_UPLOAD = """() => {
  const form = document.querySelector("form.evidence-upload");
  const bar = form.querySelector(".upload-progress");
  const status = form.querySelector(".upload-status");
  const button = form.querySelector("button[type=submit]");
  sessionStorage.setItem("upload-log", "[]");
  const note = () => {
    const log = JSON.parse(sessionStorage.getItem("upload-log"));
    log.push({bar: bar.hidden ? null : bar.value, status: status.textContent,
              busy: button.disabled});
    sessionStorage.setItem("upload-log", JSON.stringify(log));
  };
  new MutationObserver(note).observe(form, {subtree: true, attributes: true,
                                             childList: true, characterData: true});
}"""


def pdf_file(path: Path, size: int = 3_000_000) -> bytes:
    """A PDF-like file of about ``size`` bytes (the content sniffing reads its header)."""
    line = b"0 0 0 RG 72 720 m 540 720 l S % ANICE evidence journey\n"
    data = b"%PDF-1.7\n" + line * (size // len(line)) + b"%%EOF\n"
    path.write_bytes(data)
    return data


def throttle(cdp, upload_bytes_per_second: int) -> None:
    """Limit the page's upload speed (-1: no limit), as on a slow connection."""
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 0, "downloadThroughput": -1,
        "uploadThroughput": upload_bytes_per_second})


def upload_log(page) -> list[dict]:
    return json.loads(page.evaluate("sessionStorage.getItem('upload-log')") or "[]")


def custody_actions(page) -> list[str]:
    return [text.split(":")[0].split(" (")[0]
            for text in page.locator("table.changes tbody tr td:nth-child(2)").all_inner_texts()]


def test_upload_verify_download_and_custody(serve, page, tmp_path, expected_failures):
    live_server = serve(EVIDENCE_MAX_BYTES=LIMIT)
    with live_server.db() as db:
        investigator = Factory(db).officer(role=Role.INVESTIGATOR, country="MY")
        case = new_case(db, investigator, title="Raid on a Klang warehouse")
        case_id, reference = case.id, case.reference

    log_in(page, live_server, investigator.email, PASSWORD,
           current_code(investigator.totp_secret))
    go(page, f"{live_server.url}/cases/{case_id}")
    case_url = page.url
    evidence = page.locator("#evidence")
    expect(evidence.locator("tbody")).to_have_text("No evidence yet.")
    open_details(page, "Add evidence")  # axe runs with the form open
    form = evidence.locator("form.evidence-upload")
    status = form.locator(".upload-status")
    bar = form.locator(".upload-progress")
    upload_button = form.get_by_role("button", name="Upload", exact=True)

    # A PDF named like a photo: refused by the server (422 to the script), shown in the
    # status line; the page stays, nothing is listed, the form can be used again.
    expected_failures.append((422, f"/cases/{case_id}/evidence"))
    wrong = tmp_path / "photo.jpg"
    pdf_file(wrong, 50_000)
    file_input = form.get_by_label(
        "File (encrypted before it is stored; up to 4.0 MiB)", exact=True)
    file_input.set_input_files(wrong)
    upload_button.click()
    expect(status).to_contain_text("Upload refused:")
    expect(status).to_contain_text("not what the name 'photo.jpg' says (.jpg)")
    assert page.url == case_url, page.url
    expect(bar).to_be_hidden()
    expect(upload_button).to_be_enabled()
    expect(evidence.locator("tbody")).to_have_text("No evidence yet.")
    assert_accessible(page)

    # Over loopback a file is sent at once: at 3 MB/s the progress bar has time to move.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    throttle(cdp, 3_000_000)

    # Over the limit: the bar fills as the file is sent, then the server's refusal is shown.
    pdf_file(tmp_path / "too-big.pdf", 5_000_000)
    file_input.set_input_files(tmp_path / "too-big.pdf")
    page.evaluate(WATCH_UPLOAD)
    upload_button.click()
    expect(status).to_have_text(
        f"Upload refused: file: is larger than the limit of {LIMIT:,} bytes", timeout=30_000)
    assert page.url == case_url, page.url
    expect(bar).to_be_hidden()
    expect(upload_button).to_be_enabled()
    log = upload_log(page)
    assert any(e["bar"] is not None and e["busy"] for e in log), log
    expect(evidence.locator("tbody")).to_have_text("No evidence yet.")

    # The real file, with where and how it was acquired.
    path = tmp_path / FILE_NAME
    data = pdf_file(path)
    digest = hashlib.sha256(data).hexdigest()
    file_input.set_input_files(path)
    field(form, "Where").fill(WHERE)
    field(form, "How (seized, photographed, captured…)").fill(HOW)
    field(form, "Description").fill("Inventory of the seized goods, 3 pages.")
    page.evaluate(WATCH_UPLOAD)
    with page.expect_navigation(url=re.compile(r"/evidence/[^/]+$"), timeout=30_000):
        upload_button.click()
    throttle(cdp, -1)
    assert_accessible(page)
    log = upload_log(page)
    sending = [e for e in log if e["status"].startswith("Uploading and encrypting: ")]
    assert sending and all(e["busy"] for e in sending), log
    values = [e["bar"] for e in sending]
    assert any(0 < v < 100 for v in values) and values == sorted(values), log
    assert all(e["status"] == f"Uploading and encrypting: {e['bar']} %" for e in sending), log
    assert log[-1]["status"] == "Received, sealed and hashed.", log

    # The evidence page: intake facts, the hash of the very bytes sent.
    evidence_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(FILE_NAME)
    expect(page.locator("main").get_by_role("link", name=reference, exact=True)).to_be_visible()
    facts = page.locator("dl.facts")
    expect(facts.locator("code.hash")).to_have_text(digest)
    expect(facts).to_contain_text(f"{len(data):,} bytes")
    expect(facts).to_contain_text("application/pdf")
    expect(facts).to_contain_text(WHERE)
    expect(facts).to_contain_text(HOW)
    expect(facts).to_contain_text("held, encrypted (local)")
    # Every item has a viewer page (this PDF-like file is not renderable: facts + download).
    expect(page.get_by_role("link", name="View", exact=True)).to_have_count(1)
    assert custody_actions(page) == ["Intake"]

    # Verify: the content is decrypted and hashed again.
    submit(page, "Verify integrity now")
    assert page.url == evidence_url, page.url
    expect(page.locator(".flash")).to_have_text("Verified: the content matches its SHA-256.")
    expect(facts).to_contain_text("matches")
    expect(page.locator("table.changes tbody tr").nth(1)).to_contain_text("Verify (ok)")

    # Download: the same bytes come back.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download", exact=True).click()
    download = info.value
    assert download.suggested_filename == FILE_NAME
    assert hashlib.sha256(Path(download.path()).read_bytes()).hexdigest() == digest

    # Export for court, with its reason.
    open_details(page, "Export for court or another authority")
    field(page.locator("main"), "Reason for the export").fill(EXPORT_REASON)
    with page.expect_download() as info:
        page.get_by_role("button", name="Export", exact=True).click()
    assert hashlib.sha256(Path(info.value.path()).read_bytes()).hexdigest() == digest

    # The chain of custody, in order, with who (e-mail) and the export's reason.
    go(page, evidence_url)
    assert custody_actions(page) == ["Intake", "Verify", "Download", "Export"]
    rows = page.locator("table.changes tbody tr")
    expect(rows.nth(3)).to_contain_text(f"Export: {EXPORT_REASON}")
    for row in rows.all():
        expect(row).to_contain_text(investigator.email)

    # Back on the case page the item is listed with its hash.
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name=reference, exact=True).click()
    assert_accessible(page)
    assert path_of(page) == f"/cases/{case_id}"
    listed = page.locator("#evidence tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first.get_by_role("link", name=FILE_NAME, exact=True)).to_be_visible()
    expect(listed.first).to_contain_text(digest[:16])
    expect(listed.first).to_contain_text(f"{len(data):,}")


def test_upload_without_javascript(serve, browser, tmp_path):
    """The same form without the script: a plain multipart post, answered with redirects
    and flashes (the CSRF token travels in the form's action). axe needs JavaScript; these
    pages are checked with it above."""
    live_server = serve(EVIDENCE_MAX_BYTES=LIMIT)
    with live_server.db() as db:
        investigator = Factory(db).officer(role=Role.INVESTIGATOR, country="MY")
        case_id = new_case(db, investigator).id

    context = browser.new_context(java_script_enabled=False, locale="en-GB", timezone_id="UTC")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()

        def press(button: str) -> None:
            with page.expect_navigation():
                page.get_by_role("button", name=button, exact=True).click()

        page.goto(f"{live_server.url}/login")
        fill_login(page, investigator.email, PASSWORD, current_code(investigator.totp_secret))
        press("Log in")
        assert path_of(page) == "/", page.url
        page.goto(f"{live_server.url}/cases/{case_id}")
        form = page.locator("form.evidence-upload")
        file_input = form.get_by_label(
            "File (encrypted before it is stored; up to 4.0 MiB)", exact=True)

        page.locator("summary", has_text="Add evidence").click()
        pdf_file(tmp_path / "photo.jpg", 50_000)
        file_input.set_input_files(tmp_path / "photo.jpg")
        press("Upload")
        assert path_of(page) == f"/cases/{case_id}", page.url
        expect(page.locator(".flash")).to_have_text(
            "Upload refused: file: the content is a PDF document, not what the name 'photo.jpg' "
            "says (.jpg)")
        expect(page.locator("#evidence tbody")).to_have_text("No evidence yet.")

        data = pdf_file(tmp_path / FILE_NAME, 200_000)
        page.locator("summary", has_text="Add evidence").click()
        file_input.set_input_files(tmp_path / FILE_NAME)
        press("Upload")
        assert re.fullmatch(r"/evidence/[^/]+", path_of(page)), page.url
        expect(page.locator(".flash")).to_have_text(f"{FILE_NAME} received, sealed and hashed.")
        expect(page.locator("code.hash")).to_have_text(hashlib.sha256(data).hexdigest())
    finally:
        context.close()
