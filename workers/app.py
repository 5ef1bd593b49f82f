"""The app used by jobs: built once per worker process, never at import of a job module."""

from __future__ import annotations

from contextlib import contextmanager

from flask import Flask, current_app, has_app_context

_app: Flask | None = None


@contextmanager
def app_context():
    """Reuse the caller's context (inline jobs) or push the worker's own app."""
    global _app
    if has_app_context():
        yield current_app
        return
    if _app is None:
        from anice import create_app

        _app = create_app()
    with _app.app_context():
        yield _app
