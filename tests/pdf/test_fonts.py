"""The PDFs' fonts and shaping: each script of the region in its own font, shaped, and
extracted as written; a missing font is logged, not fatal. The report PDF's own check is in
tests/reports/test_pdf_scripts.py."""

from __future__ import annotations

import hashlib
import logging
import subprocess
import sys
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table

from anice.evidence import custody_report
from anice.models import CustodyAction
from anice.pdf import draw_line, shaping, typefaces

from .scripts import (
    SAMPLES,
    actual_texts,
    assert_printed,
    embedded_fonts,
    flat,
    pdftotext,
    word_boxes,
)

ROOT = Path(__file__).resolve().parents[2]


def custody_of(where: str, how: str, actor: str):
    """An evidence item and its custody events as custody_pdf reads them (no database)."""
    officer = SimpleNamespace(name="ສົມພອນ ວົງສາ", email="somphone@la.example",
                              timezone="Asia/Vientiane", agency=SimpleNamespace(name="ກົມພາສີ"))
    evidence = SimpleNamespace(
        public_id="ev1", case=SimpleNamespace(reference="KH-GDCE-2026-000042"),
        original_name="ក្រុមហ៊ុនអង្គរ.jpg", media_type="image/jpeg", size=2048,
        sha256="cd" * 32, uploaded_at=datetime(2026, 10, 2, 9, 30, tzinfo=UTC),
        uploaded_by=officer, acquired_at=None, acquired_where=where, acquired_how=how,
        storage_backend="local")
    events = [SimpleNamespace(id=1, at=datetime(2026, 10, 2, 9, 30, tzinfo=UTC),
                              action=CustodyAction.INTAKE, actor_label=actor,
                              client_addr="10.0.0.1", reason=SAMPLES["Thai"],
                              details={"size": 2048})]
    return evidence, events, officer


def test_every_script_of_the_region_has_its_font_and_shaping():
    found = typefaces.fonts()
    assert found.shaped, "uharfbuzz is not installed (requirements.txt)"
    assert {"Khmer", "Myanmar", "Lao", "Thai"} <= set(found.scripts), \
        "install fonts-noto-core (make install)"
    assert found.regular == "ANICE-Sans"


def test_markup_sets_each_run_in_the_font_of_its_script():
    text = typefaces.markup(f"Nike & {SAMPLES['Thai']} / {SAMPLES['Khmer']}\u200bក")
    assert text == ('Nike &amp; <font name="ANICE-Thai">ไนกี้</font> / '
                    '<font name="ANICE-Khmer">ក្រុមហ៊ុនអង្គរ\u200bក</font>')
    assert 'name="ANICE-Myanmar-Bold"' in typefaces.markup(SAMPLES["Myanmar"], bold=True)
    assert typefaces.markup(None) == ""


def test_custody_report_prints_every_script_as_written():
    evidence, events, officer = custody_of(SAMPLES["Lao"], SAMPLES["Khmer"],
                                           SAMPLES["Myanmar"])
    pdf = custody_report.custody_pdf(evidence, events, officer)
    assert_printed(pdf)
    text = flat(pdftotext(pdf))
    for written in ("ក្រុមហ៊ុនអង្គរ.jpg", "ສົມພອນ ວົງສາ", "ກົມພາສີ", "Chain of custody report"):
        assert written in text, written
    listed = embedded_fonts(pdf)
    for family in ("NotoSansKhmer", "NotoSansMyanmar", "NotoSansLao", "NotoSansThai",
                   "DejaVuSans-Bold"):
        assert family in listed, listed


def test_a_word_mixing_scripts_is_shaped_run_by_run():
    evidence, events, officer = custody_of(f"Nike/{SAMPLES['Thai']}/{SAMPLES['Myanmar']}",
                                           None, "x")
    text = flat(pdftotext(custody_report.custody_pdf(evidence, events, officer)))
    assert f"Nike/{SAMPLES['Thai']}/{SAMPLES['Myanmar']}" in text


def test_glyphs_without_a_character_get_the_same_code_in_every_process():
    shaping.install()
    font = typefaces.fonts() and typefaces.pdfmetrics.getFont("ANICE-Myanmar")
    assert isinstance(font, shaping.ShapingFont)
    font.hbFont(10)
    gid = max(font.face.charToGlyph.values()) + 1  # no character maps to it
    assert font.hbAddPrivate("x", gid, 500) == 0xE000 + gid
    assert font.hbAddPrivate("x", gid, 500) == 0xE000 + gid


