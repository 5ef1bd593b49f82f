"""The report PDF prints case data in every script of the region: a Thai word mark, a Lao
right holder, Khmer and Burmese brands are shaped, extract as written (pdftotext) and
are drawn where pdftotext reads them (pdftoppm). docs/sample-report-scripts.png is this
test's page (docs/reports.md, Scripts and fonts)."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from anice.reports import pdf

from ..pdf.scripts import SAMPLES, assert_printed, embedded_fonts, page_png, word_boxes
from .test_views import national

DOCS_PNG = Path(__file__).resolve().parents[2] / "docs" / "sample-report-scripts.png"


def with_scripts(figures: dict) -> dict:
    """The figures with a confirmed right (Thai mark, Lao holder) and two brands (Khmer,
    Burmese) among the seizures, as a registry and officers in those countries write them
    (the brands' column is wide enough for each on one line)."""
    f = copy.deepcopy(figures)
    seizures = f["seizures"]
    seizures["rights"] = [{"right": "KH 4-1234/26", "office": "KH", "number": "4-1234/26",
                           "mark": SAMPLES["Thai"], "holder": SAMPLES["Lao"], "cases": 2,
                           "items": 3, "quantity": "120", "value_usd": "1860.00"}]
    seizures["brands"] = [
        {"brand": SAMPLES["Khmer"], "key": "krumhunangkor", "cases": 1, "items": 1,
         "value_usd": "310.00"},
        {"brand": SAMPLES["Myanmar"], "key": "maungmaungkumpani", "cases": 1, "items": 2,
         "value_usd": "95.50"}]
    return f


@pytest.mark.sqlite_only
def test_report_pdf_prints_every_script_of_the_region(db, world):
    report = national(db)
    report.figures = with_scripts(report.figures)
    document = pdf.render(report)
    assert_printed(document)
    listed = embedded_fonts(document)
    for family in ("NotoSansKhmer", "NotoSansMyanmar", "NotoSansLao", "NotoSansThai"):
        assert family in listed, listed
    db.rollback()  # the figures stay as frozen
    if os.environ.get("ANICE_WRITE_DOCS"):  # ANICE_WRITE_DOCS=1 pytest ... renews the picture
        page = word_boxes(document, SAMPLES["Khmer"])[0][0]
        DOCS_PNG.write_bytes(page_png(document, page, dpi=110))

