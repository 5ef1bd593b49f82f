"""The report as a PDF a ministry can file: cover, table of contents, the summary, charts
and tables, the country (or agency, region) and period in every page's header, page n of N
in the footer. Rendered with reportlab in the style of the custody report, in the language
of whoever reads it (the request's locale, or ``language``: see ``render``)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import nullcontext
from io import BytesIO

from flask_babel import force_locale, gettext
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from ..models.report import Report
from ..pdf import draw_line, fonts, markup
from . import charts, tables, wording
from .figures import digest

PAGE = A4
MARGIN = 18 * mm
GRID = colors.HexColor("#c8cfd8")
HEAD = colors.HexColor("#e8edf3")
BRAND = colors.HexColor("#1d4e89")


class _Styles:
    """Every style shapes Thai, Lao, Khmer and Burmese runs (anice/pdf/shaping.py)."""

    def __init__(self) -> None:
        f = fonts()

        def style(name: str, font: str, size: float, leading: float, **more) -> ParagraphStyle:
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading,
                                  shaping=1, **more)

        self.cover = style("cover", f.bold, 24, 30, textColor=BRAND, spaceAfter=6 * mm)
        self.cover_sub = style("cover_sub", f.regular, 14, 19, spaceAfter=3 * mm)
        self.h1 = style("h1", f.bold, 15, 19, spaceBefore=2 * mm, spaceAfter=3 * mm,
                        textColor=BRAND)
        self.h2 = style("h2", f.bold, 11, 14, spaceBefore=4 * mm, spaceAfter=2 * mm)
        self.body = style("body", f.regular, 9.5, 13)
        self.small = style("small", f.regular, 7.5, 9.5, textColor=colors.HexColor("#4a5563"))
        self.cell = style("cell", f.regular, 8, 10)
        self.num = ParagraphStyle("num", parent=self.cell, alignment=TA_RIGHT)
        self.head = style("headcell", f.bold, 8, 10)
        self.head_num = ParagraphStyle("headnum", parent=self.head, alignment=TA_RIGHT)
        self.toc = [style("toc1", f.regular, 11, 18)]


class _Document(BaseDocTemplate):
    """Headings (h1) go into the table of contents with their page."""

    def afterFlowable(self, flowable) -> None:
        if isinstance(flowable, Paragraph) and flowable.style.name == "h1":
            # The heading as written (once drawn, a shaped paragraph's text is its glyphs);
            # the space keeps the entry's <onDraw/> (page number) out of its last word,
            # which reportlab's shaping cannot take with a Thai or Khmer word.
            text = getattr(flowable, "toc_text", None) or flowable.getPlainText()
            self.notify("TOCEntry", (0, markup(text) + " ", self.page))


def _h1(text: str, s: _Styles) -> Paragraph:
    heading = Paragraph(markup(text, bold=True), s.h1)
    heading.toc_text = text
    return heading


def _numbered(font: str, header: str, title: str):
    class NumberedCanvas(Canvas):
        """Writes the header and "Page n of N" once the page count is known (not on the
        cover)."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict] = []

        def showPage(self) -> None:
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for number, state in enumerate(self._saved, 1):
                self.__dict__.update(state)
                if number > 1:
                    grey = colors.HexColor("#4a5563")
                    top = PAGE[1] - 11 * mm
                    draw_line(self, header, MARGIN, top, font, 8, grey)
                    draw_line(self, title, PAGE[0] - MARGIN, top, font, 8, grey, right=True)
                    self.setStrokeColor(GRID)
                    self.line(MARGIN, PAGE[1] - 12.5 * mm, PAGE[0] - MARGIN,
                              PAGE[1] - 12.5 * mm)
                    draw_line(self, gettext("Page %(number)s of %(total)s", number=number,
                                            total=total),
                              PAGE[0] - MARGIN, 9 * mm, font, 8, grey, right=True)
                super().showPage()
            super().save()

    return NumberedCanvas


def _table(t: tables.Table, s: _Styles) -> Table:
    width = PAGE[0] - 2 * MARGIN
    numeric = [c.kind != "text" for c in t.columns]
    data = [[Paragraph(markup(c.label, bold=True), s.head_num if n else s.head)
             for c, n in zip(t.columns, numeric, strict=True)]]
    marks = []

    def cells(values: list[str], bold: bool = False) -> list:
        wrap = "<b>{}</b>" if bold else "{}"
        return [Paragraph(wrap.format(markup(v, bold)), s.num if n else s.cell)
                for v, n in zip(values, numeric, strict=True)]

    for row in t.rows:
        data.append(cells(tables.row_cells(t, row)))
    if t.total is not None:
        total = tables.row_cells(t, t.total)
        total[0] = gettext("Total")
        data.append(cells(total, bold=True))
        marks.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
    if len(data) == 1:
        data.append([Paragraph(markup(gettext("Nothing in this period.")), s.cell)]
                    + [""] * (len(t.columns) - 1))
        marks.append(("SPAN", (0, 1), (-1, 1)))
    first = 0.24 if len(t.columns) > 5 else 0.3 if len(t.columns) > 3 else 0.45
    rest = (1 - first) / max(1, len(t.columns) - 1)
    widths = [width * first] + [width * rest] * (len(t.columns) - 1)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.25, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD), *marks]))
    return table


def _chart(figures: dict, name: str) -> Image:
    png = charts.render(figures, name, "png", dpi=150)
    width = (PAGE[0] - 2 * MARGIN) * 0.82  # two charts fit under the summary table
    w, h = charts.SIZE
    return Image(BytesIO(png), width=width, height=width * h / w)


