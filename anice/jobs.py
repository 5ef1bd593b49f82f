"""Background jobs: RQ when REDIS_URL is set, otherwise run inline (embedded mode)."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)


def redis_connection():
    from redis import Redis

    url = current_app.config.get("REDIS_URL")
    return Redis.from_url(url) if url else None


def enqueue(func_path: str, *args: Any, queue: str = "default", **kwargs: Any) -> str | None:
    """Queue ``workers.<module>.<func>``; returns the RQ job id, or None when run inline."""
    conn = redis_connection()
    if conn is None:
        module, _, name = func_path.rpartition(".")
        import importlib

        getattr(importlib.import_module(module), name)(*args, **kwargs)
        return None
    from rq import Queue

    job = Queue(queue, connection=conn).enqueue(func_path, *args, **kwargs)
    log.info("job queued", extra={"job_id": job.id, "job": func_path})
    return job.id
