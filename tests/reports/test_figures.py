"""Every figure of the October 2026 reports of a known data set (tests/reports/helpers.py),
on SQLite and PostgreSQL: national (MY), agency (MY police A1) and regional (suppressed).

The data set, October 2026 unless said otherwise:
- MY A1: c1 counterfeit (trademark+design) opened 3rd, closed 20th convicted, court 18th,
  seizures Nike footwear 120 pairs MYR 6,000 (USD 1,320) and 30 pairs valued USD 100;
  c2 counterfeit (restricted) Rolex watches 5 pieces MYR 1,000 (USD 220): counted in
  the agency report only (the coordinator cannot open it; test_visibility.py);
  c3 online (copyright) with takedowns: shopee removed in 3 days, shopee refused,
  lazada removed in 10 days, facebook pending, one listing never asked;
  c4 counterfeit opened in September, closed 5 October fined, its seizure in September.
- MY A2: c5 counterfeit, Nìke cosmetics 200 pieces MYR 2,000 (USD 440); c6 opened Oct 2025.
- TH T1: c7 counterfeit, Adidas footwear 10 pairs THB 3,000 (USD 87); c8 online, shopee
  removed in 2 days.
- Referrals: MY A1 -> TH accepted (answered in 2 days), MY A1 -> TH declined (1 day),
  MY A2 -> VN seize still waiting past its deadline (overdue), TH -> MY A1 info requested
  (answered in 4 days, deadline in December), one in September, one draft.
- T1 accepts c1's referral on 5 October (and c4's on 21 September): each opens a linked
  case in T1, counted as a TH case.
- Matches (proposed by the matcher as the items were added): c1's first item and c5
  confirmed to NIKE (Nike Inc., MY), c7 to ADIDAS (adidas AG, TH), c2's ROLEX rejected;
  c1's second item stays pending.
"""

from __future__ import annotations

from datetime import date

from anice.reports import figures
from anice.reports.periods import Period, Scope, parse_period

OCT = parse_period("2026-10")
TODAY = date(2026, 11, 25)


def compute(db, scope, period=OCT, min_cell=3):
    return figures.compute(db, scope, period, today=TODAY, min_cell=min_cell)


def rows_by(rows, *keys):
    return {tuple(r[k] for k in keys) if len(keys) > 1 else r[keys[0]]: r for r in rows}


