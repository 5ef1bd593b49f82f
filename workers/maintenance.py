"""Housekeeping jobs."""

from __future__ import annotations

from .app import app_context


def purge_sessions() -> dict:
    """Delete login sessions that ended or expired; returns how many went."""
    with app_context():
        from anice import db
        from anice.auth.sessions import purge_expired

        count = purge_expired(db.session())
        db.commit()
        return {"sessions": count}


def flush_pending_jobs() -> dict:
    """Queue the jobs kept in the outbox while Redis was down (cron or the RQ scheduler)."""
    with app_context():
        from anice.jobs import flush_pending

        return {"queued": flush_pending()}
