"""Issue 19: the language switch in the browser. Before login the page follows the switch
(one click, same page); after login a Thai officer reads Thai (their country's) until they
pick Vietnamese on their account page, which stays open and is now in Vietnamese. axe-core
checks every page (``go``, ``submit``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from anice.models import Officer, Role

from ..factories import PASSWORD, Factory
from .test_journeys import current_code, go, path_of, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_switch_language_before_and_after_login(translated, page):
    live = translated
    with live.db() as db:
        officer = Factory(db).officer(role=Role.SUPERVISOR, country="TH", language=None)
        db.commit()
        officer_id, email, secret = officer.id, officer.email, officer.totp_secret

    go(page, f"{live.url}/login?next=%2Faccount")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    submit(page, "ไทย")
    assert path_of(page) == "/login" and "next=%2Faccount" in page.url  # the same page
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("h1")).to_have_text("เข้าสู่ระบบ")

    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#code").fill(current_code(secret))
    submit(page, "เข้าสู่ระบบ")
    assert path_of(page) == "/account"
    expect(page.locator("html")).to_have_attribute("lang", "th")  # the country's language
    expect(page.locator("h1")).to_have_text("บัญชีของฉัน")

    submit(page, "Tiếng Việt")
    assert path_of(page) == "/account"
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Tài khoản của tôi")
    expect(page.locator(".language-switch [aria-current=true]")).to_have_text("Tiếng Việt")
    with live.db() as db:
        assert db.get(Officer, officer_id).language == "vi"
