"""Schemathesis over the served OpenAPI document: no operation answers 5xx.

The schema is loaded from the app itself (``/api/v1/openapi.json``); every operation is
called with generated valid and invalid requests, authenticated with a read-write token of a
supervisor who has a case, derandomized and with a bounded number of examples per operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from anice.auth import tokens
from anice.cases import service as case_service
from anice.models import Role

EXAMPLES = 16


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation, headers: dict, case_id: int) -> None:
    strategies = [operation.as_strategy(GenerationMode.POSITIVE),
                  operation.as_strategy(GenerationMode.NEGATIVE)]
    if "{case_id}" in operation.path:  # also on a case that exists, not only 404s
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE,
                                                path_parameters={"case_id": case_id}))

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def run(case):
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    run()


def test_no_operation_answers_a_server_error(app, db, make):
    officer = make.officer(Role.SUPERVISOR)
    case = case_service.create_case(db, officer, {"title": "Fake sneakers at Pasar Malam",
                                           "kind": "counterfeit"})
    _, raw = tokens.create_token(db, officer, "schemathesis", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    operations = _operations(app)
    assert len(operations) > 40  # the document really lists the API
    failures = []
    for operation in operations:
        try:
            _fuzz(operation, headers, case.id)
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:1500])
    assert not failures, "\n\n".join(failures)


@pytest.fixture(autouse=True)
def _quiet_errors(caplog):
    caplog.set_level("CRITICAL", logger="anice.errors")
