"""The "Verification requests" figures of a report (issue 18), on a small known data set
whose every number is worked out by hand below.

October 2026. MY (Asia/Kuala_Lumpur, UTC+8) agency A1: cases c1-c4 and a restricted case;
TH (Asia/Bangkok, UTC+7) agency T1: case c5. Holders Nike and Rolex.

| # | case  | holder | sent (UTC)  | deadline | answered (UTC) | local day | in time | days   |
|---|-------|--------|-------------|----------|----------------|-----------|---------|--------|
| 1 | c1    | Nike   | 10-01 02:00 | 10-10    | 10-10 16:30    | MY 10-11  | no      | 9.6042 |
| 2 | c2    | Nike   | 10-05 00:00 | 10-15    | 10-07 00:00    | MY 10-07  | yes     | 2.0    |
| 3 | c3    | Rolex  | 10-06 00:00 | 10-20    | 10-10 12:00    | MY 10-10  | yes     | 4.5    |
| 4 | c4    | Rolex  | 10-20 00:00 | 10-30    | (waiting)      |           |         |        |
| 5 | c5    | Nike   | 10-08 00:00 | 10-14    | 10-14 16:30    | TH 10-14  | yes     | 6.6875 |
| 6 | c1    | Rolex  | 10-02 00:00 | 10-12    | (withdrawn)    |           |         |        |
| 7 | rest. | Nike   | 10-03 00:00 | 10-10    | 10-06 12:00    | MY 10-06  | yes     | 3.5    |
| 8 | c2    | Nike   | 09-30 23:00 | 10-09    | (September: in no October report)            |

Verdicts: 1, 2 and 7 counterfeit, 3 genuine, 5 cannot tell without a sample.
Request 1 is answered on the deadline's day in UTC but after midnight in Kuala Lumpur:
late. Request 4 is overdue on 1 November (as of the report: the period's end).
"""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from anice.models import (
    HandlingCode,
    Role,
    Verdict,
    VerificationRequest,
    VerificationStatus,
)
from anice.reports import service
from anice.reports.periods import Period, Scope

from .helpers import TM, at, d, make_case, right

OCTOBER = Period.month(2026, 10)
TODAY = date(2026, 11, 25)


def holder(db, make, name: str, number: str):
    """(organisation, its right): a holder organisation linked to one right."""
    r = right(db, number, name)
    return make.holder_org(name=name, rights=(r,)), r


def _request(db, n, case, holder_, sender, sent, deadline, answered=None, verdict=None,
             status=VerificationStatus.SENT):
    org, r = holder_
    db.add(VerificationRequest(
        public_id=f"vr-test-{n:04d}", case_id=case.id, right_id=r.id, org_id=org.id,
        country_code=case.country_code, agency_id=case.agency_id,
        sent_by_id=sender.id, sent_at=at(sent), question="Genuine or counterfeit?",
        detention_date=d(sent[:10]), working_days=5, deadline=d(deadline),
        handling_code=HandlingCode.AGENCY_ONLY, status=status,
        answered_at=at(answered) if answered else None, verdict=verdict))


@pytest.fixture
def requests(db, make):
    a1, t1 = make.agency("MY", "A1"), make.agency("TH", "T1")
    c = {n: make_case(db, a1, n, "counterfeit", TM, opened="2026-10-01")
         for n in ("c1", "c2", "c3", "c4")}
    c["c5"] = make_case(db, t1, "c5", "counterfeit", TM, opened="2026-10-01")
    c["restricted"] = make_case(db, a1, "r", "counterfeit", TM, opened="2026-10-01",
                                sensitivity="restricted")
    nike = holder(db, make, "Nike Innovate C.V.", "VR-1")
    rolex = holder(db, make, "Rolex SA", "VR-2")
    my, th = make.officer(agency=a1), make.officer(agency=t1)
    answered, sent = VerificationStatus.ANSWERED, VerificationStatus.SENT
    cf, gen, cant = Verdict.COUNTERFEIT, Verdict.GENUINE, Verdict.CANNOT_TELL
    _request(db, 1, c["c1"], nike, my, "2026-10-01T02:00", "2026-10-10",
             "2026-10-10T16:30", cf, answered)
    _request(db, 2, c["c2"], nike, my, "2026-10-05T00:00", "2026-10-15",
             "2026-10-07T00:00", cf, answered)
    _request(db, 3, c["c3"], rolex, my, "2026-10-06T00:00", "2026-10-20",
             "2026-10-10T12:00", gen, answered)
    _request(db, 4, c["c4"], rolex, my, "2026-10-20T00:00", "2026-10-30", status=sent)
    _request(db, 5, c["c5"], nike, th, "2026-10-08T00:00", "2026-10-14",
             "2026-10-14T16:30", cant, answered)
    _request(db, 6, c["c1"], rolex, my, "2026-10-02T00:00", "2026-10-12",
             status=VerificationStatus.WITHDRAWN)
    _request(db, 7, c["restricted"], nike, my, "2026-10-03T00:00", "2026-10-10",
             "2026-10-06T12:00", cf, answered)
    _request(db, 8, c["c2"], nike, my, "2026-09-30T23:00", "2026-10-09", status=sent)
    db.commit()
    return {"a1": a1, "cases": c, "nike": nike, "rolex": rolex}


