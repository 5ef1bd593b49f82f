"""Database engine and the request-scoped session.

Services flush; the commit happens once at the request or job boundary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from alembic.config import Config
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from . import ROOT

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


log = logging.getLogger(__name__)

# Database objects made by hand in migrations (full-text search), unknown to the models.
UNMANAGED = frozenset({"case_fts", "ix_case_search_tsv", "tsv"})


def managed_by_models(name: str | None, type_: str, _parent_names: dict) -> bool:
    """Alembic ``include_name``: skip the hand-made search structures (and FTS5 shadows)."""
    if name is None:
        return True
    return name not in UNMANAGED and not (type_ == "table" and name.startswith("case_fts"))


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str) -> Engine:
    kwargs: dict[str, Any] = {"future": True}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    else:
        # pre-ping: after a database restart, pooled connections are tested and replaced at
        # checkout instead of failing the next request; recycle: firewalls drop idle ones.
        kwargs.update(pool_pre_ping=True, pool_size=10, max_overflow=10, pool_recycle=1800)
        if "connect_timeout" not in url:
            # A database host that does not answer fails a request in seconds, not minutes.
            kwargs["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(url, **kwargs)
    if url.startswith("sqlite"):

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

    return engine


def init_app(app: Flask) -> None:
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["anice.engine"] = engine
    app.extensions["anice.sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_request
    def _close_request_session(_exc: BaseException | None) -> None:
        _close(request.__dict__.pop("_anice_db", None))

    @app.teardown_appcontext
    def _close_context_session(_exc: BaseException | None) -> None:
        _close(g.pop("db_session", None))


def _close(session: Session | None) -> None:
    """End a request's or job's session; never raises (it runs in teardown, where an error
    would replace the answer already made, e.g. a clean 503 while the database restarts)."""
    if session is None:
        return
    _rollback_quietly(session)
    session.close()


def rollback_request() -> None:
    """Roll back the current request's session, if it has one, without raising: an error
    page must be able to query again (PostgreSQL refuses every statement of a transaction
    that failed until it is rolled back)."""
    if has_request_context():
        session_ = request.__dict__.get("_anice_db")
        if session_ is not None:
            _rollback_quietly(session_)


def _rollback_quietly(session: Session) -> None:
    try:
        session.rollback()
    except Exception:  # noqa: BLE001 - the connection died: drop it from the pool
        log.warning("rollback failed when closing a session; connection invalidated",
                    exc_info=True)
        try:
            session.invalidate()
        except Exception:  # noqa: BLE001 - nothing more to release
            log.debug("invalidate failed", exc_info=True)


_OWN: ContextVar[Session | None] = ContextVar("anice_own_session", default=None)


def session() -> Session:
    """The session of the current request, else of the app context (CLI command, job); in a
    ``separate_session`` block, that block's own."""
    own = _OWN.get()
    if own is not None:
        return own
    if has_request_context():
        if "_anice_db" not in request.__dict__:
            request.__dict__["_anice_db"] = current_app.extensions["anice.sessionmaker"]()
        return request.__dict__["_anice_db"]
    if "db_session" not in g:
        g.db_session = current_app.extensions["anice.sessionmaker"]()
    return g.db_session


@contextmanager
def separate_session() -> Iterator[Session]:
    """Within the block, ``session()`` is a new session of its own: a job run in this
    process right after the caller's commit must not use the caller's session."""
    own = current_app.extensions["anice.sessionmaker"]()
    token = _OWN.set(own)
    try:
        yield own
    finally:
        _OWN.reset(token)
        _close(own)


def engine() -> Engine:
    return current_app.extensions["anice.engine"]


_HELD = "anice.db.held"


def commit() -> None:
    """Commit the session's transaction; inside ``held`` flush it and call the holder, which
    commits once the outcome is known (submit once: work and record in one transaction)."""
    current = session()
    holder = current.info.get(_HELD)
    if holder is None:
        current.commit()
        return
    current.flush()
    holder(current)


@contextmanager
def held(holder: Callable[[Session], None]) -> Iterator[Session]:
    """Within the block, ``commit()`` only flushes and calls ``holder(session)``."""
    current = session()
    current.info[_HELD] = holder
    try:
        yield current
    finally:
        current.info.pop(_HELD, None)


def alembic_config():
    """The Alembic configuration of migrations/, on this app's ``DATABASE_URL``."""
    cfg = Config(str(ROOT / "migrations" / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.attributes["database_url"] = current_app.config["DATABASE_URL"]
    return cfg
