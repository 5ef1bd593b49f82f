"""Housekeeping jobs."""

from __future__ import annotations

from .app import app_context


def purge_sessions() -> dict:
    """Delete login sessions that ended or expired, login throttles of pairs quiet for a
    day, and forms kept after a login ended past their minutes; returns how many went."""
    with app_context():
        from anice import db
        from anice.auth import stash
        from anice.auth.sessions import purge_expired
        from anice.auth.throttle import purge_stale

        count = purge_expired(db.session())
        throttles = purge_stale(db.session())
        kept_forms = stash.purge_expired(db.session())
        db.commit()
        return {"sessions": count, "throttles": throttles, "kept_forms": kept_forms}


def flush_pending_jobs() -> dict:
    """Queue the jobs kept in the outbox while Redis was down, and retry the jobs of workers
    that died (RQ's abandoned jobs); queued every few minutes by ``workers/cron.py``."""
    with app_context():
        from anice.jobs import flush_pending, recover_abandoned, redis_connection

        queued = flush_pending()
        connection = redis_connection()
        if connection is not None:
            recover_abandoned(connection)
        return {"queued": queued}