def generate(db, scope: Scope):
    report = service.generate(db, scope, OCTOBER, origin="cli", today=TODAY).report
    db.commit()
    return report


def by_label(rows: list[dict]) -> dict[str, dict]:
    return {r["label"]: r for r in rows}


def test_region_figures_and_small_cells(db, requests):
    v = generate(db, Scope.region()).figures["verifications"]
    # Requests 1-6 (7 is of a restricted case, 8 of September): 5 cases, 4 answered, of
    # which 2, 3 and 5 in time (1 is late in Kuala Lumpur); days 2.0, 4.5, 6.6875, 9.6042.
    assert v["total"] == {
        "requests": 6, "cases": 5, "answered": 4, "in_time": 3, "overdue": 1,
        "withdrawn": 1, "holders": 2, "in_time_rate": 75.0,
        "median_days": 5.6,  # (4.5 + 6.6875) / 2 = 5.59375
        "counterfeit_rate": 50.0}
    # TH counts one case (< 3): withheld, and MY with it, or the total would give TH back.
    countries = by_label(v["countries"])
    assert countries["Thailand"]["suppressed"] and countries["Thailand"]["requests"] is None
    assert countries["Malaysia"]["suppressed"] and countries["Malaysia"]["answered"] is None
    holders = by_label(v["holders"])
    nike, rolex = holders["Nike Innovate C.V."], holders["Rolex SA"]
    # Nike: requests 1, 2, 5 (cases c1, c2, c5); answered all three, 2 and 5 in time.
    assert (nike["requests"], nike["cases"], nike["answered"], nike["in_time"]) == (3, 3, 3, 2)
    assert nike["median_days"] == 6.7 and nike["counterfeit_rate"] == 66.7  # 6.6875; 2 of 3
    assert nike["in_time_rate"] == 66.7
    # Rolex: requests 3, 4, 6 (cases c3, c4, c1): one answer only, so no median or share.
    assert (rolex["requests"], rolex["cases"], rolex["answered"]) == (3, 3, 1)
    assert rolex["overdue"] == 1 and rolex["withdrawn"] == 1
    assert rolex["median_days"] is None and rolex["counterfeit_rate"] is None


def test_country_and_agency_count_what_their_readers_may_open(db, requests):
    national = generate(db, Scope.country("MY")).figures["verifications"]
    # Requests 1, 2, 3, 4, 6: cases c1-c4; answered 1, 2, 3; in time 2 and 3.
    assert national["total"] == {
        "requests": 5, "cases": 4, "answered": 3, "in_time": 2, "overdue": 1,
        "withdrawn": 1, "holders": 2, "in_time_rate": 66.7, "median_days": 4.5,
        "counterfeit_rate": 66.7}
    assert [r["label"] for r in national["countries"]] == ["Malaysia"]
    assert not by_label(national["holders"])["Nike Innovate C.V."].get("suppressed")
    agency = generate(db, Scope.agency(requests["a1"].id, "MY")).figures["verifications"]
    # The agency reads its restricted case too: request 7 (3.5 days, in time, counterfeit).
    # Days 2.0, 3.5, 4.5, 9.6042: median 4.0.
    assert agency["total"] == {
        "requests": 6, "cases": 5, "answered": 4, "in_time": 3, "overdue": 1,
        "withdrawn": 1, "holders": 2, "in_time_rate": 75.0, "median_days": 4.0,
        "counterfeit_rate": 75.0}


def test_small_region_withholds_the_total(db, make):
    a1 = make.agency("MY", "A1")
    case = make_case(db, a1, "only", "counterfeit", TM, opened="2026-10-01")
    _request(db, 1, case, holder(db, make, "Lonely Brand", "VR-9"), make.officer(agency=a1),
             "2026-10-02T00:00", "2026-10-09", "2026-10-03T00:00",
             Verdict.COUNTERFEIT, VerificationStatus.ANSWERED)
    db.commit()
    v = generate(db, Scope.region()).figures["verifications"]
    assert v["total"]["suppressed"] and v["total"]["requests"] is None
    assert all(r["suppressed"] for r in v["countries"] + v["holders"])


def test_page_csv_and_pdf_show_the_section(client, db, make, auth, requests):
    report = generate(db, Scope.region())
    auth.login(make.officer(role=Role.SECRETARIAT, country="ID"))
    html = client.get(f"/reports/{report.id}").get_data(as_text=True)
    assert "Verification requests by right holder" in html and "Rolex SA" in html
    assert "Median days to answer" in html and "5.6" in html
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/{report.id}.csv")
                                       .get_data(as_text=True))))
    nike = next(r for r in rows if r and r[0] == "Nike Innovate C.V.")
    assert nike[1:4] == ["3", "3", "2"]  # requests, answered, within the deadline
    thailand = next(r for r in rows if r and r[0] == "Thailand")
    assert thailand[1] in ("", "c")  # withheld
    pdf = PdfReader(io.BytesIO(client.get(f"/reports/{report.id}.pdf").data))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert "Verification requests" in text and "Rolex SA" in text