def test_national_report_every_figure(db, world):
    f = compute(db, Scope.country("MY"))
    assert f["min_cell"] is None  # national figures are not suppressed: c2 is not counted
    assert f["scope"]["label"] == "Malaysia" and f["scope"]["currency"] == "MYR"
    assert f["period"] == {"kind": "month", "key": "2026-10", "label": "October 2026",
                           "start": "2026-10-01", "end": "2026-10-31"}
    assert f["as_of"] == "2026-11-01"
    assert f["rate"] == {"currency": "MYR", "on": "2026-10-31", "usd_per_unit": "0.22"}

    cases = f["cases"]
    assert [(r["key"], r["cases"]) for r in cases["opened"]["rows"]] == [
        ("counterfeit", 2), ("online", 1)]
    assert cases["opened"]["total"] == {"cases": 3}
    assert [(r["key"], r["cases"]) for r in cases["closed"]["rows"]] == [
        ("counterfeit", 2), ("online", 0)]
    assert cases["closed"]["total"] == {"cases": 2}
    types = {r["key"]: (r["opened"], r["closed"]) for r in cases["right_types"]}
    assert types == {"trademark": (2, 2), "copyright": (1, 0), "design": (1, 1),
                     "patent": (0, 0), "gi": (0, 0), "other": (0, 0)}
    outcomes = {r["key"]: r["cases"] for r in cases["outcomes"]["rows"]}
    assert outcomes == {"convicted": 1, "fined": 1, "settled": 0, "acquitted": 0,
                        "no_further_action": 0, "transferred": 0}
    assert cases["outcomes"]["total"] == {"cases": 2}
    assert cases["court_hearings"] == 1

    s = f["seizures"]
    assert [(r["category"], r["unit"], r["items"], r["cases"], r["quantity"], r["value_usd"],
             r["value_local"]) for r in s["rows"]] == [
        ("footwear", "pairs", 2, 1, "150", "1420.00", "6454.55"),  # 6000 + 100 / 0.22
        ("cosmetics", "pieces", 1, 1, "200", "440.00", "2000.00")]
    assert s["total"] == {"items": 3, "cases": 2, "value_usd": "1860.00",
                          "value_local": "8454.55"}
    # Confirmed matches count under the right and its holder: c1's first item and c5's
    # "Nìke" (one folded reading with Nike); c1's second item, still pending, is grouped
    # under the matcher's reading of its brand.
    assert s["rights"] == [
        {"right": "MY MY-1", "office": "MY", "number": "MY-1", "mark": "NIKE",
         "holder": "Nike Inc.", "cases": 2, "items": 2, "quantity": "320",
         "value_usd": "1760.00"}]  # 120 pairs + 200 pieces; USD 1,320 + 440
    assert s["brands"] == [
        {"brand": "nike", "key": "nike", "cases": 1, "items": 1, "value_usd": "100.00"}]

    t = f["takedowns"]
    assert [(r["platform"], r["listings"], r["cases"], r["achieved"], r["refused"], r["open"],
             r["mean_days"], r["median_days"]) for r in t["rows"]] == [
        ("shopee", 2, 1, 1, 1, 0, 3.0, 3.0),
        ("facebook", 1, 1, 0, 0, 1, None, None),
        ("lazada", 1, 1, 1, 0, 0, 10.0, 10.0)]
    assert t["total"] == {"listings": 4, "cases": 3, "achieved": 2, "refused": 1, "open": 1,
                          "median_days": 6.5, "p90_days": 9.3, "achieved_rate": 50.0}

    r = f["referrals"]
    pairs = rows_by(r["pairs"], "direction", "from", "to")
    assert set(pairs) == {("sent", "MY", "TH"), ("sent", "MY", "VN"), ("received", "TH", "MY")}
    assert {k: pairs[("sent", "MY", "TH")][k] for k in (
        "referrals", "cases", "accepted", "declined", "withdrawn", "awaiting", "overdue",
        "answered")} == {"referrals": 2, "cases": 2, "accepted": 1, "declined": 1,
                         "withdrawn": 0, "awaiting": 0, "overdue": 0, "answered": 2}
    assert (pairs[("sent", "MY", "VN")]["awaiting"], pairs[("sent", "MY", "VN")]["overdue"],
            pairs[("sent", "MY", "VN")]["answered"]) == (1, 1, 0)
    assert (pairs[("received", "TH", "MY")]["referrals"],
            pairs[("received", "TH", "MY")]["awaiting"],
            pairs[("received", "TH", "MY")]["overdue"]) == (1, 1, 0)
    sent, received = r["directions"]["sent"], r["directions"]["received"]
    assert (sent["referrals"], sent["accepted"], sent["declined"], sent["overdue"],
            sent["answered"]) == (3, 1, 1, 1, 2)
    assert (sent["acceptance_rate"], sent["overdue_rate"], sent["answered_rate"]) == (
        50.0, 33.3, 66.7)
    assert (sent["median_days"], sent["p90_days"]) == (1.5, 1.9)
    assert (received["referrals"], received["awaiting"], received["overdue"],
            received["acceptance_rate"], received["overdue_rate"]) == (1, 1, 0, None, 0.0)
    assert (received["median_days"], received["p90_days"]) == (4.0, 4.0)
    actions = {(a["direction"], a["action"]): (a["referrals"], a["accepted"], a["declined"],
                                               a["overdue"]) for a in r["actions"]}
    assert actions == {("sent", "investigate"): (1, 1, 0, 0),
                       ("sent", "take_down"): (1, 0, 1, 0), ("sent", "seize"): (1, 0, 0, 1),
                       ("received", "identify_suspect"): (1, 0, 0, 0)}

    assert f["matches"] == {"confirmed": 2, "cases": 2, "rights": 1, "holders": 1}

    trend = f["trend"]
    assert trend["months"][0] == "2025-11" and trend["months"][-1] == "2026-10"
    assert len(trend["months"]) == 12
    assert trend["opened"][-2:] == [1, 3] and sum(trend["opened"]) == 4
    assert trend["closed"][-1] == 2
    assert trend["value_usd"][-2:] == ["110.00", "1860.00"]


