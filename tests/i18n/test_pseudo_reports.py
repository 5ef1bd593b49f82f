"""No untranslated text on the report pages: the archive, a report with every section (what
changed, summary, charts, every table; the regional one with its member states and small
cells), and the progress page (waiting and failed), rendered in the pseudo-locale."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from anice.models import Case, Role
from anice.models.report import ReportStatus
from anice.reports import service, wording
from anice.reports.periods import Scope, parse_period

from ..reports.conftest import database_url, world  # noqa: F401 - the reports' data set
from .catalogs import PSEUDO
from .test_pseudo_locale import _check, _data

# Which words a page shows does not depend on the database: SQLite only (suite time).
pytestmark = pytest.mark.sqlite_only

TODAY = date(2026, 11, 25)
OCT = parse_period("2026-10")
FORMATS = ("PDF", "CSV", "XLSX", "SHA-256")  # names of file formats and of the hash
# The pager of templates/macros.html ("2 in all") is wrapped with the other macros (not here).
PAGER = ("in all",)
DATA_KEYS = ("brand", "mark", "holder", "right", "from", "to", "country_name")


def _with_changes(db, world):  # noqa: F811 - the fixture's value
    """October's national report of MY in two versions: a case recorded late changes it."""
    service.generate(db, Scope.country("MY"), OCT, origin="cli", today=TODAY)
    db.commit()
    db.get(Case, world.cases["draft"].id).opened_on = date(2026, 10, 30)
    db.commit()
    report = service.generate(db, Scope.country("MY"), OCT, origin="cli", today=TODAY).report
    db.commit()
    assert report.changes
    return report


def _figures_data(app, figures: dict) -> tuple[str, ...]:
    """The report's own data (brands, marks, holders, country and member state names,
    platform names) and what Babel writes in the pseudo-locale (CLDR month names)."""
    found: list[str] = [figures["scope"].get("label", ""), *FORMATS, *PAGER]

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in DATA_KEYS:
            found.append(value)

    walk(figures)
    found += [r["label"] for r in figures["takedowns"]["rows"]
              if r["platform"] not in ("website", "other")]
    verifications = figures.get("verifications") or {}
    found += [r["label"] for r in verifications.get("countries", [])
              + verifications.get("holders", [])]
    found += [r["label"] for r in figures.get("by_country", {}).get("rows", [])]
    with app.test_request_context(), force_locale(PSEUDO):
        period = wording.period_of(figures)
        found += [wording.period_label(period),
                  *(wording.period_key_label(c["key"])
                    for c in figures.get("comparison", {}).values()),
                  *(wording.day(d) for d in (figures["period"]["start"],
                                              figures["period"]["end"], figures["as_of"]))]
        if figures.get("rate"):
            found.append(wording.day(figures["rate"]["on"]))
    return tuple(t for t in found if t)


def test_the_national_report_pages(app, client, db, make, auth, world):  # noqa: F811
    report = _with_changes(db, world)
    coordinator = make.officer(role=Role.COORDINATOR, country="MY", language=PSEUDO)
    auth.login(coordinator)
    data = (*_data(coordinator), *_figures_data(app, report.figures),
            *_figures_data(app, service.versions_of(db, report)[-1].figures))
    _check(client, "/reports/", data)
    _check(client, f"/reports/{report.id}", data)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    # every section was on the page that was checked
    for key in ("changes-h", "summary-h", "charts-h", "s-cases", "s-seizures", "s-takedowns",
                "s-prosecutions", "s-referrals", "s-matches", "s-verifications"):
        assert f'id="{key}"' in page, key
    assert "[Ȧççéñţéð What changed since version #" in page
    assert "[Ȧççéñţéð Seizures by product category]" in page
    chart = client.get(f"/reports/{report.id}/charts/trend.svg?lang={PSEUDO}")
    assert chart.status_code == 200


def test_the_regional_report_and_the_progress_pages(app, client, db, make, auth,
                                                    world):  # noqa: F811
    report = service.generate(db, Scope.region(), OCT, origin="cli", today=TODAY).report
    waiting = service._new_report(Scope.region(), parse_period("2026-09"), "on-demand")
    failed = service._new_report(Scope.region(), parse_period("2026-08"), "on-demand")
    failed.status, failed.error = ReportStatus.FAILED, "RuntimeError: disk full"
    db.add_all([waiting, failed])
    db.commit()
    secretariat = make.officer(role=Role.SECRETARIAT, language=PSEUDO)
    auth.login(secretariat)
    data = (*_data(secretariat), *_figures_data(app, report.figures), "RuntimeError",
            "disk full")
    assert report.figures["min_cell"]  # small cells withheld: the note is on the page
    for url in ("/reports/", f"/reports/{report.id}", f"/reports/{waiting.id}",
                f"/reports/{failed.id}"):
        _check(client, url, data)
    page = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert 'id="s-countries"' in page
    progress = client.get(f"/reports/{waiting.id}").get_data(as_text=True)
    assert "[Ȧççéñţéð Waiting for a worker: 0 %]" in progress
