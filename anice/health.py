"""/healthz: is the database reachable, Redis when configured, are the evidence keys and the
audit key there."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from redis import Redis
from sqlalchemy import text

from . import audit_keys, db
from .evidence.kek import health as keys_health

bp = Blueprint("health", __name__)


def _check_database() -> str:
    try:
        with db.engine().connect() as conn:
            conn.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # noqa: BLE001 - report, do not raise
        return f"error: {type(exc).__name__}"


def _check_redis() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"

    try:
        Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2).ping()
        return "ok"
    except Exception as exc:  # noqa: BLE001
        return f"error: {type(exc).__name__}"


def _check_audit_key() -> str:
    try:
        return audit_keys.status(db.session())
    except Exception as exc:  # noqa: BLE001 - the database check reports an outage
        return f"error: {type(exc).__name__}"


@bp.get("/healthz")
def healthz():
    """Load balancers probe the app directly over HTTP, so no HTTPS redirect here."""
    checks = {"database": _check_database(), "redis": _check_redis(), "keys": keys_health(),
              "audit_key": _check_audit_key()}
    healthy = all(v in ("ok", "not configured", "not created") for v in checks.values())
    return jsonify(status="ok" if healthy else "error", **checks), 200 if healthy else 503


healthz.talisman_view_options = {"force_https": False}  # type: ignore[attr-defined]