def test_national_comparisons_and_summary(db, world):
    f = compute(db, Scope.country("MY"))
    assert f["comparison"] == {"previous": {"key": "2026-09", "label": "September 2026"},
                               "year_ago": {"key": "2025-10", "label": "October 2025"}}
    h = {x["key"]: x for x in f["headline"]}
    assert (h["cases_opened"]["value"], h["cases_opened"]["previous"],
            h["cases_opened"]["year_ago"]) == (3, 1, 1)
    assert h["cases_opened"]["change_previous"] == 200.0
    assert (h["cases_closed"]["value"], h["cases_closed"]["previous"]) == (2, 0)
    assert h["cases_closed"]["change_previous"] is None  # nothing to compare with
    assert (h["seizure_value_usd"]["value"], h["seizure_value_usd"]["previous"]) == (
        "1860.00", "110.00")
    assert h["seizure_value_usd"]["change_previous"] == 1590.9
    assert (h["seizure_value_local"]["value"], h["seizure_value_local"]["previous"],
            h["seizure_value_local"]["unit"]) == ("8454.55", "500.00", "MYR")
    assert (h["referrals_sent"]["value"], h["referrals_sent"]["previous"]) == (3, 1)
    assert h["referrals_received"]["value"] == 1
    assert h["convictions"]["value"] == 2
    assert h["takedowns_requested"]["value"] == 4 and h["takedowns_achieved"]["value"] == 2
    assert h["right_holders"]["value"] == 1
    assert f["summary"][0] == ("Seizure value up 1591% on the previous month "
                               "(USD 1,860 against USD 110).")
    assert "Cases opened up 200% on the previous month (3 against 1)." in f["summary"]
    assert f["summary"][-1] == "Cases opened up 200% on October 2025 (3 against 1)."


def test_agency_report_counts_only_its_cases_and_referrals(db, world):
    f = compute(db, Scope.agency(world.a1.id, "MY"))
    assert f["scope"]["label"] == "Agency A1 of MY (MY-A1)"
    assert f["cases"]["opened"]["total"] == {"cases": 3}  # c1, c2 (restricted), c3
    assert f["cases"]["closed"]["total"] == {"cases": 2}  # c1, c4
    assert f["seizures"]["total"] == {"items": 3, "cases": 2, "value_usd": "1640.00",
                                      "value_local": "7454.55"}
    directions = f["referrals"]["directions"]
    assert (directions["sent"]["referrals"], directions["received"]["referrals"]) == (2, 1)
    assert f["matches"]["confirmed"] == 1


