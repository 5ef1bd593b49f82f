"""Seizures by confirmed registered right ("top infringed rights") and, for items no
confirmed right covers, by the matcher's folded reading of the brand, never by the text as
typed: NIKE, NlKE and Nlke seized in three cases are one brand.

One day, 9 October 2026: three MY cases in agencies A1, A2 and A3 and one TH case.
"""

from __future__ import annotations

from datetime import date

import pytest

from anice.models import MatchDecision
from anice.reports import figures, tables
from anice.reports.periods import Period, Scope

from .helpers import TM, make_case, match, right, seize

DAY = Period.custom(date(2026, 10, 9), date(2026, 10, 9))
TODAY = date(2026, 11, 25)


@pytest.fixture
def nike(db, make):
    """NIKE (A1), NlKE (A2) and Nlke (A3): 10, 20 and 30 pairs at MYR 100 each."""
    cases, items = [], []
    for n, (code, brand) in enumerate((("A1", "NIKE"), ("A2", "NlKE"), ("A3", "Nlke")), 1):
        case = make_case(db, make.agency("MY", code), code, "counterfeit", TM,
                         opened="2026-10-09", detected="2026-10-09")
        items.append(seize(db, case, "footwear", "pairs", str(10 * n), brand, local="100",
                           currency="MYR", rate="0.22"))
        cases.append(case)
    th = make_case(db, make.agency("TH", "T1"), "t1", "counterfeit", TM,
                   opened="2026-10-09", detected="2026-10-09")
    seize(db, th, "cosmetics", "pieces", "5", "Colgete", local="1000", currency="THB",
          rate="0.029")
    db.commit()
    return {"cases": cases, "items": items}


def compute(db, scope, min_cell=3):
    return figures.compute(db, scope, DAY, today=TODAY, min_cell=min_cell)


def test_three_spellings_of_one_brand_are_one_group(db, nike):
    f = compute(db, Scope.country("MY"))
    assert f["schema"] == figures.SCHEMA == 4
    assert f["seizures"]["rights"] == []
    assert f["seizures"]["brands"] == [
        {"brand": "nike", "key": "nike", "cases": 3, "items": 3, "value_usd": "66.00"}]
    # The region suppresses brands seen in fewer than 3 cases: the three spellings together
    # are seen in 3, so the brand is listed; "Colgete" (one case) is not.
    region = compute(db, Scope.region())
    assert [(b["key"], b["cases"]) for b in region["seizures"]["brands"]] == [("nike", 3)]


def test_confirmed_match_groups_items_by_right_with_its_holder(db, nike):
    mark = right(db, "MY-77", "Nike Innovate C.V.")
    a1, a2, _ = nike["cases"]
    match(db, a1, mark, MatchDecision.CONFIRMED, "2026-10-10T03:00:00", nike["items"][0])
    match(db, a2, mark, MatchDecision.CONFIRMED, "2026-10-10T03:00:00", nike["items"][1])
    db.commit()
    f = compute(db, Scope.country("MY"))
    assert f["seizures"]["rights"] == [
        {"right": "MY MY-77", "office": "MY", "number": "MY-77", "mark": "Nike",
         "holder": "Nike Innovate C.V.", "cases": 2, "items": 2, "quantity": "30",
         "value_usd": "44.00"}]
    # The item no confirmed right covers stays a brand, shown as the matcher reads it.
    assert [(b["brand"], b["cases"]) for b in f["seizures"]["brands"]] == [("nlke", 1)]
    table = next(t for s in tables.sections(f) for t in s.tables if t.key == "rights")
    assert [tables.row_cells(table, r) for r in table.rows] == [
        ["MY MY-77", "Nike", "Nike Innovate C.V.", "2", "2", "30", "44.00"]]


def test_pending_or_rejected_match_is_no_right(db, nike):
    mark = right(db, "MY-78", "Nike Innovate C.V.")
    match(db, nike["cases"][0], mark, MatchDecision.REJECTED, "2026-10-10T03:00:00",
          nike["items"][0])
    match(db, nike["cases"][1], mark, MatchDecision.PENDING, None, nike["items"][1])
    db.commit()
    f = compute(db, Scope.country("MY"))
    assert f["seizures"]["rights"] == []
    assert f["seizures"]["brands"][0]["cases"] == 3


def test_region_leaves_out_rights_seen_in_few_cases(db, nike):
    mark = right(db, "MY-79", "Nike Innovate C.V.")
    for case, item in zip(nike["cases"][:2], nike["items"][:2], strict=True):
        match(db, case, mark, MatchDecision.CONFIRMED, "2026-10-10T03:00:00", item)
    db.commit()
    assert compute(db, Scope.region())["seizures"]["rights"] == []
    assert [r["cases"] for r in compute(db, Scope.region(), min_cell=2)["seizures"]["rights"]
            ] == [2]


def test_reports_stored_before_keep_their_brand_table():
    """A schema 2 report (brands by the text as seen, no rights) renders as it did."""
    f = {"min_cell": None, "rate": None, "seizures": {
        "rows": [], "total": {"items": 1, "cases": 1, "value_usd": "1.00", "value_local": None},
        "brands": [{"brand": "Nike", "cases": 1, "items": 1, "value_usd": "1.00"}]}}
    section = tables._seizures(f)
    assert [t.key for t in section.tables] == ["seizures", "brands"]
    brands = section.tables[1]
    assert brands.title == "Top brands by seizure value"
    assert brands.columns[0].label == "Brand as seen"


def test_a_thai_rendering_confirmed_for_the_right_counts_under_it(db, nike, make):
    """The matcher reads ไนกี้ by sound ("naiki"), not by shape: it is its own brand until an
    officer confirms the match, then it counts under the right with the Latin spellings."""
    thai = make_case(db, make.agency("MY", "A4"), "A4", "counterfeit", TM,
                     opened="2026-10-09", detected="2026-10-09")
    item = seize(db, thai, "footwear", "pairs", "40", "ไนกี้", local="100", currency="MYR",
                 rate="0.22")
    db.commit()
    f = compute(db, Scope.country("MY"))
    assert {b["key"]: b["cases"] for b in f["seizures"]["brands"]} == {"nike": 3, "naiki": 1}
    mark = right(db, "MY-80", "Nike Innovate C.V.")
    match(db, thai, mark, MatchDecision.CONFIRMED, "2026-10-10T03:00:00", item)
    match(db, nike["cases"][0], mark, MatchDecision.CONFIRMED, "2026-10-10T03:00:00",
          nike["items"][0])
    db.commit()
    f = compute(db, Scope.country("MY"))
    assert [(r["holder"], r["cases"], r["quantity"]) for r in f["seizures"]["rights"]] == [
        ("Nike Innovate C.V.", 2, "50")]
    assert {b["key"]: b["cases"] for b in f["seizures"]["brands"]} == {"nike": 2}
