"""A known set of cases, items, listings, referrals and matches, and the figures a report
of October 2026 must show for it (see test_figures.py for every expected number).

``build_world`` writes everything through the services (tests/factories.py and the case,
referral and matching services), as officers would have on the days the test names: the
clock is moved to each day (time-machine) before the step. MY has two agencies (A1 police,
A2 customs), TH one (T1). The row writers below it (``make_case``, ``seize``...) remain for
the suites that need a state the services cannot reach on a given day (test_rights.py,
test_visibility.py, test_views.py).
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import time_machine

from anice.models import (
    Agency,
    Case,
    CaseMatch,
    Listing,
    Officer,
    Referral,
    Right,
    RightKind,
    RightStatus,
    RightType,
    Role,
    SeizureItem,
    UsdRate,
)
from anice.text.brand import brand_key

from ..factories import LISTING, SEIZURE, Factory

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


@contextmanager
def on(moment: str):
    """The clock stands at ``moment`` (a day means its noon, UTC) for what runs inside."""
    when = at(moment if "T" in moment else f"{moment}T12:00:00")
    with time_machine.travel(when, tick=False):
        yield


def _case(db, make: Factory, officer: Officer, kind: str, types: list[str], *, detected: str,
          opened: str | None = None, sensitivity: str = "normal",
          items: list[dict] = (), listings: list[dict] = ()) -> Case:
    """A case logged by ``officer`` on its detection day with its items, opened on
    ``opened`` (a draft without it)."""
    from anice.cases import items as case_items
    from anice.cases import workflow

    with on(detected):
        case = make.case(officer, kind=kind, right_types=types, detected_on=detected,
                         sensitivity=sensitivity, title=f"Report test case {kind}", tags="")
        for item in items:
            case_items.add_item(db, officer, case.id, "seizure", {**SEIZURE, **item})
        for item in listings:
            case_items.add_item(db, officer, case.id, "listing", {**LISTING, **item})
        db.commit()
    if opened:
        with on(opened):
            workflow.move_case(db, officer, case.id, "open",
                               {"version": case.version, "on": opened})
            db.commit()
    return case


def _close(db, supervisor: Officer, case: Case, *, court: str, closed: str, outcome: str):
    """The supervisor records the court date, then closes the case with its outcome."""
    from anice.cases import workflow

    with on(court):
        workflow.record_prosecution(db, supervisor, case.id, {"court_date": court,
                                                              "version": case.version})
        db.commit()
    with on(closed):
        workflow.move_case(db, supervisor, case.id, "closed", {
            "version": case.version, "on": closed, "outcome": outcome})
        db.commit()


def _refer(db, officer: Officer, supervisor: Officer, case: Case, to: str, action: str, *,
           sent: str | None, deadline: str | None = None) -> Referral:
    """A referral drafted by ``officer`` and, with ``sent``, approved by ``supervisor``."""
    from anice.referrals import service

    with on(sent or "2026-10-01"):
        [referral] = service.create_referrals(db, officer, case.id, {
            "to": to, "requested_action": action, "handling_code": "within_country",
            "message": "Please act.", "deadline": deadline or ""})
        db.commit()
        if sent:
            service.submit(db, officer, referral.id)
            service.approve(db, supervisor, referral.id, {})
            db.commit()
    return referral


def _answer(db, referral: Referral, moment: str, step) -> None:
    with on(moment):
        step(referral)
        db.commit()


def build_world(db, make) -> World:
    """The data set of the October 2026 tests (see the module docstring of test_figures)."""
    from anice.referrals import service as referrals

    a1, a2 = make.agency("MY", "A1"), make.agency("MY", "A2")
    t1 = make.agency("TH", "T1")
    staff = make.officer
    inv_a1, sup_a1 = staff(Role.INVESTIGATOR, agency=a1), staff(Role.SUPERVISOR, agency=a1)
    inv_a2, sup_a2 = staff(Role.INVESTIGATOR, agency=a2), staff(Role.SUPERVISOR, agency=a2)
    inv_t1 = staff(Role.INVESTIGATOR, "TH", agency=t1)
    sup_t1 = staff(Role.SUPERVISOR, "TH", agency=t1)
    coord_th = staff(Role.COORDINATOR, "TH", agency=t1)
    db.add(UsdRate(currency="MYR", on=d("2026-10-01"), usd_per_unit=Decimal("0.22")))
    db.add(UsdRate(currency="MYR", on=d("2026-09-01"), usd_per_unit=Decimal("0.25")))
    db.commit()
    # The registry first: every item is matched as it is added.
    nike = make.right("MY", "MY-1", "NIKE", "Nike Inc.")
    rolex = make.right("MY", "MY-2", "ROLEX", "Rolex SA", classes="14")
    adidas = make.right("TH", "TH-1", "ADIDAS", "adidas AG")

    def seized(category, unit, quantity, brand, local, currency, rate):
        return {"description": f"{brand} goods", "brand": brand, "category": category,
                "unit": unit, "quantity": quantity, "value_local": local,
                "currency": currency, "usd_rate": rate}

    def offered(platform, requested, done, result):
        return {"url": f"https://{platform}.example/{next(_seq)}", "platform": platform,
                "seller_name": "Seller", "title": "Offer", "seen_at": "",
                "takedown_requested_on": requested or "", "takedown_done_on": done or "",
                "takedown_result": result or ""}

    c: dict[str, Case] = {}
    c["c1"] = _case(db, make, inv_a1, "counterfeit", ["trademark", "design"],
                    detected="2026-10-02", opened="2026-10-03", items=[
                        seized("footwear", "pairs", "120", "Nike", "6000", "MYR", "0.22"),
                        seized("footwear", "pairs", "30", "Nike", "100", "USD", "1")])
    c["c2"] = _case(db, make, inv_a1, "counterfeit", ["trademark"], detected="2026-10-09",
                    opened="2026-10-10", sensitivity="restricted", items=[
                        seized("watches_jewellery", "pieces", "5", "Rolex", "1000", "MYR",
                               "0.22")])
    c["c3"] = _case(db, make, inv_a1, "online", ["copyright"], detected="2026-10-14",
                    opened="2026-10-15", listings=[
                        offered("website", None, None, None)])  # never asked: no takedown
    c["c4"] = _case(db, make, inv_a1, "counterfeit", ["trademark"], detected="2026-09-04",
                    opened="2026-09-05", items=[
                        seized("apparel", "pieces", "50", "Nike", "500", "MYR", "0.22")])
    c["c5"] = _case(db, make, inv_a2, "counterfeit", ["trademark"], detected="2026-10-06",
                    opened="2026-10-07", items=[
                        seized("cosmetics", "pieces", "200", "Nìke", "2000", "MYR", "0.22")])
    c["c6"] = _case(db, make, inv_a2, "online", ["trademark"], detected="2025-10-10",
                    opened="2025-10-11", listings=[offered("website", None, None, None)])
    c["c7"] = _case(db, make, inv_t1, "counterfeit", ["trademark"], detected="2026-10-01",
                    opened="2026-10-02", items=[
                        seized("footwear", "pairs", "10", "Adidas", "3000", "THB", "0.029")])
    c["c8"] = _case(db, make, inv_t1, "online", ["trademark"], detected="2026-10-11",
                    opened="2026-10-12", listings=[offered("shopee", None, None, None)])
    c["draft"] = _case(db, make, inv_a1, "counterfeit", ["trademark"], detected="2026-10-01")
    from anice.cases import items as case_items

    for day, listing in (("2026-10-18", offered("shopee", "2026-10-15", "2026-10-18", "removed")),
                         ("2026-10-16", offered("shopee", "2026-10-16", None, "refused")),
                         ("2026-10-30", offered("lazada", "2026-10-20", "2026-10-30", "removed")),
                         ("2026-10-21", offered("facebook", "2026-10-21", None, "pending"))):
        with on(day):
            case_items.add_item(db, inv_a1, c["c3"].id, "listing", {**LISTING, **listing})
            db.commit()
    with on("2026-10-14"):  # c8's takedown, recorded when it was done
        [shop] = c["c8"].listings
        case_items.update_item(db, inv_t1, c["c8"].id, "listing", shop.id, {
            **LISTING, "url": shop.url, "platform": "shopee", "seller_name": "Seller",
            "title": "Offer", "seen_at": "", "takedown_requested_on": "2026-10-12",
            "takedown_done_on": "2026-10-14", "takedown_result": "removed"})
        db.commit()

    # Referrals. TH's coordinator routes what is sent to TH; T1's supervisor accepts.
    def route_and_accept(referral):
        referrals.route(db, coord_th, referral.id, {"agency_id": str(t1.id)})
        referrals.accept(db, sup_t1, referral.id, {})

    r1 = _refer(db, inv_a1, sup_a1, c["c1"], "TH", "investigate", sent="2026-10-03T08:00:00",
                deadline="2026-10-31")
    _answer(db, r1, "2026-10-05T08:00:00", route_and_accept)
    r2 = _refer(db, inv_a1, sup_a1, c["c3"], "TH", "take_down", sent="2026-10-04T00:00:00")
    _answer(db, r2, "2026-10-05T00:00:00", lambda r: referrals.decline(
        db, coord_th, r.id, {"reason": "Not our platform."}))
    _refer(db, inv_a2, sup_a2, c["c5"], "VN", "seize", sent="2026-10-10T00:00:00",
           deadline="2026-10-20")
    r4 = _refer(db, inv_t1, sup_t1, c["c7"], f"agency:{a1.id}", "identify_suspect",
                sent="2026-10-06T00:00:00", deadline="2026-12-01")
    _answer(db, r4, "2026-10-10T00:00:00", lambda r: referrals.request_info(
        db, sup_a1, r.id, {"message": "Which port?"}))
    r5 = _refer(db, inv_a1, sup_a1, c["c4"], "TH", "investigate", sent="2026-09-20T00:00:00")
    _answer(db, r5, "2026-09-21T00:00:00", route_and_accept)
    _refer(db, inv_a1, sup_a1, c["c2"], "TH", "investigate", sent=None)

    # Decisions on what the matcher proposed (c1: its first Nike item; the second stays
    # pending).
    for case, right, decision, moment, officer in (
            (c["c1"], nike, "confirmed", "2026-10-04T03:00:00", inv_a1),
            (c["c5"], nike, "confirmed", "2026-10-08T03:00:00", inv_a2),
            (c["c2"], rolex, "rejected", "2026-10-08T03:00:00", inv_a1),
            (c["c7"], adidas, "confirmed", "2026-10-09T03:00:00", inv_t1)):
        with on(moment):
            make.match(officer, case, right, decision)
    # Last, as a closed case takes no more referrals or decisions.
    _close(db, sup_a1, c["c1"], court="2026-10-18", closed="2026-10-20", outcome="convicted")
    _close(db, sup_a1, c["c4"], court="2026-09-28", closed="2026-10-05", outcome="fined")
    db.commit()
    for case in c.values():
        db.refresh(case)
    return World(a1, a2, t1, c)
