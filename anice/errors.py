"""Domain errors raised by services, turned into HTTP in one place."""

from __future__ import annotations

import logging

from flask import Flask, flash, g, jsonify, make_response, render_template, request
from flask_babel import gettext
from flask_login import AnonymousUserMixin
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from . import db
from .crypto.keys import KeyringUnavailable
from .text.labels import error_text, field_label
from .text.locales import N_

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 400
    title = N_("Bad request")

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.title)
        self.message = message or self.title


class NotFound(DomainError):
    """The object does not exist or the actor may not know that it does."""

    status = 404
    title = N_("Not found")


class Forbidden(DomainError):
    """The actor may see the object but not do this to it."""

    status = 403
    title = N_("Forbidden")


class Conflict(DomainError):
    status = 409
    title = N_("Conflict")


def flush_or_conflict(session: Session, message: str) -> None:
    """Flush; when a versioned row was changed by another transaction since it was read
    (SQLAlchemy's version counter: two officers saving at once), roll back and raise
    Conflict(message), so the second save changes nothing and says so."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise Conflict(message) from None


class Invalid(DomainError):
    """Bad input: names the field and the problem."""

    status = 422
    title = N_("Invalid input")

    def __init__(self, field: str, message: str,
                 errors: list[tuple[str, str]] | None = None) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        # Every problem found, first one also in field/message.
        self.errors = errors or [(field, message)]

    @classmethod
    def many(cls, errors: list[tuple[str, str]]) -> Invalid:
        return cls(errors[0][0], errors[0][1], errors)


class Throttled(DomainError):
    status = 429
    title = N_("Too many attempts")


class ServiceUnavailable(DomainError):
    """A service the request needs (database, Redis, evidence store) is down or too slow;
    nothing was saved, and trying again later may work."""

    status = 503
    title = N_("Service unavailable")
    retry_after = 10


class InsufficientStorage(ServiceUnavailable):
    """The evidence store has no room left; an operator must free or add space."""

    status = 507
    title = N_("Insufficient storage")
    retry_after = 0


DATABASE_DOWN = N_("The database cannot be reached right now (it may be restarting). "
                 "Nothing was saved; try again in a moment.")
REDIS_DOWN = N_("Redis (login rate limits and the job queue) cannot be reached, so signing in "
              "is paused; officers already signed in can go on working. Try again in a moment.")


KEYS_DOWN = N_("The evidence keys are not available on this server, so evidence cannot be "
             "sealed or opened now. Nothing was saved. An administrator must create them "
             "(`flask --app wsgi keys init`) or restore the key file; `flask --app wsgi keys "
             "status` shows what is missing.")


UNEXPECTED = N_("An unexpected error occurred; it was logged.")
INTERNAL_ERROR = N_("Internal error")
# Werkzeug's own names and descriptions of the HTTP errors a person meets, marked so that the
# error page shows them translated (looked up by their English text in ``error_page``).
_HTTP_TEXTS = (
    N_("Not Found"),
    N_("The requested URL was not found on the server. If you entered the URL manually "
       "please check your spelling and try again."),
    N_("Method Not Allowed"), N_("The method is not allowed for the requested URL."),
    N_("Bad Request"),
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_("Request Entity Too Large"),
    N_("The data value transmitted exceeds the capacity limit."),
    N_("Too Many Requests"),
    N_("This user has exceeded an allotted request count. Try again later."),
    N_("No such page."),
)


def translated(text: str | None) -> str:
    """``text`` in the reader's language when the catalog has it: a message marked with
    ``N_`` where it is defined (titles, fixed messages, werkzeug's texts). A message a service
    already built with ``gettext`` is not in the catalog as such and comes back unchanged."""
    return gettext(text) if text else ""


def error_page(status: int | None, title: str, detail: str | None):
    """The HTML error page, its title and text in the reader's language."""
    return render_template("error.html", status=status, title=translated(title),
                           detail=translated(detail))


def user_message(exc: DomainError) -> str:
    """The error as an officer reads it, in their language: a bad field named in words
    ("Disposal date: ...")."""
    if isinstance(exc, Invalid):
        return error_text(exc.field, exc.message)
    return translated(exc.message)


def api_detail(exc: DomainError) -> str:
    """A problem's detail: the field in words (the reader's language) and as the API names
    it (``field``, unchanged)."""
    if isinstance(exc, Invalid) and exc.field:
        return gettext("%(label)s (%(field)s): %(problem)s", label=field_label(exc.field),
                       field=exc.field, problem=translated(exc.message))
    return translated(str(exc))


def wants_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, title: str, detail: str, **extra) -> tuple:
    """An ``application/problem+json`` answer (RFC 9457); ``title`` and ``detail`` in the
    reader's language where the catalog has them (the token owner's, as on the pages), the
    machine's names (``field``, ``errors[].field``) unchanged."""
    body = {"type": "about:blank", "title": translated(title), "status": status,
            "detail": translated(detail), **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        db.session().rollback()
        log.info("domain error", extra={"error": type(exc).__name__, "status": exc.status})
        if wants_json():
            # A domain error may name more for the client (e.g. the item a duplicate repeats).
            extra = dict(getattr(exc, "details", None) or {})
            if isinstance(exc, Invalid):
                extra["field"] = exc.field
            if isinstance(exc, Invalid):
                extra["errors"] = [{"field": f, "label": field_label(f),
                                    "message": translated(m)} for f, m in exc.errors]
            return problem(exc.status, exc.title, api_detail(exc), **extra)
        if isinstance(exc, Invalid | Conflict | Throttled) and request.method == "POST":
            flash(user_message(exc), "error")
        return error_page(exc.status, exc.title, user_message(exc)), exc.status

    @app.errorhandler(ServiceUnavailable)
    def _unavailable(exc: ServiceUnavailable):
        return _service_unavailable(exc.status, exc.title, exc.message, exc.retry_after)

    @app.errorhandler(DBAPIError)
    def _database(exc: DBAPIError):
        if not database_unreachable(exc):
            return _unexpected(exc)
        log.error("database unavailable", extra={"error": type(exc.orig).__name__})
        return _service_unavailable(503, ServiceUnavailable.title, DATABASE_DOWN, 10,
                                    database_down=True)

    @app.errorhandler(KeyringUnavailable)
    def _keys(exc: KeyringUnavailable):
        # The detail (a path, a KMS error) is for the log; the page says what to do.
        log.error("evidence keys unavailable", extra={"error": str(exc)})
        return _service_unavailable(503, N_("Evidence keys unavailable"), KEYS_DOWN, 0)

    @app.errorhandler(RedisConnectionError)
    @app.errorhandler(RedisTimeoutError)
    def _redis(exc: Exception):
        log.error("redis unavailable", extra={"error": type(exc).__name__})
        return _service_unavailable(503, ServiceUnavailable.title, REDIS_DOWN, 10)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if wants_json():
            return problem(exc.code or 500, exc.name, exc.description or exc.name)
        return error_page(exc.code, exc.name, exc.description), exc.code

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        db.rollback_request()  # the error page reads the officer again
        if wants_json():
            return problem(500, INTERNAL_ERROR, UNEXPECTED)
        return error_page(500, INTERNAL_ERROR, UNEXPECTED), 500


def database_unreachable(exc: BaseException) -> bool:
    """Lost or refused connection, server shutting down or starting, SQLite locked or full:
    the statement did not happen and may work later (unlike a constraint or SQL error)."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    if type(exc.orig).__module__.startswith("sqlite3"):
        # SQLite also reports "no such table" and other mistakes as OperationalError.
        return any(s in str(exc.orig) for s in _SQLITE_UNAVAILABLE)
    return True


_SQLITE_UNAVAILABLE = ("locked", "disk", "unable to open", "readonly")


def _service_unavailable(status: int, title: str, detail: str, retry_after: int,
                         database_down: bool = False):
    try:
        db.session().rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; teardown discards it
        log.debug("rollback after an unavailable service failed", exc_info=True)
    if database_down:
        # The page must not ask the database who is signed in.
        g._login_user = AnonymousUserMixin()
    if wants_json():
        response = problem(status, title, detail)
    else:
        response = make_response(error_page(status, title, detail), status)
    if retry_after:
        response.headers["Retry-After"] = str(retry_after)
    return response
