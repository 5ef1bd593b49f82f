"""Which language a page is in: the officer's choice, else their country's; before login the
switch (kept in the session), else the browser's Accept-Language; the switch keeps the page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from anice import web
from anice.auth import service
from anice.errors import Invalid
from anice.models import AuditEvent, Officer, Role
from anice.text import locales


def lang_of(response) -> str:
    page = response.get_data(as_text=True)
    return page.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(("header", "expected", "words"), [
    ("th-TH,th;q=0.9,en;q=0.5", "th", "เข้าสู่ระบบ"),
    ("de-DE,vi;q=0.8", "vi", "Đăng nhập"),
    ("pt-TL", "pt", "Iniciar sessão"),
    ("de-DE,fr;q=0.9", "en", "Log in"),
    ("", "en", "Log in"),
])
def test_login_page_follows_accept_language(client, header, expected, words):
    response = client.get("/login", headers={"Accept-Language": header} if header else {})
    assert lang_of(response) == expected
    assert words in response.get_data(as_text=True)


def test_switch_before_login_keeps_the_page_and_beats_the_browser(client):
    response = client.post("/language", data={"language": "km", "next": "/login?next=%2F"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2F"
    page = client.get("/login", headers={"Accept-Language": "th"})
    assert lang_of(page) == "km"
    assert "ចូល" in page.get_data(as_text=True)


def test_country_default_then_the_officers_choice(client, auth, make, db):
    thai = make.officer(country="TH", language=None)
    auth.login(thai)
    home = client.get("/", headers={"Accept-Language": "en"})  # the browser no longer decides
    assert lang_of(home) == "th"
    assert "งานของฉัน" in home.get_data(as_text=True)
    chose = make.officer(country="TH", language="vi")
    client.post("/logout")
    auth.login(chose)
    assert lang_of(client.get("/")) == "vi"


@pytest.mark.parametrize(("country", "language"), sorted(locales.COUNTRY_LANGUAGE.items()))
def test_every_member_state_has_a_language(country, language):
    assert language in locales.LANGUAGES
    assert locales.country_language(country) == language


def test_switch_when_logged_in_keeps_the_page_and_persists(client, auth, make, db):
    officer = make.officer(role=Role.SUPERVISOR, country="MY")
    auth.login(officer)
    response = client.post("/language", data={"language": "my", "next": "/account?tab=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/account?tab=1"
    db.expire_all()
    assert db.get(Officer, officer.id).language == "my"
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "officer.language"))
    assert event.details == {"before": "en", "after": "my"}
    assert lang_of(client.get("/account")) == "my"
    client.post("/logout")
    auth.login(officer)  # kept on the officer, not in the browser
    assert lang_of(client.get("/")) == "my"


def test_switch_refuses_unknown_languages_and_foreign_pages(client, auth, make, db):
    officer = make.officer()
    auth.login(officer)
    assert client.post("/language", data={"language": "xx", "next": "/"}).status_code == 422
    db.expire_all()
    assert db.get(Officer, officer.id).language == "en"
    away = client.post("/language", data={"language": "th", "next": "//evil.example/"})
    assert away.headers["Location"] == "/"
    anonymous = client.post("/logout")
    assert anonymous.status_code == 302
    assert client.post("/language", data={"language": "klingon"}).status_code == 422


def test_set_language_service(db, make):
    officer = make.officer(language=None, country="VN")
    with pytest.raises(Invalid) as refused:
        service.set_language(db, officer, "de")
    assert refused.value.field == "language"
    service.set_language(db, officer, "vi")  # the country's already: nothing to audit
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "officer.language")) is None
    service.set_language(db, officer, "en")
    assert officer.language == "en"


def test_localtime_is_iso_in_english_and_babel_elsewhere(app):
    moment = datetime(2026, 12, 7, 7, 5, tzinfo=UTC)
    with app.test_request_context("/"):
        assert web.localtime(moment) == "2026-12-07 07:05 UTC"
        assert web.localtime(moment, "%Y-%m-%d %H:%M:%S") == "2026-12-07 07:05:00 UTC"
        with force_locale("vi"):
            assert web.localtime(moment) == "7 thg 12, 2026 07:05 UTC"
        with force_locale("th"):
            assert web.localtime(moment) == "7 ธ.ค. 2026 07:05 UTC"
