"""``flask --app wsgi jobs flush|status``: the outbox and the RQ queues."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from redis.exceptions import RedisError
from rq import Queue

from .. import jobs


@click.group("jobs", help="Background jobs: the outbox kept while Redis was down, RQ queues.")
def jobs_group() -> None:
    pass


@jobs_group.command("flush")
@with_appcontext
def jobs_flush() -> None:
    """Queue the jobs kept in the outbox and retry jobs of dead workers; exit 1 if any is
    left (Redis still unreachable)."""
    queued = jobs.flush_pending()
    left, _since = jobs.pending_count()
    conn = jobs.redis_connection()
    if conn is not None and not left:
        try:
            jobs.recover_abandoned(conn)
        except RedisError as exc:
            click.echo(f"Redis unreachable: {type(exc).__name__}", err=True)
    click.echo(f"{queued} pending jobs queued, {left} left")
    if left:
        click.echo("Redis is unreachable: the jobs stay in the outbox; run this again later",
                   err=True)
        sys.exit(1)


@jobs_group.command("status")
@with_appcontext
def jobs_status() -> None:
    """Jobs waiting in the outbox, and per RQ queue: queued, running, scheduled, failed."""
    left, since = jobs.pending_count()
    click.echo(f"outbox: {left} pending" + (f" since {since.isoformat()}" if left else ""))
    conn = jobs.redis_connection()
    if conn is None:
        click.echo("REDIS_URL is not set: jobs run inline")
        return

    try:
        for queue in Queue.all(connection=conn):
            click.echo(f"{queue.name}: {queue.count} queued, "
                       f"{queue.started_job_registry.count} running, "
                       f"{queue.scheduled_job_registry.count} scheduled, "
                       f"{queue.failed_job_registry.count} failed")
    except RedisError as exc:
        click.echo(f"Redis unreachable: {type(exc).__name__}", err=True)
        sys.exit(1)
