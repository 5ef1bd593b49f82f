"""Login pages, security headers, cookies, CSRF, rate limits, sessions over HTTP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from anice.models import OfficerSession, Role, utcnow

from ..factories import PASSWORD, code_for


def test_pages_need_login(client):
    for url in ("/", "/account", "/admin/officers", "/admin/audit"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_login_and_logout(client, auth, make):
    officer = make.officer()
    response = auth.login(officer)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert officer.name.encode() in client.get("/").data
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_code_is_refused_with_a_message(client, auth, make):
    officer = make.officer()
    response = auth.login(officer, code="123456")
    assert response.status_code == 401
    assert b"The e-mail, password or code is not right." in response.data
    assert client.get("/").status_code == 302


def test_next_parameter_only_local(client, make, db):
    officer = make.officer()
    response = client.post("/login?next=https://evil.example/x", data={
        "email": officer.email, "password": PASSWORD, "code": code_for(officer)})
    assert response.headers["Location"] == "/"


def test_security_headers_on_every_response(client, auth, make):
    officer = make.officer()
    auth.login(officer)
    for url in ("/login", "/", "/static/css/anice.css", "/healthz", "/nope"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "http" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain HTTP in tests


def test_templates_have_no_inline_script_or_style(app):
    from pathlib import Path

    from anice import ROOT

    for path in Path(ROOT / "templates").rglob("*.html"):
        text = path.read_text()
        assert "<style" not in text, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), path
        assert not re.search(r"\sstyle=", text), path
        assert not re.search(r"\son[a-z]+=", text), path
        assert "http://" not in text and "https://" not in text, path


def test_session_cookie_flags(client, auth, make):
    officer = make.officer()
    response = auth.login(officer)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie


@pytest.mark.sqlite_only
def test_https_mode_sets_secure_cookie_and_hsts(app_config, make, db):
    from anice import create_app

    app = create_app({**app_config, "HTTPS": True, "SESSION_COOKIE_SECURE": True})
    client = app.test_client()
    officer = make.officer()
    response = client.post("/login", base_url="https://localhost", data={
        "email": officer.email, "password": PASSWORD, "code": code_for(officer)})
    assert "Secure" in response.headers["Set-Cookie"]
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    # Plain HTTP is redirected to HTTPS.
    assert client.get("/login").status_code in (301, 302)


@pytest.mark.sqlite_only
def test_csrf_required_on_forms(app_config, make, db):
    from anice import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    officer = make.officer()
    response = client.post("/login", data={"email": officer.email, "password": PASSWORD,
                                           "code": code_for(officer)})
    assert response.status_code == 400
    page = client.get("/login").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": officer.email, "password": PASSWORD,
                                           "code": code_for(officer), "csrf_token": token})
    assert response.status_code == 302


def test_session_changes_at_login(client, auth, make, db):
    officer = make.officer()
    auth.login(officer)
    first = {s.id for s in db.scalars(select(OfficerSession))}
    auth.logout()
    auth.login(officer)
    second = {s.id for s in db.scalars(select(OfficerSession).where(
        OfficerSession.revoked_at.is_(None)))}
    assert len(first) == 1 and len(second) == 1 and first.isdisjoint(second)


def test_idle_session_expires(client, auth, make, db, app):
    officer = make.officer()
    auth.login(officer)
    assert client.get("/").status_code == 200
    row = db.scalar(select(OfficerSession))
    row.last_seen_at = utcnow() - timedelta(seconds=app.config["SESSION_IDLE_SECONDS"] + 1)
    db.commit()
    assert client.get("/").status_code == 302


def test_log_out_everywhere(app, client, auth, make):
    officer = make.officer()
    other = app.test_client()
    auth.login(officer)
    from ..factories import Auth

    Auth(other, auth.db).login(officer)
    assert other.get("/").status_code == 200
    client.post("/logout", data={"everywhere": "1"})
    assert other.get("/").status_code == 302


def test_deactivation_ends_sessions_at_once(app, client, auth, make, db):
    officer = make.officer(country="MY")
    coordinator = make.officer(Role.COORDINATOR, country="MY")
    auth.login(officer)
    assert client.get("/").status_code == 200
    admin_client = app.test_client()
    from ..factories import Auth

    Auth(admin_client, db).login(coordinator)
    response = admin_client.post(f"/admin/officers/{officer.id}/deactivate",
                                 data={"reason": "left the agency"})
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert auth.login(officer).status_code == 401


@pytest.mark.sqlite_only
def test_login_rate_limited_per_address(app_config, make, db):
    from anice import create_app

    app = create_app({**app_config, "LOGIN_RATE_LIMIT": "3 per minute"})
    client = app.test_client()
    statuses = [client.post("/login", data={"email": "x@y.anice.demo", "password": "p" * 12,
                                            "code": "123456"}).status_code for _ in range(5)]
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]
    other_address = client.post("/login", data={"email": "x@y.anice.demo", "password": "p",
                                                "code": "1"},
                                environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other_address.status_code != 429


def test_invitation_pages(client, make, db):
    from anice.admin import service as admin_service

    coordinator = make.officer(Role.COORDINATOR)
    officer, token = admin_service.invite_officer(
        db, coordinator, email="fresh@my.anice.demo", name="Fresh", role="investigator",
        agency_id=coordinator.agency_id)
    db.commit()
    assert client.get(f"/invite/{token}").status_code == 200
    response = client.post(f"/invite/{token}", data={"password": "short", "confirm": "short"})
    assert response.status_code == 422 and b"at least 12 characters" in response.data
    response = client.post(f"/invite/{token}", data={
        "password": "violet tractor umbrella 1987", "confirm": "violet tractor umbrella 1987"})
    assert response.status_code == 302
    qr = client.get(f"/invite/{token}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    response = client.post(f"/invite/{token}/totp", data={"code": "000000"})
    assert response.status_code == 422
    assert client.get("/invite/not-a-token").status_code == 404


@pytest.mark.sqlite_only
def test_https_login_with_csrf_and_no_referrer(app_config, make, db):
    """Behind TLS with Referrer-Policy no-referrer, browsers send no Referer: login works."""
    from anice import create_app

    app = create_app({**app_config, "HTTPS": True, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    officer = make.officer()
    page = client.get("/login", base_url="https://anice.example").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", base_url="https://anice.example", data={
        "email": officer.email, "password": PASSWORD, "code": code_for(officer),
        "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == "/"


@pytest.mark.sqlite_only
def test_healthz_not_redirected_under_https(app_config):
    from anice import create_app

    app = create_app({**app_config, "HTTPS": True})
    assert app.test_client().get("/healthz").status_code == 200


def test_role_change_ends_sessions(app, client, auth, make, db):
    officer = make.officer(country="MY")
    auth.login(officer)
    coordinator = app.test_client()
    from ..factories import Auth

    Auth(coordinator, db).login(make.officer(Role.COORDINATOR, country="MY"))
    coordinator.post(f"/admin/officers/{officer.id}/role", data={"role": "supervisor"})
    assert client.get("/").status_code == 302


# --- login answers and throttling (no account enumeration, no lock-out by outsiders) ---

def _post_login(client, email, address, password=PASSWORD, code="123456"):
    return client.post("/login", data={"email": email, "password": password, "code": code},
                       environ_base={"REMOTE_ADDR": address})


def _answer(response, email: str) -> tuple[int, str]:
    """Status and page, without what legitimately differs: the e-mail typed, CSRF tokens."""
    page = response.data.decode().replace(email, "EMAIL")
    return response.status_code, re.sub(r'name="csrf_token"[^>]*>', "", page)


def test_login_answers_alike_for_unknown_inactive_locked_and_wrong_password(client, make, db):
    locked = make.officer()
    locked.locked_until = utcnow() + timedelta(minutes=10)
    inactive = make.officer(active=False)
    right = make.officer()
    db.commit()
    answers = {
        "unknown": _answer(_post_login(client, "nobody@my.anice.demo", "10.0.0.1"),
                           "nobody@my.anice.demo"),
        "inactive": _answer(_post_login(client, inactive.email, "10.0.0.2",
                                        code=code_for(inactive)), inactive.email),
        "locked": _answer(_post_login(client, locked.email, "10.0.0.3",
                                      code=code_for(locked)), locked.email),
        "wrong password": _answer(_post_login(client, right.email, "10.0.0.4",
                                              password="not the password!"), right.email),
    }
    assert len(set(answers.values())) == 1, answers
    status, page = answers["unknown"]
    assert status == 401 and "The e-mail, password or code is not right." in page


def test_guesses_from_one_address_do_not_lock_the_officer_out(client, make, db):
    officer = make.officer()
    for _ in range(7):
        _post_login(client, officer.email, "203.0.113.7", password="guessing guessing")
    db.refresh(officer)
    throttled = _post_login(client, officer.email, "203.0.113.7", code=code_for(officer))
    assert throttled.status_code == 401 and b"try again in" in throttled.data
    response = _post_login(client, officer.email, "10.0.0.2", code=code_for(officer))
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_coordinator_sees_the_guesses_on_the_officer_page(app, client, make, db):
    from ..factories import Auth

    officer = make.officer(country="MY")
    for _ in range(6):
        _post_login(client, officer.email, "203.0.113.7", password="guessing guessing")
    db.refresh(officer)
    assert _post_login(client, officer.email, "10.0.0.2",
                       code=code_for(officer)).status_code == 302
    coordinator = app.test_client()
    Auth(coordinator, db).login(make.officer(Role.COORDINATOR, country="MY"))
    page = coordinator.get(f"/admin/officers/{officer.id}").data.decode()
    assert page.count("203.0.113.7") == 6 and "failed: bad password" in page
    assert "failed: throttled" in page and "10.0.0.2" in page


def test_parallel_logins_over_http_with_one_code_give_one_session(app, make, db,
                                                                   monkeypatch):
    import threading

    from anice.auth import passwords

    officer = make.officer()
    code = code_for(officer)
    db.commit()
    real_verify, barrier = passwords.verify_password, threading.Barrier(3)

    def held_verify(stored, password):
        # Every login has checked the password (and read the code as unused) before any
        # goes on to take the code.
        result = real_verify(stored, password)
        if stored == officer.password_hash:
            barrier.wait(timeout=60)
        return result

    monkeypatch.setattr(passwords, "verify_password", held_verify)
    statuses: list[int] = []

    def run() -> None:
        response = app.test_client().post("/login", data={
            "email": officer.email, "password": PASSWORD, "code": code})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=run, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(statuses) == [302, 401, 401]
    db.expire_all()
    assert len(db.scalars(select(OfficerSession).where(
        OfficerSession.officer_id == officer.id)).all()) == 1
