"""Fixtures: an app per test on SQLite and on a real PostgreSQL, a real Redis, factories."""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile

import pytest

# Before anything imports the app: never touch ./instance or a developer's key.
_DATA = tempfile.mkdtemp(prefix="anice-test-data-")
atexit.register(shutil.rmtree, _DATA, ignore_errors=True)
os.environ["ANICE_DATA_DIR"] = _DATA
os.environ["SECRET_KEY"] = "test-secret-key-not-for-production-0123456789"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)

from . import servers  # noqa: E402


def _lazy_url_builders() -> None:
    """Werkzeug writes and compiles two URL-building functions for each of the app's ~450
    routes when the app is made (about 60 ms of the 80 ms of ``create_app``), and the suite
    makes an app per test (over 3,000). Here each function is compiled when first used, as
    the same code: URLs come out the same; production keeps Werkzeug's own rule class."""
    from flask import Flask
    from werkzeug.routing import Rule

    class LazyRule(Rule):
        def _compile_builder(self, append_unknown: bool = True):
            name = "_build_unknown" if append_unknown else "_build"

            def build(rule, /, *args, **kwargs):  # a URL value may be named rule
                real = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
                setattr(rule, name, real)
                return real(*args, **kwargs)

            return build

    Flask.url_rule_class = LazyRule


_lazy_url_builders()


def _template_cache():
    """Jinja compiles a template once per app, and the suite makes an app per test: the
    compiled code is kept for the worker's apps (checked against the template's source)."""
    from jinja2 import BytecodeCache

    class InMemory(BytecodeCache):
        def __init__(self):
            self.code: dict[str, bytes] = {}

        def load_bytecode(self, bucket):
            if bucket.key in self.code:
                bucket.bytecode_from_string(self.code[bucket.key])

        def dump_bytecode(self, bucket):
            self.code[bucket.key] = bucket.bytecode_to_string()

    return InMemory()


_TEMPLATES = _template_cache()

IN_CI = os.environ.get("CI", "").lower() == "true"
BACKENDS = ("sqlite", "postgresql")

TEST_CONFIG = {
    "TESTING": True,
    "WTF_CSRF_ENABLED": False,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "ARGON2_PARALLELISM": 1,
    "LOG_LEVEL": "WARNING",
    "SERVER_NAME": None,
    "JOBS_AFTER_COMMIT": "sync",
}


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: run with the embedded database only")
    config.addinivalue_line("markers", "postgresql_only: run with PostgreSQL only (its server "
                            "is stopped and started by the test)")
    config.addinivalue_line("markers", "browser: Playwright browser journey")


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames and "backend" not in getattr(
            metafunc, "_anice_done", ()):
        if metafunc.definition.get_closest_marker("sqlite_only"):
            metafunc.parametrize("backend", ["sqlite"])
        elif metafunc.definition.get_closest_marker("postgresql_only"):
            metafunc.parametrize("backend", ["postgresql"])
        else:
            metafunc.parametrize("backend", BACKENDS)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI nothing may skip: a skipped test (e.g. no PostgreSQL) is a failure."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI (CI=true forbids skips): {report.longrepr}"


def _unavailable(exc: Exception):
    if IN_CI:
        pytest.fail(f"required test server unavailable in CI: {exc}")
    pytest.skip(str(exc))


def migrate(url: str) -> None:
    from alembic import command

    from anice import create_app
    from anice.cli import _alembic_config

    app = create_app({**TEST_CONFIG, "DATABASE_URL": url})
    with app.app_context():
        command.upgrade(_alembic_config(), "head")
    app.extensions["anice.engine"].dispose()


