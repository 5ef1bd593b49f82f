"""The report's tables as CSV (one block per table) and XLSX (one sheet per section).

Figures are numbers in both, so that they can be summed: in XLSX typed cells with a number
format (thousands separators, percentages as fractions shown with "%"); in CSV plain numbers
(dot decimal, no thousands separator, ASCII minus, percentages as numbers with "(%)" in the
column's header). A withheld cell is "c" in both, a figure that does not exist an empty
cell. Text cells are made formula-safe (CSV injection) as in the case export.

The XLSX is for people: its titles, headings and words are in the reader's language (its
typed numbers are shown by the spreadsheet in the reader's own format). The CSV is for
programs as much as for people: English headings and words, plain numbers, whoever downloads
it.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

from flask_babel import force_locale, gettext

from ..models.report import Report
from ..text.cells import safe_cell
from . import tables, wording
from .tables import Figure

# Excel's number formats per kind of figure (percentages are written as fractions).
NUMBER_FORMATS = {"count": "#,##0", "quantity": "#,##0.###", "money": "#,##0.00",
                  "days": "#,##0.0", "percent": "0.0%", "change": "0.0%"}
PERCENT_KINDS = ("percent", "change")
SHEET_NAME_MAX = 31  # Excel's limit
_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
# Words a shortened sheet name should not end on ("Takedowns requested in the").
_DANGLING = {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the",
             "through", "to", "with"}

Block = tuple[str, list[str], list[list[Figure]]]  # title, column labels, rows


def _text(value: object) -> Figure:
    return Figure(value, "text")


def _blocks(report: Report) -> list[Block]:
    """(title, header, rows of figures) of every table, the main figures first."""
    f = report.figures
    labels, rows = tables.headline_figures(f)
    kinds = [fig.kind for fig in rows[0]] if rows else []
    out = [(gettext("Main figures"), _header(labels, kinds), rows)]
    for section in tables.sections(f):
        if section.figures:
            out.append((section.title, [gettext("Figure"), gettext("Value")],
                        [[_text(_label(fact.label, fact.figure.kind)), fact.figure]
                         for fact in section.figures]))
        for t in section.tables:
            rows = [tables.row_figures(t, r) for r in t.rows]
            if t.total is not None:
                rows.append([_text(gettext("Total")), *tables.row_figures(t, t.total)[1:]])
            out.append((gettext("%(section)s: %(table)s", section=section.title, table=t.title),
                        _header([c.label for c in t.columns], [c.kind for c in t.columns]),
                        rows))
    return out


def _header(labels: list[str], kinds: list[str]) -> list[str]:
    return [_label(label, kind) for label, kind in zip(labels, kinds, strict=True)] \
        if kinds else labels


def _label(label: str, kind: str) -> str:
    return f"{label} (%)" if kind in PERCENT_KINDS else label


def _about(report: Report, plain: bool = False) -> list[list[str]]:
    """The report's identity; ``plain`` (the CSV): ISO dates, as before."""
    f = report.figures
    period = gettext("%(period)s (%(start)s to %(end)s)",
                     period=wording.period_label(wording.period_of(f)),
                     start=wording.day(f["period"]["start"]), end=wording.day(f["period"]["end"]))
    generated = ("" if report.generated_at is None else report.generated_at.isoformat()
                 if plain else wording.moment(report.generated_at))
    lines = [[gettext("ANICE enforcement report")],
             [gettext("Scope"), wording.scope_label(f["scope"])],
             [gettext("Period"), period],
             [gettext("Report"), f"#{report.id}"],
             [gettext("SHA-256 of the figures"), report.sha256 or ""],
             [gettext("Generated"), generated]]
    if f.get("min_cell"):
        lines.append([tables.withheld_note(f["min_cell"])])
    lines.append([gettext("Figures are numbers; an empty cell is a figure that does not exist "
                          "(no takedown achieved, no exchange rate).")])
    return lines


def number(fig: Figure) -> Decimal | None:
    """The figure's numeric value, or None (text, withheld or missing)."""
    if fig.kind == "text" or fig.value is None or fig.value == "":
        return None
    return Decimal(str(fig.value))


