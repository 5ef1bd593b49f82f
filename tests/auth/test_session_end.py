"""Nothing typed is lost when a session ends or a token goes stale (issue 16, finding 2):
the form is kept sealed on the server, the officer signs in again in place, and the form
is sent again through its own view."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from anice.errors import NotFound
from anice.models import (
    AuditEvent,
    CaseNote,
    FormStash,
    LoginThrottle,
    OfficerSession,
    utcnow,
)

from ..factories import PASSWORD, code_for

NOTE = "Seller admitted the shoes came from a Guangzhou supplier 7731"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "WTF_CSRF_ENABLED": True}


def csrf_of(html: bytes) -> str:
    return re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', html).group(1).decode()


def stash_of(html: bytes) -> str:
    return re.search(rb'name="stash" value="([^"]+)"', html).group(1).decode()


def sign_in(client, officer) -> None:
    token = csrf_of(client.get("/login").data)
    response = client.post("/login", data={"csrf_token": token, "email": officer.email,
                                           "password": PASSWORD, "code": code_for(officer)})
    assert response.status_code == 302, response.data


def idle_out(db, officer) -> None:
    db.execute(update(OfficerSession).where(OfficerSession.officer_id == officer.id)
               .values(last_seen_at=utcnow() - timedelta(hours=1)))
    db.commit()


def notes(db, case) -> list[str]:
    db.expire_all()
    return list(db.scalars(select(CaseNote.text).where(CaseNote.case_id == case.id)))


def resume(client, db, page: bytes, officer, **extra):
    db.refresh(officer)
    return client.post("/session/resume", data={
        "csrf_token": csrf_of(page), "stash": stash_of(page), "password": PASSWORD,
        "code": code_for(officer), **extra})


def test_note_sent_after_idle_timeout_is_kept_sealed_and_saved_after_sign_in(
        backend, client, db, make, caplog):
    officer = make.officer()
    case = make.case(officer)
    sign_in(client, officer)
    token = csrf_of(client.get(f"/cases/{case.id}").data)
    idle_out(db, officer)

    caplog.set_level(logging.INFO)
    page = client.post(f"/cases/{case.id}/notes", data={"csrf_token": token, "text": NOTE})
    assert page.status_code == 401
    assert b"Your session ended" in page.data
    assert b"Enter your password and code to save what you typed" in page.data
    assert officer.email.encode() in page.data  # known from the ended session: no e-mail asked
    assert b'name="email"' not in page.data
    assert notes(db, case) == []
    row = db.scalars(select(FormStash)).one()
    assert row.officer_id == officer.id and row.reason == "expired"
    assert NOTE.encode() not in row.sealed and b"Guangzhou" not in row.sealed
    assert b"/notes" not in row.sealed  # the path is sealed too
    assert NOTE not in caplog.text

    response = resume(client, db, page.data, officer)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/cases/{case.id}")
    assert notes(db, case) == [NOTE]
    assert db.scalar(select(func.count()).select_from(FormStash)) == 0
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "session.reauthenticated")
                       ).one()
    assert event.details["replayed"] is True and event.details["reason"] == "expired"
    # Signed in again, with the form view's own flash carried over.
    assert b"Note added." in client.get(f"/cases/{case.id}").data
    # The kept copy was used once: the same page again finds nothing.
    again = client.post("/session/resume", data={
        "csrf_token": csrf_of(client.get("/account").data), "stash": stash_of(page.data),
        "password": PASSWORD, "code": "123456"})
    assert again.status_code == 410
    assert b"no longer" in again.data
    assert notes(db, case) == [NOTE]


def test_a_kept_form_expires(backend, client, db, make):
    officer = make.officer()
    case = make.case(officer)
    sign_in(client, officer)
    token = csrf_of(client.get(f"/cases/{case.id}").data)
    idle_out(db, officer)
    page = client.post(f"/cases/{case.id}/notes", data={"csrf_token": token, "text": NOTE})
    assert page.status_code == 401
    db.execute(update(FormStash).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    response = resume(client, db, page.data, officer)
    assert response.status_code == 410
    assert b"kept for 10 minutes only" in response.data
    assert notes(db, case) == []
    from anice.auth import stash

    assert stash.purge_expired(db) == 1


def test_wrong_code_counts_in_the_login_throttle_and_keeps_the_form(backend, client, db, make):
    officer = make.officer()
    case = make.case(officer)
    sign_in(client, officer)
    token = csrf_of(client.get(f"/cases/{case.id}").data)
    idle_out(db, officer)
    page = client.post(f"/cases/{case.id}/notes", data={"csrf_token": token, "text": NOTE})
    wrong = client.post("/session/resume", data={
        "csrf_token": csrf_of(page.data), "stash": stash_of(page.data), "password": PASSWORD,
        "code": "000000"})
    assert wrong.status_code == 401
    assert b"The e-mail, password or code is not right." in wrong.data
    assert db.scalar(select(LoginThrottle.failures)) == 1
    assert notes(db, case) == []
    right = resume(client, db, wrong.data, officer)
    assert right.status_code == 302
    assert notes(db, case) == [NOTE]


def test_form_after_logout_in_another_tab_is_only_sent_for_its_author(
        backend, client, db, make, caplog):
    author = make.officer()
    other = make.officer()
    case = make.case(author)
    sign_in(client, author)
    token = csrf_of(client.get(f"/cases/{case.id}").data)
    client.post("/logout", data={"csrf_token": token})  # the other tab

    caplog.set_level(logging.INFO)
    page = client.post(f"/cases/{case.id}/notes", data={"csrf_token": token, "text": NOTE})
    assert page.status_code == 400
    assert b"Sign in again to send your form" in page.data
    assert b"security check is out of date" in page.data
    assert b'name="email"' in page.data  # the session is gone: who signs in is asked
    assert "CSRF" in caplog.text and NOTE not in caplog.text
    row = db.scalars(select(FormStash)).one()
    assert row.officer_id is None and row.reason == "csrf"

    # Another officer signing in here is signed in, but the form is not sent for them.
    db.refresh(other)
    wrong = resume(client, db, page.data, other, email=other.email)
    assert wrong.status_code == 302
    assert notes(db, case) == []
    assert db.scalar(select(func.count()).select_from(FormStash)) == 1
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/account").data)})

    db.refresh(author)
    right = client.post("/session/resume", data={
        "csrf_token": csrf_of(client.get("/login").data), "stash": stash_of(page.data),
        "email": author.email, "password": PASSWORD, "code": code_for(author)})
    assert right.status_code == 302
    assert notes(db, case) == [NOTE]
    assert db.scalar(select(func.count()).select_from(FormStash)) == 0


def test_stale_token_without_anyone_to_keep_it_for_gets_a_plain_page(backend, client, db, make):
    officer = make.officer()
    case = make.case(officer)
    response = client.post(f"/cases/{case.id}/notes", data={"csrf_token": "stale", "text": NOTE})
    assert response.status_code == 400
    assert b"Your form could not be sent" in response.data
    assert b"security check is out of date" in response.data
    assert b"CSRF tokens do not match" not in response.data
    assert db.scalar(select(func.count()).select_from(FormStash)) == 0


def test_a_form_posted_from_another_site_is_not_kept(backend, client, db, make):
    officer = make.officer()
    case = make.case(officer)
    sign_in(client, officer)
    token = csrf_of(client.get(f"/cases/{case.id}").data)
    idle_out(db, officer)
    response = client.post(f"/cases/{case.id}/notes", data={"csrf_token": token, "text": NOTE},
                           headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.scalar(select(func.count()).select_from(FormStash)) == 0


def test_keepalive_extends_the_session_and_asking_time_left_does_not(backend, client, db, make):
    officer = make.officer()
    sign_in(client, officer)
    page = client.get("/")
    assert b'data-session-left="' in page.data
    long_ago = utcnow() - timedelta(minutes=20)
    db.execute(update(OfficerSession).where(OfficerSession.officer_id == officer.id)
               .values(last_seen_at=long_ago))
    db.commit()
    left = client.get("/session").get_json()["remaining"]
    assert 0 < left <= 10 * 60
    db.expire_all()
    assert db.scalar(select(OfficerSession.last_seen_at)) == long_ago

    refused = client.post("/session/keepalive")
    assert refused.status_code == 400  # CSRF-protected
    response = client.post("/session/keepalive", headers={"X-CSRFToken": csrf_of(page.data)})
    assert response.status_code == 200
    assert response.get_json()["remaining"] > 25 * 60
    db.expire_all()
    assert db.scalar(select(OfficerSession.last_seen_at)) > long_ago + timedelta(minutes=19)
    assert client.get("/session").get_json()["remaining"] > 25 * 60


def test_time_left_is_zero_after_the_session_ended(backend, client, db, make):
    officer = make.officer()
    sign_in(client, officer)
    idle_out(db, officer)
    assert client.get("/session").get_json() == {"remaining": 0}
    assert client.post("/session/keepalive").status_code in (400, 401)


def test_at_most_ten_kept_forms_per_officer(backend, app, db, make):
    from anice.auth import stash

    officer = make.officer()
    with app.test_request_context():
        tokens = [stash.keep_form(db, form_hint=None, session_officer_id=officer.id,
                                  reason="expired", path="/cases/new", query="",
                                  fields=[("title", f"draft {n}")], had_files=False)[0]
                  for n in range(12)]
        db.commit()
        assert db.scalar(select(func.count()).select_from(FormStash)) == stash.MAX_PER_AUTHOR
        with pytest.raises(NotFound):
            stash.kept_for(db, tokens[0])
        row, kept_for = stash.kept_for(db, tokens[-1])
        assert kept_for.id == officer.id
        # A token with the wrong secret opens nothing.
        stash_id = tokens[-1].split(".")[0]
        with pytest.raises(NotFound):
            stash.resume(db, f"{stash_id}.{'A' * 43}", "", PASSWORD, "000000", None, None)


def test_a_form_nobody_can_be_found_for_is_not_kept(backend, app, db):
    from anice.auth import stash

    with app.test_request_context():
        assert stash.keep_form(db, form_hint=None, session_officer_id=None, reason="csrf",
                               path="/cases/new", query="", fields=[("title", "x")],
                               had_files=False) is None
