"""No untranslated text on the pages wrapped so far: each is rendered in the pseudo-locale
(every message "[Ȧççéñţéð ...]") and every word a person reads must come from a catalog.
To cover a page once its template is wrapped, add its URL to the list of its reader."""

from __future__ import annotations

import pytest

from anice.models import Role

from ..verification.helpers import scene, send
from .catalogs import PSEUDO
from .pseudo import untranslated

# Which words a page shows does not depend on the database: SQLite only (suite time).
pytestmark = pytest.mark.sqlite_only

ANONYMOUS_PAGES = ["/login", "/no-such-page"]
OFFICER_PAGES = ["/", "/account", "/no-such-page"]
HOLDER_PAGES = ["/holders/me", "/account", "/no-such-page", "/holders/me/alerts",
                "/holder/requests/"]


def _data(person) -> tuple[str, ...]:
    data = [person.name, person.email, person.country_code, person.timezone]
    if person.agency is not None:
        data += [person.agency.code, person.agency.name, person.agency.country.name]
    else:
        data += [person.holder_org.name]
    return tuple(data)


def _check(client, url: str, data: tuple[str, ...] = ()) -> None:
    response = client.get(url)
    assert response.status_code in (200, 404), url
    page = response.get_data(as_text=True)
    assert f'<html lang="{PSEUDO}">' in page
    assert untranslated(page, data) == [], url


@pytest.mark.parametrize("url", ANONYMOUS_PAGES)
def test_anonymous_pages(client, url):
    with client.session_transaction() as session:
        session["language"] = PSEUDO
    _check(client, url)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_officer_pages(client, auth, make, role):
    officer = make.officer(role=role, language=PSEUDO)
    auth.login(officer)
    for url in OFFICER_PAGES:
        _check(client, url, _data(officer))


def test_holder_pages(client, auth, make):
    holder = make.holder(language=PSEUDO)
    auth.login(holder)
    for url in HOLDER_PAGES:
        _check(client, url, _data(holder))


def test_holder_pages_with_a_verification_request(client, auth, make, db):
    s = scene(db, make)
    vr = send(db, s)
    s.holder.language = PSEUDO
    db.commit()
    auth.login(s.holder)
    right = vr.right
    data = (*_data(s.holder), right.office, right.number, right.mark_text or "", vr.country_code)
    for url in HOLDER_PAGES:
        _check(client, url, data)
    listed = client.get("/holder/requests/").get_data(as_text=True)
    # the request's row and its state (due or overdue) were among what was checked
    assert right.number in listed
    assert "[Ȧççéñţéð due " in listed or "[Ȧççéñţéð Overdue]" in listed


def test_the_check_finds_unwrapped_text():
    page = ('<html lang="eo"><body><h1>[Ȧççéñţéð My work]</h1><p>Forgot this</p>'
            '<button aria-label="Close">[Ȧççéñţéð x]</button>'
            '<p>[Ȧççéñţéð Welcome, [Ȧççéñţéð Investigator] Ana]</p>'
            '<span lang="th">ไทย</span><p>2026-12-07 10:00 +08</p></body></html>')
    assert untranslated(page) == ["Forgot this", "Close"]
