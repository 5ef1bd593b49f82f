"""Browser journey of the Reports issue: a national coordinator opens the monthly national
report from the archive, sees its charts (served SVG images that load), downloads the PDF
(a valid PDF with the figures in its text); then asks for a custom range, whose progress
page follows the job with its script and opens the report when it is done."""

from __future__ import annotations

import io
import re
import threading
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from anice import jobs
from anice.models import Role
from anice.reports import service
from anice.reports.periods import Scope, parse_period

from ..factories import PASSWORD, Factory
from ..reports.helpers import build_world
from . import screenshots
from .a11y import assert_accessible
from .test_journeys import current_code, go, log_in

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_coordinator_reads_the_monthly_report_and_downloads_the_pdf(live_server, page):
    with live_server.db() as db:
        factory = Factory(db)
        build_world(db, factory)
        coordinator = factory.officer(role=Role.COORDINATOR, country="MY")
        report = service.generate(db, Scope.country("MY"), parse_period("2026-10"),
                                  origin="schedule", today=date(2026, 11, 25)).report
        db.commit()
        report_id, digest = report.id, report.sha256

    log_in(page, live_server, coordinator.email, PASSWORD,
           current_code(coordinator.totp_secret))
    with page.expect_navigation():
        page.locator("nav[aria-label=Main]").get_by_role("link", name="Reports",
                                                         exact=True).click()
    assert_accessible(page)
    archive = page.locator("main table.data").last
    expect(archive).to_contain_text("Monthly national report")
    with page.expect_navigation():
        archive.get_by_role("link", name="2026-10", exact=True).click()
    assert_accessible(page)
    assert page.url.endswith(f"/reports/{report_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Malaysia: October 2026")
    expect(page.locator("ul.summary")).to_contain_text(
        "Seizure value up 1591% on the previous month (USD 1,860 against USD 110).")
    expect(page.locator("#t-seizures tfoot")).to_contain_text("8,454.55")

    charts = page.locator("figure.chart img")
    expect(charts).to_have_count(4)
    for chart in charts.all():
        chart.scroll_into_view_if_needed()
        expect(chart).to_be_visible()
        assert chart.evaluate("img => img.complete && img.naturalWidth > 0"), \
            chart.get_attribute("src")
        assert re.search(r"/charts/\w+\.svg\?lang=en$", chart.get_attribute("src"))
    page.evaluate("window.scrollTo(0, 0)")
    screenshots.save(page, "report")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF", exact=True).click()
    download = info.value
    assert download.suggested_filename == f"anice-report-{report_id}-2026-10.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert digest in text.replace("\n", "")
    for figure in ("Malaysia · October 2026", "1,860.00", "8,454.55", "1,420.00",
                   f"Page 2 of {len(reader.pages)}"):
        assert figure in text, figure
    assert "nike" in text  # brands are grouped and shown by the matcher's folded reading
    assert sum(len(p.images) for p in reader.pages) >= 4


def test_custom_range_report_shows_its_progress(live_server, page, monkeypatch):
    monkeypatch.setattr(jobs, "run_outbox", lambda ids: 0)  # no worker has the job yet
    with live_server.db() as db:
        factory = Factory(db)
        build_world(db, factory)
        coordinator = factory.officer(role=Role.COORDINATOR, country="MY")
        queued = service.request_report(db, coordinator, {"start": "2026-10-01",
                                                          "end": "2026-10-15"})
        db.commit()
        report_id = queued.id

    log_in(page, live_server, coordinator.email, PASSWORD,
           current_code(coordinator.totp_secret))
    go(page, f"{live_server.url}/reports/{report_id}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Custom range national report MY, 2026-10-01..2026-10-15")
    expect(page.locator(".report-status")).to_contain_text("Waiting for a worker")
    expect(page.get_by_role("link", name="Refresh", exact=True)).to_be_visible()

    def work() -> None:  # a worker picks the job up
        from workers.reports import run_report

        with live_server.app.app_context():
            run_report(report_id)

    worker = threading.Thread(target=work)
    with page.expect_navigation(timeout=30_000):
        worker.start()
    worker.join(30)
    assert page.url.endswith(f"/reports/{report_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Malaysia: 01 Oct 2026 to 15 Oct 2026")
    assert_accessible(page)
