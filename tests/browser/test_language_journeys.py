"""Issue 19: the main journey in Thai and in Burmese. A supervisor logs in (in English, their
choice), switches to their language with the footer switch (one click, the same page), logs a
counterfeit case with a seizure item, opens the case page and reads their agency's monthly
report. Every page is checked with axe-core and must say ``<html lang="th">`` /
``lang="my"``. The elements are found by ids, names and addresses, never by their wording,
so the journey holds in any language (and whatever the catalogs say today).

The case page and the report are saved as ``docs/screenshots/case-<code>.png`` and
``report-<code>.png`` when ``ANICE_SCREENSHOTS=1`` (``make screenshots-i18n``), also in
Vietnamese and Khmer; the case data is written in each language's script, so the pictures
show Thai, Burmese, Khmer and Vietnamese glyphs rendered by Chromium (Debian's Noto fonts)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from babel import Locale as babel_locale
from playwright.sync_api import expect

from anice.cases.places import provinces
from anice.models import Officer, Role
from anice.reports import service as reports
from anice.reports.periods import Scope, parse_period
from anice.text import labels

from ..factories import PASSWORD, Factory
from ..reports.helpers import _case
from . import screenshots
from .a11y import assert_accessible
from .test_journeys import current_code, path_of

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


@dataclass(frozen=True)
class Sample:
    """An officer's country and case data written in the language's own script."""

    country: str
    currency: str
    usd_rate: str  # as the officer writes figures (VN: decimal comma)
    title: str  # of the case logged in the browser
    description: str  # of its seizure item
    old_title: str  # of the October case of the report


SAMPLES = {
    "th": Sample("TH", "THB", "0.029", "บุกค้นโกดังรองเท้าปลอม ย่านบางนา",
                 "รองเท้าวิ่งปลอม กล่องพิมพ์ตราสินค้า", "ตลาดนัดจตุจักร: กระเป๋าปลอม"),
    "my": Sample("MM", "MMK", "0.00048", "ရန်ကုန် ဂိုဒေါင်မှ အတုအယောင် ဖိနပ်များ",
                 "အတုအယောင် အားကစားဖိနပ်", "မန္တလေး ဈေးမှ အတုအယောင် လက်ကိုင်အိတ်များ"),
    "vi": Sample("VN", "VND", "0,000039", "Khám xét kho giày giả tại Bình Dương",
                 "Giày chạy bộ giả nhãn hiệu", "Chợ Bến Thành: túi xách giả"),
    "km": Sample("KH", "KHR", "0.00025", "ការឆែកឆេរឃ្លាំងស្បែកជើងក្លែងក្លាយ",
                 "ស្បែកជើងរត់ក្លែងក្លាយ", "ផ្សារធំថ្មី៖ កាបូបក្លែងក្លាយ"),
}


@dataclass
class Cast:
    officer_id: int
    email: str
    secret: str
    report_id: int
    case_id: int  # the October case, already open


def prepare(live, code: str, language: str | None = "en") -> Cast:
    """A supervisor of a police agency of the sample's country, an open case of October
    2026 with two seizure items, and the agency's October report (what they read)."""
    sample = SAMPLES[code]
    with live.db() as db:
        make = Factory(db)
        agency = make.agency(sample.country, "POL")
        supervisor = make.officer(Role.SUPERVISOR, sample.country, agency=agency,
                                  language=language)
        rate = sample.usd_rate.replace(",", ".")
        case = _case(db, make, supervisor, "counterfeit", ["trademark"],
                     detected="2026-10-06", opened="2026-10-07", items=[
                         {"brand": brand, "description": sample.description,
                          "category": category, "unit": unit, "quantity": quantity,
                          "value_local": value, "currency": sample.currency,
                          "usd_rate": rate}
                         for brand, category, unit, quantity, value in (
                             ("Nike", "footwear", "pairs", "240", "960000"),
                             ("Louis Vuitton", "bags_accessories", "pieces", "35",
                              "420000"))])
        case.title, case.summary = sample.old_title, sample.description
        report = reports.generate(db, Scope.agency(agency.id, sample.country),
                                  parse_period("2026-10"), origin="schedule",
                                  today=date(2026, 11, 25)).report
        db.commit()
        return Cast(supervisor.id, supervisor.email, supervisor.totp_secret, report.id,
                    case.id)


