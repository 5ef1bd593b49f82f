"""Background jobs: RQ when REDIS_URL is set, otherwise run inline (embedded mode).

A queued job is retried (``JOB_RETRIES`` times, ``JOB_RETRY_INTERVALS`` seconds apart) when
it raises or its worker dies, so every job must be idempotent: running it twice, or again
after it was killed half-way, leaves the same result as running it once. When Redis cannot
be reached, the job waits in the ``pending_job`` outbox until ``flush_pending`` (``flask
--app wsgi jobs flush``, the next successful enqueue, or ``workers.maintenance``) hands it
to RQ: it is never dropped.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from rq.registry import clean_registries
from sqlalchemy import delete, event, func, select
from sqlalchemy.orm import Session

from ..db import separate_session
from ..models.pending_job import PendingJob

log = logging.getLogger(__name__)

# Outbox rows handed over after each successful enqueue (the rest by the flush command).
FLUSH_ON_ENQUEUE = 20


def redis_connection():
    """The app's Redis client (one connection pool per process; redis-py opens a new pool
    in a forked child by itself), or None without ``REDIS_URL``."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    cached = current_app.extensions.get("anice.redis")
    if cached is None or cached[0] != url:
        # Short timeouts: a request must not hang on a dead Redis; the outbox takes the job.
        cached = current_app.extensions["anice.redis"] = (
            url, Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5))
    return cached[1]


def retry_policy():
    """RQ's Retry from the configuration, or None when retries are off."""
    retries = int(current_app.config.get("JOB_RETRIES", 3))
    if retries < 1:
        return None
    return Retry(max=retries, interval=list(current_app.config.get("JOB_RETRY_INTERVALS")
                                            or [0]))


def enqueue(func_path: str, *args: Any, queue: str = "default",
            job_timeout: int | None = None, **kwargs: Any) -> str | None:
    """Queue ``workers.<module>.<func>``; returns the RQ job id, ``pending-<n>`` when it
    went to the outbox (Redis down), or None when run inline (no Redis configured).

    Call it after the transaction that needs the job has committed.
    """
    conn = redis_connection()
    if conn is None:
        _run_inline(func_path, args, kwargs)
        return None
    try:
        job_id = _push(conn, func_path, queue, list(args), kwargs, job_timeout)
    except RedisError as exc:
        pending = _keep_pending(func_path, queue, list(args), kwargs, job_timeout)
        log.warning("redis unreachable: job kept in the outbox",
                    extra={"job": func_path, "pending_job": pending,
                           "error": type(exc).__name__})
        return f"pending-{pending}"
    try:
        flush_pending(limit=FLUSH_ON_ENQUEUE, conn=conn)
    except Exception:  # noqa: BLE001 - the job itself is queued; the flush runs again later
        log.warning("outbox flush after enqueue failed", exc_info=True)
    return job_id


def _run_inline(func_path: str, args, kwargs) -> None:
    module, _, name = func_path.rpartition(".")
    getattr(importlib.import_module(module), name)(*args, **kwargs)


def _push(conn, func_path: str, queue: str, args: list, kwargs: dict,
          job_timeout: int | None) -> str:
    job = Queue(queue, connection=conn).enqueue_call(
        func_path, args=args, kwargs=kwargs, timeout=job_timeout, retry=retry_policy())
    log.info("job queued", extra={"job_id": job.id, "job": func_path})
    return job.id


def _keep_pending(func_path: str, queue: str, args: list, kwargs: dict,
                  job_timeout: int | None) -> int:
    """Store the job in the outbox in its own transaction (the caller's has committed)."""
    json.dumps([args, kwargs])  # only plain values may wait in the database
    with current_app.extensions["anice.sessionmaker"]() as session:
        row = PendingJob(func=func_path, queue=queue, args=args, kwargs=kwargs,
                         job_timeout=job_timeout)
        session.add(row)
        session.commit()
        return row.id


# --- work that must follow a transaction: the transactional outbox ------------------------

_OUTBOX = "anice.jobs.after_commit"
EXECUTOR = "anice.jobs.executor"


def enqueue_after_commit(db: Session, func_path: str, *args: Any, queue: str = "default",
                         job_timeout: int | None = None, **kwargs: Any) -> None:
    """Queue ``workers.<module>.<func>`` if, and only if, ``db``'s transaction commits.

    The job is first written to the ``pending_job`` outbox inside that transaction, so a
    crash between the commit and Redis cannot lose it (``flush_pending`` hands it over
    later) and a rollback drops it. Right after the commit it goes to RQ; without Redis
    (embedded mode) it runs in this process: at once under ``JOBS_AFTER_COMMIT = "sync"``
    (tests, CLI), on a background thread under ``"background"`` (the embedded web server),
    so the officer does not wait for it. Arguments are ids and plain values.
    """
    json.dumps([args, kwargs])  # only plain values may wait in the database
    row = PendingJob(func=func_path, queue=queue, args=list(args), kwargs=kwargs,
                     job_timeout=job_timeout)
    db.add(row)
    db.flush()
    if _OUTBOX not in db.info:
        db.info[_OUTBOX] = []
        event.listen(db, "after_commit", _dispatch_outbox)
        event.listen(db, "after_soft_rollback", _drop_outbox)
    db.info[_OUTBOX].append(row.id)


def _drop_outbox(db: Session, previous_transaction) -> None:
    if previous_transaction.nested:
        return  # a savepoint: rows of it are gone, the rest wait for the real commit
    db.info[_OUTBOX] = []


