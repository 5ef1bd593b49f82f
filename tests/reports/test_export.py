"""The CSV and XLSX downloads carry figures as numbers: typed XLSX cells with number
formats, plain CSV numbers that a program can sum; withheld cells marked "c" in both;
sheet names of whole words within Excel's 31 characters, unique in the workbook."""

from __future__ import annotations

import copy
import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from anice.models import Role
from anice.reports import service
from anice.reports.export import SHEET_NAME_MAX, sheet_name
from anice.reports.periods import Scope, parse_period

TODAY = date(2026, 11, 25)
# A figure written as text: "1,860.00", "50.0 %", "+200.0 %", "−12.5 %".
NUMBER_AS_TEXT = re.compile(r"^['+\-\u2212]?[\d,]+(\.\d+)?\s?%?$")


def report_of(db, scope):
    report = service.generate(db, scope, parse_period("2026-10"), origin="cli",
                              today=TODAY).report
    db.commit()
    return report


def download(client, auth, make, report, suffix, **officer):
    auth.login(make.officer(**officer))
    response = client.get(f"/reports/{report.id}.{suffix}")
    assert response.status_code == 200
    return response


def parse_csv(text: str) -> tuple[list[list[str]], dict[str, list[list[str]]]]:
    """(the about lines, {block title: [header, rows...]})."""
    chunks = [chunk.strip("\r\n") for chunk in text.split("\r\n\r\n")]
    about = list(csv.reader(io.StringIO(chunks[0])))
    blocks = {}
    for chunk in chunks[1:]:
        rows = list(csv.reader(io.StringIO(chunk)))
        blocks[rows[0][0]] = rows[1:]
    return about, blocks


def sheet_rows(book, name):
    return [[c for c in row] for row in book[name].iter_rows()]


def by_label(rows):
    """{first cell's value: the row's cells} of a sheet's or a block's rows."""
    return {(r[0].value if hasattr(r[0], "value") else r[0]): r for r in rows}


# ---- XLSX ---------------------------------------------------------------------------------

@pytest.fixture
def national_book(client, db, make, auth, world):
    report = report_of(db, Scope.country("MY"))
    data = download(client, auth, make, report, "xlsx", role=Role.COORDINATOR,
                    country="MY").data
    return load_workbook(io.BytesIO(data))


def test_xlsx_seizure_figures_are_numbers_with_formats(national_book):
    rows = by_label(sheet_rows(national_book, "Seizures by product category")[2:])
    header = [c.value for c in national_book["Seizures by product category"][2]]
    assert header == ["Category (unit)", "Items", "Cases", "Quantity", "Value (USD)",
                      "Value (MYR)"]
    total = rows["Total"]
    assert [c.value for c in total] == ["Total", 3, 2, None, 1860.0, 8454.55]
    assert [c.data_type for c in total[1:3]] == ["n", "n"]
    assert all(isinstance(c.value, int) and c.number_format == "#,##0" for c in total[1:3])
    assert total[4].number_format == total[5].number_format == "#,##0.00"
    assert total[4].data_type == "n"
    footwear = rows["Footwear (pairs)"] if "Footwear (pairs)" in rows else next(
        r for label, r in rows.items() if label.startswith("Footwear"))
    assert footwear[3].value == 150 and footwear[3].number_format == "#,##0"
    # The rows add up to the total, in the sheet as they would in Excel.
    body = [r for label, r in rows.items() if label != "Total"]
    assert sum(Decimal(str(r[4].value)) for r in body) == Decimal("1860.00")


def test_xlsx_percentages_are_fractions_and_days_are_numbers(national_book):
    times = by_label(sheet_rows(national_book, "Response times and rates")[2:])
    sent = times["Sent"]
    assert sent[1].value == 3 and sent[1].number_format == "#,##0"
    assert (sent[2].value, sent[2].number_format) == (1.5, "#,##0.0")
    assert (sent[4].value, sent[4].number_format) == (0.5, "0.0%")
    assert sent[5].value == pytest.approx(0.333) and sent[5].number_format == "0.0%"
    assert times["Received"][4].value is None  # nothing decided: no rate, an empty cell

    main = by_label(sheet_rows(national_book, "Main figures")[2:])
    opened = main["Cases opened"]
    assert [c.value for c in opened] == ["Cases opened", 3, 1, 2.0, 1, 2.0]
    assert opened[3].number_format == "0.0%" and opened[3].data_type == "n"
    value = main["Seizure value (USD)"]
    assert value[1].value == 1860.0 and value[1].number_format == "#,##0.00"
    assert value[3].value == pytest.approx(15.909)
    assert main["Cases closed"][3].value is None  # no change from 0

    facts = by_label(sheet_rows(national_book, "Online takedowns")[2:])
    assert facts["Achieved (%)"][1].value == 0.5
    assert facts["Achieved (%)"][1].number_format == "0.0%"


