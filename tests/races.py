"""Helpers of the race tests (PostgreSQL): two moves from two threads, each with its own
app context, session and connection; and a third connection that holds a row lock so the
moves queue on it in a known order."""

from __future__ import annotations

import threading
import time
from urllib.parse import urlsplit

from anice import db as anice_db
from anice.errors import Conflict, Forbidden
from anice.models import Officer


def mover(app, officer_id: int, move, outcome: dict, name: str, start=None):
    """A thread body: its own app context, session and connection; waits for ``start``;
    records "done" or the refusal's class name (anything else as its repr) in ``outcome``."""

    def run() -> None:
        with app.app_context():
            session = anice_db.session()
            actor = session.get(Officer, officer_id)
            session.commit()  # hold no snapshot or lock while waiting for the start
            try:
                if start is not None:
                    start()
                move(session, actor)
                session.commit()
                outcome[name] = "done"
            except (Conflict, Forbidden) as exc:
                session.rollback()
                outcome[name] = type(exc).__name__
            except Exception as exc:  # noqa: BLE001 - reported by the test, not swallowed
                session.rollback()
                outcome[name] = repr(exc)

    return threading.Thread(target=run, name=name, daemon=True)


def join(threads) -> None:
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive(), f"{thread.name} is stuck (deadlock?)"


def dsn(database_url: str) -> str:
    url = urlsplit(database_url)
    return f"host=127.0.0.1 port={url.port} user=anice dbname={url.path.lstrip('/')}"


def lock_waiters(watcher, count: int) -> None:
    """Until ``count`` backends of this database wait on a lock."""
    for _ in range(1200):
        waiting = watcher.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'").fetchone()[0]
        if waiting >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"never saw {count} lock waiter(s)")
