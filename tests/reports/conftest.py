"""The reports suites' data set (tests/reports/helpers.py), one fixture for all of them.

The data set is written through the services (tens of steps on moved clocks), so it is
built once per test process and database kind, and each test that asks for ``world``
gets a copy of that database (and of the keys it was sealed and chained with).
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from anice.models import Agency, Case

from ..conftest import TEST_CONFIG, fresh_database, init_keys
from .helpers import World, build_world


@dataclass
class Snapshot:
    database: str            # the SQLite file, or the PostgreSQL template database
    keys: Path               # its key files
    agencies: tuple[int, int, int]
    cases: dict[str, int]


_SNAPSHOTS: dict[str, Snapshot] = {}


def _snapshot(backend: str, request) -> Snapshot:
    if backend in _SNAPSHOTS:
        return _SNAPSHOTS[backend]
    from anice import audit, audit_keys, create_app
    from anice import db as anice_db

    from ..factories import Factory

    folder = Path(tempfile.mkdtemp(prefix=f"anice-report-world-{backend}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    if backend == "sqlite":
        database = str(folder / "world.db")
        shutil.copy(request.getfixturevalue("sqlite_template"), database)
        url = f"sqlite:///{database}"
    else:
        import psycopg

        server = request.getfixturevalue("postgres")
        database = f"report_world_{os.getpid()}"
        with psycopg.connect(f"host=127.0.0.1 port={server.port} user=anice dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}" TEMPLATE anice_template')
        url = server.url(database)
    config = {**TEST_CONFIG, "DATABASE_URL": url, "DATA_DIR": str(folder / "data"),
              "EVIDENCE_DIR": str(folder / "data" / "evidence"),
              "KEY_FILE": str(folder / "keys" / "keyring.json"),
              "AUDIT_KEY_FILE": str(folder / "keys" / "audit-keys.json")}
    init_keys(config)
    app = create_app(config)
    with app.app_context():
        audit_keys.write_new(audit_keys.key_path(), 0, audit.GENESIS)
        session = anice_db.session()
        world = build_world(session, Factory(session))
        found = Snapshot(database, folder / "keys",
                         (world.a1.id, world.a2.id, world.t1.id),
                         {name: case.id for name, case in world.cases.items()})
        session.close()
    app.extensions["anice.engine"].dispose()  # a template database takes no connection
    _SNAPSHOTS[backend] = found
    return found


@pytest.fixture
def database_url(backend, request, tmp_path):
    """The data set's database for a test that asks for ``world``, else an empty one."""
    if "world" not in request.fixturenames:
        yield from fresh_database(backend, request, tmp_path)
        return
    snapshot = _snapshot(backend, request)
    shutil.copytree(snapshot.keys, tmp_path / "keys")  # app_config finds them there
    if backend == "sqlite":
        yield from fresh_database(backend, request, tmp_path, sqlite_file=snapshot.database)
    else:
        yield from fresh_database(backend, request, tmp_path, pg_template=snapshot.database)


@pytest.fixture
def world(db, backend) -> World:
    snapshot = _SNAPSHOTS[backend]
    a1, a2, t1 = (db.get(Agency, i) for i in snapshot.agencies)
    return World(a1, a2, t1, {name: db.get(Case, i) for name, i in snapshot.cases.items()})
