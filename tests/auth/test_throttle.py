"""Throttling per (client address, e-mail) and the account lock, through the service: one
answer for unknown, inactive and locked accounts; no lock-out by outsiders."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from anice.auth import service
from anice.models import AuditEvent, LoginAttempt, LoginThrottle, Role, utcnow

from ..factories import PASSWORD, code_for


def audit_actions(db) -> list[str]:
    return list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def login_from(db, officer_or_email, address, password=PASSWORD, code=None):
    """A login from one client address; ``officer_or_email`` may name no account."""
    if isinstance(officer_or_email, str):
        email, code = officer_or_email, code or "123456"
    else:
        db.refresh(officer_or_email)
        email, code = officer_or_email.email, code or code_for(officer_or_email)
    result = service.login(db, email, password, code, address, "pytest")
    db.commit()
    return result


def test_throttled_per_address_and_email_with_growing_delay(db, make):
    officer = make.officer()
    for _ in range(5):
        login_from(db, officer, "10.0.0.1", password="not the password at all")
    # The right password is refused at that address while throttled, and says so...
    result = login_from(db, officer, "10.0.0.1")
    assert result.officer is None and "try again in 30 s" in result.error
    # ... the next failure there (after the delay) doubles it ...
    db.execute(update(LoginThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.commit()
    result = login_from(db, officer, "10.0.0.1", password="not the password at all")
    assert "try again in 60 s" in result.error
    # ... and the account itself is not locked.
    db.refresh(officer)
    assert officer.locked_until is None and officer.failed_logins == 0
    attempts = db.scalar(select(func.count()).select_from(LoginAttempt)
                         .where(LoginAttempt.officer_id == officer.id,
                                LoginAttempt.success.is_(False)))
    assert attempts == 7
    assert audit_actions(db).count("login.failed") == 7


def test_an_outsider_cannot_lock_the_officer_out(db, make):
    officer = make.officer()
    for _ in range(12):
        login_from(db, officer, "203.0.113.7", password="guessing guessing")
    assert "try again" in login_from(db, officer, "203.0.113.7").error
    assert login_from(db, officer, "10.0.0.2").officer is not None
    # The officer's own address was never throttled by the guesses.
    assert login_from(db, officer, "10.0.0.2").officer is not None


def test_unknown_inactive_locked_and_wrong_password_answer_alike(db, make):
    locked = make.officer()
    locked.locked_until = utcnow() + timedelta(minutes=10)
    db.commit()
    answers = {
        "unknown": login_from(db, "nobody@my.anice.demo", "10.0.0.1"),
        "inactive": login_from(db, make.officer(active=False), "10.0.0.1"),
        "locked": login_from(db, locked, "10.0.0.1"),
        "wrong password": login_from(db, make.officer(), "10.0.0.1", password="wrong one!"),
    }
    assert {r.error for r in answers.values()} == {service.LOGIN_FAILED}
    assert all(r.officer is None and r.session_id is None for r in answers.values())
    reasons = set(db.scalars(select(LoginAttempt.reason)))
    assert reasons == {"inactive", "locked", "bad_password"}


def test_unknown_email_is_throttled_like_a_real_account(db, make):
    officer = make.officer()
    for _ in range(5):
        login_from(db, officer, "10.0.0.1", password="not the password at all")
        login_from(db, "nobody@my.anice.demo", "10.0.0.1", password="not the password")
    real = login_from(db, officer, "10.0.0.1")
    unknown = login_from(db, "nobody@my.anice.demo", "10.0.0.1")
    assert real.officer is None and "try again" in real.error
    assert unknown.error == real.error


def test_wrong_codes_after_the_right_password_lock_the_account(db, make):
    officer = make.officer()
    for i in range(5):  # from five addresses: the pair throttle alone would not stop this
        login_from(db, officer, f"10.0.1.{i}", code="000000")
    db.refresh(officer)
    assert officer.failed_logins == 5 and officer.locked_until > utcnow()
    result = login_from(db, officer, "10.0.2.1")
    assert result.officer is None and result.error == service.LOGIN_FAILED
    last = db.scalars(select(LoginAttempt).order_by(LoginAttempt.id.desc())).first()
    assert last.reason == "locked"


def test_coordinator_still_sees_the_failed_attempts(db, make):
    from anice.admin import service as admin_service

    officer = make.officer(country="MY")
    coordinator = make.officer(Role.COORDINATOR, country="MY")
    for _ in range(7):
        login_from(db, officer, "203.0.113.7", password="guessing guessing")
    assert login_from(db, officer, "10.0.0.2").officer is not None
    attempts = admin_service.login_attempts(db, coordinator, officer)
    assert [(a.client_addr, a.success) for a in attempts] == [("10.0.0.2", True)] + [
        ("203.0.113.7", False)] * 7
    assert [a.reason for a in attempts].count("throttled") == 2
    assert [a.reason for a in attempts].count("bad_password") == 5


def test_quiet_throttles_are_purged(db, make):
    from anice.auth import throttle

    officer = make.officer()
    for address in ("10.0.0.1", "10.0.0.2"):
        login_from(db, officer, address, password="not the password at all")
    db.execute(update(LoginThrottle).where(LoginThrottle.key == throttle.pair_key(
        "10.0.0.1", officer.email)).values(updated_at=utcnow() - timedelta(days=2)))
    assert throttle.purge_stale(db) == 1
    db.commit()
    assert db.scalar(select(LoginThrottle.key)) == throttle.pair_key("10.0.0.2", officer.email)


def test_an_ipv6_guesser_cannot_rotate_within_their_64(db, make):
    officer = make.officer()
    for i in range(5):
        login_from(db, officer, f"2001:db8:1:2::{i + 1:x}", password="guessing guessing")
    rotated = login_from(db, officer, "2001:db8:1:2:ffff::9")
    assert rotated.officer is None and "try again" in rotated.error
    assert login_from(db, officer, "2001:db8:1:3::1").officer is not None
