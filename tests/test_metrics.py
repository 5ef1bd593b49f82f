"""/metrics: who may read it, and what it counts (requests, logins, queues, jobs)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from prometheus_client.parser import text_string_to_metric_families

from anice.models import Role

from .factories import PASSWORD


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of a Prometheus text page."""
    found = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def value(text: str, name: str, **labels) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def scrape(app) -> str:
    """What an admin sees, read without a request of its own in the figures."""
    app.config["METRICS_TOKEN"] = app.config.get("METRICS_TOKEN") or "test-scraper-token"
    response = app.test_client().get(
        "/metrics", headers={"Authorization": f"Bearer {app.config['METRICS_TOKEN']}"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.sqlite_only
def test_metrics_hidden_from_anonymous_and_officers(app, client, make, auth):
    assert client.get("/metrics").status_code == 404
    for role in (Role.INVESTIGATOR, Role.SUPERVISOR, Role.COORDINATOR, Role.SECRETARIAT):
        officer = make.officer(role=role)
        auth.login(officer)
        assert client.get("/metrics").status_code == 404, role
        auth.logout()
    admin = make.officer(role=Role.ADMIN, country="ID")
    auth.login(admin)
    page = client.get("/metrics")
    assert page.status_code == 200
    assert page.content_type.startswith("text/plain")
    assert "anice_http_request_duration_seconds" in page.get_data(as_text=True)


@pytest.mark.sqlite_only
def test_scraper_token_and_addresses(app, client):
    app.config["METRICS_TOKEN"] = "s3cret-scraper-token"
    app.config["METRICS_ALLOW"] = "10.1.2.0/24, 192.0.2.7"
    ok = {"Authorization": "Bearer s3cret-scraper-token"}
    assert client.get("/metrics", headers=ok).status_code == 200
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", headers={"Authorization": "s3cret-scraper-token"}
                      ).status_code == 404
    for addr, status in (("10.1.2.3", 200), ("192.0.2.7", 200), ("10.1.3.1", 404),
                         ("127.0.0.1", 404)):
        got = client.get("/metrics", environ_base={"REMOTE_ADDR": addr}).status_code
        assert got == status, addr


def test_bad_allow_list_stops_the_app(app_config):
    from anice import create_app

    with pytest.raises(RuntimeError, match="ANICE_METRICS_ALLOW"):
        create_app({**app_config, "METRICS_ALLOW": "10.0.0.300"})


@pytest.mark.sqlite_only
def test_requests_counted_by_endpoint_not_url(app, client, make, auth):
    before = scrape(app)
    officer = make.officer()
    auth.login(officer)
    for case_id in (9991, 9992, 9993):  # three URLs, one endpoint
        assert client.get(f"/cases/{case_id}").status_code == 404
    client.get("/healthz")
    client.get("/no/such/page")
    after = scrape(app)
    count = "anice_http_request_duration_seconds_count"
    assert value(after, count, method="GET", endpoint="cases.show") - value(
        before, count, method="GET", endpoint="cases.show") == 3
    assert value(after, "anice_http_requests_total", method="GET", endpoint="cases.show",
                 status="404") - value(before, "anice_http_requests_total", method="GET",
                                       endpoint="cases.show", status="404") == 3
    assert value(after, "anice_http_requests_total", method="GET", endpoint="health.healthz",
                 status="200") >= 1
    assert value(after, "anice_http_requests_total", method="GET", endpoint="<unmatched>",
                 status="404") >= 1
    assert "/cases/9991" not in after


def test_login_failures_counted_by_reason(app, client, make, auth):
    officer = make.officer()
    before = scrape(app)
    auth.login(officer, password=PASSWORD + "-wrong")
    auth.login(officer, code="000000")
    client.post("/login", data={"email": "nobody@example.org", "password": "x", "code": "1"})
    after = scrape(app)
    for reason in ("bad_password", "bad_code", "unknown_account"):
        name = "anice_login_failures_total"
        assert value(after, name, reason=reason) - value(before, name, reason=reason) == 1


@pytest.mark.sqlite_only
def test_queue_depths_and_jobs_from_redis(app_config, redis_server):
    """Jobs run by the ANICE worker class show their durations and failures; queue depths
    come from Redis; a horse that dies counts as a failure."""
    import redis
    from rq import Queue

    from anice import ROOT, create_app

    app = create_app({**app_config, "REDIS_URL": redis_server.url})
    conn = redis.Redis.from_url(redis_server.url)
    queue = Queue("metrics-test", connection=conn)
    queue.empty()
    before = scrape(app)
    assert value(before, "anice_redis_up") == 1
    queue.enqueue("builtins.len", [1, 2, 3])
    queue.enqueue("builtins.int", "not a number")
    queue.enqueue("os._exit", 3)
    mid = scrape(app)
    assert value(mid, "anice_rq_jobs", queue="metrics-test", state="queued") == 3
    done = subprocess.run([sys.executable, "-m", "rq.cli", "worker", "--burst", "-w",
                           "workers.worker.Worker", "--url", redis_server.url, "metrics-test"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    after = scrape(app)
    assert value(after, "anice_rq_jobs", queue="metrics-test", state="queued") == 0
    failed = "anice_rq_jobs"
    assert value(after, failed, queue="metrics-test", state="failed") - value(
        before, failed, queue="metrics-test", state="failed") == 2
    count = "anice_job_duration_seconds_count"
    failures = "anice_job_failures_total"
    for job, runs, failed in (("builtins.len", 1, 0), ("builtins.int", 1, 1),
                              ("os._exit", 1, 1)):
        assert value(after, count, job=job) - value(before, count, job=job) == runs, job
        assert value(after, failures, job=job) - value(before, failures, job=job) == failed, job
    assert value(after, "anice_job_duration_seconds_bucket", job="builtins.len", le="+Inf") >= 1


@pytest.mark.sqlite_only
def test_redis_down_does_not_break_the_scrape(app_config):
    from anice import create_app

    from .servers import free_port

    app = create_app({**app_config, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    page = scrape(app)
    assert value(page, "anice_redis_up") == 0
    assert "anice_http_requests_total" in page


@pytest.mark.sqlite_only
def test_multiprocess_mode_sums_processes(tmp_path):
    """Under gunicorn every worker writes its own files; the page sums them."""
    from anice import ROOT

    folder = tmp_path / "prom"
    folder.mkdir()
    script = (
        "import os, sys\n"
        "from anice import create_app\n"
        "app = create_app({'TESTING': True, 'METRICS_TOKEN': 't', 'DATABASE_URL': "
        "'sqlite://'})\n"
        "c = app.test_client()\n"
        "for _ in range(int(sys.argv[1])): c.get('/healthz')\n"
        "if sys.argv[2] == 'scrape':\n"
        "    print(c.get('/metrics', headers={'Authorization': 'Bearer t'}).get_data(True))\n")
    env = {"PROMETHEUS_MULTIPROC_DIR": str(folder), "ANICE_DATA_DIR": str(tmp_path / "d"),
           "SECRET_KEY": "x" * 40, "PATH": "/usr/bin:/bin"}
    for n in (2, 3):
        subprocess.run([sys.executable, "-c", script, str(n), "no"], cwd=ROOT, env=env,
                       check=True, capture_output=True)
    out = subprocess.run([sys.executable, "-c", script, "1", "scrape"], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    # The unmigrated in-memory database has no keys: /healthz answers 503 there; what is
    # checked is that the six answers of three processes are summed.
    assert sum(value(out, "anice_http_requests_total", method="GET", endpoint="health.healthz",
                     status=status) for status in ("200", "503")) == 6


@pytest.mark.sqlite_only
def test_scrapers_reach_plain_http_under_https(app_config):
    """Like /healthz, /metrics is not redirected to HTTPS: scrapers use the private network."""
    from anice import create_app

    app = create_app({**app_config, "HTTPS": True, "METRICS_TOKEN": "tok"})
    client = app.test_client()
    assert client.get("/metrics", headers={"Authorization": "Bearer tok"}).status_code == 200
    assert client.get("/login").status_code == 302  # everything else goes to https