@pytest.fixture(scope="session")
def sqlite_template():
    folder = tempfile.mkdtemp(prefix="anice-sqlite-")
    path = os.path.join(folder, "template.db")
    migrate(f"sqlite:///{path}")
    yield path
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres():
    try:
        server = servers.start_postgres()
    except (servers.ServerUnavailable, OSError, Exception) as exc:  # noqa: BLE001
        _unavailable(exc)
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={server.port} user=anice dbname=postgres",
                         autocommit=True) as conn:
        conn.execute("CREATE DATABASE anice_template")
    migrate(server.url("anice_template"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server():
    try:
        server = servers.start_redis()
    except (servers.ServerUnavailable, OSError) as exc:
        _unavailable(exc)
    yield server
    server.stop()


_counter = itertools.count()


def fresh_database(backend, request, tmp_path, sqlite_file: str | None = None,
                   pg_template: str = "anice_template"):
    """Yield the URL of a new database copied from a template (the migrated empty one
    unless told), dropped after the test."""
    if backend == "sqlite":
        path = tmp_path / "anice.db"
        shutil.copy(sqlite_file or request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    server = request.getfixturevalue("postgres")
    import psycopg

    dsn = f"host=127.0.0.1 port={server.port} user=anice dbname=postgres"
    name = _next_database(dsn, pg_template)
    yield server.url(name)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _create_database(dsn: str, template: str) -> str:
    import psycopg

    name = f"t_{os.getpid()}_{next(_counter)}"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


_ahead: dict = {}  # (dsn, template) -> the next database, being copied while a test runs


def _next_database(dsn: str, template: str) -> str:
    """A new database copied from `template`: the one copied in the background during the
    last test when there is one (a copy takes about 0.2 s, a thousand times a run), and the
    next one started. A copy that failed (the server was restarted by a fault test) is
    made again here."""
    from concurrent.futures import ThreadPoolExecutor

    global _copier
    if _copier is None:
        _copier = ThreadPoolExecutor(1, thread_name_prefix="pg-template-copy")
    ready = _ahead.pop((dsn, template), None)
    name = None
    if ready is not None:
        try:
            name = ready.result()
        except Exception:  # noqa: BLE001 - made again below, the error shows there if any
            name = None
    if name is None:
        name = _create_database(dsn, template)
    if template == "anice_template":
        _ahead[dsn, template] = _copier.submit(_create_database, dsn, template)
    return name


_copier = None


@pytest.fixture
def database_url(backend, request, tmp_path):
    """A fresh, migrated database for one test."""
    yield from fresh_database(backend, request, tmp_path)


def init_keys(config: dict) -> None:
    """What ``flask --app wsgi keys init`` does for a new deployment: keys are never made
    on first use, so a test app that seals evidence gets its key file here."""
    from pathlib import Path

    from anice.crypto.keys import FileKeyring

    path = config.get("KEY_FILE")
    if path and not config.get("KEKS") and not Path(path).exists():
        FileKeyring.create(Path(path))


@pytest.fixture
def app_config(database_url, tmp_path):
    """Override in a test module to change the configuration."""
    config = {**TEST_CONFIG, "DATABASE_URL": database_url, "DATA_DIR": str(tmp_path / "data"),
              "EVIDENCE_DIR": str(tmp_path / "data" / "evidence"),
              "KEY_FILE": str(tmp_path / "keys" / "keyring.json"),
              # Named apart from KEY_FILE so that a test moving the KEK file keeps its chain.
              "AUDIT_KEY_FILE": str(tmp_path / "keys" / "audit-keys.json")}
    init_keys(config)
    return config


@pytest.fixture
def app(app_config):
    from anice import create_app

    from .api_contract import CheckedClient

    init_keys(app_config)
    application = create_app(app_config)
    application.jinja_env.bytecode_cache = _TEMPLATES
    # Every /api/v1 answer a test receives is checked against the OpenAPI document.
    application.test_client_class = CheckedClient
    with application.app_context():
        # The embedded set-up's `audit init-key`, on a fresh database (no row yet).
        from anice import audit, audit_keys

        path = audit_keys.key_path()
        if not path.exists():
            audit_keys.write_new(path, 0, audit.GENESIS)
    yield application
    application.extensions["anice.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The session of an app context held open for the whole test."""
    from anice import db as anice_db

    with app.app_context():
        yield anice_db.session()


@pytest.fixture
def make(db):
    from .factories import Factory

    return Factory(db)


@pytest.fixture
def auth(client, db):
    from .factories import Auth

    return Auth(client, db)