def checked(page, code: str) -> None:
    """The page is in ``code`` and axe finds nothing serious on it."""
    expect(page.locator("html")).to_have_attribute("lang", code)
    assert_accessible(page)


def press(page, target, code: str) -> None:
    """Click a link or submit button, wait for the next page, check it."""
    with page.expect_navigation():
        target.click()
    checked(page, code)


def log_in(page, live, cast: Cast) -> None:
    response = page.goto(f"{live.url}/login")
    assert response is not None and response.ok
    assert_accessible(page)
    page.locator("#email").fill(cast.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#code").fill(current_code(cast.secret))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert path_of(page) == "/", page.url


def log_case(page, code: str) -> str:
    """From the case list: the new counterfeit case form, then one seizure item; returns
    the case page's path."""
    sample = SAMPLES[code]
    press(page, page.locator("main a[href$='/cases/new?kind=counterfeit']"), code)
    form = page.locator("main form")
    form.locator("#title").fill(sample.title)
    form.locator("#summary").fill(sample.description)
    form.locator("input[name=right_types][value=trademark]").check()
    form.locator("#detection").select_option("raid")
    form.locator("#province").select_option(provinces(sample.country)[0])
    form.locator("#detected_on").fill("2026-11-20")
    press(page, form.locator("button[type=submit]"), code)
    assert re.fullmatch(r"/cases/\d+", path_of(page)), page.url
    expect(page.locator("h1")).to_contain_text(sample.title)
    case_path = path_of(page)

    seizures = page.locator("section#seizure")
    details = seizures.locator("details")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    checked(page, code)
    item = details.locator("form")
    item.locator("#seizure-brand").fill("Adidas")
    item.locator("#seizure-description").fill(sample.description)
    item.locator("#seizure-category").select_option("footwear")
    item.locator("#seizure-quantity").fill("120")
    item.locator("#seizure-unit").select_option("pairs")
    item.locator("#seizure-value_local").fill("36000")
    expect(item.locator("#seizure-currency")).to_have_value(sample.currency)
    item.locator("#seizure-usd_rate").fill(sample.usd_rate)
    press(page, item.locator("button[type=submit]"), code)
    assert path_of(page) == case_path, page.url
    rows = seizures.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Adidas")
    expect(rows.first).to_contain_text(sample.description)
    return case_path


def read_report(page, cast: Cast, code: str) -> None:
    press(page, page.locator("nav.main-nav a[href='/reports/']"), code)
    press(page, page.locator(f"main table.data a[href='/reports/{cast.report_id}']").first,
          code)
    assert path_of(page) == f"/reports/{cast.report_id}"
    expect(page.locator("#t-seizures tbody tr")).to_have_count(2)  # footwear, bags
    expect(page.locator("figure.chart img").first).to_be_visible()


@pytest.mark.parametrize("code", ["th", "my"])
def test_supervisor_logs_a_case_and_reads_a_report_in(translated, page, code):
    live = translated
    cast = prepare(live, code)
    log_in(page, live, cast)
    checked(page, "en")

    # One click on the footer switch: the same page, now in the officer's language.
    switch = page.locator(f"footer .language-switch button[name=language][value={code}]")
    expect(switch).to_have_attribute("lang", code)
    press(page, switch, code)
    assert path_of(page) == "/"
    expect(page.locator(".language-switch [aria-current=true]")).to_have_attribute(
        "value", code)
    with live.db() as db:
        assert db.get(Officer, cast.officer_id).language == code

    press(page, page.locator("nav.main-nav a[href='/cases/']"), code)
    case_path = log_case(page, code)

    # The case list shows it; its link opens the case page.
    press(page, page.locator("nav.main-nav a[href='/cases/']"), code)
    press(page, page.locator(f"main table.data a[href='{case_path}']"), code)
    assert path_of(page) == case_path
    expect(page.locator("h1")).to_contain_text(SAMPLES[code].title)
    expect(page.locator("section#seizure tbody tr")).to_have_count(1)
    screenshots.save(page, f"case-{code}")

    read_report(page, cast, code)
    page.evaluate("window.scrollTo(0, 0)")
    screenshots.save(page, f"report-{code}")


@pytest.mark.parametrize("code", ["vi", "km"])
def test_case_page_and_report_in(translated, page, code):
    """The two pages of the screenshots in Vietnamese and Khmer (an officer who chose the
    language), with the same checks."""
    live = translated
    cast = prepare(live, code, language=code)
    log_in(page, live, cast)
    checked(page, code)
    response = page.goto(f"{live.url}/cases/{cast.case_id}")
    assert response is not None and response.ok
    checked(page, code)
    expect(page.locator("h1")).to_contain_text(SAMPLES[code].old_title)
    expect(page.locator("section#seizure tbody tr")).to_have_count(2)
    screenshots.save(page, f"case-{code}")

    read_report(page, cast, code)
    page.evaluate("window.scrollTo(0, 0)")
    screenshots.save(page, f"report-{code}")


def test_the_journey_leaves_no_word_untranslated(serve, tmp_path, page, monkeypatch):
    """The same journey in the pseudo-locale (every message "[Ȧççéñţéð ...]"): on every page
    it visits, each word a person reads comes from a catalog (tests/i18n/pseudo.py); only the
    records' own data (names, the case's Thai text, brands, places) is left as written."""
    from ..i18n import catalogs
    from ..i18n.pseudo import untranslated
    from .conftest import forget_loaded_catalogs

    live = serve(BABEL_TRANSLATION_DIRECTORIES=str(catalogs.build(tmp_path)),
                 PSEUDO_LOCALE=catalogs.PSEUDO)
    forget_loaded_catalogs(live)
    code = catalogs.PSEUDO
    monkeypatch.setitem(SAMPLES, code, SAMPLES["th"])
    cast = prepare(live, code, language=code)
    with live.db() as db:
        officer = db.get(Officer, cast.officer_id)
        months = babel_locale.parse(code).months["stand-alone"]["wide"].values()
        data = (officer.name, officer.email, officer.agency.code, officer.agency.name,
                officer.agency.country.name, officer.country_code, officer.timezone,
                *provinces("TH"), *labels.NAMES.values(), "Adidas", "Nike", "Louis Vuitton",
                "nike", "louisvuiton", "THB", "USD", "CSV", "PDF", "XLSX", "SHA-256",
                *months, *(getattr(SAMPLES["th"], f) for f in ("title", "description",
                                                               "old_title")))
    problems: list[tuple[str, str]] = []
    check = checked

    def checked_and_read(page, lang: str) -> None:
        check(page, lang)
        problems.extend((path_of(page), word) for word in untranslated(page.content(), data))

    monkeypatch.setattr(__import__(__name__, fromlist=["checked"]), "checked",
                        checked_and_read)
    log_in(page, live, cast)
    checked_and_read(page, code)
    press(page, page.locator("nav.main-nav a[href='/cases/']"), code)
    case_path = log_case(page, code)
    press(page, page.locator("nav.main-nav a[href='/cases/']"), code)
    press(page, page.locator(f"main table.data a[href='{case_path}']"), code)
    read_report(page, cast, code)
    assert sorted(set(problems)) == [], "\n".join(f"{p}: {w}" for p, w in sorted(set(problems)))
