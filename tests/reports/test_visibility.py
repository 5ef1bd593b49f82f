"""Report figures follow the visibility of cases (docs/reports.md, "Who sees which figures").

One day, 9 October 2026, in MY agency A1: a restricted case (brand "Zephyrion", 777 pieces,
MYR 43,210, a takedown, a confirmed match, a court hearing and a referral to TH) and a
normal one (Nike, 12 pairs, MYR 100). The coordinator cannot open the restricted case, so
no figure of the national report (nor of the regional one) comes from it; the agency's
supervisor opens it, so its agency report counts it.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from anice import policy
from anice.models import Case, CaseAssignment, MatchDecision, Officer, Referral, Role
from anice.reports import figures, service
from anice.reports.periods import Period, Scope

from .helpers import TM, listing, make_case, match, refer, right, seize

DAY = Period.custom(date(2026, 10, 9), date(2026, 10, 9))
TODAY = date(2026, 11, 25)
# What only the restricted case holds: none of it may reach a coordinator or the secretariat.
SECRET = ("Zephyrion", "zephyrion", "MY-9", "777", "43,210", "43210", "9,506.20", "9506.20",
          "9,506.2")


@pytest.fixture
def day(db, make):
    a1 = make.agency("MY", "A1")
    secret = make_case(db, a1, "secret", "counterfeit", TM, opened="2026-10-09",
                       detected="2026-10-09", court="2026-10-09", sensitivity="restricted")
    item = seize(db, secret, "watches_jewellery", "pieces", "777", "Zephyrion", local="43210",
                 currency="MYR", rate="0.22")  # USD 9,506.20
    listing(db, secret, "shopee", "2026-10-09", None, "pending")
    refer(db, secret, "TH", "investigate", "sent", sent="2026-10-09T03:00:00",
          deadline="2026-12-01")
    # confirmed for the item: the top infringed rights would show it, with its holder
    match(db, secret, right(db, "MY-9", "Zephyrion Ltd"), MatchDecision.CONFIRMED,
          "2026-10-09T04:00:00", item)
    plain = make_case(db, a1, "plain", "counterfeit", TM, opened="2026-10-09",
                      detected="2026-10-09")
    seize(db, plain, "footwear", "pairs", "12", "Nike", local="100", currency="MYR",
          rate="0.22")
    db.commit()
    return {"a1": a1, "secret": secret, "plain": plain}


def generate(db, scope: Scope):
    report = service.generate(db, scope, DAY, origin="cli", today=TODAY).report
    db.commit()
    return report


def leaks(text: str) -> list[str]:
    return [s for s in SECRET if s in text]


def test_national_report_counts_no_restricted_case(db, day):
    f = generate(db, Scope.country("MY")).figures
    assert leaks(figures.canonical_json(f).decode()) == []
    assert f["cases"]["opened"]["total"] == {"cases": 1}
    assert f["cases"]["court_hearings"] == 0
    assert f["seizures"]["total"] == {"items": 1, "cases": 1, "value_usd": "22.00",
                                      "value_local": "100.00"}
    assert [b["brand"] for b in f["seizures"]["brands"]] == ["nike"]
    assert f["seizures"]["rights"] == []
    assert [r["category"] for r in f["seizures"]["rows"]] == ["footwear"]
    assert f["takedowns"]["total"]["listings"] == 0
    assert f["referrals"]["directions"]["sent"]["referrals"] == 0
    assert f["matches"]["confirmed"] == 0
    assert f["trend"]["opened"][-1] == 1


def test_agency_report_of_its_supervisor_counts_it(db, day):
    f = generate(db, Scope.agency(day["a1"].id, "MY")).figures
    assert f["cases"]["opened"]["total"] == {"cases": 2}
    assert f["cases"]["court_hearings"] == 1
    assert [(r["number"], r["holder"], r["value_usd"]) for r in f["seizures"]["rights"]] == [
        ("MY-9", "Zephyrion Ltd", "9506.20")]
    assert [b["brand"] for b in f["seizures"]["brands"]] == ["nike"]
    rows = {r["category"]: r for r in f["seizures"]["rows"]}
    assert rows["watches_jewellery"]["quantity"] == "777"
    assert f["takedowns"]["total"]["listings"] == 1
    assert f["referrals"]["directions"]["sent"]["referrals"] == 1
    assert f["matches"]["confirmed"] == 1


def test_regional_report_counts_no_restricted_case_even_unsuppressed(db, day):
    # Without any suppression (threshold 1) the restricted case is still not there.
    f = figures.compute(db, Scope.region(), DAY, today=TODAY, min_cell=1)
    assert leaks(figures.canonical_json(f).decode()) == []
    assert f["cases"]["opened"]["total"] == {"cases": 1}
    assert f["seizures"]["total"]["value_usd"] == "22.00"
    assert f["seizures"]["rights"] == []
    assert f["takedowns"]["total"]["listings"] == 0
    assert f["referrals"]["directions"]["all"]["referrals"] == 0
    assert f["matches"]["confirmed"] == 0
    assert {r["country"]: r["opened"] for r in f["by_country"]["rows"]} == {"MY": 1}


def test_regional_small_cells_are_withheld(db, day):
    f = generate(db, Scope.region()).figures  # threshold 3: the one normal case is a small cell
    assert f["min_cell"] == 3
    assert f["cases"]["opened"]["total"]["cases"] is None
    assert all(r["cases"] is None for r in f["cases"]["opened"]["rows"] if r["key"] ==
               "counterfeit")
    assert f["seizures"]["total"]["value_usd"] is None
    assert all(r["suppressed"] and r["quantity"] is None for r in f["seizures"]["rows"])
    assert f["seizures"]["brands"] == [] and f["seizures"]["rights"] == []
    assert leaks(figures.canonical_json(f).decode()) == []


def test_an_agency_only_copy_is_counted_by_its_agency_alone(db, day, make):
    a2 = make.agency("MY", "A2")
    copy = make_case(db, a2, "copy", "counterfeit", TM, opened="2026-10-09",
                     detected="2026-10-09")
    seize(db, copy, "watches_jewellery", "pieces", "777", "Zephyrion", local="43210",
          currency="MYR", rate="0.22")
    th = make.agency("TH", "T1")
    origin = make_case(db, th, "origin", "counterfeit", TM, opened="2026-09-01")
    db.flush()
    referral = Referral(case_id=origin.id, from_agency_id=th.id, from_country_code="TH",
                        to_country_code="MY", to_agency_id=a2.id,
                        requested_action="investigate", handling_code="agency_only",
                        message="", status="accepted", linked_case_id=copy.id)
    db.add(referral)
    db.flush()
    # What accepting the referral writes on the linked case (referrals.linked).
    copy.origin_referral_id, copy.origin_handling = referral.id, "agency_only"
    db.commit()
    national = generate(db, Scope.country("MY")).figures
    assert leaks(figures.canonical_json(national).decode()) == []
    assert national["cases"]["opened"]["total"] == {"cases": 1}  # the plain case only
    agency = generate(db, Scope.agency(a2.id, "MY")).figures
    assert agency["seizures"]["total"]["value_usd"] == "9506.20"


def test_coordinator_reads_no_figure_of_the_case_it_cannot_open(client, db, make, auth, day):
    report = generate(db, Scope.country("MY"))
    auth.login(make.officer(role=Role.COORDINATOR, country="MY"))
    assert client.get(f"/cases/{day['secret'].id}").status_code == 404
    assert client.get(f"/cases/{day['plain'].id}").status_code == 200
    page = client.get(f"/reports/{report.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert ">nike<" in html and leaks(html) == []  # the brand as the matcher reads it
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/{report.id}.csv")
                                       .get_data(as_text=True))))
    assert ["Scope", "Malaysia"] in rows
    assert leaks("\n".join(",".join(r) for r in rows)) == []
    pdf = PdfReader(io.BytesIO(client.get(f"/reports/{report.id}.pdf").data))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "nike" in text and leaks(text) == []


def test_supervisor_reads_the_figures_of_its_agency(client, db, make, auth, day):
    report = generate(db, Scope.agency(day["a1"].id, "MY"))
    auth.login(make.officer(role=Role.SUPERVISOR, agency=day["a1"]))
    assert client.get(f"/cases/{day['secret'].id}").status_code == 200
    html = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Zephyrion" in html and "9,506.20" in html
    csv_text = client.get(f"/reports/{report.id}.csv").get_data(as_text=True)
    assert "Zephyrion" in csv_text and "777" in csv_text


def test_every_counted_case_is_open_to_every_reader_of_the_scope(db, day, make):
    """The invariant behind the rule, against policy.visible_cases itself: whatever a
    report of a scope counts, each of its readers may open (a coordinator assigned to the
    restricted case does not widen what the other coordinator's report shows)."""
    assigned = make.officer(role=Role.COORDINATOR, country="MY")
    make.officer(role=Role.COORDINATOR, country="MY")
    make.officer(role=Role.SUPERVISOR, agency=day["a1"])
    db.add(CaseAssignment(case_id=day["secret"].id, officer_id=assigned.id))
    db.commit()
    for scope in (Scope.country("MY"), Scope.agency(day["a1"].id, "MY")):
        args = (scope.level.value, scope.country_code, scope.agency_id)
        counted = set(db.scalars(select(Case.id).where(policy.report_cases(*args))))
        readers = list(db.scalars(select(Officer).where(policy.report_readers(*args))))
        assert counted and len(readers) >= 1
        for reader in readers:
            visible = set(db.scalars(select(Case.id).where(policy.visible_cases(reader))))
            assert counted <= visible, (scope.key, reader.role)
    national = set(db.scalars(select(Case.id).where(policy.report_cases("country", "MY",
                                                                        None))))
    assert national == {day["plain"].id}


def test_a_national_report_made_before_the_rule_is_no_longer_delivered(client, db, make,
                                                                         auth, day):
    """Reports made by the old code counted restricted cases: schema 1 figures of a country
    (or the region) answer 404 and leave the archive; agency reports keep being shown. The
    next version neither points at nor diffs against the old one."""
    old = generate(db, Scope.country("MY"))
    old_agency = generate(db, Scope.agency(day["a1"].id, "MY"))
    for report in (old, old_agency):  # as the old code stored them
        report.figures = {**report.figures, "schema": 1}
        report.sha256 = figures.digest(report.figures)
    db.commit()
    auth.login(make.officer(role=Role.COORDINATOR, country="MY"))
    for suffix in ("", ".pdf", ".csv", ".xlsx", "/status.json", "/charts/trend.svg"):
        assert client.get(f"/reports/{old.id}{suffix}").status_code == 404, suffix
    assert f"/reports/{old.id}\"" not in client.get("/reports/").get_data(as_text=True)
    again = generate(db, Scope.country("MY"))
    assert again.id != old.id and again.previous_id is None and again.changes is None
    assert [r.id for r in service.versions_of(db, again)] == [again.id]
    assert client.get(f"/reports/{again.id}").status_code == 200
    assert figures.SCHEMA >= policy.REPORT_CASES_SCHEMA
    auth.logout()
    auth.login(make.officer(role=Role.SUPERVISOR, agency=day["a1"]))
    assert client.get(f"/reports/{old_agency.id}").status_code == 200