def csv_value(fig: Figure) -> str:
    """A cell as CSV text: a plain number, "c" when withheld, "" when missing."""
    if fig.kind == "text":
        return safe_cell(fig.value)
    value = number(fig)
    if value is None:
        return tables.WITHHELD if fig.withheld else ""
    places = {"money": "0.01", "days": "0.1", "percent": "0.1", "change": "0.1"}.get(fig.kind)
    if places:
        value = value.quantize(Decimal(places))
    elif value == value.to_integral_value():
        value = value.to_integral_value()
    else:  # a fractional quantity (kg, litres): as recorded
        value = value.normalize()
    text = format(value, "f")
    return text[1:] if text.startswith("-") and value == 0 else text


def to_csv(report: Report) -> str:
    """The CSV: English words and plain numbers, for programs (see the module's docstring)."""
    with force_locale("en"):
        return _csv(report)


def _csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in _about(report, plain=True):
        writer.writerow([safe_cell(v) for v in line])
    for title, header, rows in _blocks(report):
        writer.writerow([])
        writer.writerow([safe_cell(title)])
        writer.writerow([safe_cell(v) for v in header])
        for row in rows:
            writer.writerow([csv_value(fig) for fig in row])
    return out.getvalue()


def xlsx_value(fig: Figure) -> tuple[object, str | None]:
    """(cell value, number format) of a figure: an int or float with its format, "c" when
    withheld, None when missing, text made formula-safe."""
    if fig.kind == "text":
        return (safe_cell(fig.value) if fig.value is not None else None), None
    value = number(fig)
    if value is None:
        return (tables.WITHHELD if fig.withheld else None), None
    if fig.kind in PERCENT_KINDS:
        return float(value / 100), NUMBER_FORMATS[fig.kind]
    if fig.kind == "count":
        if value == value.to_integral_value():
            return int(value), NUMBER_FORMATS["count"]
        return float(value), NUMBER_FORMATS["quantity"]
    return float(value), NUMBER_FORMATS.get(fig.kind, "General")


def to_xlsx(report: Report) -> bytes:
    # Lazy: openpyxl loads only when somebody downloads an XLSX, not at app start.
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    about = book.active
    about.title = sheet_name(gettext("Report"), set())
    for line in _about(report):
        about.append([safe_cell(v) for v in line])
    about.column_dimensions["A"].width = 28
    used: set[str] = {about.title.casefold()}
    bold, withheld = Font(bold=True), Font(italic=True, color="4A5563")
    right = Alignment(horizontal="right")
    for title, header, rows in _blocks(report):
        sheet = book.create_sheet(sheet_name(title.split(":")[-1], used))
        sheet.append([safe_cell(title)])
        sheet.append([safe_cell(v) for v in header])
        for c in (*sheet[1], *sheet[2]):
            c.font = bold
        for r, row in enumerate(rows, start=3):
            for col, fig in enumerate(row, start=1):
                value, fmt = xlsx_value(fig)
                c = sheet.cell(row=r, column=col, value=value)
                if fmt:
                    c.number_format = fmt
                elif fig.withheld and value == tables.WITHHELD:
                    c.font, c.alignment = withheld, right
        sheet.column_dimensions["A"].width = 32
        for letter in "BCDEFGH":
            sheet.column_dimensions[letter].width = 16
        sheet.freeze_panes = "B3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sheet_name(title: str, used: set[str]) -> str:
    """A worksheet name for ``title``: without the characters Excel refuses, cut at a whole
    word within Excel's 31 characters (not ending on "in", "the"...), and unique in the
    workbook, case-insensitively as Excel compares them, by a " (2)", " (3)"... suffix.
    ``used`` holds the casefolded names taken so far; the new one is added to it."""
    words = _NOT_IN_SHEET_NAMES.sub(" ", title).replace("'", " ").split()
    base = _shorten(words, SHEET_NAME_MAX) or "Table"
    name, n = base, 2
    while name.casefold() in used:
        suffix = f" ({n})"
        name = (_shorten(base.split(), SHEET_NAME_MAX - len(suffix)) or "Table") + suffix
        n += 1
    used.add(name.casefold())
    return name


def _shorten(words: list[str], limit: int) -> str:
    """As many whole words as fit in ``limit`` characters, without a dangling last word or
    punctuation; a single word longer than the limit is cut (nothing else fits)."""
    kept: list[str] = []
    for word in words:
        if len(" ".join([*kept, word])) > limit:
            break
        kept.append(word)
    if not kept and words:
        return words[0][:limit]
    while len(kept) > 1 and kept[-1].strip(",;.-").casefold() in _DANGLING:
        kept.pop()
    return " ".join(kept).rstrip(",;.- ")
