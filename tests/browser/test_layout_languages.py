"""Issue 19: screens lay out in every language at 1366 px (a laptop). For each of the ten
languages, a supervisor and a national coordinator (each logged in once, switching with the
footer switch) visit the main pages, filled with the realistic data of test_responsive.py,
and nothing may overflow horizontally: the page is no wider than the window, and no button,
navigation link, table heading, summary or badge has text wider than its box (clipped).
Everything that overflowed is printed and listed in the failure. axe-core runs in the
language journeys (test_language_journeys.py); here only the layout is measured, so that
110 pages stay cheap."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sqlalchemy import select

from anice.models import Right
from anice.text.locales import LANGUAGES

from .test_journeys import path_of
from .test_referral_journey import sign_in
from .test_responsive import build

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

VIEWPORT = {"width": 1366, "height": 768}

# What overflows on the page as it is now: the page itself (then the elements sticking out
# of the window, outside the tables that scroll in their card), and elements whose own text
# is wider (or taller) than their box. Inline boxes (a link in running text) have no width
# of their own and cannot clip; hidden elements and screen-reader text are skipped.
_OVERFLOWS = """() => {
  const name = el => {
    const cls = typeof el.className === 'string' ? el.className.trim() : '';
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
           (cls ? '.' + cls.split(/\\s+/).join('.') : '');
  };
  const text = el => (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
  const out = [];
  const limit = window.innerWidth;
  const doc = document.documentElement;
  if (doc.scrollWidth > limit) {
    out.push('page ' + doc.scrollWidth + ' px wide > ' + limit);
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.right > limit + 0.5 && r.width > 0 && !el.closest('.table-scroll') &&
          !el.closest('.visually-hidden')) {
        out.push('  sticks out: ' + name(el) + ' right=' + Math.round(r.right) + ' "' +
                 text(el) + '"');
        if (out.length > 12) break;
      }
    }
  }
  const boxes = 'button, .button, nav a, th, summary, .badge, .status, label';
  for (const el of document.querySelectorAll(boxes)) {
    if (el.closest('.visually-hidden') || el.getClientRects().length === 0) continue;
    if (getComputedStyle(el).display === 'inline') continue;
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
      out.push('clipped: ' + name(el) + ' ' + el.scrollWidth + 'x' + el.scrollHeight +
               ' in ' + el.clientWidth + 'x' + el.clientHeight + ' "' + text(el) + '"');
    }
  }
  return out;
}"""


def switch(page, code: str) -> None:
    """One click on the footer switch; the same page comes back in ``code``."""
    before = path_of(page)
    with page.expect_navigation():
        page.locator(f"footer .language-switch button[name=language][value={code}]").click()
    assert path_of(page) == before
    assert page.locator("html").get_attribute("lang") == code


def overflows(page, url: str, code: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    assert page.locator("html").get_attribute("lang") == code, url
    return page.evaluate(_OVERFLOWS)


def test_main_pages_fit_1366_px_in_every_language(translated, new_context):
    live = translated
    with live.db() as db:
        w, case_id, _online_id, _referral_id, report_id = build(db)
        right_id = db.scalar(select(Right.id).where(Right.office == "MY").order_by(Right.id))
        # sign_in reads e-mail and secret after the session is gone
        supervisor, coordinator = (SimpleNamespace(email=o.email, totp_secret=o.totp_secret)
                                   for o in (w.sup_my, w.coord_my))
    url = live.url
    rounds = [
        (supervisor, ["/", "/cases/", f"/cases/{case_id}", "/cases/new?kind=counterfeit",
                      "/rights/?q=nike", f"/rights/{right_id}", "/referrals/", "/account"]),
        (coordinator, ["/reports/", f"/reports/{report_id}", "/admin/officers"]),
    ]
    signed_in = []
    for officer, paths in rounds:
        page = new_context().new_page()
        page.set_viewport_size(VIEWPORT)
        sign_in(page, live, officer)
        signed_in.append((page, paths))

    found: list[str] = []
    for code in LANGUAGES:
        for page, paths in signed_in:
            switch(page, code)
            for path in paths:
                found += [f"[{code}] {path}: {line}"
                          for line in overflows(page, f"{url}{path}", code)]
    print("\n".join(found) or "nothing overflowed at 1366 px")
    assert not found, "at 1366x768:\n" + "\n".join(found)


def test_the_measure_names_what_overflows(page):
    """The check above sees a page wider than the window and a button clipping its text."""
    page.set_viewport_size(VIEWPORT)
    page.set_content('<html lang="vi"><body><main><p id="wide" style="width:1500px">x</p>'
                     '<button style="width:4rem;white-space:nowrap;overflow:hidden">'
                     'Chuyển sang điều tra</button><button>OK</button></main></body></html>')
    found = page.evaluate(_OVERFLOWS)
    assert found[0].startswith("page ") and found[0].endswith(" px wide > 1366"), found
    assert any(line.startswith("  sticks out: p#wide right=") for line in found), found
    clipped = [line for line in found if line.startswith("clipped:")]
    assert len(clipped) == 1 and clipped[0].endswith('"Chuyển sang điều tra"'), found
