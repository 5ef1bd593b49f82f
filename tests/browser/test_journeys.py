"""Browser journeys of the Foundation: invitation to logout, a refused code, idle expiry,
the administration pages. axe-core checks every page the browser lands on."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pyotp
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from anice.models import LoginAttempt, OfficerSession, Role

from ..factories import PASSWORD, Factory
from . import screenshots
from .a11y import assert_accessible

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]

NEW_PASSWORD = "violet tractor umbrella 1987 canyon"
IDLE_SECONDS = 3
MAIN_NAV = "nav[aria-label=Main]"


def path_of(page) -> str:
    return urlsplit(page.url).path


def go(page, url: str) -> None:
    """Open a URL, expect a successful page, check it with axe."""
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
    assert_accessible(page)


def submit(page, button: str) -> None:
    """Press a form's submit button, wait for the next page, check it with axe."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    assert_accessible(page)


def follow(page, link: str, within: str = "main") -> None:
    """Follow a link (inside ``within``), wait for the next page, check it with axe."""
    with page.expect_navigation():
        page.locator(within).get_by_role("link", name=link, exact=True).first.click()
    assert_accessible(page)


def fill_login(page, email: str, password: str, code: str) -> None:
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Authenticator code").fill(code)


def log_in(page, server, email: str, password: str, code: str) -> None:
    go(page, f"{server.url}/login")
    fill_login(page, email, password, code)
    submit(page, "Log in")


def current_code(secret: str) -> str:
    """The code of the current step: still accepted if the step ends before the server
    checks it (window of one step either side). For officers who never logged in."""
    return pyotp.TOTP(secret).now()


def wrong_code(secret: str) -> str:
    """A six-digit code outside the accepted window (previous, current, next step)."""
    now = time.time()
    valid = {pyotp.TOTP(secret).at(now + k * 30) for k in (-2, -1, 0, 1, 2)}
    code = int(next(iter(valid)))
    while f"{code:06d}" in valid:
        code = (code + 123457) % 1_000_000
    return f"{code:06d}"


def test_invitation_password_totp_login_logout(live_server, new_context):
    with live_server.db() as db:
        coordinator = Factory(db).officer(role=Role.COORDINATOR, country="MY")

    # The national coordinator invites an investigator of their police agency.
    admin = new_context().new_page()
    log_in(admin, live_server, coordinator.email, PASSWORD, current_code(coordinator.totp_secret))
    follow(admin, "Officers", within=MAIN_NAV)
    follow(admin, "Invite an officer")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Invite an officer")
    admin.get_by_label("Full name").fill("Nurul Aisyah binti Hassan")
    admin.get_by_label("E-mail").fill("nurul.aisyah@example.org")
    admin.get_by_label("Role").select_option(label="Investigator")
    admin.get_by_label("Agency").select_option(label="MY · Agency MYPOL of MY")
    submit(admin, "Send invitation")
    expect(admin.get_by_role("heading", level=1)).to_have_text("Invitation issued")
    link = admin.locator("#invite-link").inner_text().strip()
    assert link.startswith(f"{live_server.url}/invite/"), link

    # The officer opens the link in their own browser: password, then authenticator.
    officer = new_context().new_page()
    go(officer, link)
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Nurul Aisyah binti Hassan")
    officer.get_by_label("New password").fill(NEW_PASSWORD)
    officer.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    submit(officer, "Continue")
    assert path_of(officer).endswith("/totp"), officer.url
    secret = officer.locator("#totp-secret").inner_text().strip()
    officer.get_by_label("Code shown by the authenticator app").fill(pyotp.TOTP(secret).now())
    submit(officer, "Confirm")
    expect(officer.get_by_role("heading", level=1)).to_have_text("Your account is ready")
    expect(officer.locator("#recovery-codes li")).to_have_count(10)

    # Log in: the enrolment code used the current step, so take the next one.
    follow(officer, "Go to the login page")
    assert path_of(officer) == "/login"
    fill_login(officer, "nurul.aisyah@example.org", NEW_PASSWORD,
               pyotp.TOTP(secret).at(time.time() + 30))
    submit(officer, "Log in")
    assert path_of(officer) == "/"
    # A new officer reads the country's language (Malay in MY) until choosing another.
    expect(officer.locator("html")).to_have_attribute("lang", "ms")
    expect(officer.get_by_role("heading", level=1)).to_have_text(
        "Selamat datang, Nurul Aisyah binti Hassan")
    submit(officer, "English")  # one click, same page
    assert path_of(officer) == "/"
    expect(officer.get_by_role("heading", level=1)).to_have_text(
        "Welcome, Nurul Aisyah binti Hassan")
    expect(officer.locator(".who-name")).to_have_text("Nurul Aisyah binti Hassan")

    submit(officer, "Log out")
    assert path_of(officer) == "/login"
    expect(officer.locator(".flash")).to_have_text("You have been logged out.")
    expect(officer.get_by_role("button", name="Log out")).to_have_count(0)


