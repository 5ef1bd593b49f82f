"""Forms sent after their login ended: kept sealed on the server for a few minutes, and
handed back for replay once the same officer has signed in again (password and code).

What is kept: the form's text fields, its path and query; never files. The row holds only
ciphertext (AES-256-GCM); its key is derived from SECRET_KEY and a random secret that
only the browser holds, in the re-authentication page it was shown (never in storage).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from cryptography.exceptions import InvalidTag
from flask import current_app
from flask_babel import gettext
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import NotFound
from ..models import FormStash, Officer, utcnow
from ..text.locales import N_
from . import service
from .secrets import open_form, seal_form

log = logging.getLogger(__name__)
MAX_PAYLOAD = 256 * 1024
MAX_PER_AUTHOR = 10
FORM_GONE = N_("What you typed was kept for %(minutes)s minutes only, or has been saved already; "
             "it is no longer here. Sign in and type it again.")
NOT_YOURS = N_("You are signed in, but what was typed belongs to another officer's session: "
             "it was not saved into your account.")


@dataclass
class KeptForm:
    path: str
    query: str
    fields: list[tuple[str, str]]
    had_files: bool


@dataclass
class Resumed:
    """The outcome of a re-authentication: who signed in and the form to send again."""

    officer: Officer | None
    form: KeptForm | None = None
    error: str | None = None


def author_hint(officer_id: int) -> str:
    """An opaque mark of the officer a form was rendered for (carried in its CSRF token)."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"form-author|{officer_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _minutes() -> int:
    return int(current_app.config["FORM_STASH_MINUTES"])


def _aad(stash_id: str, officer_id: int | None, hint: str) -> bytes:
    return f"anice-form-stash|{stash_id}|{officer_id or ''}|{hint}".encode()


def keep_form(db: Session, *, form_hint: str | None, session_officer_id: int | None,
              reason: str, path: str, query: str, fields: list[tuple[str, str]],
              had_files: bool) -> tuple[str, Officer | None] | None:
    """Seal a form sent after its login ended; returns (token for the browser, the officer
    it is kept for when known), or None when it cannot be tied to any officer or is too big.

    The form's own author (the hint in its CSRF token) wins over the browser's session: a
    form typed by A and sent after B signed in in another tab is kept for A."""
    purge_expired(db)
    if form_hint:
        hint = form_hint
        officer_id = session_officer_id if session_officer_id is not None and \
            hmac.compare_digest(author_hint(session_officer_id), form_hint) else None
    elif session_officer_id is not None:
        officer_id, hint = session_officer_id, author_hint(session_officer_id)
    else:
        return None
    payload = json.dumps({"path": path, "query": query, "fields": fields}).encode()
    if len(payload) > MAX_PAYLOAD:
        return None
    _make_room(db, hint)
    stash_id, secret = secrets.token_hex(16), secrets.token_bytes(32)
    now = utcnow()
    db.add(FormStash(id=stash_id, officer_id=officer_id, author_hint=hint, reason=reason,
                     had_files=had_files, created_at=now,
                     expires_at=now + timedelta(minutes=_minutes()),
                     sealed=seal_form(payload, secret, _aad(stash_id, officer_id, hint))))
    db.flush()
    log.info("form kept after its login ended", extra={
        "stash": stash_id, "officer_id": officer_id, "reason": reason, "path": path,
        "fields": len(fields), "had_files": had_files})
    officer = db.get(Officer, officer_id) if officer_id is not None else None
    token = f"{stash_id}.{base64.urlsafe_b64encode(secret).decode().rstrip('=')}"
    return token, officer


def _make_room(db: Session, hint: str) -> None:
    """At most MAX_PER_AUTHOR kept forms per author: the oldest give way (no flooding)."""
    older = list(db.scalars(select(FormStash.id).where(FormStash.author_hint == hint)
                            .order_by(FormStash.created_at.desc(), FormStash.id)
                            .offset(MAX_PER_AUTHOR - 1)))
    if older:
        db.execute(delete(FormStash).where(FormStash.id.in_(older))
                   .execution_options(synchronize_session=False))


def _find(db: Session, token: str) -> tuple[FormStash, bytes]:
    stash_id, _, encoded = (token or "").partition(".")
    try:
        secret = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        secret = b""
    row = db.get(FormStash, stash_id[:32]) if stash_id else None
    if row is None or row.expires_at <= utcnow() or len(secret) != 32:
        raise NotFound(gettext(FORM_GONE, minutes=_minutes()))
    return row, secret


def kept_for(db: Session, token: str) -> tuple[FormStash, Officer | None]:
    """The live kept form behind a token and its officer when known; NotFound otherwise."""
    row, _ = _find(db, token)
    return row, (db.get(Officer, row.officer_id) if row.officer_id is not None else None)


def _open(row: FormStash, secret: bytes) -> KeptForm:
    try:
        plain = open_form(row.sealed, secret, _aad(row.id, row.officer_id, row.author_hint))
    except InvalidTag as exc:
        raise NotFound(gettext(FORM_GONE, minutes=_minutes())) from exc
    data = json.loads(plain)
    return KeptForm(data["path"], data["query"], [(k, v) for k, v in data["fields"]],
                    row.had_files)


def resume(db: Session, token: str, email: str, password: str, code: str,
           client_addr: str | None, user_agent: str | None) -> Resumed:
    """Sign in again (password and code, throttled and audited like any login) and take the
    kept form back, only when it is this officer's; the kept copy is deleted then."""
    row, secret = _find(db, token)
    form = _open(row, secret)
    if row.officer_id is not None:
        email = db.get(Officer, row.officer_id).email
    result = service.login(db, email or "", password, code, client_addr, user_agent)
    officer = result.officer
    if officer is None:
        return Resumed(None, error=result.error)
    mine = hmac.compare_digest(author_hint(officer.id), row.author_hint) and \
        row.officer_id in (None, officer.id)
    audit.record(db, officer, "session.reauthenticated", officer,
                 country_code=officer.country_code,
                 details={"reason": row.reason, "path": form.path, "replayed": mine})
    if not mine:
        log.warning("kept form refused: another officer signed in",
                    extra={"stash": row.id, "officer_id": officer.id})
        return Resumed(officer, error=gettext(NOT_YOURS))
    db.delete(row)
    db.flush()
    return Resumed(officer, form)


def purge_expired(db: Session) -> int:
    """Delete kept forms past their time."""
    result = db.execute(delete(FormStash).where(FormStash.expires_at <= utcnow())
                        .execution_options(synchronize_session=False))
    return result.rowcount or 0
