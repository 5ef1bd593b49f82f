"""Fault: PostgreSQL restarted under load.

Requests in flight fail cleanly (503 and a message, never a 500 trace), nothing of their
transaction stays, and the same app reconnects by itself (``pool_pre_ping``) once the
server is back. The real server of the test run is crashed (``pg_ctl stop -m immediate``)
and started again.
"""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

import psycopg
import pytest
from sqlalchemy import func, select

from anice.auth import tokens
from anice.errors import DATABASE_DOWN
from anice.models import AuditEvent, Case, TimelineEntry

from ..cases.helpers import COUNTERFEIT
from ..factories import Auth

pytestmark = pytest.mark.postgresql_only


def _dsn(database_url: str) -> str:
    url = urlsplit(database_url)
    return f"host=127.0.0.1 port={url.port} user=anice dbname={url.path.lstrip('/')}"


def _wait_for_lock_waiter(database_url: str) -> None:
    """Until some backend waits on a lock: the request is inside its transaction."""
    with psycopg.connect(_dsn(database_url), autocommit=True) as watcher:
        for _ in range(600):
            waiting = watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE "
                                      "wait_event_type = 'Lock'").fetchone()[0]
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("the request never reached the locked row")


def _is_clean_unavailable(response) -> bool:
    return (response.status_code == 503 and response.headers.get("Retry-After")
            and "database cannot be reached" in response.get_data(as_text=True))


@pytest.fixture
def restartable(postgres):
    """The session's PostgreSQL, always running again when the test ends."""
    yield postgres
    try:
        with psycopg.connect(f"host=127.0.0.1 port={postgres.port} user=anice "
                             "dbname=postgres connect_timeout=2"):
            pass
    except psycopg.OperationalError:
        postgres.start()


def test_request_in_flight_fails_cleanly_and_the_app_reconnects(
        app, client, db, make, auth, restartable, database_url):
    officer = make.officer()
    auth.login(officer)
    _, token = tokens.create_token(db, officer, "scanner", "read-write", 5)
    db.commit()
    assert client.get("/cases/").status_code == 200
    responses = []
    locker = psycopg.connect(_dsn(database_url))
    try:
        # Hold the audit head: the case creation below stops inside its transaction,
        # after its case and timeline rows are flushed.
        locker.execute("SELECT 1 FROM audit_head WHERE id = 1 FOR UPDATE")
        writer = threading.Thread(target=lambda: responses.append(
            client.post("/cases/new", data=COUNTERFEIT)))
        writer.start()
        _wait_for_lock_waiter(database_url)
        restartable.crash()
        writer.join(30)
    finally:
        locker.close()
    assert not writer.is_alive()
    assert _is_clean_unavailable(responses[0]), responses[0].get_data(as_text=True)[:500]
    # While the server is down: pages and the API answer 503 with the message.
    down = client.get("/cases/")
    assert _is_clean_unavailable(down)
    assert DATABASE_DOWN in down.get_data(as_text=True)
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert api.get_json()["detail"] == DATABASE_DOWN
    restartable.start()
    # The same app, the same pool: the dead connections are replaced at checkout.
    assert client.get("/cases/").status_code == 200
    created = client.post("/cases/new", data=COUNTERFEIT)
    assert created.status_code == 302
    db.rollback()
    # The interrupted creation left nothing: one case, one timeline entry, one audit row.
    assert db.scalar(select(func.count()).select_from(Case)) == 1
    assert db.scalar(select(func.count()).select_from(TimelineEntry)) == 1
    assert db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == "case.created")) == 1
    verify = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def test_restart_under_load_every_answer_is_success_or_a_clean_503(
        app, db, make, restartable, database_url):
    officers = [make.officer() for _ in range(4)]
    clients = []
    for officer in officers:
        client = app.test_client()
        assert Auth(client, db).login(officer).status_code == 302
        clients.append(client)
    db.rollback()
    phase = {"name": "before"}
    stop = threading.Event()
    seen: list[tuple[str, int, bool]] = []  # (phase, status, clean)

    def officer_at_work(client, n: int) -> None:
        i = 0
        while not stop.is_set():
            i += 1
            now = phase["name"]
            try:
                if (n + i) % 2:
                    response = client.post("/cases/new", data={**COUNTERFEIT,
                                                               "title": f"Load {n}-{i}"})
                    ok = response.status_code == 302
                else:
                    response = client.get("/cases/?q=Load")
                    ok = response.status_code == 200
            except Exception as exc:  # noqa: BLE001 - an error escaped the app: not clean
                seen.append((now, type(exc).__name__, False))
                return
            seen.append((now, response.status_code, ok or _is_clean_unavailable(response)))

    threads = [threading.Thread(target=officer_at_work, args=(c, n))
               for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    _wait_until(lambda: sum(1 for p, s, _ in seen if p == "before") >= 8)
    phase["name"] = "down"
    restartable.crash()
    _wait_until(lambda: sum(1 for p, s, _ in seen if p == "down") >= 8)
    restartable.start()
    phase["name"] = "after"
    _wait_until(lambda: sum(1 for p, s, ok in seen if p == "after" and s in (200, 302))
                >= 8)
    stop.set()
    for thread in threads:
        thread.join(30)
    assert all(clean for _, _, clean in seen), [s for _, s, clean in seen if not clean]
    assert {s for p, s, _ in seen if p == "down"} >= {503}
    # Every case that exists was made whole: its timeline entry and audit row with it.
    db.rollback()
    cases = db.scalar(select(func.count()).select_from(Case))
    assert cases > 0
    assert db.scalar(select(func.count()).select_from(TimelineEntry)
                     .where(TimelineEntry.kind == "created")) == cases
    assert db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == "case.created")) == cases
    verify = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output


def _wait_until(condition, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the load never reached the expected state")
        time.sleep(0.02)
