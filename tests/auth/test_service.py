"""Login, TOTP, throttling, invitations and sessions through the service layer."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import func, select

from anice.auth import service, sessions
from anice.errors import Invalid, NotFound
from anice.models import (
    AuditEvent,
    Invitation,
    LoginAttempt,
    OfficerSession,
    Role,
    utcnow,
)

from ..factories import PASSWORD, code_for


def login(db, officer, password=PASSWORD, code=None):
    db.refresh(officer)
    result = service.login(db, officer.email, password,
                           code if code is not None else code_for(officer), "10.0.0.1", "pytest")
    db.commit()
    return result


def audit_actions(db) -> list[str]:
    return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_login_needs_password_and_totp(db, make):
    officer = make.officer()
    assert login(db, officer).officer is not None
    assert login(db, officer, password="wrong password here").error == service.LOGIN_FAILED
    assert login(db, officer, code="000000").officer is None
    assert login(db, officer, code="").officer is None


def test_unknown_email_gives_the_same_answer(db, make):
    result = service.login(db, "nobody@x.anice.demo", PASSWORD, "123456", None, None)
    assert result.officer is None and result.error == service.LOGIN_FAILED


def test_totp_code_cannot_be_replayed(db, make):
    officer = make.officer()
    code = code_for(officer)
    assert login(db, officer, code=code).officer is not None
    replay = login(db, officer, code=code)
    assert replay.officer is None
    db.refresh(officer)
    attempt = db.scalars(select(LoginAttempt).order_by(LoginAttempt.id.desc())).first()
    assert attempt.reason == "bad_code" and attempt.success is False


def test_success_resets_the_failure_count(db, make):
    from anice.models import LoginThrottle

    officer = make.officer()
    login(db, officer, password="wrong wrong wrong")
    login(db, officer, code="000000")
    db.refresh(officer)
    assert officer.failed_logins == 1  # the wrong code, not the wrong password
    assert db.scalar(select(LoginThrottle.failures)) == 2
    assert login(db, officer).officer is not None
    db.refresh(officer)
    assert officer.failed_logins == 0 and officer.locked_until is None
    assert db.scalar(select(LoginThrottle.failures)) is None


def test_password_rehashed_when_parameters_change(app, db, make):
    officer = make.officer()
    old_hash = officer.password_hash
    app.config["ARGON2_TIME_COST"] = 2
    assert login(db, officer).officer is not None
    db.refresh(officer)
    assert officer.password_hash != old_hash and "t=2" in officer.password_hash
    assert officer.password_hash.startswith("$argon2id$")


def test_inactive_officer_cannot_log_in(db, make):
    officer = make.officer(active=False)
    assert login(db, officer).officer is None


def test_session_id_is_new_at_every_login(db, make):
    officer = make.officer()
    first = login(db, officer).session_id
    second = login(db, officer).session_id
    assert first and second and first != second


def test_idle_and_absolute_timeouts(app, db, make):
    officer = make.officer()
    sid = login(db, officer).session_id
    assert sessions.load_session(db, sid) is not None
    row = db.get(OfficerSession, sessions.session_key(sid))
    row.last_seen_at = utcnow() - timedelta(seconds=app.config["SESSION_IDLE_SECONDS"] + 5)
    db.commit()
    assert sessions.load_session(db, sid) is None
    sid = login(db, officer).session_id
    row = db.get(OfficerSession, sessions.session_key(sid))
    row.created_at = utcnow() - timedelta(seconds=app.config["SESSION_ABSOLUTE_SECONDS"] + 5)
    db.commit()
    assert sessions.load_session(db, sid) is None


def test_logout_everywhere_ends_all_sessions(db, make):
    officer = make.officer()
    sids = [login(db, officer).session_id for _ in range(2)]
    service.logout(db, officer, everywhere=True)
    db.commit()
    assert all(sessions.load_session(db, s) is None for s in sids)
    assert "logout.everywhere" in audit_actions(db)


def test_recovery_code_works_once(db, make):
    officer = make.officer()
    codes = service.regenerate_recovery_codes(db, officer)
    db.commit()
    assert len(codes) == 10 and len(set(codes)) == 10
    assert login(db, officer, code=codes[0]).officer is not None
    assert login(db, officer, code=codes[0]).officer is None
    assert service.unused_recovery_codes(db, officer) == 9


# --- invitations -----------------------------------------------------------------

def invite(db, make, hours=None):
    from anice.admin import service as admin_service

    coordinator = make.officer(Role.COORDINATOR)
    officer, token = admin_service.invite_officer(
        db, coordinator, email="new.officer@my.anice.demo", name="New Officer",
        role="investigator", agency_id=coordinator.agency_id)
    db.commit()
    return officer, token


def test_invitation_enrolment(db, make):
    officer, token = invite(db, make)
    service.set_invited_password(db, token, "violet tractor umbrella 1987", "violet tractor "
                                 "umbrella 1987")
    db.commit()
    _, secret = service.enrolment_secret(db, token)
    codes = service.confirm_totp(db, token, pyotp.TOTP(secret).now())
    db.commit()
    assert len(codes) == 10
    db.refresh(officer)
    assert officer.active and officer.totp_confirmed
    assert officer.password_hash.startswith("$argon2id$")
    # Single use.
    with pytest.raises(NotFound):
        service.open_invitation(db, token)
    # Log in with the next code.
    code = pyotp.TOTP(secret).at(time.time() + 30)
    result = service.login(db, officer.email, "violet tractor umbrella 1987", code, None, None)
    assert result.officer is not None


def test_invitation_expires(db, make):
    _, token = invite(db, make)
    inv = db.scalar(select(Invitation))
    assert inv.expires_at - inv.created_at == timedelta(hours=72)
    inv.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()
    with pytest.raises(NotFound):
        service.open_invitation(db, token)


def test_unknown_invitation_token(db):
    with pytest.raises(NotFound):
        service.open_invitation(db, "made-up-token")


@pytest.mark.parametrize("password, field, message", [
    ("short pw 1", "password", "at least 12"),
    ("password1234", "password", "too weak"),
    ("aaaaaaaaaaaaaaaa", "password", "too weak"),
    ("new.officer@my.anice.demo", "password", "too weak"),
])
def test_weak_passwords_are_refused(db, make, password, field, message):
    _, token = invite(db, make)
    with pytest.raises(Invalid) as err:
        service.set_invited_password(db, token, password, password)
    assert err.value.field == field and message in err.value.message


def test_password_confirmation_must_match(db, make):
    _, token = invite(db, make)
    with pytest.raises(Invalid) as err:
        service.set_invited_password(db, token, "violet tractor umbrella 1987", "other")
    assert err.value.field == "confirm"


def test_wrong_enrolment_code_keeps_the_invitation(db, make):
    officer, token = invite(db, make)
    service.set_invited_password(db, token, "violet tractor umbrella 1987",
                                 "violet tractor umbrella 1987")
    db.commit()
    with pytest.raises(Invalid) as err:
        service.confirm_totp(db, token, "000000")
    assert err.value.field == "code"
    db.rollback()
    assert service.open_invitation(db, token) is not None
    db.refresh(officer)
    assert not officer.active


def test_secrets_are_stored_protected(db, make):
    from anice.models import Officer

    officer, token = invite(db, make)
    inv = db.scalar(select(Invitation))
    assert token not in inv.token_hash and len(inv.token_hash) == 64
    stored = make.officer()
    assert stored.totp_secret not in db.get(Officer, stored.id).totp_secret_enc
    sid = login(db, stored).session_id
    assert db.get(OfficerSession, sid) is None  # only its hash is a key


def test_unreadable_totp_secret_fails_cleanly(app, db, make):
    officer = make.officer()
    app.config["SECRET_KEY"] = "a different key than the one that sealed the secret"
    result = login(db, officer)
    assert result.officer is None and result.error == service.LOGIN_FAILED
    attempt = db.scalars(select(LoginAttempt).order_by(LoginAttempt.id.desc())).first()
    assert attempt.reason == "secret_unreadable"


# --- one-time codes under parallel logins ------------------------------------------

def _parallel_logins(app, monkeypatch, email: str, code: str, hold_hash: str,
                     n: int = 3) -> list:
    """``n`` threads, each with its own app context, session and connection, log in with
    the same code; all are held after checking ``hold_hash`` (the password or the recovery
    code) until every one has, so each has read the code as unused before any uses it."""
    from anice import db as anice_db
    from anice.auth import passwords

    real_verify = passwords.verify_password
    barrier = threading.Barrier(n)

    def held_verify(stored, password):
        result = real_verify(stored, password)
        if stored == hold_hash:
            barrier.wait(timeout=60)
        return result

    monkeypatch.setattr(passwords, "verify_password", held_verify)
    outcomes: list = []
    lock = threading.Lock()

    def run() -> None:
        with app.app_context():
            session = anice_db.session()
            try:
                result = service.login(session, email, PASSWORD, code, "10.0.0.9", "pytest")
                session.commit()
                outcome = "session" if result.session_id else result.error
            except Exception as exc:  # noqa: BLE001 - reported by the test
                session.rollback()
                outcome = repr(exc)
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=run, daemon=True) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(outcomes) == n, outcomes
    return outcomes


def _live_sessions(db, officer) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(OfficerSession).where(
        OfficerSession.officer_id == officer.id)) or 0


def test_parallel_logins_with_one_totp_code_give_one_session(app, db, make, monkeypatch):
    officer = make.officer()
    code = code_for(officer)
    db.commit()
    outcomes = _parallel_logins(app, monkeypatch, officer.email, code, officer.password_hash)
    assert sorted(outcomes) == sorted(["session", service.LOGIN_FAILED, service.LOGIN_FAILED])
    assert _live_sessions(db, officer) == 1
    reasons = db.scalars(select(LoginAttempt.reason).where(
        LoginAttempt.officer_id == officer.id)).all()
    assert sorted(reasons) == ["bad_code", "bad_code", "ok"]


def test_parallel_logins_with_one_recovery_code_give_one_session(app, db, make, monkeypatch):
    from anice.auth import passwords
    from anice.models import RecoveryCode

    officer = make.officer()
    codes = service.regenerate_recovery_codes(db, officer)
    db.commit()
    rows = db.scalars(select(RecoveryCode).where(RecoveryCode.officer_id == officer.id)).all()
    target = next(r for r in rows
                  if passwords.verify_password(r.code_hash, codes[0].replace("-", ""))[0])
    outcomes = _parallel_logins(app, monkeypatch, officer.email, codes[0], target.code_hash)
    assert outcomes.count("session") == 1, outcomes
    assert _live_sessions(db, officer) == 1
    assert service.unused_recovery_codes(db, officer) == 9


def test_parallel_wrong_codes_are_all_counted_against_the_account(app, db, make, monkeypatch):
    officer = make.officer()
    db.commit()
    outcomes = _parallel_logins(app, monkeypatch, officer.email, "000000",
                                officer.password_hash, n=5)
    assert "session" not in outcomes and not any("Error" in o for o in outcomes), outcomes
    db.refresh(officer)
    assert officer.failed_logins == 5 and officer.locked_until > utcnow()


def test_parallel_enrolment_confirmations_use_the_invitation_once(app, db, make, monkeypatch):
    from anice import db as anice_db
    from anice.auth import totp

    officer, token = invite(db, make)
    service.set_invited_password(db, token, "violet tractor umbrella 1987",
                                 "violet tractor umbrella 1987")
    db.commit()
    _, secret = service.enrolment_secret(db, token)
    code = pyotp.TOTP(secret).now()
    real_step, barrier = totp.matching_step, threading.Barrier(3)

    def held_step(*args, **kwargs):
        # Every confirmation has read the invitation as unused before any uses it.
        step = real_step(*args, **kwargs)
        barrier.wait(timeout=60)
        return step

    monkeypatch.setattr(totp, "matching_step", held_step)
    outcomes: list[str] = []

    def run() -> None:
        with app.app_context():
            session = anice_db.session()
            try:
                service.confirm_totp(session, token, code)
                session.commit()
                outcomes.append("enrolled")
            except NotFound:
                session.rollback()
                outcomes.append("refused")

    threads = [threading.Thread(target=run, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == ["enrolled", "refused", "refused"]
    assert service.unused_recovery_codes(db, officer) == 10