def test_regional_report_suppresses_small_cells(db, world):
    f = compute(db, Scope.region())
    assert f["min_cell"] == 3 and f["rate"] is None and f["scope"]["label"] == "ASEAN region"
    opened = f["cases"]["opened"]
    # c2 (restricted) is not counted; T1's linked case of c1's referral (opened on 5
    # October) is. Online (2) is below 3; counterfeit (4) is withheld too, or 6 - 4 would
    # give it away.
    assert [(r["key"], r["cases"], r.get("suppressed")) for r in opened["rows"]] == [
        ("counterfeit", None, True), ("online", None, True)]
    assert opened["total"] == {"cases": 6}
    closed = f["cases"]["closed"]  # only counterfeit (2): row and total withheld
    assert closed["rows"][0]["cases"] is None and closed["rows"][1]["cases"] == 0
    assert closed["total"]["cases"] is None
    types = {r["key"]: (r["opened"], r["closed"]) for r in f["cases"]["right_types"]}
    assert types["trademark"] == (4, None) and types["copyright"] == (None, 0)
    assert types["design"] == (None, None) and types["patent"] == (0, 0)
    assert all(r["cases"] in (None, 0) for r in f["cases"]["outcomes"]["rows"])
    assert f["cases"]["outcomes"]["total"]["cases"] is None
    assert f["cases"]["court_hearings"] is None

    s = f["seizures"]
    assert all(r["suppressed"] and r["value_usd"] is None for r in s["rows"])
    assert {(r["category"], r["unit"]) for r in s["rows"]} == {
        ("footwear", "pairs"), ("cosmetics", "pieces")}
    assert s["total"] == {"items": 4, "cases": 3, "value_usd": "1947.00",
                          "value_local": None}
    assert s["brands"] == []  # Nike is in 2 cases only

    t = f["takedowns"]
    assert all(r["suppressed"] for r in t["rows"])
    assert (t["total"]["listings"], t["total"]["achieved"], t["total"]["median_days"],
            t["total"]["p90_days"]) == (5, 3, 3.0, 8.6)

    r = f["referrals"]
    assert all(p["suppressed"] and p["referrals"] is None for p in r["pairs"])
    assert all(a["suppressed"] for a in r["actions"])
    total = r["directions"]["all"]
    assert (total["referrals"], total["accepted"], total["declined"], total["awaiting"],
            total["overdue"], total["answered"]) == (4, 1, 1, 2, 1, 3)
    assert (total["median_days"], total["p90_days"], total["acceptance_rate"],
            total["overdue_rate"]) == (2.0, 3.6, 50.0, 25.0)

    assert f["matches"] == {"confirmed": 3, "cases": 3, "rights": 2, "holders": 2}

    countries = {row["country"]: row for row in f["by_country"]["rows"]}
    assert set(countries) == {"MY", "TH"}
    # TH opened 3 cases (c7, c8 and the linked case), MY 3 (c1, c3, c5): both shown.
    assert countries["TH"]["opened"] == 3 and countries["MY"]["opened"] == 3
    assert countries["MY"]["closed"] is None  # 2 closed, the only row
    assert countries["TH"]["value_usd"] is None and countries["MY"]["value_usd"] is None

    trend = f["trend"]
    # September: c4 and T1's linked case of its referral, 2 cases: withheld.
    assert trend["opened"][-1] == 6 and trend["opened"][-2] is None


def test_threshold_is_configurable(db, world):
    f = compute(db, Scope.region(), min_cell=2)
    opened = {r["key"]: r["cases"] for r in f["cases"]["opened"]["rows"]}
    assert opened == {"counterfeit": 4, "online": 2}
    assert [r["holder"] for r in f["seizures"]["rights"]] == ["Nike Inc."]  # 2 cases
    assert f["seizures"]["brands"] == []  # the pending Nike item: 1 case
    f = compute(db, Scope.region(), min_cell=1)
    assert f["seizures"]["rows"][0]["value_usd"] == "1507.00"  # footwear: 1420 + 87


def test_quarter_and_year_and_custom_periods(db, world):
    q = compute(db, Scope.country("MY"), parse_period("2026-Q4"))
    assert q["cases"]["opened"]["total"] == {"cases": 3}
    assert q["comparison"]["previous"]["key"] == "2026-Q3"
    h = {x["key"]: x for x in q["headline"]}
    assert h["cases_opened"]["previous"] == 1  # c4 in September
    y = compute(db, Scope.country("MY"), parse_period("2026"))
    assert y["cases"]["opened"]["total"] == {"cases": 4}
    assert {x["key"]: x for x in y["headline"]}["cases_opened"]["previous"] == 1  # c6, 2025
    custom = compute(db, Scope.country("MY"), Period.custom(date(2026, 9, 1),
                                                            date(2026, 10, 5)))
    assert custom["cases"]["opened"]["total"] == {"cases": 2}  # c4, c1
    assert custom["comparison"]["previous"]["key"] == "2026-07-28..2026-08-31"


def test_digest_is_of_the_canonical_json(db, world):
    f = compute(db, Scope.country("MY"))
    again = compute(db, Scope.country("MY"))
    assert figures.digest(f) == figures.digest(again)
    assert len(figures.digest(f)) == 64
    f["cases"]["opened"]["total"]["cases"] = 4
    assert figures.digest(f) != figures.digest(again)
