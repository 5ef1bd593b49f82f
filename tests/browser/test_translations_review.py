"""Issue 19: a national coordinator reviews their language's catalog. A Burmese coordinator
(reading Burmese, their country's) follows the link from the officers page to the list of
Burmese messages still untranslated or fuzzy; axe-core checks both pages (``go``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from anice.admin import translations
from anice.extensions import babel
from anice.models import Role

from ..factories import PASSWORD, Factory
from ..i18n import catalogs
from .test_journeys import current_code, follow, go, path_of, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_coordinator_opens_their_catalog(serve, page, tmp_path):
    live = serve(BABEL_TRANSLATION_DIRECTORIES=str(catalogs.build(tmp_path)))
    with live.app.app_context():
        babel.domain_instance.cache.clear()
    with live.db() as db:
        coordinator = Factory(db).officer(role=Role.COORDINATOR, country="MM", language=None)
        db.commit()
        email, secret = coordinator.email, coordinator.totp_secret
    state = translations.read_catalog("my")

    go(page, f"{live.url}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("#code").fill(current_code(secret))
    submit(page, "Log in")
    expect(page.locator("html")).to_have_attribute("lang", "my")
    go(page, f"{live.url}/admin/officers")
    follow(page, "ပြန်လည်သုံးသပ်ရန် ဘာသာပြန်ချက်များ")
    assert path_of(page) == "/admin/translations"
    expect(page.locator("h1")).to_have_text("ဘာသာပြန်ချက်များ")
    counts = page.locator("#catalog-counts tbody tr")
    expect(counts).to_have_count(1)  # their language only
    expect(counts.first).to_contain_text("မြန်မာ")
    rows = page.locator("#catalog-entries tbody tr")
    expect(rows).to_have_count(max(1, len(state.entries)))