def test_xlsx_has_no_figure_as_text(national_book):
    for sheet in national_book.worksheets[1:]:
        for row in sheet.iter_rows(min_row=3):
            for c in row[1:]:
                assert not (isinstance(c.value, str) and NUMBER_AS_TEXT.match(c.value)), (
                    sheet.title, c.coordinate, c.value)


def test_xlsx_sheet_names_are_whole_words_and_unique(national_book):
    names = national_book.sheetnames
    assert names[0] == "Report"
    assert len({n.casefold() for n in names}) == len(names)
    for name in names[1:]:
        assert 0 < len(name) <= SHEET_NAME_MAX
        title = national_book[name]["A1"].value.split(":")[-1]
        words = re.sub(r" \(\d+\)$", "", name).split()
        # whole words, in order, from the table's title
        assert title.replace(",", " ").split()[:len(words)] == [w.rstrip(",")
                                                                  for w in words], name
    assert "Takedowns requested" in names  # "Takedowns requested in the period, by platform"


# ---- CSV ----------------------------------------------------------------------------------

def test_csv_numbers_are_plain_and_sum(client, db, make, auth, world):
    report = report_of(db, Scope.country("MY"))
    text = download(client, auth, make, report, "csv", role=Role.COORDINATOR,
                    country="MY").get_data(as_text=True)
    assert "\u2212" not in text and "'+" not in text and "'-" not in text
    about, blocks = parse_csv(text)
    assert ["Scope", "Malaysia"] in about

    seizures = blocks["Seizures: Seizures by product category"]
    header, body, total = seizures[0], seizures[1:-1], seizures[-1]
    assert header == ["Category (unit)", "Items", "Cases", "Quantity", "Value (USD)",
                      "Value (MYR)"]
    assert total == ["Total", "3", "2", "", "1860.00", "8454.55"]
    usd = header.index("Value (USD)")
    assert sum(Decimal(r[usd]) for r in body) == Decimal(total[usd])
    assert sum(int(r[1]) for r in body) == int(total[1])

    times = blocks["Referrals: Response times and rates"]
    assert times[0] == ["Referrals", "Count", "Median days to response",
                        "90th percentile, days", "Accepted (%)", "Overdue (%)"]
    assert by_label(times[1:])["Sent"] == ["Sent", "3", "1.5", "1.9", "50.0", "33.3"]

    main = by_label(blocks["Main figures"])
    assert main["Figure"] == ["Figure", "October 2026", "September 2026", "Change (%)",
                              "October 2025", "Change (%)"]
    assert main["Seizure value (USD)"][1:4] == ["1860.00", "110.00", "1590.9"]
    assert main["Cases closed"][3] == ""  # no change from 0: empty, not "–"
    assert by_label(blocks["Online takedowns"])["Achieved (%)"] == ["Achieved (%)", "50.0"]
    for rows in blocks.values():
        for row in rows[1:]:
            for value in row[1:]:
                assert not re.match(r"^-?\d{1,3}(,\d{3})+", value), value


def test_negative_and_fractional_figures(client, db, make, auth, world):
    report = report_of(db, Scope.country("MY"))
    figures = copy.deepcopy(report.figures)
    figures["headline"][0]["change_previous"] = -12.5
    figures["seizures"]["rows"][0]["quantity"] = "12.250"
    report.figures = figures
    db.commit()
    auth.login(make.officer(role=Role.COORDINATOR, country="MY"))
    _about, blocks = parse_csv(client.get(f"/reports/{report.id}.csv").get_data(as_text=True))
    first = blocks["Main figures"][1]
    assert first[3] == "-12.5"  # ASCII minus, no apostrophe, no "+"/"%"
    assert blocks["Seizures: Seizures by product category"][1][3] == "12.25"
    book = load_workbook(io.BytesIO(client.get(f"/reports/{report.id}.xlsx").data))
    change = book["Main figures"]["D3"]
    assert change.value == pytest.approx(-0.125) and change.number_format == "0.0%"
    quantity = book["Seizures by product category"]["D3"]
    assert quantity.value == 12.25 and quantity.number_format == "#,##0.###"


