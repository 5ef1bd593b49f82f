"""Rights jobs: matching a case against the registry; imports uploaded on the web."""

from __future__ import annotations

from .app import app_context


def match_case(case_id: int) -> dict:
    with app_context():
        from anice import db
        from anice.models import Case
        from anice.rights.case_matching import match_case as run

        session = db.session()
        case = session.get(Case, case_id)
        if case is None:
            return {"candidates": 0}
        count = run(session, case)
        session.commit()
        return {"candidates": count}


def import_rights(job_id: int) -> str | None:
    """A rights import uploaded on the web (anice.rights.import_jobs)."""
    with app_context():
        from anice import db
        from anice.rights.import_jobs import run_import

        status = run_import(db.session(), job_id)
        return status.value if status else None


def refresh_index(since_us: int | None = None) -> str | None:
    """After rights changed: rebuild the machine's matching index if it needs it."""
    with app_context():
        from anice import db
        from anice.rights import index_store, shared_matcher

        session = db.session()
        reason = shared_matcher.stale_reason(session, since_us)
        if reason is None:
            return None
        path = index_store.build(session)
        return str(path) if path else "build already running"


def build_index(stale: str | None = None) -> str | None:
    """Build the machine's matching index now: a process found none, or found the file
    ``stale`` corrupt or too far behind (nothing to do if another is current by now)."""
    with app_context():
        from anice import db
        from anice.rights import index_store

        current = index_store.current_file()
        if current is not None and current.name != stale:
            return f"{current.name} is current"
        path = index_store.build(db.session())
        return str(path) if path else "build already running"
