"""Browser journey of issue 16, finding 2: nothing typed is lost when the session ends or a
form's token goes stale. The idle timeout is passed by moving the session's clock in the
database (no waiting); axe-core checks every page, and the warning dialog while open."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from anice.models import Case, CaseNote, FormStash, Officer, OfficerSession, Role, utcnow

from ..factories import PASSWORD, Factory, code_for
from .a11y import assert_accessible
from .test_journeys import current_code, go, log_in, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

NOTE = "Stall owner says the next delivery comes on Friday by truck from Johor Bahru"
TITLE = "Night market stall selling fake phone cases"


def end_sessions(server, officer) -> None:
    """The idle timeout passes: the officer's sessions were last used an hour ago."""
    with server.db() as db:
        db.execute(update(OfficerSession).where(OfficerSession.officer_id == officer.id)
                   .values(last_seen_at=utcnow() - timedelta(hours=1)))
        db.commit()


def next_code(server, officer) -> str:
    """A code the server takes after the first login (never the step just used)."""
    with server.db() as db:
        fresh = db.get(Officer, officer.id)
        fresh.totp_secret = officer.totp_secret
        return code_for(fresh)


def test_note_sent_after_the_idle_timeout_is_saved_after_signing_in_again(
        live_server, page, expected_failures):
    with live_server.db() as db:
        officer = Factory(db).officer(role=Role.INVESTIGATOR, country="MY")
        case = Factory(db).case(officer)
    expected_failures.append((401, f"/cases/{case.id}/notes"))

    log_in(page, live_server, officer.email, PASSWORD, current_code(officer.totp_secret))
    go(page, f"{live_server.url}/cases/{case.id}")
    page.get_by_label("Note", exact=True).fill(NOTE)
    end_sessions(live_server, officer)

    submit(page, "Add note")  # lands on the sign-in page in place, checked by axe
    expect(page.get_by_role("heading", level=1)).to_have_text("Your session ended")
    expect(page.locator("main")).to_contain_text(
        "Enter your password and code to save what you typed")
    expect(page.locator("main")).to_contain_text(officer.email)
    with live_server.db() as db:
        kept = db.scalars(select(FormStash)).one()
        assert NOTE.encode() not in kept.sealed
        assert db.scalars(select(CaseNote).where(CaseNote.case_id == case.id)).all() == []
    # Nothing of it in the browser's storage either.
    assert page.evaluate("() => localStorage.length + sessionStorage.length") == 0

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Authenticator code").fill(next_code(live_server, officer))
    submit(page, "Sign in and save")
    assert page.url.startswith(f"{live_server.url}/cases/{case.id}")
    expect(page.locator(".flash")).to_contain_text("Note added.")
    expect(page.locator("main")).to_contain_text(NOTE)
    with live_server.db() as db:
        assert db.scalars(select(CaseNote.text).where(CaseNote.case_id == case.id)).all() \
            == [NOTE]
        assert db.scalars(select(FormStash)).all() == []


def test_case_typed_before_logging_out_in_another_tab_is_created_after_signing_in(
        live_server, new_context, expected_failures):
    expected_failures.append((400, "/cases/new"))
    with live_server.db() as db:
        officer = Factory(db).officer(role=Role.INVESTIGATOR, country="MY")
    context = new_context()
    page, other_tab = context.new_page(), context.new_page()
    log_in(page, live_server, officer.email, PASSWORD, current_code(officer.totp_secret))
    go(page, f"{live_server.url}/cases/new?kind=counterfeit")
    page.get_by_label("Title").fill(TITLE)

    go(other_tab, f"{live_server.url}/")
    submit(other_tab, "Log out")

    submit(page, "Create draft")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in again to send your form")
    expect(page.locator("main")).to_contain_text("security check is out of date")
    page.get_by_label("E-mail").fill(officer.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Authenticator code").fill(next_code(live_server, officer))
    submit(page, "Sign in and save")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    with live_server.db() as db:
        assert db.scalars(select(Case.title).where(Case.title == TITLE)).all() == [TITLE]


def test_warning_before_the_timeout_and_stay_signed_in(serve, page):
    # The warning comes (almost) at once: the session lasts 60 s, the warning 59 s before.
    server = serve(SESSION_IDLE_SECONDS=60, SESSION_WARN_SECONDS=59)
    with server.db() as db:
        officer = Factory(db).officer(role=Role.SUPERVISOR, country="PH")
    log_in(page, server, officer.email, PASSWORD, current_code(officer.totp_secret))

    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading")).to_have_text("Your session ends in 1 minute")
    assert_accessible(page)
    with server.db() as db:
        before = db.scalar(select(OfficerSession.last_seen_at))
    with page.expect_response(lambda r: r.url.endswith("/session/keepalive")) as answer:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert answer.value.ok
    with server.db() as db:
        assert db.scalar(select(OfficerSession.last_seen_at)) > before

    # The session ends (the clock moved): the page says so at its next look (every 15 s
    # while warning).
    end_sessions(server, officer)
    expect(dialog.get_by_role("heading")).to_have_text("Your session has ended", timeout=30_000)
    expect(dialog).to_contain_text("What you typed on this page is not lost")
    assert_accessible(page)
