"""Browser journey of issue 16 (finding 1): three quick clicks on "Create draft" make one
case, one reference and one message; the same form posted again (a replay with the page's
one-time token, as a browser without the script would send it) lands on that case and saves
nothing; the creator discards the draft, which is then gone for everybody (404) while its
reference is never given again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from anice.models import AuditEvent, Case, CaseStatus, Role

from ..factories import PASSWORD, Factory
from .test_cases_journey import field, open_details
from .test_journeys import current_code, go, log_in, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

TITLE = "Warehouse raid, triple-clicked"


def _cases_titled(live_server, title: str) -> list[Case]:
    with live_server.db() as db:
        rows = list(db.scalars(select(Case).where(Case.title == title)))
        db.expunge_all()
        return rows


def test_three_quick_clicks_make_one_draft_and_the_draft_can_be_discarded(live_server, page):
    with live_server.db() as db:
        officer = Factory(db).officer(role=Role.INVESTIGATOR, country="MY")
        db.commit()
    log_in(page, live_server, officer.email, PASSWORD, current_code(officer.totp_secret))
    go(page, f"{live_server.url}/cases/new?kind=counterfeit")
    form = page.locator("main form")
    field(form, "Title").fill(TITLE)
    form.get_by_role("checkbox", name="Trademark", exact=True).check()
    field(form, "How it was detected").select_option(label="Raid")
    field(form, "Province / state").select_option(label="Selangor")
    field(form, "Detected on").fill("2026-11-02")
    # What the browser sends, token included: replayed below.
    sent = page.evaluate("() => Object.fromEntries(new FormData(document.querySelector("
                         "'main form')))")
    assert sent.get("form_token"), "the form carries a one-time token"

    button = page.get_by_role("button", name="Create draft", exact=True)
    with page.expect_navigation():
        button.click(click_count=3, delay=30)
    assert re.fullmatch(rf"{re.escape(live_server.url)}/cases/\d+", page.url), page.url
    case_url = page.url
    created = _cases_titled(live_server, TITLE)
    assert len(created) == 1, [c.reference for c in created]
    expect(page.locator(".flash")).to_have_count(1)
    expect(page.locator(".flash")).to_have_text(f"Case {created[0].reference} created as a draft.")

    # The same POST again (back button, a script-less double submit, a replay): the first
    # answer, nothing new.
    replay = page.request.post(f"{live_server.url}/cases/new?kind=counterfeit", form=sent)
    assert replay.ok and replay.url == case_url, (replay.status, replay.url)
    assert "Already saved" in replay.text()
    assert len(_cases_titled(live_server, TITLE)) == 1

    # The creator discards the draft: gone from every page (404), reference kept, audited.
    go(page, case_url)
    open_details(page, f"Discard draft {created[0].reference}")
    field(page.locator("#discard form"), "Reason (optional)").fill("Created by mistake")
    submit(page, f"Yes, discard draft {created[0].reference}")
    expect(page.locator(".flash")).to_contain_text(f"Draft {created[0].reference} discarded")
    assert page.goto(case_url).status == 404
    with live_server.db() as db:
        case = db.get(Case, created[0].id)
        assert case.status == CaseStatus.DISCARDED and case.reference == created[0].reference
        assert db.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "case.discarded",
            AuditEvent.object_id == str(case.id))) == 1