def _dispatch_outbox(db: Session) -> None:
    if db.in_nested_transaction():
        return  # a savepoint was released; the enclosing transaction has not committed
    ids, db.info[_OUTBOX] = db.info.get(_OUTBOX, []), []
    if not ids:
        return
    try:
        if current_app.config.get("REDIS_URL"):
            if flush_pending(ids=ids) == len(ids):  # Redis answers: older ones follow
                flush_pending(limit=FLUSH_ON_ENQUEUE)
        elif _mode() == "background":
            _executor().submit(_run_outbox_in_app, current_app._get_current_object(), ids)
        else:
            run_outbox(ids)
    except Exception:  # noqa: BLE001 - the rows stay in the outbox; a flush runs them
        log.exception("jobs after commit could not be dispatched", extra={"jobs": len(ids)})


def _mode() -> str:
    """``background`` or ``sync`` (checked when the configuration is read)."""
    return current_app.config.get("JOBS_AFTER_COMMIT") or "sync"


_executor_lock = threading.Lock()


def _executor():
    """The app's one background thread: its jobs run one after the other."""
    with _executor_lock:
        executor = current_app.extensions.get(EXECUTOR)
        if executor is None:
            executor = current_app.extensions[EXECUTOR] = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="anice-jobs")
        return executor


def _run_outbox_in_app(app, ids: list[int]) -> None:
    with app.app_context():
        try:
            run_outbox(ids)
        except Exception:  # noqa: BLE001 - logged; the rows stay for the next flush
            log.exception("background jobs failed", extra={"jobs": len(ids)})


def run_outbox(ids: list[int]) -> int:
    """Run outbox jobs here and now (no Redis). Each row is claimed (deleted) before its job
    runs, so two runners never run it twice; a job that raises is put back in the outbox
    (for ``flask jobs flush``) and the rest still run. Returns how many ran."""
    done = 0
    maker = current_app.extensions["anice.sessionmaker"]
    for pending_id in ids:
        with maker() as session:
            row = session.get(PendingJob, pending_id)
            claimed = row is not None and session.execute(
                delete(PendingJob).where(PendingJob.id == pending_id)
                .execution_options(synchronize_session=False)).rowcount
            if not claimed:  # another runner took it
                continue
            kept = {"func": row.func, "queue": row.queue, "args": list(row.args),
                    "kwargs": dict(row.kwargs), "job_timeout": row.job_timeout}
            session.commit()
        try:
            with separate_session():
                _run_inline(kept["func"], kept["args"], kept["kwargs"])
        except Exception:  # noqa: BLE001 - back in the outbox for `flask jobs flush`
            log.exception("job failed; kept in the outbox", extra={"job": kept["func"]})
            with maker() as session:
                session.add(PendingJob(**kept))
                session.commit()
            continue
        done += 1
    return done


def wait_for_background(timeout: float = 30.0) -> None:
    """Tests and benchmarks: wait until the background thread has run what it was given."""
    executor = current_app.extensions.get(EXECUTOR)
    if executor is not None:
        executor.submit(lambda: None).result(timeout=timeout)


def flush_pending(limit: int = 1000, conn=None, ids: list[int] | None = None) -> int:
    """Hand outbox jobs to RQ, oldest first; returns how many were queued.

    Each row is deleted in the transaction that pushes it, so two flushes running at once
    never queue the same row twice. Stops at the first Redis error (still down). Without
    Redis configured any more, the jobs run inline.
    """
    conn = conn or redis_connection()
    if conn is None:  # no Redis configured (any more): run them here, one by one
        if ids is None:
            with current_app.extensions["anice.sessionmaker"]() as session:
                ids = list(session.scalars(select(PendingJob.id).order_by(PendingJob.id)
                                           .limit(limit)))
        return run_outbox(ids)
    done = 0
    with current_app.extensions["anice.sessionmaker"]() as session:
        if ids is None:
            ids = list(session.scalars(select(PendingJob.id).order_by(PendingJob.id)
                                       .limit(limit)))
        for pending_id in ids:
            row = session.get(PendingJob, pending_id)
            claimed = session.execute(delete(PendingJob).where(PendingJob.id == pending_id)
                                      .execution_options(synchronize_session=False)).rowcount
            if row is None or not claimed:
                session.rollback()
                continue
            try:
                _push(conn, row.func, row.queue, row.args, row.kwargs, row.job_timeout)
            except RedisError:
                session.rollback()
                break
            session.commit()
            done += 1
    if done:
        log.info("outbox flushed", extra={"jobs": done})
    return done


def pending_count() -> tuple[int, Any]:
    """How many jobs wait in the outbox, and since when."""
    with current_app.extensions["anice.sessionmaker"]() as session:
        return session.execute(select(func.count(PendingJob.id),
                                      func.min(PendingJob.created_at))).one()


def recover_abandoned(conn) -> int:
    """Retry (or fail) jobs whose worker died: what each RQ worker also does every few
    minutes, once the dead worker's heartbeat has expired."""
    queues = Queue.all(connection=conn)
    for queue in queues:
        clean_registries(queue)
    return len(queues)


def fault_point(name: str) -> None:
    """Fault tests only: pause here, once, when ``ANICE_FAULT_PAUSE`` names this point.

    The test kills the worker during the pause; the retry finds the marker file in
    ``ANICE_FAULT_DIR`` and goes on. Without the variable this does nothing.
    """
    names = os.environ.get("ANICE_FAULT_PAUSE")
    if not names or name not in names.split(","):
        return
    marker = Path(os.environ["ANICE_FAULT_DIR"]) / name
    try:
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    log.warning("paused at fault point", extra={"point": name})
    time.sleep(300)
