"""Report pages over HTTP: who sees what (404 otherwise), the on-demand request, the page
with its charts, and the PDF, CSV and XLSX downloads; the secretariat never reaches a case."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from anice import jobs
from anice.auth import tokens
from anice.models import AuditEvent, Evidence, Role
from anice.models.report import Report
from anice.reports import service
from anice.reports.periods import Scope, parse_period

from ..cases.helpers import new_case
from ..evidence.test_service import pdf_bytes, upload
from .helpers import refer

TODAY = date(2026, 11, 25)


def national(db, country="MY", period="2026-10"):
    report = service.generate(db, Scope.country(country), parse_period(period), origin="cli",
                              today=TODAY).report
    db.commit()
    return report


def test_coordinator_reads_the_national_report(client, db, make, auth, world):
    report = national(db)
    coordinator = make.officer(role=Role.COORDINATOR, country="MY")
    auth.login(coordinator)
    home = client.get("/").get_data(as_text=True)
    assert 'href="/reports/"' in home
    index = client.get("/reports/")
    assert index.status_code == 200 and f'/reports/{report.id}"' in index.get_data(as_text=True)
    page = client.get(f"/reports/{report.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Malaysia: October 2026" in html and report.sha256 in html
    assert "Seizure value up 1591% on the previous month (USD 1,860 against USD 110)." in html
    assert "8,454.55" in html and "1,420.00" in html and "6,454.55" in html
    for name in ("trend", "comparison", "seizures", "takedowns"):
        assert f"/reports/{report.id}/charts/{name}.svg" in html
        chart = client.get(f"/reports/{report.id}/charts/{name}.svg")
        assert chart.status_code == 200 and chart.mimetype == "image/svg+xml"
        assert b"<svg" in chart.data
    png = client.get(f"/reports/{report.id}/charts/trend.png")
    assert png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")
    assert client.get(f"/reports/{report.id}/charts/nope.svg").status_code == 404
    assert client.get(f"/reports/{report.id}/charts/trend.gif").status_code == 404


def test_pdf_is_a_document_with_the_figures(client, db, make, auth, world):
    report = national(db)
    auth.login(make.officer(role=Role.COORDINATOR, country="MY"))
    response = client.get(f"/reports/{report.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["X-Content-SHA256-Figures"] == report.sha256
    reader = PdfReader(io.BytesIO(response.data))
    pages = [p.extract_text() for p in reader.pages]
    assert len(pages) >= 5
    assert "ANICE enforcement report" in pages[0] and "Malaysia" in pages[0]
    assert "October 2026" in pages[0] and report.sha256 in pages[0].replace("\n", "")
    assert "Contents" in pages[1] and "Seizures" in pages[1] and "Referrals" in pages[1]
    text = "\n".join(pages)
    assert "Malaysia · October 2026" in pages[2]  # the header
    assert f"Page 3 of {len(pages)}" in pages[2]
    for figure in ("1,860.00", "8,454.55", "6,454.55", "1,420.00", "nike", "33.3%",
                   "Seizure value up 1591% on the previous month"):
        assert figure in text, figure
    images = sum(len(p.images) for p in reader.pages)
    assert images >= 4  # the charts
    row = db.scalar(select(AuditEvent).where(AuditEvent.action == "report.export"))
    assert row.details == {"format": "pdf", "sha256": report.sha256}


def test_csv_and_xlsx(client, db, make, auth, world):
    report = national(db)
    # A brand that looks like a formula must not become one in a spreadsheet.
    report.figures = {**report.figures, "seizures": {
        **report.figures["seizures"],
        "brands": [{"brand": "=HYPERLINK(\"x\")", "cases": 1, "items": 1,
                    "value_usd": "1.00"}]}}
    db.commit()
    auth.login(make.officer(role=Role.COORDINATOR, country="MY"))
    response = client.get(f"/reports/{report.id}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert ["Scope", "Malaysia"] in rows
    assert ["Total", "3", "2", "", "1860.00", "8454.55"] in rows
    assert any(r and r[0] == "'=HYPERLINK(\"x\")" for r in rows)
    assert not any(r and r[0].startswith("=") for r in rows)
    book = load_workbook(io.BytesIO(client.get(f"/reports/{report.id}.xlsx").data))
    assert "Report" in book.sheetnames and len(book.sheetnames) > 5
    cells = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    assert 8454.55 in cells and "'=HYPERLINK(\"x\")" in cells


def test_other_scopes_are_not_found(client, db, make, auth, world):
    my = national(db)
    th = national(db, "TH")
    agency = service.generate(db, Scope.agency(world.a1.id, "MY"), parse_period("2026-10"),
                              origin="cli", today=TODAY).report
    region = service.generate(db, Scope.region(), parse_period("2026-10"), origin="cli",
                              today=TODAY).report
    db.commit()
    cases = [(make.officer(role=Role.COORDINATOR, country="TH"), th, [my, agency, region]),
             (make.officer(role=Role.SUPERVISOR, agency=world.a1), agency, [my, th, region]),
             (make.officer(role=Role.SUPERVISOR, agency=world.a2), None, [my, agency, region]),
             (make.officer(role=Role.SECRETARIAT), region, [my, th, agency])]
    for officer, mine, others in cases:
        auth.login(officer)
        if mine is not None:
            assert client.get(f"/reports/{mine.id}").status_code == 200
        listing = client.get("/reports/").get_data(as_text=True)
        for other in others:
            for suffix in ("", ".pdf", ".csv", ".xlsx", "/status.json", "/charts/trend.svg"):
                assert client.get(f"/reports/{other.id}{suffix}").status_code == 404
            assert f'/reports/{other.id}"' not in listing
        auth.logout()
    for role in (Role.ADMIN, Role.INVESTIGATOR, Role.PROSECUTOR):
        officer = make.officer(role=role, country="MY")
        auth.login(officer)
        assert client.get("/reports/").status_code == 404
        assert client.get(f"/reports/{my.id}").status_code == 404
        assert 'href="/reports/"' not in client.get("/").get_data(as_text=True)
        auth.logout()
    assert client.get("/reports/").status_code == 302  # to the login page


def test_regional_page_withholds_small_cells(client, db, make, auth, world):
    region = service.generate(db, Scope.region(), parse_period("2026-10"), origin="cli",
                              today=TODAY).report
    db.commit()
    auth.login(make.officer(role=Role.SECRETARIAT))
    html = client.get(f"/reports/{region.id}").get_data(as_text=True)
    assert "ASEAN region: October 2026" in html
    assert "c: withheld, so that no single case can be singled out (fewer than 3 cases" in html
    assert 'class="withheld"' in html
    assert "Report test case" not in html and "MY-A1-2026" not in html  # no case content
    pdf = PdfReader(io.BytesIO(client.get(f"/reports/{region.id}.pdf").data))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "1,947.00" in text and "Report test case" not in text  # c2 (restricted): not counted


def test_on_demand_request_with_progress(client, db, make, auth, world, monkeypatch):
    coordinator = make.officer(role=Role.COORDINATOR, country="MY")
    auth.login(coordinator)
    response = client.post("/reports/", data={"period": "", "start": "2026-10-01",
                                              "end": "2026-10-31"})
    assert response.status_code == 302
    report_id = int(re.search(r"/reports/(\d+)$", response.headers["Location"])[1])
    status = client.get(f"/reports/{report_id}/status.json").get_json()
    assert status == {"id": report_id, "status": "done", "progress": 100, "error": None,
                      "url": f"/reports/{report_id}"}  # inline without Redis
    html = client.get(f"/reports/{report_id}").get_data(as_text=True)
    assert "01 Oct 2026 to 31 Oct 2026" in html
    # A queued one (no worker has taken its job yet) shows the progress page, which works
    # without JavaScript.
    monkeypatch.setattr(jobs, "run_outbox", lambda ids: 0)
    queued = service.request_report(db, coordinator, {"period": "2026-09"})
    db.commit()
    assert db.get(Report, queued.id).status.value == "queued"
    page = client.get(f"/reports/{queued.id}").get_data(as_text=True)
    assert f'data-status-url="/reports/{queued.id}/status.json"' in page
    assert "report-progress.js" in page and ">Refresh</a>" in page
    assert "<script>" not in page


def test_bad_request_is_422_with_the_field(client, db, make, auth, world):
    auth.login(make.officer(role=Role.SUPERVISOR, agency=world.a1))
    response = client.post("/reports/", data={"period": "2026-13"})
    assert response.status_code == 422
    assert ("Month, quarter or year: &#39;2026-13&#39;: the month must be 01 to 12"
            in response.get_data(as_text=True))
    assert db.scalar(select(Report)) is None


def test_subscriptions_form(client, db, make, auth, world):
    supervisor = make.officer(role=Role.SUPERVISOR, agency=world.a1)
    auth.login(supervisor)
    assert client.post("/reports/subscriptions", data={"kinds": ["month", "year"]}
                       ).status_code == 302
    html = client.get("/reports/").get_data(as_text=True)
    assert 'value="month" checked' in html and 'value="quarter">' in html
    assert client.post("/reports/subscriptions", data={"kinds": ["weekly"]}).status_code == 422


def _fill(rule, ids: dict) -> str:
    url = rule.rule
    for name in rule.arguments:
        url = re.sub(rf"<(?:[^:<>]+:)?{name}(?:\([^)]*\))?>", str(ids.get(name, 1)), url)
    return url


def _empty_or_refused(response) -> bool:
    if response.status_code in (403, 404, 405, 422):
        return True
    body = response.get_json(silent=True)
    return response.status_code == 200 and isinstance(body, dict) and body.get("items") == []


def test_the_secretariat_never_reaches_a_case(app, client, db, make, auth, world):
    """Every route of cases, evidence, referrals and correlation, and every API route on
    cases, evidence and referrals, answers 404 to the secretariat (with real ids)."""
    investigator = make.officer(role=Role.INVESTIGATOR, agency=world.a1)
    case = new_case(db, investigator)
    auth.login(investigator)
    assert upload(client, case.id, pdf_bytes(20_000)).status_code in (201, 302)
    auth.logout()
    evidence = db.scalar(select(Evidence).where(Evidence.case_id == case.id))
    referral = refer(db, world.cases["c1"], "TH", "investigate", "sent",
                     sent="2026-10-03T08:00:00")
    db.commit()
    ids = {"case_id": case.id, "public_id": evidence.public_id, "referral_id": referral.id,
           "kind": "seizures", "item_id": 1, "officer_id": investigator.id, "match_id": 1,
           "job_id": 1, "action": "accept", "noise_id": 1}
    secretariat = make.officer(role=Role.SECRETARIAT)
    auth.login(secretariat)
    _, raw = tokens.create_token(db, secretariat, "test", "read-write", 5)
    db.commit()
    bearer = {"Authorization": f"Bearer {raw}"}
    web = ("cases.", "evidence.", "referrals.", "correlation.")
    api = ("/api/v1/cases", "/api/v1/evidence", "/api/v1/referrals", "/api/v1/lookups")
    tried = 0
    for rule in app.url_map.iter_rules():
        headers = {}
        if rule.endpoint == "evidence.signing_key_pem":
            continue  # the public key that verifies custody reports: no case in it
        if rule.endpoint.startswith(web):
            pass
        elif rule.rule.startswith(api):
            headers = bearer
        else:
            continue
        url = _fill(rule, ids) + ("?upto=1" if "custody.pdf" in rule.rule else "")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, headers=headers, json={} if headers
                                   and method != "GET" else None,
                                   data=None if headers else {})
            if rule.arguments:
                assert response.status_code == 404, (method, url, response.status_code)
            else:  # lists are empty, the rest refused
                assert _empty_or_refused(response), (method, url, response.status_code)
            tried += 1
    assert tried > 40
