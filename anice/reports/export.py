"""The report's tables as CSV (one block per table) and XLSX (one sheet per section).

Cells are made formula-safe (CSV injection) as in the case export; numbers are written
as shown on the page, "c" for a withheld cell.
"""

from __future__ import annotations

import csv
import io

from ..cases.export import safe_cell
from ..models.report import Report
from . import tables


def _blocks(report: Report) -> list[tuple[str, list[list[str]]]]:
    """(title, rows with a header) of every table, the headline first."""
    f = report.figures
    out = [("Main figures", _rows(tables.headline_table(f)))]
    for section in tables.sections(f):
        if section.facts:
            out.append((section.title, [["Figure", "Value"],
                                        *[[k, v] for k, v in section.facts]]))
        for t in section.tables:
            out.append((f"{section.title}: {t.title}", _rows(t)))
    return out


def _rows(t: tables.Table) -> list[list[str]]:
    rows = [[c.label for c in t.columns]]
    rows += [tables.row_cells(t, r) for r in t.rows]
    if t.total is not None:
        cells = tables.row_cells(t, t.total)
        cells[0] = "Total"
        rows.append(cells)
    return rows


def _about(report: Report) -> list[list[str]]:
    f = report.figures
    lines = [["ANICE enforcement report"], ["Scope", f["scope"]["label"]],
             ["Period", f"{f['period']['label']} ({f['period']['start']} to "
                        f"{f['period']['end']})"],
             ["Report", f"#{report.id}"], ["SHA-256 of the figures", report.sha256 or ""],
             ["Generated", report.generated_at.isoformat() if report.generated_at else ""]]
    if f.get("min_cell"):
        lines.append([tables.WITHHELD_NOTE.format(n=f["min_cell"])])
    return lines


def to_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for line in _about(report):
        writer.writerow([safe_cell(v) for v in line])
    for title, rows in _blocks(report):
        writer.writerow([])
        writer.writerow([safe_cell(title)])
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    about = book.active
    about.title = "Report"
    for line in _about(report):
        about.append([safe_cell(v) for v in line])
    about.column_dimensions["A"].width = 28
    used: set[str] = {"Report"}
    for title, rows in _blocks(report):
        name = _sheet_name(title, used)
        sheet = book.create_sheet(name)
        sheet.append([safe_cell(title)])
        sheet["A1"].font = Font(bold=True)
        for i, row in enumerate(rows):
            sheet.append([safe_cell(v) for v in row])
            if i == 0:
                for c in sheet[sheet.max_row]:
                    c.font = Font(bold=True)
        sheet.column_dimensions["A"].width = 32
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = "".join(ch for ch in title.split(":")[-1].strip() if ch not in "[]:*?/\\")[:28]
    name, n = base or "Table", 2
    while name in used:
        name = f"{base[:25]} {n}"
        n += 1
    used.add(name)
    return name