def test_wrong_totp_code_is_refused(live_server, page):
    with live_server.db() as db:
        officer = Factory(db).officer(role=Role.INVESTIGATOR, country="TH")

    go(page, f"{live_server.url}/login")
    fill_login(page, officer.email, PASSWORD, wrong_code(officer.totp_secret))
    submit(page, "Log in")
    assert path_of(page) == "/login"
    expect(page.get_by_role("alert")).to_have_text("The e-mail, password or code is not right.")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    go(page, f"{live_server.url}/")  # not logged in: back to the login page
    assert path_of(page) == "/login"
    with live_server.db() as db:
        assert db.scalar(select(func.count()).select_from(OfficerSession)
                         .where(OfficerSession.officer_id == officer.id)) == 0
        reasons = db.scalars(select(LoginAttempt.reason)
                             .where(LoginAttempt.officer_id == officer.id)).all()
        assert reasons == ["bad_code"]


def test_idle_session_expires(serve, page):
    server = serve(SESSION_IDLE_SECONDS=IDLE_SECONDS)
    with server.db() as db:
        officer = Factory(db).officer(role=Role.SUPERVISOR, country="PH")

    log_in(page, server, officer.email, PASSWORD, current_code(officer.totp_secret))
    assert path_of(page) == "/"
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {officer.name}")

    time.sleep(IDLE_SECONDS + 1.5)
    with page.expect_navigation():
        page.reload()
    assert_accessible(page)
    assert path_of(page) == "/login"
    expect(page.locator(".flash")).to_have_text("Please log in to continue.")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)


def test_administration_pages(live_server, page):
    with live_server.db() as db:
        make = Factory(db)
        coordinator = make.officer(role=Role.COORDINATOR, country="MY",
                                   email="siti.rahmah@example.org")
        coordinator.name = "Siti Rahmah Ismail"
        coordinator.agency.name = "Royal Malaysia Police"
        people = [(Role.INVESTIGATOR, "Ahmad Faizal bin Osman", True),
                  (Role.PROSECUTOR, "Lim Wei Ling", True),
                  (Role.SUPERVISOR, "Rajesh a/l Kumar", True),
                  (Role.INVESTIGATOR, "Tan Mei Hua", False)]
        for role, name, active in people:
            email = name.split()[0].lower() + "." + name.split()[-1].lower() + "@example.org"
            make.officer(role=role, country="MY", active=active, email=email).name = name
        db.commit()

    go(page, f"{live_server.url}/login")
    screenshots.save(page, "login")
    fill_login(page, coordinator.email, PASSWORD, current_code(coordinator.totp_secret))
    submit(page, "Log in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Siti Rahmah Ismail")

    follow(page, "Officers", within=MAIN_NAV)
    assert path_of(page) == "/admin/officers"
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.filter(has_text="Tan Mei Hua")).to_contain_text("invited")
    screenshots.save(page, "admin-officers")

    follow(page, "Lim Wei Ling")
    assert re.fullmatch(r"/admin/officers/\d+", path_of(page)), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Lim Wei Ling")
    expect(page.get_by_role("button", name="Change role")).to_be_visible()

    follow(page, "Agencies", within=MAIN_NAV)
    assert path_of(page) == "/admin/agencies"
    expect(page.locator("table.data")).to_contain_text("Royal Malaysia Police")

    follow(page, "Audit log", within=MAIN_NAV)
    assert path_of(page) == "/admin/audit"
    login_row = page.locator("table.data tbody tr").filter(has_text=coordinator.email)
    expect(login_row.get_by_role("cell", name="login", exact=True)).to_have_count(1)
