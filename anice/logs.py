"""JSON-line logs with a request id; secrets are scrubbed before anything is written."""

from __future__ import annotations

import logging
import re
import sys

from flask import g, has_request_context
from flask_login import current_user
from pythonjsonlogger.json import JsonFormatter

# Things that must never reach a log line even if some library logs them.
_SCRUB = [
    (re.compile(r"(/invite/)[A-Za-z0-9_\-]+"), r"\1[redacted]"),
    (re.compile(r"anice_[A-Za-z0-9_\-]{10,}"), "anice_[redacted]"),
    (re.compile(r"(?i)(bearer\s+)\S+"), r"\1[redacted]"),
    (re.compile(r"(?i)(password|passwd|secret|totp|token|code)=([^&\s]+)"), r"\1=[redacted]"),
]
_SECRET_KEYS = re.compile(r"(?i)password|secret|token|otp|authorization|cookie")


def scrub(text: str) -> str:
    for pattern, repl in _SCRUB:
        text = pattern.sub(repl, text)
    return text


class ContextFilter(logging.Filter):
    """Adds request_id and user_id, and scrubs secrets from the message and extras."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id", "-")
            try:
                record.user_id = current_user.id if current_user.is_authenticated else None
            except Exception:  # noqa: BLE001 - logging must never fail a request
                record.user_id = None
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        for key in list(vars(record)):
            if _SECRET_KEYS.search(key) and key not in ("request_id",):
                setattr(record, key, "[redacted]")
        return True


def configure(level: str = "INFO") -> None:
    root = logging.getLogger()
    if any(getattr(h, "_anice", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler._anice = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s",
                                       rename_fields={"levelname": "level"},
                                       timestamp="time"))
    handler.addFilter(ContextFilter())
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).addFilter(ContextFilter())
