"""Every integer a request carries is bounded: absurd numbers answer 4xx, never 5xx.

The walk takes every GET route of ``app.url_map`` (web and API) and sends absurd values for
each path id and for every integer query parameter the pages and the API read, logged in
(session and read-write API token) as a supervisor, a national coordinator and a system admin.
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from anice.auth import tokens
from anice.errors import Invalid
from anice.models import Role
from anice.validation import ID_MAX, whole_number

ABSURD = ("99999999999999999999", str(2**63), str(2**63 - 1), str(2**64 + 1), "-1",
          "-99999999999999999999", "0", "1e400", "abc", "\u0661\u0662", "\uff11", "\u00b2",
          "1.5", "", " 7", "NaN", "9" * 400)
INT_PARAMS = ("page", "per_page", "limit", "officer", "agency", "case_id", "agency_id",
              "class", "id", "version", "since", "upto")
# On PostgreSQL every value goes in the query string (a text reaching an integer column is
# an error there, where SQLite compares it), and in the path only the values that reach the
# database as numbers (beyond its integer types, negative, zero): the others answer 404 from
# the router before any query. SQLite walks everything everywhere.
NUMERIC = ("99999999999999999999", str(2**63), str(2**63 - 1), str(2**64 + 1), "-1",
           "-99999999999999999999", "0")
# Routes that stream a file or start work whatever the number; not list routes.
SKIP = {"static", "evidence.download", "api.evidence_download"}


def _get_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if "GET" in rule.methods and rule.endpoint not in SKIP]


def _url(rule, number: str) -> str:
    """The rule's path with ``number`` for every number and "x1" for any other part."""
    from werkzeug.routing.converters import AnyConverter, NumberConverter

    def part(match: re.Match) -> str:
        name = match.group(1).split(":")[-1].split("(")[0]
        conv = rule._converters.get(name)
        if isinstance(conv, NumberConverter):
            return number
        if isinstance(conv, AnyConverter):
            return sorted(conv.items)[0]
        return "x1"

    return re.sub(r"<([^>]+)>", part, rule.rule)


def _walk(app, client, raw_token: str, in_path=ABSURD) -> list[str]:
    problems = []
    headers = {"Authorization": f"Bearer {raw_token}"}
    for rule in _get_rules(app):
        for value in ABSURD:
            paths = {_url(rule, "1")} | ({_url(rule, value)} if value in in_path else set())
            for path in paths:
                if "  " in path or path.endswith("/ 7"):
                    continue
                query = {name: value for name in INT_PARAMS}
                response = client.get(path, query_string=query,
                                      headers=headers if path.startswith("/api/") else {})
                if response.status_code >= 500:
                    problems.append(f"GET {path} ?{value!r} ({rule.endpoint}) answered "
                                    f"{response.status_code}")
    return problems


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_absurd_integers_never_give_a_server_error(app, client, db, make, auth, role, backend):
    officer = make.officer(role)
    _, raw = tokens.create_token(db, officer, "bounds", "read-write", 5)
    db.commit()
    auth.login(officer)
    problems = _walk(app, client, raw, ABSURD if backend == "sqlite" else NUMERIC)
    assert not problems, "\n".join(sorted(set(problems))[:60])


ISSUE_ROUTES = ("/rights/", "/referrals/", "/correlation/", "/reports/", "/admin/officers",
                "/admin/audit", "/cases/")


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_a_page_number_out_of_range_is_refused_naming_the_field(client, db, make, auth, role):
    officer = make.officer(role)
    _, raw = tokens.create_token(db, officer, "bounds", "read-write", 5)
    db.commit()
    auth.login(officer)
    for path in ISSUE_ROUTES:
        response = client.get(path, query_string={"page": "99999999999999999999"})
        assert response.status_code in (404, 422), path  # admin pages are 404 to some roles
    for path in ("/api/v1/rights", "/api/v1/cases", "/api/v1/referrals"):
        response = client.get(path, query_string={"page": "99999999999999999999"},
                              headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 422, path
        assert response.get_json()["field"] == "page"
    # The last page of a long list is still reachable.
    assert client.get("/api/v1/rights", query_string={"page": "100000"},
                      headers={"Authorization": f"Bearer {raw}"}).status_code == 200


@settings(max_examples=300, derandomize=True, deadline=None)
@given(st.one_of(st.integers(), st.text(max_size=30), st.floats().map(str),
                 st.integers(min_value=-2**80, max_value=2**80).map(str),
                 st.from_regex(r"\A\s*[0-9\u0660-\u0669\uff10-\uff19]{1,40}\s*\Z")))
def test_whole_number_is_in_range_or_refused_naming_the_field(raw):
    try:
        value = whole_number(raw, "page", default=1)
    except Invalid as exc:
        assert exc.field == "page"
        return
    assert value is not None and 1 <= value <= ID_MAX


@pytest.mark.parametrize("path", ["/api/v1/cases", "/cases/", "/rights/", "/api/v1/rights",
                                  "/api/v1/evidence/a%00b", "/evidence/a%00b"])
def test_a_nul_character_never_reaches_the_database(client, db, make, auth, path):
    """Schemathesis found ``brand=%00`` giving 500 on PostgreSQL (NUL in a text parameter)."""
    officer = make.officer(Role.SUPERVISOR)
    _, raw = tokens.create_token(db, officer, "bounds", "read-write", 5)
    db.commit()
    auth.login(officer)
    response = client.get(path, query_string={"brand": "a\x00b", "q": "x\x00"},
                          headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code in (404, 422)


@pytest.mark.parametrize("value", ["99999999999999999999", str(2**31), "\u00b2", "-1"])
def test_notification_ids_in_a_form_are_bounded(client, make, auth, value):
    auth.login(make.officer())
    response = client.post("/notifications/read", data={"id": value})
    assert response.status_code == 422
    assert client.post("/notifications/read", data={"id": "7"}).status_code == 302



@pytest.mark.parametrize("body", [
    {"to": ["M\u0000"], "message": "m", "handling_code": "open",
     "requested_action": "information_only"},
    {"to": ["\ud828\udf35"], "message": "m", "handling_code": "open",
     "requested_action": "information_only"},
    {"to": ["TH"], "message": "lone \ud828 surrogate", "handling_code": "open",
     "requested_action": "information_only"}])
def test_odd_text_in_a_json_body_is_refused_not_a_server_error(client, db, make, body):
    """Schemathesis found ``"to": ["...\u0000..."]`` giving 500 on a referral draft."""
    from .cases.helpers import new_case

    supervisor = make.officer(Role.SUPERVISOR)
    case = new_case(db, supervisor)
    _, raw = tokens.create_token(db, supervisor, "bounds", "read-write", 5)
    db.commit()
    response = client.post(f"/api/v1/cases/{case.id}/referrals",
                           data=json.dumps(body), content_type="application/json",
                           headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 422, response.get_data(as_text=True)
