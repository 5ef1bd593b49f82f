"""The app used by jobs: built once per worker process, never at import of a job module."""

from __future__ import annotations

import gc
import logging
import os
from contextlib import contextmanager
from datetime import datetime

from flask import Flask, current_app, has_app_context

_app: Flask | None = None
log = logging.getLogger(__name__)


@contextmanager
def app_context():
    """Reuse the caller's context (inline jobs) or push the worker's own app."""
    if has_app_context():
        yield current_app
        return
    with prepare().app_context():
        yield _app
    if os.environ.get("ANICE_FAULT_PAUSE"):
        from anice.jobs import fault_point

        fault_point(f"{_job_name()}:done")


def prepare(warm_matcher: bool = False) -> Flask:
    """Build the worker's app (once) and, when asked, map the machine's match index and read
    its delta: called by ``workers.worker.Worker`` before it forks a work horse, so every
    job starts with both (shared copy-on-write) instead of making them again."""
    global _app
    if _app is None:
        from anice import create_app

        _app = create_app()
        log.info("app built for jobs", extra={"pid": os.getpid()})
        # Shared with the work horses copy-on-write: frozen, their garbage collector does
        # not walk (and so copy) it. The match index is a mapped file: shared as it is.
        gc.collect()
        gc.freeze()
        if os.environ.get("ANICE_FAULT_PAUSE"):
            _install_fault_points()
    if warm_matcher:
        with _app.app_context():
            from anice import db
            from anice.rights.match_service import matcher

            matcher(db.session())
    return _app


def after_fork() -> None:
    """In a work horse: pooled database connections belong to the parent; drop them
    without closing (closing would end the parent's sessions on the server)."""
    if _app is not None:
        _app.extensions["anice.engine"].dispose(close=False)


def current_job():
    """The RQ job being run, or None (inline, CLI)."""
    try:
        from rq import get_current_job

        return get_current_job()
    except Exception:  # noqa: BLE001 - not inside an RQ worker
        return None


def first_started_at() -> datetime | None:
    """When the first attempt of the current job started (kept across retries in the job's
    meta), so a retried job can skip what its killed attempt already did."""
    from anice.models import utcnow

    job = current_job()
    if job is None:
        return None
    if "first_started_at" not in job.meta:
        job.meta["first_started_at"] = utcnow().isoformat()
        job.save_meta()
    return datetime.fromisoformat(job.meta["first_started_at"])


def _job_name() -> str:
    job = current_job()
    return job.func_name if job is not None else "inline"


def _install_fault_points() -> None:
    """Fault tests: ``<job>:commit<n>`` pauses before the job's n-th commit (its work of
    that transaction flushed), ``<job>:done`` after it returned, before RQ records it."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from anice.jobs import fault_point

    commits: dict[str, int] = {}

    def before_commit(_session) -> None:
        job = current_job()
        key = job.id if job is not None else ""
        commits[key] = commits.get(key, 0) + 1
        fault_point(f"{_job_name()}:commit{commits[key]}")

    event.listen(Session, "before_commit", before_commit)
