"""Login, invitation acceptance and TOTP enrolment."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import available_timezones

from cryptography.fernet import InvalidToken
from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit, metrics
from ..errors import Invalid, NotFound
from ..models import Invitation, LoginAttempt, Officer, RecoveryCode, utcnow
from ..text import locales
from ..text.locales import N_
from ..text.numbers import NumberFormat
from . import passwords, sessions, throttle, totp
from .secrets import open_secret, seal_secret

log = logging.getLogger(__name__)
RECOVERY_CODES = 10
LOGIN_FAILED = N_("The e-mail, password or code is not right.")
THROTTLED = N_("Too many failed attempts from this address: try again in %(wait)s s.")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class LoginResult:
    officer: Officer | None
    session_id: str | None = None
    error: str | None = None


def _fail(db: Session, officer: Officer | None, pair: str, reason: str,
          client_addr: str | None) -> LoginResult:
    """Record a failed attempt; the answer depends on the (address, e-mail) pair only."""
    if reason != "throttled":
        throttle.record_failure(db, pair)
    if reason == "bad_code" and officer is not None:
        # Only a wrong second factor after the right password counts against the account;
        # counted in SQL so that parallel guesses are all counted.
        db.execute(update(Officer).where(Officer.id == officer.id)
                   .values(failed_logins=Officer.failed_logins + 1)
                   .execution_options(synchronize_session=False))
        db.refresh(officer, ["failed_logins"])
        delay = throttle.delay_after(officer.failed_logins)
        officer.locked_until = utcnow() + delay if delay else None
    metrics.login_failed(reason)
    if officer is None:
        log.warning("login failed", extra={"reason": reason})
    else:
        db.add(LoginAttempt(officer_id=officer.id, success=False, reason=reason,
                            client_addr=client_addr))
        log.warning("login failed", extra={"officer_id": officer.id, "reason": reason,
                                           "failures": officer.failed_logins})
        audit.record(db, None, "login.failed", officer, country_code=officer.country_code,
                     actor_label=officer.email, details={"reason": reason})
    wait = throttle.wait_seconds(db, pair)
    if wait:
        return LoginResult(None, error=gettext(THROTTLED, wait=wait))
    return LoginResult(None, error=gettext(LOGIN_FAILED))


def _use_totp_step(db: Session, officer: Officer, step: int) -> bool:
    """Take the code's time step unless a parallel login took it (or a later one) first."""
    taken = db.execute(update(Officer).where(Officer.id == officer.id,
                                             Officer.totp_last_step < step)
                       .values(totp_last_step=step)
                       .execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        return False
    set_committed_value(officer, "totp_last_step", step)
    return True


def _use_recovery_code(db: Session, officer: Officer, cleaned: str) -> bool:
    """Mark the matching unused recovery code used, unless a parallel login did first."""
    for rc in db.scalars(select(RecoveryCode).where(RecoveryCode.officer_id == officer.id,
                                                    RecoveryCode.used_at.is_(None))):
        if passwords.verify_password(rc.code_hash, cleaned)[0]:
            now = utcnow()
            taken = db.execute(update(RecoveryCode).where(RecoveryCode.id == rc.id,
                                                          RecoveryCode.used_at.is_(None))
                               .values(used_at=now)
                               .execution_options(synchronize_session=False))
            if taken.rowcount != 1:
                return False
            set_committed_value(rc, "used_at", now)
            return True
    return False


def _second_factor(db: Session, officer: Officer, code: str) -> str | None:
    """Check and consume a TOTP or recovery code; returns the failure reason or None.

    Each code is taken by a conditional UPDATE: of parallel logins with one code, one wins
    (PostgreSQL re-checks the condition after the row lock, SQLite serialises writers)."""
    try:
        secret = open_secret(officer.totp_secret_enc) if officer.totp_secret_enc else None
    except InvalidToken:
        log.error("TOTP secret unreadable (SECRET_KEY changed?)",
                  extra={"officer_id": officer.id})
        return "secret_unreadable"
    step = totp.matching_step(secret, code, officer.totp_last_step) if secret else None
    if step is not None:
        return None if _use_totp_step(db, officer, step) else "bad_code"
    cleaned = code.replace("-", "").replace(" ", "").lower()
    if len(cleaned) == 10 and _use_recovery_code(db, officer, cleaned):
        return None
    return "bad_code"


def _refusal(db: Session, officer: Officer | None, password: str) -> str | None:
    """Why the password step fails, if it does; the same work whatever the account."""
    if officer is None or not officer.active or not officer.totp_confirmed:
        passwords.verify_password(None, password)
        return "unknown_account" if officer is None else "inactive"
    if not passwords.verify_password(officer.password_hash, password)[0]:
        return "bad_password"
    if officer.locked_until and officer.locked_until > utcnow():
        return "locked"  # answered like a wrong password: no oracle for the password
    return None


def login(db: Session, email: str, password: str, code: str, client_addr: str | None,
          user_agent: str | None) -> LoginResult:
    """Password and second factor, always both; failures are recorded, not raised.

    Unknown, inactive, locked accounts and wrong passwords get one answer; failures are
    throttled per (client address, e-mail), so an outsider cannot lock an officer out."""
    pair = throttle.pair_key(client_addr, email)
    officer = db.scalar(select(Officer).where(func.lower(Officer.email) == email.strip().lower()))
    if throttle.wait_seconds(db, pair):
        return _fail(db, officer, pair, "throttled", client_addr)
    reason = _refusal(db, officer, password) or _second_factor(db, officer, code)
    if reason or officer is None:
        return _fail(db, officer, pair, reason or "unknown_account", client_addr)
    rehashed = passwords.hasher().check_needs_rehash(officer.password_hash or "")
    if rehashed:
        officer.password_hash = passwords.hash_password(password)
    throttle.clear(db, pair)
    officer.failed_logins = 0
    officer.locked_until = None
    officer.last_login_at = utcnow()
    db.add(LoginAttempt(officer_id=officer.id, success=True, reason="ok",
                        client_addr=client_addr))
    sid = sessions.start_session(db, officer, client_addr, user_agent)
    audit.record(db, officer, "login", officer, country_code=officer.country_code,
                 details={"rehashed": rehashed})
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
        raise NotFound(gettext("This invitation link is not valid: it was used, withdrawn or has "
                               "expired."))
    return inv


def set_invited_password(db: Session, token: str, password: str, confirm: str) -> Invitation:
    """First step of enrolment: choose a password; a fresh TOTP secret is prepared."""
    inv = open_invitation(db, token)
    if password != confirm:
        raise Invalid("confirm", gettext("does not match the password"))
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
        raise Invalid("password", gettext("choose a password first"))
    return inv, open_secret(inv.officer.totp_secret_enc)


def confirm_totp(db: Session, token: str, code: str) -> list[str]:
    """Second step: a valid code activates the account; returns the recovery codes once."""
    inv, secret = enrolment_secret(db, token)
    officer = inv.officer
    step = totp.matching_step(secret, code, 0)
    if step is None:
        raise Invalid("code", gettext("is not the current code of the authenticator app; "
                                      "try again"))
    # The link is used once, even by parallel confirmations: one set of recovery codes.
    now = utcnow()
    taken = db.execute(update(Invitation).where(Invitation.id == inv.id,
                                                Invitation.used_at.is_(None))
                       .values(used_at=now).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise NotFound(gettext("This invitation link is not valid: it was used, withdrawn or has "
                               "expired."))
    set_committed_value(inv, "used_at", now)
    officer.totp_last_step = step
    officer.totp_confirmed = True
    officer.active = True
    officer.deactivated_at = None
    officer.failed_logins = 0
    officer.locked_until = None
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
    """The officer's own time zone (an IANA name): times are typed and shown in it."""
    set_regional(db, officer, timezone=tz)


def set_regional(db: Session, officer: Officer, *, timezone: str | None = None,
                 number_format: str | None = None) -> None:
    """The officer's own regional settings: the time zone times are typed and shown in,
    and the number format figures are read and shown in (None: unchanged). Audited."""
    errors = []
    if timezone is not None and timezone not in available_timezones():
        errors.append(("timezone", gettext("%(zone)s is not a known time zone such as "
                                           "%(example)s", zone=repr(timezone[:64]),
                                           example="Asia/Bangkok")))
    style = None
    if number_format is not None:
        try:
            style = NumberFormat(number_format)
        except ValueError:
            errors.append(("number_format", gettext("must be point (1,234,567.89) or comma "
                                                    "(1.234.567,89)")))
    if errors:
        raise Invalid.many(errors)
    before = {"timezone": officer.timezone, "number_format": officer.number_style.value}
    if timezone is not None:
        officer.timezone = timezone
    if style is not None:
        officer.number_format = style
    after = {"timezone": officer.timezone, "number_format": officer.number_style.value}
    if after != before:
        audit.record(db, officer, "officer.regional_settings", officer,
                     country_code=officer.country_code,
                     details={"before": before, "after": after})


def set_language(db: Session, officer: Officer, language: str | None,
                 extra: tuple[str, ...] = ()) -> None:
    """The language the officer reads pages in (a code of ``locales.LANGUAGES``, or None:
    their country's; ``extra``: a test's pseudo-locale). Audited when the language they
    read changes."""
    if language is not None and not locales.is_language(language, extra):
        raise Invalid("language", gettext("must be one of %(values)s",
                                          values=", ".join(locales.LANGUAGES)))
    before = locales.officer_language(officer, extra)
    officer.language = language
    after = locales.officer_language(officer, extra)
    if after != before:
        details = {"before": before, "after": after}
        if language is None:
            details["country_default"] = True
        audit.record(db, officer, "officer.language", officer,
                     country_code=officer.country_code, details=details)
    db.flush()
