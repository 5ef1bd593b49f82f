"""Login, invitation acceptance and TOTP enrolment."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from cryptography.fernet import InvalidToken
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit, metrics
from ..errors import Invalid, NotFound
from ..models import Invitation, LoginAttempt, Officer, RecoveryCode, utcnow
from . import passwords, sessions, totp
from .secrets import open_secret, seal_secret

log = logging.getLogger(__name__)
RECOVERY_CODES = 10
LOGIN_FAILED = "The e-mail, password or code is not right."
MAX_DELAY = timedelta(minutes=15)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class LoginResult:
    officer: Officer | None
    session_id: str | None = None
    error: str | None = None


def _throttle_delay(failures: int) -> timedelta | None:
    """Growing delay after the free attempts: 30 s, 1 min, 2 min, ... up to 15 min."""
    free = current_app.config["LOGIN_FREE_ATTEMPTS"]
    if failures < free:
        return None
    return min(timedelta(seconds=30 * 2 ** (failures - free)), MAX_DELAY)


def _fail(db: Session, officer: Officer, reason: str, client_addr: str | None) -> LoginResult:
    now = utcnow()
    if reason != "throttled":
        officer.failed_logins += 1
        delay = _throttle_delay(officer.failed_logins)
        officer.locked_until = now + delay if delay else None
    db.add(LoginAttempt(officer_id=officer.id, success=False, reason=reason,
                        client_addr=client_addr))
    metrics.login_failed(reason)
    log.warning("login failed", extra={"officer_id": officer.id, "reason": reason,
                                       "failures": officer.failed_logins})
    audit.record(db, None, "login.failed", officer, country_code=officer.country_code,
                 actor_label=officer.email, details={"reason": reason})
    if reason == "throttled":
        wait = int((officer.locked_until - now).total_seconds()) + 1
        return LoginResult(None, error=f"Too many failed attempts: try again in {wait} s.")
    return LoginResult(None, error=LOGIN_FAILED)


def _second_factor(db: Session, officer: Officer, code: str) -> str | None:
    """Check a TOTP or recovery code; returns the failure reason or None."""
    try:
        secret = open_secret(officer.totp_secret_enc) if officer.totp_secret_enc else None
    except InvalidToken:
        log.error("TOTP secret unreadable (SECRET_KEY changed?)",
                  extra={"officer_id": officer.id})
        return "secret_unreadable"
    step = totp.matching_step(secret, code, officer.totp_last_step) if secret else None
    if step is not None:
        officer.totp_last_step = step
        return None
    cleaned = code.replace("-", "").replace(" ", "").lower()
    if len(cleaned) == 10:
        for rc in db.scalars(select(RecoveryCode).where(RecoveryCode.officer_id == officer.id,
                                                        RecoveryCode.used_at.is_(None))):
            if passwords.verify_password(rc.code_hash, cleaned)[0]:
                rc.used_at = utcnow()
                return None
    return "bad_code"


def login(db: Session, email: str, password: str, code: str, client_addr: str | None,
          user_agent: str | None) -> LoginResult:
    """Password and second factor, always both; failures are recorded, not raised."""
    officer = db.scalar(select(Officer).where(func.lower(Officer.email) == email.strip().lower()))
    if officer is None or not officer.active or not officer.totp_confirmed:
        passwords.verify_password(None, password)
        if officer is not None:
            return _fail(db, officer, "inactive", client_addr)
        metrics.login_failed("unknown_account")
        log.warning("login failed", extra={"reason": "unknown_account"})
        return LoginResult(None, error=LOGIN_FAILED)
    if officer.locked_until and officer.locked_until > utcnow():
        return _fail(db, officer, "throttled", client_addr)
    ok, needs_rehash = passwords.verify_password(officer.password_hash, password)
    if not ok:
        return _fail(db, officer, "bad_password", client_addr)
    reason = _second_factor(db, officer, code)
    if reason:
        return _fail(db, officer, reason, client_addr)
    if needs_rehash:
        officer.password_hash = passwords.hash_password(password)
    officer.failed_logins = 0
    officer.locked_until = None
    officer.last_login_at = utcnow()
    db.add(LoginAttempt(officer_id=officer.id, success=True, reason="ok",
                        client_addr=client_addr))
    sid = sessions.start_session(db, officer, client_addr, user_agent)
    audit.record(db, officer, "login", officer, country_code=officer.country_code,
                 details={"rehashed": needs_rehash})
    return LoginResult(officer, sid)


def logout(db: Session, officer: Officer, everywhere: bool = False) -> None:
    if everywhere:
        count = sessions.end_all_sessions(db, officer)
        audit.record(db, officer, "logout.everywhere", officer,
                     country_code=officer.country_code, details={"sessions": count})
    elif officer.session_id:
        sessions.end_session(db, officer.session_id)
        audit.record(db, officer, "logout", officer, country_code=officer.country_code)


# --- invitations ---------------------------------------------------------------

def new_invitation(db: Session, officer: Officer, invited_by: Officer | None) -> str:
    """Issue a single-use link token for ``officer``; returns the token (not stored)."""
    token = secrets.token_urlsafe(32)
    hours = current_app.config["INVITATION_HOURS"]
    now = utcnow()
    db.add(Invitation(officer=officer, invited_by=invited_by, token_hash=token_digest(token),
                      created_at=now, expires_at=now + timedelta(hours=hours)))
    db.flush()
    return token


def open_invitation(db: Session, token: str) -> Invitation:
    """The live invitation behind a link; NotFound when unknown, used, revoked or expired."""
    inv = db.scalar(select(Invitation).where(Invitation.token_hash == token_digest(token)))
    if (inv is None or inv.used_at is not None or inv.revoked_at is not None
            or inv.expires_at <= utcnow()):
        raise NotFound("This invitation link is not valid: it was used, withdrawn or has expired.")
    return inv


def set_invited_password(db: Session, token: str, password: str, confirm: str) -> Invitation:
    """First step of enrolment: choose a password; a fresh TOTP secret is prepared."""
    inv = open_invitation(db, token)
    if password != confirm:
        raise Invalid("confirm", "does not match the password")
    officer = inv.officer
    passwords.check_strength(password, [officer.email, officer.name, "anice", "aniee"])
    officer.password_hash = passwords.hash_password(password)
    officer.totp_secret_enc = seal_secret(totp.new_secret())
    officer.totp_confirmed = False
    audit.record(db, None, "invitation.password_set", officer, actor_label=officer.email,
                 country_code=officer.country_code)
    return inv


def enrolment_secret(db: Session, token: str) -> tuple[Invitation, str]:
    inv = open_invitation(db, token)
    if inv.officer.password_hash is None or inv.officer.totp_secret_enc is None:
        raise Invalid("password", "choose a password first")
    return inv, open_secret(inv.officer.totp_secret_enc)


def confirm_totp(db: Session, token: str, code: str) -> list[str]:
    """Second step: a valid code activates the account; returns the recovery codes once."""
    inv, secret = enrolment_secret(db, token)
    officer = inv.officer
    step = totp.matching_step(secret, code, 0)
    if step is None:
        raise Invalid("code", "is not the current code of the authenticator app; try again")
    officer.totp_last_step = step
    officer.totp_confirmed = True
    officer.active = True
    officer.deactivated_at = None
    officer.failed_logins = 0
    officer.locked_until = None
    inv.used_at = utcnow()
    codes = _replace_recovery_codes(db, officer)
    audit.record(db, officer, "invitation.accepted", officer, country_code=officer.country_code)
    return codes


def _replace_recovery_codes(db: Session, officer: Officer) -> list[str]:
    for old in db.scalars(select(RecoveryCode).where(RecoveryCode.officer_id == officer.id)):
        db.delete(old)
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = ["".join(secrets.choice(alphabet) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    for c in codes:
        db.add(RecoveryCode(officer_id=officer.id, code_hash=passwords.hash_password(c)))
    db.flush()
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def regenerate_recovery_codes(db: Session, officer: Officer) -> list[str]:
    codes = _replace_recovery_codes(db, officer)
    audit.record(db, officer, "recovery_codes.regenerated", officer,
                 country_code=officer.country_code)
    return codes


def unused_recovery_codes(db: Session, officer: Officer) -> int:
    return db.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.officer_id == officer.id, RecoveryCode.used_at.is_(None))) or 0


def set_timezone(db: Session, officer: Officer, tz: str) -> None:
    from zoneinfo import available_timezones

    if tz not in available_timezones():
        raise Invalid("timezone", f"{tz!r} is not a known time zone")
    before = officer.timezone
    officer.timezone = tz
    audit.record(db, officer, "officer.timezone", officer, country_code=officer.country_code,
                 details={"before": before, "after": tz})
