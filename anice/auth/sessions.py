"""Server-side login sessions: idle and absolute timeouts, revocation."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from ..models import Officer, OfficerSession, utcnow


def session_key(sid: str) -> str:
    """Rows are keyed by a hash of the cookie's id: a database dump holds no live session."""
    return hashlib.sha256(sid.encode()).hexdigest()


def start_session(db: Session, officer: Officer, client_addr: str | None,
                  user_agent: str | None) -> str:
    """Create a new session row and return its id (a fresh one at every login)."""
    sid = secrets.token_urlsafe(32)
    db.add(OfficerSession(id=session_key(sid), officer_id=officer.id, client_addr=client_addr,
                          user_agent=(user_agent or "")[:200]))
    db.flush()
    officer.session_id = sid
    return sid


def load_session(db: Session, sid: str, touch: bool = True) -> Officer | None:
    """The officer of a live session, or None when expired, revoked or deactivated.

    ``touch=False`` asks without counting as activity (the page asking for time left)."""
    row = db.get(OfficerSession, session_key(sid))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    cfg = current_app.config
    idle = timedelta(seconds=cfg["SESSION_IDLE_SECONDS"])
    absolute = timedelta(seconds=cfg["SESSION_ABSOLUTE_SECONDS"])
    officer = row.officer
    if now - row.last_seen_at > idle or now - row.created_at > absolute or not officer.active:
        row.revoked_at = now
        db.commit()
        return None
    # Touch at most every minute (or a quarter of a short test timeout).
    if touch and now - row.last_seen_at > min(timedelta(seconds=60), idle / 4):
        row.last_seen_at = now
        db.commit()
    officer.session_id = sid
    officer.session_ends_at = min(row.last_seen_at + idle, row.created_at + absolute)
    return officer


def keep_alive(db: Session, officer: Officer) -> None:
    """Count now as activity of the officer's current session ("Stay signed in")."""
    row = db.get(OfficerSession, session_key(officer.session_id or ""))
    if row is None or row.revoked_at is not None:
        return
    row.last_seen_at = utcnow()
    cfg = current_app.config
    officer.session_ends_at = min(
        row.last_seen_at + timedelta(seconds=cfg["SESSION_IDLE_SECONDS"]),
        row.created_at + timedelta(seconds=cfg["SESSION_ABSOLUTE_SECONDS"]))


def seconds_left(officer: Officer) -> int:
    """Whole seconds until the officer's current session ends (0 when unknown or over)."""
    ends = officer.session_ends_at
    return max(0, int((ends - utcnow()).total_seconds())) if ends else 0


def officer_of(db: Session, sid: str | None) -> int | None:
    """The officer id of a session, live or ended (whose form arrived after it ended)."""
    if not sid:
        return None
    row = db.get(OfficerSession, session_key(sid))
    return row.officer_id if row is not None else None


def end_session(db: Session, sid: str) -> None:
    db.execute(update(OfficerSession).where(OfficerSession.id == session_key(sid),
                                            OfficerSession.revoked_at.is_(None))
               .values(revoked_at=utcnow()))


def end_all_sessions(db: Session, officer: Officer) -> int:
    """Revoke every live session of the officer; returns how many were ended."""
    result = db.execute(update(OfficerSession)
                        .where(OfficerSession.officer_id == officer.id,
                               OfficerSession.revoked_at.is_(None))
                        .values(revoked_at=utcnow()))
    return result.rowcount or 0


def live_sessions(db: Session, officer: Officer) -> list[OfficerSession]:
    return list(db.scalars(select(OfficerSession)
                           .where(OfficerSession.officer_id == officer.id,
                                  OfficerSession.revoked_at.is_(None))
                           .order_by(OfficerSession.created_at.desc())))


def purge_expired(db: Session) -> int:
    """Remove sessions that were revoked or can no longer be used."""
    cfg = current_app.config
    now = utcnow()
    idle_cut = now - timedelta(seconds=cfg["SESSION_IDLE_SECONDS"])
    absolute_cut = now - timedelta(seconds=cfg["SESSION_ABSOLUTE_SECONDS"])
    result = db.execute(delete(OfficerSession).where(or_(
        OfficerSession.revoked_at.is_not(None), OfficerSession.last_seen_at < idle_cut,
        OfficerSession.created_at < absolute_cut)))
    return result.rowcount or 0
