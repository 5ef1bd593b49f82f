"""No untranslated text on the administration, account-security and evidence pages
(issue 19): each is rendered in the pseudo-locale with records on it, and every word a
person reads must come from a catalog (tests/i18n/pseudo.py). The records' own data (names,
codes, hashes, tokens, audit action codes) is passed as data."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from flask import g, render_template
from flask_babel import force_locale
from sqlalchemy import select

from anice.admin import service as admin_service
from anice.models import (
    Agency,
    ApiToken,
    AuditEvent,
    Country,
    CustodyAction,
    Evidence,
    LoginAttempt,
    Officer,
    Role,
)
from anice.text import locales

from ..cases.helpers import new_case
from ..evidence.test_service import PNG, pdf_bytes, upload
from .catalogs import PSEUDO
from .pseudo import untranslated

# Which words a page shows does not depend on the database: SQLite only (suite time).
pytestmark = pytest.mark.sqlite_only


def _records(db) -> tuple[str, ...]:
    """Names and codes of every record the admin pages list (data, not words)."""
    data: list[str] = [*locales.LANGUAGES, "SHA-256"]  # codes; the hash's standard name
    for c in db.scalars(select(Country)):
        data += [c.name, c.code, c.currency, c.timezone]
    for a in db.scalars(select(Agency)):
        data += [a.name, a.code]
    for o in db.scalars(select(Officer)):
        data += [o.name, o.email, o.timezone]
    data += [f"{t.prefix}…" for t in db.scalars(select(ApiToken))]
    for e in db.scalars(select(AuditEvent)):
        data += [e.action, e.object_type or "", e.actor_label or ""]
    return tuple(d for d in data if d)


def _check_html(html: str, data: tuple[str, ...], where: str) -> None:
    assert f'<html lang="{PSEUDO}">' in html, where
    assert untranslated(html, data) == [], where


def _check(client, url: str, data: tuple[str, ...], form: dict | None = None) -> str:
    response = client.post(url, data=form) if form is not None else client.get(url)
    assert response.status_code in (200, 422), (url, response.status_code)
    html = response.get_data(as_text=True)
    _check_html(html, data, url)
    return html


def test_admin_pages(client, auth, make, db):
    coordinator = make.officer(Role.COORDINATOR, country="MY", language=PSEUDO)
    staff = make.officer(Role.INVESTIGATOR, country="MY")
    auth.login(staff)  # a login attempt on the officer's page
    client.post("/logout")
    db.add(LoginAttempt(officer_id=staff.id, success=False, reason="bad_code",
                        client_addr="192.0.2.7"))
    staff.failed_logins = 2
    db.commit()
    auth.login(coordinator)
    agency = staff.agency
    invited = client.post("/admin/officers/invite", data={
        "name": "Siti Invitee", "email": "siti.invitee@my.anice.demo", "role": "prosecutor",
        "agency": agency.id}).get_data(as_text=True)
    link = re.search(r'id="invite-link">([^<]+)<', invited).group(1)
    data = (*_records(db), link)
    _check_html(invited, data, "invited")
    for url in ("/admin/officers", "/admin/officers?status=invited&sort=-name",
                f"/admin/officers/{staff.id}", "/admin/officers/invite", "/admin/agencies",
                f"/admin/agencies/{agency.id}", "/admin/countries", "/admin/audit",
                "/admin/translations"):
        _check(client, url, _records(db) + (link,))
    # a form with errors names them in the reader's language too
    _check(client, "/admin/officers/invite", _records(db),
           form={"name": "", "email": "not an address", "role": "prosecutor",
                 "agency": agency.id})


def test_admin_only_pages(client, auth, make, db):
    admin = make.officer(Role.ADMIN, language=PSEUDO)
    auth.login(admin)
    page = _check(client, "/admin/countries", _records(db))
    assert "/admin/countries/MY" in page
    for url in ("/admin/countries/MY", "/admin/audit?action=login",
                "/admin/translations?language=my", "/admin/officers?country=MY"):
        _check(client, url, _records(db))


def test_account_security_pages(client, auth, make, db, app):
    # the invitation, read before any login in the language picked with the switch
    coordinator = make.officer(Role.COORDINATOR, country="TH")
    _, token = admin_service.invite_officer(
        db, coordinator, email="nok.invitee@th.anice.demo", name="Nok Invitee",
        role="investigator", agency_id=coordinator.agency_id)
    db.commit()
    with client.session_transaction() as session:
        session["language"] = PSEUDO
    data = _records(db)
    _check(client, f"/invite/{token}", data)
    _check(client, f"/invite/{token}", data,
           form={"password": "short", "confirm": "other"})
    client.post(f"/invite/{token}", data={"password": "amber kettle violin harbour 42",
                                          "confirm": "amber kettle violin harbour 42"})
    totp = client.get(f"/invite/{token}/totp").get_data(as_text=True)
    secret = re.search(r'id="totp-secret">([^<]+)<', totp).group(1)
    _check_html(totp, (*data, secret), "totp")
    # recovery codes and a new API token, for a signed-in officer reading the pseudo-locale
    officer = make.officer(language=PSEUDO)
    auth.login(officer)
    codes_page = client.post("/account/recovery-codes").get_data(as_text=True)
    codes = tuple(re.findall(r"<li><code>([^<]+)</code></li>", codes_page))
    assert codes
    _check_html(codes_page, (*_records(db), *codes), "recovery codes")
    created = client.post("/account/tokens", data={"name": "national system", "scope": "read",
                                                   "days": 30}).get_data(as_text=True)
    raw = re.search(r'id="api-token">([^<]+)<', created).group(1)
    _check_html(created, (*_records(db), raw, "national system"), "token created")
    _check(client, "/account", _records(db) + ("national system",))
    # the pages of a form sent after the session ended, or with a stale security check
    signed, records = SimpleNamespace(name=officer.name, email=officer.email), _records(db)
    with app.test_request_context("/session/resume"), force_locale(PSEUDO):
        g.pop("_login_user", None)  # the page of someone whose session ended: anonymous
        for reason, who in (("csrf", signed), ("expired", None)):
            html = render_template("auth/resume.html", reason=reason, minutes=30,
                                   officer=who, email="", token="x", had_files=True,
                                   error="The e-mail, password or code is not right.")
            _check_html(html.replace(">The e-mail, password or code is not right.<", "><"),
                        records, f"resume {reason}")
        _check_html(render_template("auth/form_gone.html", detail=""), (), "form gone")
        _check_html(render_template("auth/form_stale.html"), (), "form stale")


def _evidence_data(db) -> tuple[str, ...]:
    data = list(_records(db))
    for ev in db.scalars(select(Evidence)):
        data += [ev.original_name, ev.media_type, ev.sha256, ev.sha256[:16],
                 ev.case.reference, ev.storage_backend or ""]
    return tuple(d for d in data if d)


def _section(html: str) -> str:
    """The evidence section of the case page (the rest of the page is the cases' own)."""
    part = re.search(r'<section class="card" id="evidence".*?</section>', html, re.S).group(0)
    return f'<html lang="{PSEUDO}"><body>{part}</body></html>'


def test_evidence_pages(client, auth, make, db):
    officer = make.officer(Role.SUPERVISOR, language=PSEUDO)
    case = new_case(db, officer)
    auth.login(officer)
    assert upload(client, case.id, pdf_bytes(20_000), name="inventory.pdf").status_code == 302
    assert upload(client, case.id, PNG, name="label.png").status_code == 302
    db.expire_all()
    pdf, png = (db.scalar(select(Evidence).where(Evidence.original_name == n))
                for n in ("inventory.pdf", "label.png"))
    client.post(f"/evidence/{pdf.public_id}/verify")
    client.post(f"/evidence/{pdf.public_id}/custody",
                data={"action": CustodyAction.TRANSFER.value, "reason": "to the court clerk"})
    client.get(f"/evidence/{png.public_id}/view")
    client.get(f"/evidence/{png.public_id}/preview")
    data = (*_evidence_data(db), "to the court clerk")
    case_page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert untranslated(_section(case_page), data) == []
    assert "inventory.pdf" in _section(case_page)
    for url in (f"/evidence/{pdf.public_id}", f"/evidence/{png.public_id}",
                f"/evidence/{png.public_id}/view", f"/evidence/{pdf.public_id}/view"):
        _check(client, url, data)
    # the same content again: held, and the page asking why both are kept
    again = upload(client, case.id, PNG, name="label-copy.png")
    assert again.status_code == 303
    held = _check(client, again.headers["Location"], (*data, "label-copy.png"))
    assert "label.png" in held
    # a destroyed item
    client.post(f"/evidence/{png.public_id}/shred", data={"reason": "retention rule"})
    _check(client, f"/evidence/{png.public_id}", (*data, "retention rule"))