# ---- withheld cells (regional report) -----------------------------------------------------

def test_withheld_cells_are_c_in_csv_and_xlsx(client, db, make, auth, world):
    report = report_of(db, Scope.region())
    text = download(client, auth, make, report, "csv",
                    role=Role.SECRETARIAT).get_data(as_text=True)
    about, blocks = parse_csv(text)
    assert any(line and line[0].startswith("c: withheld") for line in about)
    opened = blocks["Cases opened and closed: Cases opened by kind"]
    assert opened[1:] == [["Counterfeit", "c"], ["Online", "c"], ["Total", "6"]]
    hearings = by_label(blocks["Prosecutions and court outcomes"])
    assert hearings["Court hearings dated in the period"][1] == "c"
    main = by_label(blocks["Main figures"])
    assert main["Cases opened"][1] == "6"

    book = load_workbook(io.BytesIO(client.get(f"/reports/{report.id}.xlsx").data))
    sheet = by_label(sheet_rows(book, "Cases opened by kind")[2:])
    assert [c.value for c in sheet["Counterfeit"]] == ["Counterfeit", "c"]
    assert sheet["Counterfeit"][1].data_type == "s"
    assert sheet["Counterfeit"][1].font.i  # marked the same way everywhere
    assert sheet["Total"][1].value == 6 and sheet["Total"][1].number_format == "#,##0"
    facts = by_label(sheet_rows(book, "Prosecutions and court outcomes")[2:])
    assert facts["Court hearings dated in the period"][1].value == "c"
    seizures = by_label(sheet_rows(book, "Seizures by product category")[2:])
    assert seizures["Total"][4].value == 1947.0
    assert all(r[4].value == "c" for label, r in seizures.items() if label != "Total")


# ---- sheet names ----------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "taken", "expected"), [
    ("Seizures by product category", [], "Seizures by product category"),
    ("Takedowns requested in the period, by platform", [], "Takedowns requested"),
    ("Right holders contacted through matches", [], "Right holders contacted"),
    ("Top infringed rights by seizure value", [], "Top infringed rights by seizure"),
    ("Referrals by requested action", [], "Referrals by requested action"),
    ("Exactly thirty-one characters!!", [], "Exactly thirty-one characters!!"),
    ("Exactly thirty-one characters!! and more", [], "Exactly thirty-one characters!!"),
    ("Values: [USD] per country/agency?", [], "Values USD per country agency"),
    ("'Quoted' name", [], "Quoted name"),
    ("Supercalifragilisticexpialidocious words", [], "Supercalifragilisticexpialidoci"),
    ("", [], "Table"),
    ("***", [], "Table"),
    ("Report", ["Report"], "Report (2)"),
    ("report", ["Report"], "report (2)"),  # Excel compares names without case
    ("Cases", ["Cases", "Cases (2)"], "Cases (3)"),
    ("Seizures by product category", ["Seizures by product category"],
     "Seizures by product (2)"),
    ("Takedowns requested in the period, by platform", ["Takedowns requested"],
     "Takedowns requested (2)"),
    ("x" * 40, ["x" * 31], "x" * 27 + " (2)"),
])
def test_sheet_name(title, taken, expected):
    used = {name.casefold() for name in taken}
    name = sheet_name(title, used)
    assert name == expected
    assert len(name) <= SHEET_NAME_MAX and name.casefold() in used
    assert not set(name) & set("[]:*?/\\")


def test_sheet_names_stay_unique_over_many_collisions():
    used: set[str] = set()
    title = "Referrals by country pair and requested action over the period"
    names = [sheet_name(title, used) for _ in range(12)]
    assert len({n.casefold() for n in names}) == 12
    assert names[0] == "Referrals by country pair"  # "...pair and" stops at a whole word
    assert names[11] == "Referrals by country pair (12)"
    assert all(len(n) <= SHEET_NAME_MAX for n in names)