def _cover(report: Report, f: dict, s: _Styles) -> list:
    generated = wording.moment(report.generated_at)
    values = {"generated": generated, "id": report.id, "previous": report.previous_id}
    made = (gettext("ASEAN Network of IP Enforcement Experts. Generated %(generated)s, report "
                    "#%(id)s, replacing #%(previous)s.", **values) if report.previous_id
            else gettext("ASEAN Network of IP Enforcement Experts. Generated %(generated)s, "
                         "report #%(id)s.", **values))
    lines = [Spacer(1, 45 * mm),
             Paragraph(markup(gettext("ANICE enforcement report"), bold=True), s.cover),
             Paragraph(markup(gettext("%(report)s: %(scope)s",
                                      report=wording.report_kind(report.period_kind,
                                                                 report.scope_level),
                                      scope=wording.scope_label(f["scope"]))), s.cover_sub),
             Paragraph(markup(gettext("%(period)s (%(start)s to %(end)s)",
                                      period=wording.period_label(wording.period_of(f)),
                                      start=wording.day(f["period"]["start"]),
                                      end=wording.day(f["period"]["end"]))), s.cover_sub),
             Spacer(1, 25 * mm),
             Paragraph(markup(made), s.body),
             Paragraph(markup(gettext("Figures frozen with SHA-256 %(hash)s.",
                                      hash=report.sha256)), s.small),
             Paragraph(markup(gettext("Aggregate figures only: this report names no case, "
                                      "person or company.")), s.small)]
    if f.get("min_cell"):
        lines.append(Paragraph(markup(tables.withheld_note(f["min_cell"])), s.small))
    return lines


# The last PDFs made, per report, version and language: a scheduled report read by the
# officers of several countries is drawn once per language, not once per download.
_CACHE: OrderedDict[tuple, bytes] = OrderedDict()
_CACHE_SIZE = 12
_CACHE_LOCK = threading.Lock()


def render(report: Report, language: str | None = None) -> bytes:
    """The PDF of a stored (done) report in ``language`` (a job sending it to one reader:
    ``officer_language(reader)``), else in the current locale (the request's)."""
    with force_locale(language) if language else nullcontext():
        # The figures' own digest (not the stored one): what is drawn is what is keyed.
        key = (report.id, digest(report.figures), report.generated_at, report.previous_id,
               wording.locale())
        with _CACHE_LOCK:
            if key in _CACHE:
                _CACHE.move_to_end(key)
                return _CACHE[key]
        body = _render(report)
        with _CACHE_LOCK:
            _CACHE[key] = body
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        return body


def _render(report: Report) -> bytes:
    f, s = report.figures, _Styles()
    out = BytesIO()
    scope, period = wording.scope_label(f["scope"]), wording.period_label(wording.period_of(f))
    header = f"{scope} · {period}"
    title = gettext("ANICE enforcement report")
    doc = _Document(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                    topMargin=20 * mm, bottomMargin=18 * mm, invariant=1,
                    title=gettext("ANICE enforcement report: %(scope)s, %(period)s",
                                  scope=scope, period=period),
                    author="ANICE", creator="ANICE", subject=f"SHA-256 {report.sha256}",
                    lang=wording.locale())
    frame = Frame(MARGIN, 18 * mm, PAGE[0] - 2 * MARGIN, PAGE[1] - 38 * mm, id="body")
    doc.addPageTemplates([PageTemplate("cover", [frame]), PageTemplate("body", [frame])])
    toc = TableOfContents()
    toc.levelStyles = s.toc
    story: list = [*_cover(report, f, s), NextPageTemplate("body"), PageBreak(),
                   Paragraph(markup(gettext("Contents"), bold=True), s.h2), toc, PageBreak()]
    story += [_h1(gettext("Summary"), s)]
    story += [Paragraph(markup("• " + line), s.body) for line in wording.summary_lines(f)]
    story += [Spacer(1, 3 * mm), _table(tables.headline_table(f), s), Spacer(1, 3 * mm),
              _chart(f, "comparison"), _chart(f, "trend")]
    if report.changes:
        story += [Paragraph(markup(gettext("What changed since the previous version"),
                                   bold=True), s.h2),
                  _changes(report.changes, s)]
    charts_of = {"seizures": "seizures", "takedowns": "takedowns"}
    for section in tables.sections(f):
        block = [PageBreak(), _h1(section.title, s)]
        if section.key in charts_of:
            block.append(_chart(f, charts_of[section.key]))
        for label, value in section.facts:
            block.append(Paragraph(markup(gettext("%(figure)s: %(value)s", figure=label,
                                                  value=value)), s.body))
        for t in section.tables:
            block.append(KeepTogether([Paragraph(markup(t.title, bold=True), s.h2),
                                        _table(t, s)]))
            if t.note:
                block.append(Paragraph(markup(t.note), s.small))
        story += block
    if f.get("min_cell"):
        story.append(Paragraph(markup(tables.withheld_note(f["min_cell"])), s.small))
    doc.multiBuild(story, canvasmaker=_numbered(fonts().regular, header, title))
    return out.getvalue()


def _changes(changes: list[dict], s: _Styles) -> Table:
    data = [[Paragraph(markup(h, bold=True), s.head)
             for h in (gettext("Figure"), gettext("Before"), gettext("Now"))]]
    for c in changes[:60]:
        data.append([Paragraph(markup(wording.change_label(c)), s.cell),
                     Paragraph(markup(wording.change_value(c["before"])), s.cell),
                     Paragraph(markup(wording.change_value(c["after"])), s.cell)])
    width = PAGE[0] - 2 * MARGIN
    table = Table(data, colWidths=[width * 0.6, width * 0.2, width * 0.2], repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, GRID),
                               ("BACKGROUND", (0, 0), (-1, 0), HEAD)]))
    return table
