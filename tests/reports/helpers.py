"""A known set of cases, items, listings, referrals and matches, and the figures a report
of October 2026 must show for it (see test_figures.py for every expected number).

Rows are written directly (not through the case services) so that every date is the one
the test names. MY has two agencies (A1 police, A2 customs), TH one (T1).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from anice.models import (
    Agency,
    Case,
    CaseMatch,
    Listing,
    MatchDecision,
    Referral,
    Right,
    RightKind,
    RightStatus,
    RightType,
    SeizureItem,
    UsdRate,
)
from anice.text.brand import brand_key

_seq = itertools.count(1)
TM, CR, DS = RightType.TRADEMARK.bit, RightType.COPYRIGHT.bit, RightType.DESIGN.bit


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def d(text: str) -> date:
    return date.fromisoformat(text)


@dataclass
class World:
    a1: Agency
    a2: Agency
    t1: Agency
    cases: dict[str, Case]


def make_case(db, agency: Agency, name: str, kind: str, mask: int, *, opened=None,
              detected=None, closed=None, outcome=None, court=None, sensitivity="normal"
              ) -> Case:
    n = 900_000 + next(_seq)  # apart from the references the case service gives
    case = Case(reference=f"{agency.country_code}-{agency.code}-2026-{n:06d}",
                agency_id=agency.id, country_code=agency.country_code, year=2026, seq=n,
                kind=kind, status="closed" if closed else "open", sensitivity=sensitivity,
                title=f"Report test case {name}", summary="", right_types_mask=mask,
                detected_on=d(detected) if detected else None,
                opened_on=d(opened) if opened else None,
                closed_on=d(closed) if closed else None, outcome=outcome,
                court_date=d(court) if court else None, tags=[])
    db.add(case)
    db.flush()
    return case


def seize(db, case: Case, category: str, unit: str, quantity: str, brand: str, *,
          local: str | None, currency: str | None, rate: str | None) -> SeizureItem:
    usd = None
    if local is not None:
        usd = (Decimal(local) * Decimal(rate)).quantize(Decimal("0.01"))
    item = SeizureItem(case_id=case.id, description=f"{brand} goods", brand=brand,
                       brand_key=brand_key(brand), category=category, quantity=Decimal(quantity),
                       unit=unit, value_local=Decimal(local) if local else None,
                       currency=currency, usd_rate=Decimal(rate) if rate else None,
                       rate_date=case.detected_on, value_usd=usd)
    db.add(item)
    return item


def listing(db, case: Case, platform: str, requested: str | None, done: str | None,
            result: str | None) -> Listing:
    item = Listing(case_id=case.id, url=f"https://{platform}.example/{next(_seq)}",
                   platform=platform, seller_name="Seller", title="Offer",
                   takedown_requested_on=d(requested) if requested else None,
                   takedown_done_on=d(done) if done else None, takedown_result=result)
    db.add(item)
    return item


def refer(db, case: Case, to_country: str, action: str, status: str, *, sent=None,
          responded=None, deadline=None, to_agency: Agency | None = None) -> Referral:
    agency = db.get(Agency, case.agency_id)
    referral = Referral(case_id=case.id, from_agency_id=agency.id,
                        from_country_code=agency.country_code, to_country_code=to_country,
                        to_agency_id=to_agency.id if to_agency else None,
                        requested_action=action, handling_code="agency_only", message="",
                        status=status, sent_at=at(sent) if sent else None,
                        first_response_at=at(responded) if responded else None,
                        deadline=d(deadline) if deadline else None)
    db.add(referral)
    return referral


def right(db, number: str, owner: str) -> Right:
    r = Right(type=RightKind.TRADEMARK, office="MY", number=number, status=RightStatus.REGISTERED,
              owner=owner, mark_text=owner.split()[0], classes=";25;")
    db.add(r)
    db.flush()
    return r


def match(db, case: Case, r: Right, decision: str, decided: str | None,
          item: SeizureItem | None = None) -> CaseMatch:
    """A match of ``r`` to ``item`` (to none of the case's items without one)."""
    if item is not None:
        db.flush()
    source = f"seizure:{item.id}" if item is not None else "listing:0"
    m = CaseMatch(case_id=case.id, source=source, text=r.mark_text or "", right_id=r.id,
                  score=90.0, reasons=[], decision=decision,
                  decided_at=at(decided) if decided else None)
    db.add(m)
    return m


def build_world(db, make) -> World:
    """The data set of the October 2026 tests (see the module docstring of test_figures)."""
    a1, a2 = make.agency("MY", "A1"), make.agency("MY", "A2")
    t1 = make.agency("TH", "T1")
    db.add(UsdRate(currency="MYR", on=d("2026-10-01"), usd_per_unit=Decimal("0.22")))
    db.add(UsdRate(currency="MYR", on=d("2026-09-01"), usd_per_unit=Decimal("0.25")))
    c: dict[str, Case] = {}
    c["c1"] = make_case(db, a1, "c1", "counterfeit", TM | DS, opened="2026-10-03",
                        detected="2026-10-02", closed="2026-10-20", outcome="convicted",
                        court="2026-10-18")
    c["c2"] = make_case(db, a1, "c2", "counterfeit", TM, opened="2026-10-10",
                        detected="2026-10-09", sensitivity="restricted")
    c["c3"] = make_case(db, a1, "c3", "online", CR, opened="2026-10-15", detected="2026-10-14")
    c["c4"] = make_case(db, a1, "c4", "counterfeit", TM, opened="2026-09-05",
                        detected="2026-09-04", closed="2026-10-05", outcome="fined",
                        court="2026-09-28")
    c["c5"] = make_case(db, a2, "c5", "counterfeit", TM, opened="2026-10-07",
                        detected="2026-10-06")
    c["c6"] = make_case(db, a2, "c6", "online", TM, opened="2025-10-11", detected="2025-10-10")
    c["c7"] = make_case(db, t1, "c7", "counterfeit", TM, opened="2026-10-02",
                        detected="2026-10-01")
    c["c8"] = make_case(db, t1, "c8", "online", TM, opened="2026-10-12", detected="2026-10-11")
    c["draft"] = make_case(db, a1, "draft", "counterfeit", TM, detected="2026-10-01")

    seize(db, c["c1"], "footwear", "pairs", "120", "Nike", local="6000", currency="MYR",
          rate="0.22")
    seize(db, c["c1"], "footwear", "pairs", "30", "Nike", local="100", currency="USD", rate="1")
    seize(db, c["c2"], "watches_jewellery", "pieces", "5", "Rolex", local="1000",
          currency="MYR", rate="0.22")
    seize(db, c["c4"], "apparel", "pieces", "50", "Nike", local="500", currency="MYR",
          rate="0.22")
    seize(db, c["c5"], "cosmetics", "pieces", "200", "Nìke", local="2000", currency="MYR",
          rate="0.22")
    seize(db, c["c7"], "footwear", "pairs", "10", "Adidas", local="3000", currency="THB",
          rate="0.029")

    listing(db, c["c3"], "shopee", "2026-10-15", "2026-10-18", "removed")
    listing(db, c["c3"], "shopee", "2026-10-16", None, "refused")
    listing(db, c["c3"], "lazada", "2026-10-20", "2026-10-30", "removed")
    listing(db, c["c3"], "facebook", "2026-10-21", None, "pending")
    listing(db, c["c3"], "website", None, None, None)  # never asked: not a takedown
    listing(db, c["c8"], "shopee", "2026-10-12", "2026-10-14", "removed")

    refer(db, c["c1"], "TH", "investigate", "accepted", sent="2026-10-03T08:00:00",
          responded="2026-10-05T08:00:00", deadline="2026-10-31")
    refer(db, c["c3"], "TH", "take_down", "declined", sent="2026-10-04T00:00:00",
          responded="2026-10-05T00:00:00")
    refer(db, c["c5"], "VN", "seize", "sent", sent="2026-10-10T00:00:00", deadline="2026-10-20")
    refer(db, c["c7"], "MY", "identify_suspect", "info_requested", sent="2026-10-06T00:00:00",
          responded="2026-10-10T00:00:00", deadline="2026-12-01", to_agency=a1)
    refer(db, c["c4"], "TH", "investigate", "accepted", sent="2026-09-20T00:00:00",
          responded="2026-09-21T00:00:00")
    refer(db, c["c2"], "TH", "investigate", "draft")

    nike, rolex = right(db, "MY-1", "Nike Inc."), right(db, "MY-2", "Rolex SA")
    match(db, c["c1"], nike, MatchDecision.CONFIRMED, "2026-10-04T03:00:00")
    match(db, c["c5"], nike, MatchDecision.CONFIRMED, "2026-10-08T03:00:00")
    match(db, c["c2"], rolex, MatchDecision.REJECTED, "2026-10-08T03:00:00")
    match(db, c["c7"], rolex, MatchDecision.CONFIRMED, "2026-10-09T03:00:00")
    db.commit()
    return World(a1, a2, t1, c)
