"""Prometheus metrics at ``/metrics``: requests by endpoint, queues, jobs, login failures.

Request and login metrics live in each web process (prometheus_client; with gunicorn set
``PROMETHEUS_MULTIPROC_DIR`` so every worker's figures are summed). Queue depths are read
from Redis when scraped. Job durations and failures are written to Redis by the RQ workers
(``workers.worker.Worker``), so workers on any host count once, through any web node.
Only admins (by session), a scraper with ``ANICE_METRICS_TOKEN`` or an address in
``ANICE_METRICS_ALLOW`` see the page; anyone else gets 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Iterable, Iterator

from flask import Blueprint, Flask, Response, current_app, g, request
from flask_babel import gettext
from flask_login import current_user
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from redis import Redis
from rq import Queue, Worker

from . import policy
from .errors import NotFound

log = logging.getLogger(__name__)
bp = Blueprint("metrics", __name__)

REQUEST_LATENCY = Histogram(
    "anice_http_request_duration_seconds", "Time to build a response, by Flask endpoint.",
    ["method", "endpoint"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2.5, 5, 10, 30, 120))
REQUESTS = Counter("anice_http_requests_total", "Responses by Flask endpoint and status.",
                   ["method", "endpoint", "status"])
LOGIN_FAILURES = Counter("anice_login_failures_total", "Failed login attempts by reason.",
                         ["reason"])

# Job statistics, kept in one Redis hash by the workers (fields "<job>|<stat>").
JOB_STATS_KEY = "anice:metrics:jobs"
JOB_BUCKETS = (0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0)
RQ_STATES = ("queued", "started", "failed", "deferred", "scheduled")


def login_failed(reason: str) -> None:
    """Count one failed login (``bad_password``, ``bad_code``, ``throttled``, ...)."""
    LOGIN_FAILURES.labels(reason=reason).inc()


def record_job(connection, func_name: str, seconds: float, failed: bool) -> None:
    """Add one finished job run to the shared statistics (called by the RQ worker)."""
    with connection.pipeline(transaction=False) as pipe:
        pipe.hincrby(JOB_STATS_KEY, f"{func_name}|count", 1)
        pipe.hincrbyfloat(JOB_STATS_KEY, f"{func_name}|sum", max(0.0, seconds))
        for le in JOB_BUCKETS:
            if seconds <= le:
                pipe.hincrby(JOB_STATS_KEY, f"{func_name}|le={le}", 1)
        if failed:
            pipe.hincrby(JOB_STATS_KEY, f"{func_name}|failures", 1)
        pipe.execute()


def init_app(app: Flask) -> None:
    app.config.setdefault("METRICS_TOKEN", os.environ.get("ANICE_METRICS_TOKEN") or None)
    app.config.setdefault("METRICS_ALLOW", os.environ.get("ANICE_METRICS_ALLOW") or "")
    _networks(app.config["METRICS_ALLOW"])  # a bad entry stops the app at start-up
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each process writes its figures there; a missing folder would fail every request.
        os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)
    # First of all before_request functions, so an early answer (a redirect) is timed too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_observe)
    app.register_blueprint(bp)


def _start_timer() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    endpoint = request.endpoint or "<unmatched>"
    REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
    started = g.get("metrics_started")
    if started is not None:
        REQUEST_LATENCY.labels(request.method, endpoint).observe(time.perf_counter() - started)
    return response


def _networks(spec: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    try:
        return [ipaddress.ip_network(part.strip(), strict=False)
                for part in spec.split(",") if part.strip()]
    except ValueError as exc:
        raise RuntimeError(f"ANICE_METRICS_ALLOW must list addresses or networks: {exc}") from None


def may_scrape() -> bool:
    """A configured scraper (bearer token or address) or a signed-in system admin."""
    token = current_app.config.get("METRICS_TOKEN")
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(
            header[7:].strip().encode(), token.encode()):
        return True
    allowed = _networks(current_app.config.get("METRICS_ALLOW") or "")
    if allowed and request.remote_addr:
        try:
            addr = ipaddress.ip_address(request.remote_addr)
        except ValueError:
            addr = None
        if addr is not None and any(addr in net for net in allowed):
            return True
    return policy.can_view_metrics(current_user if current_user.is_authenticated else None)


@bp.get("/metrics")
def metrics():
    if not may_scrape():
        raise NotFound(gettext("No such page."))
    shared = CollectorRegistry()
    shared.register(RedisCollector(current_app.config.get("REDIS_URL")))
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        local = CollectorRegistry()
        multiprocess.MultiProcessCollector(local)
    else:
        local = REGISTRY
    body = generate_latest(local) + generate_latest(shared)
    return Response(body, content_type=CONTENT_TYPE_LATEST,
                    headers={"Cache-Control": "no-store"})


# Scrapers may reach gunicorn over plain HTTP on the private network, like /healthz.
metrics.talisman_view_options = {"force_https": False}  # type: ignore[attr-defined]


class RedisCollector:
    """Queue depths and job statistics, read from Redis at each scrape."""

    def __init__(self, url: str | None):
        self.url = url

    def collect(self) -> Iterator:
        up = GaugeMetricFamily("anice_redis_up", "1 when Redis answered this scrape.")
        if not self.url:
            up.add_metric([], 0)
            yield up
            return

        connection = Redis.from_url(self.url, socket_timeout=2, socket_connect_timeout=2)
        try:
            families = list(_queue_families(connection)) + list(_job_families(connection))
        except Exception as exc:  # noqa: BLE001 - a scrape must not fail because Redis is down
            log.warning("metrics: Redis unavailable", extra={"error": type(exc).__name__})
            up.add_metric([], 0)
            yield up
            return
        finally:
            connection.close()
        up.add_metric([], 1)
        yield up
        yield from families


def _queue_families(connection) -> Iterable:
    depth = GaugeMetricFamily("anice_rq_jobs", "RQ jobs by queue and state.",
                              labels=["queue", "state"])
    workers = GaugeMetricFamily("anice_rq_workers", "RQ workers listening on a queue.",
                                labels=["queue"])
    for queue in sorted(Queue.all(connection=connection), key=lambda q: q.name):
        counts = {"queued": queue.count,
                  "started": queue.started_job_registry.count,
                  "failed": queue.failed_job_registry.count,
                  "deferred": queue.deferred_job_registry.count,
                  "scheduled": queue.scheduled_job_registry.count}
        for state in RQ_STATES:
            depth.add_metric([queue.name, state], counts[state])
        workers.add_metric([queue.name], Worker.count(queue=queue))
    return depth, workers


def _job_families(connection) -> Iterable:
    raw = connection.hgetall(JOB_STATS_KEY)
    stats: dict[str, dict[str, float]] = {}
    for field, value in raw.items():
        name, _, stat = field.decode().rpartition("|")
        stats.setdefault(name, {})[stat] = float(value)
    duration = HistogramMetricFamily("anice_job_duration_seconds",
                                     "Run time of RQ jobs, failed runs included.",
                                     labels=["job"])
    failures = CounterMetricFamily("anice_job_failures", "Failed RQ job runs (each attempt).",
                                   labels=["job"])
    for name in sorted(stats):
        s = stats[name]
        buckets = [(_le(le), s.get(f"le={le}", 0.0)) for le in JOB_BUCKETS]
        buckets.append(("+Inf", s.get("count", 0.0)))
        duration.add_metric([name], buckets, sum_value=s.get("sum", 0.0))
        failures.add_metric([name], s.get("failures", 0.0))
    return duration, failures


def _le(value: float) -> str:
    return repr(float(value))