# A worker that printed other Khmer and Burmese text before (glyphs met in another order),
# then the custody report: its bytes must not depend on that history.
_RENDER = """
import hashlib, sys
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate
from anice.evidence import custody_report
from anice.pdf import fonts, markup
from tests.pdf.test_fonts import SAMPLES, custody_of
if sys.argv[1] == "after-others":
    style = ParagraphStyle("x", fontName=fonts().regular, shaping=1)
    SimpleDocTemplate(sys.argv[2]).build([Paragraph(markup("ប៉ុស្តិ៍ ញ៉ាំ ស្ត្រី ម្យ៉ាង ပြည်ထောင်စု ကြ္ကီ"), style)])
evidence, events, officer = custody_of(SAMPLES["Lao"], SAMPLES["Khmer"], SAMPLES["Myanmar"])
print(hashlib.sha256(custody_report.custody_pdf(evidence, events, officer)).hexdigest())
"""


def test_the_same_custody_report_has_the_same_bytes_in_every_process(tmp_path):
    def run(*args: str) -> str:
        return subprocess.run([sys.executable, "-c", _RENDER, *args], check=True,
                              capture_output=True, text=True, cwd=ROOT).stdout.strip()

    evidence, events, officer = custody_of(SAMPLES["Lao"], SAMPLES["Khmer"], SAMPLES["Myanmar"])
    here = hashlib.sha256(custody_report.custody_pdf(evidence, events, officer)).hexdigest()
    assert run("fresh") == run("after-others", str(tmp_path / "other.pdf")) == here


def test_a_missing_script_font_is_logged_and_the_report_still_renders(monkeypatch, caplog):
    khmer = next(s for s in typefaces.SCRIPTS if s.name == "Khmer")
    monkeypatch.setattr(typefaces, "fc_list", lambda lang: [])
    monkeypatch.setattr(typefaces, "SCRIPTS", tuple(
        s if s is not khmer else typefaces.Script(s.name, s.lang, s.chars, (), s.package)
        for s in typefaces.SCRIPTS))
    typefaces.fonts.cache_clear()
    typefaces._runs.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="anice.pdf.typefaces"):
            found = typefaces.fonts()
        assert "Khmer" not in found.scripts and "Myanmar" in found.scripts
        assert "no font for the Khmer script (install fonts-noto-core)" in caplog.text
        assert typefaces.markup(SAMPLES["Khmer"]) == SAMPLES["Khmer"]  # left in DejaVu Sans
        evidence, events, officer = custody_of(SAMPLES["Khmer"], SAMPLES["Myanmar"], "x")
        pdf = custody_report.custody_pdf(evidence, events, officer)
        assert SAMPLES["Myanmar"] in flat(pdftotext(pdf))
    finally:
        typefaces.fonts.cache_clear()
        typefaces._runs.cache_clear()


def test_without_harfbuzz_text_is_logged_as_unshaped(monkeypatch, caplog):
    monkeypatch.setattr(shaping, "available", lambda: False)
    monkeypatch.setattr(shaping, "install", lambda: shaping.available())
    typefaces.fonts.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="anice.pdf.typefaces"):
            assert not typefaces.fonts().shaped
        assert "uharfbuzz is not installed" in caplog.text
    finally:
        typefaces.fonts.cache_clear()


def test_a_long_burmese_word_wraps_between_syllables():
    found = typefaces.fonts()
    style = ParagraphStyle("cell", fontName=found.regular, fontSize=8, leading=10, shaping=1)
    name = SAMPLES["Myanmar"]
    out = BytesIO()
    SimpleDocTemplate(out).build([Table([[Paragraph(typefaces.markup(name), style)]],
                                        colWidths=[40])])
    lines = [line.strip() for line in pdftotext(out.getvalue()).splitlines() if line.strip()]
    assert len(lines) > 1 and "".join(lines) == name, lines
    assert "\u25cc" not in "".join(lines)  # no syllable cut apart (dotted circles)


def test_page_headers_and_footers_are_shaped_too():
    out = BytesIO()
    canvas = Canvas(out, pagesize=(400, 200))
    found = typefaces.fonts()
    draw_line(canvas, f"{SAMPLES['Khmer']} · 2026", 20, 150, found.regular, 10)
    draw_line(canvas, SAMPLES["Thai"], 380, 30, found.regular, 10, right=True)
    canvas.showPage()
    canvas.save()
    pdf = out.getvalue()
    assert f"{SAMPLES['Khmer']} · 2026" in flat(pdftotext(pdf))
    assert {SAMPLES["Khmer"], SAMPLES["Thai"]} <= actual_texts(pdf)
    (_, (x0, y0, x1, y1)), = word_boxes(pdf, SAMPLES["Thai"])
    assert 330 < x1 <= 381 and 150 < y1 < 175  # right-aligned at 380, baseline 30 pt up
