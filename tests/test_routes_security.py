"""Every route of the app is public by design or closed to anonymous requests.

The test walks ``app.url_map``: a route that is not on the allowlist below must answer an
anonymous request with a redirect to the login page, 401 or 404, for every method it
takes. A new route that forgets its login check fails here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

# Public by design, with the reason. Anything else needs a login.
PUBLIC = {
    "auth.login": "the login form",
    "auth.accept_invitation": "invitation link (an unknown token is 404)",
    "auth.enrol_totp": "enrolment step of an invitation (an unknown token is 404)",
    "auth.enrol_qr": "QR code of an invitation (an unknown token is 404)",
    "health.healthz": "load balancer probe, no data",
    "static": "CSS, JS and images",
    "api.openapi": "the API description, no data",
    "session.status": "seconds the session has left (0 when signed out), no data",
    "session.resume": "sign-in for a form kept after the login ended (an unknown one is 410)",
    "auth.set_language": "the language switch: before login it sets the session's language "
                         "only (CSRF-protected, no data)",
}

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
CLOSED = {401, 404}


def _url(rule) -> str:
    """The rule's URL with made-up arguments: 1 for numbers, "x1" for text and paths,
    the first choice of an ``any(...)``."""
    from werkzeug.routing.converters import AnyConverter, NumberConverter

    def sample(conv):
        if isinstance(conv, NumberConverter):
            return 1
        if isinstance(conv, AnyConverter):
            return sorted(conv.items)[0]
        return "x1"

    return rule.build({name: sample(conv) for name, conv in rule._converters.items()})[1]


def _routes(app):
    for rule in app.url_map.iter_rules():
        for method in METHODS:
            if method in rule.methods:
                yield rule, method


def _login_redirect(response) -> bool:
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    return urlsplit(response.headers.get("Location", "")).path == "/login"


def open_routes(app, client) -> tuple[int, list[str]]:
    """(routes checked, those that answered an anonymous request with something else)."""
    checked, problems = 0, []
    for rule, method in _routes(app):
        if rule.endpoint in PUBLIC:
            continue
        response = client.open(_url(rule), method=method, data={}, follow_redirects=False)
        checked += 1
        if response.status_code in CLOSED or _login_redirect(response):
            continue
        problems.append(f"{method} {rule.rule} ({rule.endpoint}) answered "
                        f"{response.status_code} to an anonymous request")
    return checked, problems


@pytest.mark.sqlite_only
def test_every_route_is_public_by_design_or_closed(app, client):
    checked, problems = open_routes(app, client)
    assert not problems, "\n".join(problems)
    assert checked > 50  # the walk really covered the app


@pytest.mark.sqlite_only
def test_allowlist_names_real_routes(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(PUBLIC) <= endpoints, set(PUBLIC) - endpoints


@pytest.mark.sqlite_only
def test_closed_routes_give_no_content_with_an_api_token_of_nobody(app, client):
    """A made-up bearer token is refused like no token at all (401 on the API)."""
    headers = {"Authorization": "Bearer anice_not_a_real_token"}
    for rule, method in _routes(app):
        if rule.endpoint in PUBLIC or not rule.rule.startswith("/api/"):
            continue
        response = client.open(_url(rule), method=method, headers=headers)
        assert response.status_code in CLOSED, (method, rule.rule, response.status_code)


@pytest.mark.sqlite_only
def test_the_walk_notices_an_open_route(app, client):
    """The check itself: a route without a login check is reported, for each method."""
    @app.route("/oops/<int:case_id>", methods=["GET", "POST"])
    def oops_open(case_id):
        return f"content of case {case_id}"

    _, problems = open_routes(app, client)
    assert problems == ["GET /oops/<int:case_id> (oops_open) answered 200 to an anonymous "
                        "request", "POST /oops/<int:case_id> (oops_open) answered 200 to an "
                        "anonymous request"]


@pytest.mark.parametrize("output, code, expected", [
    ('{"dependencies": [{"name": "flask", "version": "0.1", "vulns": [{"id": "PYSEC-1", '
     '"fix_versions": ["3.0"]}]}]}', 1, "VULNERABLE flask 0.1: PYSEC-1"),
    ('{"dependencies": [{"name": "flask", "version": "3.1", "vulns": []}]}', 0,
     "1 of 1 packages checked, 0 known"),
    ('{"dependencies": [{"name": "flask", "skip_reason": "Dependency not found"}]}', 0,
     "skipped: the vulnerability service answered for none"),
    ("!requests.exceptions.ConnectionError: Max retries exceeded", 0,
     "skipped: the vulnerability service cannot be reached"),
    ("!Traceback: KeyError 'x'", 1, "failed to run"),
])
def test_dependency_audit_fails_on_vulnerabilities_not_on_missing_network(
        tmp_path, output, code, expected):
    import subprocess
    import sys

    from anice import ROOT

    fake = tmp_path / "pip-audit"
    stream = "stderr" if output.startswith("!") else "stdout"
    fake.write_text(f"#!{sys.executable}\nimport sys\nprint({output.lstrip('!')!r}, "
                    f"file=sys.{stream})\nsys.exit(1)\n")
    fake.chmod(0o755)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "audit_deps.py")],
                          env={"PIP_AUDIT": str(fake), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True)
    assert done.returncode == code, done.stdout + done.stderr
    assert expected in done.stdout + done.stderr
