"""Domain errors raised by services, turned into HTTP in one place."""

from __future__ import annotations

import logging

from flask import Flask, flash, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, message: str = "") -> None:
        super().__init__(message or self.title)
        self.message = message or self.title


class NotFound(DomainError):
    """The object does not exist or the actor may not know that it does."""

    status = 404
    title = "Not found"


class Forbidden(DomainError):
    """The actor may see the object but not do this to it."""

    status = 403
    title = "Forbidden"


class Conflict(DomainError):
    status = 409
    title = "Conflict"


class Invalid(DomainError):
    """Bad input: names the field and the problem."""

    status = 422
    title = "Invalid input"

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
    title = "Too many attempts"


def wants_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, title: str, detail: str, **extra) -> tuple:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def register(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        from . import db

        db.session().rollback()
        log.info("domain error", extra={"error": type(exc).__name__, "status": exc.status})
        if wants_json():
            extra = {"field": exc.field} if isinstance(exc, Invalid) else {}
            if isinstance(exc, Invalid):
                extra["errors"] = [{"field": f, "message": m} for f, m in exc.errors]
            return problem(exc.status, exc.title, str(exc), **extra)
        if isinstance(exc, Invalid | Conflict | Throttled) and request.method == "POST":
            flash(str(exc), "error")
        return render_template("error.html", status=exc.status, title=exc.title,
                               detail=exc.message), exc.status

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if wants_json():
            return problem(exc.code or 500, exc.name, exc.description or exc.name)
        return render_template("error.html", status=exc.code, title=exc.name,
                               detail=exc.description), exc.code

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        if wants_json():
            return problem(500, "Internal error", "An unexpected error occurred; it was logged.")
        return render_template("error.html", status=500, title="Internal error",
                               detail="An unexpected error occurred; it was logged."), 500
