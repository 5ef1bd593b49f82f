"""Personal API tokens: named, scoped, expiring, shown once, stored hashed."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..errors import Invalid, NotFound
from ..models import ApiToken, Officer, TokenScope, utcnow
from .service import token_digest

PREFIX = "anice_"


def create_token(db: Session, officer: Officer, name: str, scope: str,
                 days: int) -> tuple[ApiToken, str]:
    """Create a token; the plaintext is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise Invalid("name", gettext("is required"))
    if len(name) > 100:
        raise Invalid("name", gettext("must be at most 100 characters"))
    try:
        scope_value = TokenScope(scope)
    except ValueError:
        raise Invalid("scope", gettext("must be 'read' or 'read-write'")) from None
    max_days = current_app.config["API_TOKEN_MAX_DAYS"]
    if not 1 <= days <= max_days:
        raise Invalid("days", gettext("must be between 1 and %(max)s", max=max_days))
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(officer_id=officer.id, name=name, scope=scope_value,
                     prefix=raw[:12], token_hash=token_digest(raw),
                     expires_at=utcnow() + timedelta(days=days))
    db.add(token)
    db.flush()
    audit.record(db, officer, "api_token.create", token, country_code=officer.country_code,
                 details={"name": name, "scope": scope_value.value, "days": days})
    return token, raw


def list_tokens(db: Session, officer: Officer) -> list[ApiToken]:
    return list(db.scalars(select(ApiToken).where(ApiToken.officer_id == officer.id)
                           .order_by(ApiToken.created_at.desc())))


def revoke_token(db: Session, officer: Officer, token_id: int) -> ApiToken:
    token = db.get(ApiToken, token_id)
    if token is None or token.officer_id != officer.id:
        raise NotFound(gettext("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record(db, officer, "api_token.revoke", token, country_code=officer.country_code,
                     details={"name": token.name})
    return token


def authenticate(db: Session, raw: str) -> tuple[Officer, ApiToken] | None:
    """The officer and token behind a bearer token, if it is live and the officer active."""
    if not raw.startswith(PREFIX):
        return None
    token = db.scalar(select(ApiToken).where(ApiToken.token_hash == token_digest(raw)))
    now = utcnow()
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        return None
    if not token.officer.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now
        db.commit()
    return token.officer, token
