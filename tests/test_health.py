"""/healthz and the Redis-backed parts (rate limits, jobs) against a real Redis."""

from __future__ import annotations

import pytest

from .factories import Auth


@pytest.mark.sqlite_only
def test_healthz_embedded(client):
    body = client.get("/healthz").get_json()
    assert body == {"status": "ok", "database": "ok", "redis": "not configured",
                    "keys": "ok", "audit_key": "ok"}


def test_healthz_fails_when_the_keyed_audit_chain_lost_its_key(app, client, db, make):
    from anice import audit, audit_keys

    path = audit_keys.key_path()
    path.rename(path.with_name("aside.json"))
    assert client.get("/healthz").get_json()["audit_key"] == "not created"  # never keyed: ok
    path.with_name("aside.json").rename(path)
    audit.record(db, make.officer(), "test.event")
    db.commit()
    path.unlink()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["audit_key"] == "error: missing"


def test_healthz_with_real_redis(app_config, redis_server):
    from anice import create_app

    app = create_app({**app_config, "REDIS_URL": redis_server.url})
    body = app.test_client().get("/healthz").get_json()
    assert body["database"] == "ok" and body["redis"] == "ok"


@pytest.mark.sqlite_only
def test_healthz_reports_unreachable_redis(app_config):
    from anice import create_app

    from .servers import free_port

    app = create_app({**app_config, "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["redis"].startswith("error")


@pytest.mark.sqlite_only
def test_healthz_reports_unreachable_database(app_config):
    from anice import create_app

    from .servers import free_port

    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none?connect_timeout=2"
    app = create_app({**app_config, "DATABASE_URL": url})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"].startswith("error")


def test_login_rate_limit_shared_through_redis(app_config, redis_server, db):
    """Production mode: two app processes share the per-address counter in Redis."""
    import redis

    from anice import create_app

    redis.Redis.from_url(redis_server.url).flushdb()
    config = {**app_config, "REDIS_URL": redis_server.url,
              "RATELIMIT_STORAGE_URI": redis_server.url, "LOGIN_RATE_LIMIT": "4 per minute"}
    first, second = create_app(config).test_client(), create_app(config).test_client()
    data = {"email": "nobody@x.anice.demo", "password": "p" * 12, "code": "123456"}
    statuses = [c.post("/login", data=data).status_code
                for c in (first, second, first, second, first, second)]
    assert statuses == [401, 401, 401, 401, 429, 429]
    assert redis.Redis.from_url(redis_server.url).dbsize() > 0


def test_jobs_run_on_a_real_rq_worker(app_config, redis_server, db, make):
    """enqueue() puts the job on Redis; an RQ worker runs it in its own app context."""
    import os
    import subprocess
    import sys

    import redis
    from rq import Queue

    from anice import ROOT, create_app
    from anice.jobs import enqueue
    from anice.models import OfficerSession

    config = {**app_config, "REDIS_URL": redis_server.url}
    app = create_app(config)
    officer = make.officer()
    Auth(app.test_client(), db).login(officer)
    from datetime import timedelta

    from sqlalchemy import select

    from anice.models import utcnow

    row = db.scalar(select(OfficerSession))
    row.last_seen_at = utcnow() - timedelta(days=2)
    db.commit()
    with app.app_context():
        job_id = enqueue("workers.maintenance.purge_sessions")
    assert job_id
    conn = redis.Redis.from_url(redis_server.url)
    queue = Queue("default", connection=conn)
    assert queue.count == 1
    # A separate worker process, as in production: it builds its own app from the env.
    env = {**os.environ, "DATABASE_URL": config["DATABASE_URL"], "REDIS_URL": redis_server.url}
    done = subprocess.run([sys.executable, "-m", "rq.cli", "worker", "--burst", "--url",
                           redis_server.url, "default"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    job = queue.fetch_job(job_id)
    assert job.is_finished, job.latest_result()
    assert job.return_value() == {"sessions": 1, "throttles": 0, "kept_forms": 0}
    db.expire_all()
    assert db.scalar(select(OfficerSession)) is None


@pytest.mark.sqlite_only
def test_jobs_run_inline_without_redis(app, db, make):
    from anice.jobs import enqueue

    with app.app_context():
        assert enqueue("workers.maintenance.purge_sessions") is None


@pytest.mark.sqlite_only
def test_healthz_fails_without_keys_and_creates_none(app_config, tmp_path):
    """Finding 13: /healthz did not look at the keys (and a first upload made a new KEK)."""
    from anice import create_app

    key_file = tmp_path / "unmounted" / "keyring.json"
    app = create_app({**app_config, "KEY_FILE": str(key_file)})
    response = app.test_client().get("/healthz")
    body = response.get_json()
    assert response.status_code == 503 and body["keys"] == (
        "error: no keys (run `flask --app wsgi keys init`)")
    assert "unmounted" not in response.get_data(as_text=True) and not key_file.exists()


@pytest.mark.sqlite_only
def test_healthz_reports_an_unusable_key_file(app):
    import os

    os.chmod(app.config["KEY_FILE"], 0o644)
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["keys"] == "error: keyring unusable (see the log)"
