"""A live ANICE server on a fresh SQLite database, and Debian's Chromium driven by Playwright.

Each test gets its own app, database and server (a copy of the migrated template database,
served by werkzeug in a daemon thread on a free port) and its own browser context; the
browser itself is started once per session. CSRF protection is on, as in production.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from ..conftest import init_keys

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
VIEWPORT = {"width": 1280, "height": 800}

# Like TEST_CONFIG in tests/conftest.py, but with real CSRF checks and error pages.
BROWSER_CONFIG = {
    "TESTING": False,
    "WTF_CSRF_ENABLED": True,
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "ARGON2_PARALLELISM": 1,
    "LOG_LEVEL": "WARNING",
    "SERVER_NAME": None,
}


@dataclass
class LiveServer:
    app: Flask
    url: str

    @contextmanager
    def db(self) -> Iterator[Session]:
        """A session on the server's database, in an app context (for set-up and checks)."""
        from anice import db

        with self.app.app_context():
            yield db.session()


@pytest.fixture
def serve(sqlite_template, tmp_path_factory) -> Iterator[Callable[..., LiveServer]]:
    """``serve(**config)`` starts a live server with extra configuration; stopped after."""
    from anice import create_app

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    started: list[tuple[LiveServer, object, threading.Thread]] = []

    def start(**overrides) -> LiveServer:
        folder = tmp_path_factory.mktemp("live")
        path = folder / "anice.db"
        shutil.copy(sqlite_template, path)
        # Evidence under this server's data folder; its key file outside it (never ~/.config).
        config = {**BROWSER_CONFIG, "DATABASE_URL": f"sqlite:///{path}",
                  "DATA_DIR": str(folder), "EVIDENCE_DIR": str(folder / "evidence"),
                  "KEY_FILE": str(tmp_path_factory.mktemp("keys") / "keyring.json"),
                  **overrides}
        init_keys(config)
        app = create_app(config)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        url = f"http://127.0.0.1:{server.port}"
        app.config["BASE_URL"] = url  # invitation links point at this server
        live = LiveServer(app, url)
        thread = threading.Thread(target=server.serve_forever, name=f"live-{server.port}",
                                  daemon=True)
        thread.start()
        started.append((live, server, thread))
        return live

    yield start
    for live, server, thread in started:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        live.app.extensions["anice.engine"].dispose()


@pytest.fixture
def live_server(serve) -> LiveServer:
    return serve()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(executable):
        pytest.skip(f"Chromium not found at {executable} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=executable, headless=True,
                                      args=CHROMIUM_ARGS)
    except Exception:
        pw.stop()
        raise
    yield chromium
    chromium.close()
    pw.stop()


def _console(msg, problems: list[str]) -> None:
    # A page answered with 401/404/422 is logged as "Failed to load resource": the tests
    # check page statuses themselves, and _bad_response() catches server errors and broken
    # styles and images.
    if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
        problems.append(f"console: {msg.text} ({msg.location.get('url')})")


def _bad_response(response, problems: list[str], expected: list[tuple[int, str]]) -> None:
    if (response.status, urlsplit(response.url).path) in expected:
        return
    if response.status >= 500 or (response.status >= 400
                                   and response.request.resource_type != "document"):
        problems.append(f"{response.request.resource_type} {response.url}: HTTP "
                        f"{response.status}")


@pytest.fixture
def expected_failures() -> list[tuple[int, str]]:
    """(status, path) of answers a test provokes on purpose, e.g. a refused XHR upload."""
    return []


@pytest.fixture
def new_context(browser, expected_failures):
    """``new_context()`` opens a fresh browser context (own cookies); all closed after."""
    contexts = []
    problems: list[str] = []  # console errors (CSP), JS errors, HTTP 5xx, broken resources

    def open_context():
        ctx = browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="UTC")
        ctx.set_default_timeout(10_000)
        ctx.on("console", lambda msg: _console(msg, problems))
        ctx.on("weberror", lambda err: problems.append(f"page error: {err.error}"))
        ctx.on("response", lambda response: _bad_response(response, problems,
                                                          expected_failures))
        contexts.append(ctx)
        return ctx

    yield open_context
    for ctx in contexts:
        ctx.close()
    if problems:
        pytest.fail("the browser reported:\n" + "\n".join(problems))


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def forget_loaded_catalogs(live: LiveServer) -> None:
    """Flask-Babel keeps loaded catalogs per process (tests/i18n/conftest.py)."""
    from anice.extensions import babel

    with live.app.app_context():
        babel.domain_instance.cache.clear()


@pytest.fixture
def translated(serve, tmp_path) -> Iterator[LiveServer]:
    """A live server reading catalogs compiled from today's .po files (issue 19)."""
    from ..i18n import catalogs

    live = serve(BABEL_TRANSLATION_DIRECTORIES=str(catalogs.build(tmp_path)))
    forget_loaded_catalogs(live)
    yield live
    forget_loaded_catalogs(live)
