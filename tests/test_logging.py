"""No password, token, TOTP secret or code ever reaches a log line."""

from __future__ import annotations

import io
import json
import logging
import re

import pyotp
import pytest

from anice.auth import tokens
from anice.logs import ContextFilter
from anice.models import Role

from .factories import PASSWORD, code_for


@pytest.fixture
def log_output(app):
    """Everything logged at DEBUG through the app's JSON formatter and filter."""
    from pythonjsonlogger.json import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter("%(levelname)s %(name)s %(message)s"))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)


@pytest.mark.sqlite_only
def test_secrets_never_logged(app, client, db, make, log_output):
    from anice.admin import service as admin_service
    from anice.auth import service as auth_service

    coord = make.officer(Role.COORDINATOR)
    secrets_seen = [PASSWORD, coord.totp_secret]
    client.post("/login", data={"email": coord.email, "password": PASSWORD,
                                "code": code_for(coord)})
    client.post("/login", data={"email": coord.email, "password": "wrong " + PASSWORD,
                                "code": "123456"})
    officer, token = admin_service.invite_officer(
        db, coord, email="log@my.anice.demo", name="Log", role="investigator",
        agency_id=coord.agency_id)
    db.commit()
    new_password = "violet tractor umbrella 1987"
    client.get(f"/invite/{token}")
    client.post(f"/invite/{token}", data={"password": new_password, "confirm": new_password})
    db.expire_all()
    _, secret = auth_service.enrolment_secret(db, token)
    code = pyotp.TOTP(secret).now()
    client.post(f"/invite/{token}/totp", data={"code": code})
    _, raw = tokens.create_token(db, coord, "t", "read", 1)
    db.commit()
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}x"})
    # Libraries that log a URL or a form must be scrubbed too.
    logging.getLogger("werkzeug").info('"POST /invite/%s HTTP/1.1" 302', token)
    logging.getLogger("some.lib").debug("form password=%s token=%s", new_password, raw)
    logging.getLogger("some.lib").info("event", extra={"password": new_password,
                                                       "totp_secret": secret})
    output = log_output.getvalue()
    assert output, "nothing was logged at all"
    for secret_value in [*secrets_seen, new_password, secret, token, raw, code]:
        assert secret_value not in output, f"secret leaked into the logs: {secret_value[:4]}…"
    for line in output.strip().splitlines():
        json.loads(line)


def test_request_id_header_and_log_context(client, make, auth, log_output):
    response = client.get("/login", headers={"X-Request-ID": "abcdef12-3456"})
    assert response.headers["X-Request-ID"] == "abcdef12-3456"
    officer = make.officer()
    client.post("/login", headers={"X-Request-ID": "fedcba98-7654"},
                data={"email": officer.email, "password": "wrong one entirely", "code": "1"})
    lines = [json.loads(x) for x in log_output.getvalue().splitlines()]
    tagged = [x for x in lines if x.get("request_id") == "fedcba98-7654"]
    assert tagged, "no log line carries the request id"
    generated = client.get("/login", headers={"X-Request-ID": "bad id with spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", generated.headers["X-Request-ID"])
