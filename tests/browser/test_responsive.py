"""No horizontal page overflow at 1366 px (a laptop) and at 390 px (a phone) on the pages an
officer lives in: home, the case list, a counterfeit and an online case page, the referral
page (both sides) and a national report, filled with realistic data (long URLs, hashes,
unbroken brand strings, many items). Wide tables scroll inside their card
(``div.table-scroll``); the seizure table's Remove buttons stay inside its card. axe-core
checks every page at both widths."""

from __future__ import annotations

from datetime import date

import pytest

from anice.cases import items
from anice.models import Role
from anice.reports import service as reports
from anice.reports.periods import Scope, parse_period

from ..factories import LISTING, Factory
from ..referrals.helpers import accepted
from ..reports.helpers import build_world
from .a11y import assert_accessible
from .test_referral_journey import sign_in

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

WIDTHS = (1366, 390)
HEIGHT = 900
LONG_URL = ("https://shopee.com.my/Original-Premium-Quality-Running-Shoes-Men-Women-Sport-"
            "Sneakers-Breathable-Lightweight-i.123456789.9876543210?sp_atk=0f3c2e1d-4b5a-"
            "4c6d-8e7f-9a0b1c2d3e4f&xptdk=0f3c2e1d4b5a4c6d8e7f9a0b1c2d3e4f")
BRAND = "NIKEAIRJORDANRETROHIGHOGCHICAGOEDITION2026"  # as written on the box, no spaces
HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

# Elements sticking out of the viewport, named for the failure message.
_WIDEST = """() => {
  const limit = window.innerWidth;
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > limit + 0.5 && r.width > 0) {
      let inScroller = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (p.classList.contains('table-scroll')) { inScroller = true; break; }
      }
      if (!inScroller) {
        const cls = typeof el.className === 'string' ? el.className.trim() : '';
        out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                 (cls ? '.' + cls.split(/\\s+/).join('.') : '') + ' right=' + Math.round(r.right));
      }
    }
  }
  return out.slice(0, 12);
}"""


def build(db):
    """The cast, a counterfeit case with many seizure items, an online case with long
    listing addresses, a referral of the first to TH (accepted), a dozen more cases for
    the list, and the October 2026 national report of MY."""
    make = Factory(db)
    w = make.world()
    case = make.case(w.inv_my, opened=True,
                     title=f"Warehouse raid: {BRAND} and other counterfeit footwear",
                     summary=f"Tip-off from the right holder ({LONG_URL}); hash {HASH}.")
    for n in range(8):
        make.seizure_item(w.inv_my, case, brand=f"{BRAND}{n}" if n % 2 else "Adidas",
                          description=f"Running shoes model {n}, size 42-46, box marked "
                                      f"{HASH[:40]}",
                          storage_place="KPDN Petaling Jaya central store, room 3, shelf "
                                        f"{n}", quantity=str(1200 + n * 37))
    make.party(w.inv_my, case, name="Syarikat Perdagangan Kasut Sukan Antarabangsa Sdn Bhd",
               kind="company", contact="procurement.department+orders@kasutsukan-"
                                       "antarabangsa-trading.example.com.my")
    evidence = [make.evidence(w.inv_my, case, f"warehouse-photo-{HASH[:32]}-{i}.pdf")
                for i in range(3)]
    w.case, w.evidence = case, evidence
    items.add_note(db, w.inv_my, case.id, f"Seller's shop: {LONG_URL}")
    db.commit()
    online = make.case(w.inv_my, kind="online", title="Marketplace seller of replica shoes")
    for n in range(6):
        make.listing(w.inv_my, online, **{**LISTING, "url": f"{LONG_URL}&n={n}",
                                          "seller_id": f"seller_{HASH[:24]}_{n}"})
    referral = accepted(db, w, fields=["title", "summary"],
                        seizures=[str(s.id) for s in case.seizures],
                        evidence=[e.public_id for e in evidence])
    for n in range(12):
        make.case(w.inv_my, title=f"Market inspection {n}: {BRAND} bags and wallets "
                                  f"({LONG_URL[:60]})")
    build_world(db, make)
    report = reports.generate(db, Scope.country("MY"), parse_period("2026-10"),
                              origin="schedule", today=date(2026, 11, 25)).report
    db.commit()
    return w, case.id, online.id, referral.id, report.id


def check_widths(page, url: str, seizures: bool = False) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        response = page.goto(url)
        assert response is not None and response.ok, url
        assert_accessible(page)
        scroll_width, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner, (
            f"{url} at {width} px: the page is {scroll_width} px wide; sticking out: "
            f"{page.evaluate(_WIDEST)}")
        if seizures:
            check_seizure_table(page, width)


def check_seizure_table(page, width: int) -> None:
    card = page.locator("section#seizure")
    removes = card.locator("table button", has_text="Remove")
    assert removes.count() == 9  # the item the case opened with and eight more
    if width >= 1366:  # the whole table fits its card: no scrolling needed
        scroller = card.locator("div.table-scroll")
        assert scroller.evaluate("el => el.scrollWidth <= el.clientWidth"), (
            "the seizure table is wider than its card at 1366 px")
    box = card.bounding_box()
    for button in removes.all():
        button.scroll_into_view_if_needed()  # at 390 px: scrolls the table, not the page
        box = card.bounding_box()
        b = button.bounding_box()
        assert b is not None and box is not None
        assert box["x"] <= b["x"] and b["x"] + b["width"] <= box["x"] + box["width"], (
            f"a Remove button sticks out of the seizure card at {width} px: {b} / {box}")
        assert box["y"] <= b["y"] and b["y"] + b["height"] <= box["y"] + box["height"]
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_no_horizontal_overflow_at_1366_and_390(live_server, new_context):
    with live_server.db() as db:
        w, case_id, online_id, referral_id, report_id = build(db)
        supervisor, receiver = w.sup_my, w.sup_th
        coordinator = Factory(db).officer(role=Role.COORDINATOR, country="MY")
    url = live_server.url

    page = new_context().new_page()
    sign_in(page, live_server, supervisor)
    check_widths(page, f"{url}/")
    check_widths(page, f"{url}/cases/")
    check_widths(page, f"{url}/cases/{case_id}", seizures=True)
    check_widths(page, f"{url}/cases/{online_id}")
    check_widths(page, f"{url}/referrals/{referral_id}")

    page = new_context().new_page()
    sign_in(page, live_server, receiver)
    check_widths(page, f"{url}/referrals/{referral_id}")
    check_widths(page, f"{url}/referrals/")

    page = new_context().new_page()
    sign_in(page, live_server, coordinator)
    check_widths(page, f"{url}/")
    check_widths(page, f"{url}/reports/{report_id}")
    check_widths(page, f"{url}/reports/")
