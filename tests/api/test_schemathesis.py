"""Schemathesis over the served OpenAPI document, against the app on a loopback port.

The schema is read from the running app (``/api/v1/openapi.json``); every operation is called
over HTTP with generated valid and invalid requests, authenticated with a read-write token of a
supervisor who has a case, derandomized and with a bounded number of examples per operation.
Every answer goes through schemathesis's default checks (no 5xx, a declared status and media
type, a body matching the schema, invalid data refused, ...).
"""

from __future__ import annotations

import threading

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from werkzeug.serving import make_server

from anice.auth import tokens
from anice.cases import service as case_service
from anice.models import Role

EXAMPLES = 12
# A body the schema allows may still break a rule JSON Schema cannot say (a real IANA time
# zone, a URL ANICE can compare, a workflow step's preconditions): the service refuses it with
# a 422 naming the field. Every other default check keeps its default statuses.
# The token is sent with every call (schemathesis does not drop it to make a case negative),
# and unknown query parameters are ignored as HTTP APIs do, so neither is generated.
CONFIG = SchemathesisConfig.from_dict({
    "checks": {"positive_data_acceptance": {
        "expected-statuses": ["2xx", "401", "403", "404", "409", "422", "429"]}},
    "generation": {"with-security-parameters": False, "allow-extra-parameters": False}})


@pytest.fixture
def served(app):
    """The app on a free loopback port for the length of the test."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


def _fuzz(operation, base_url: str, headers: dict, case_id: int) -> None:
    strategies = [operation.as_strategy(GenerationMode.POSITIVE),
                  operation.as_strategy(GenerationMode.NEGATIVE)]
    if "{case_id}" in operation.path:  # also on a case that exists, not only 404s
        strategies.append(operation.as_strategy(GenerationMode.POSITIVE,
                                                path_parameters={"case_id": case_id}))

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def run(case):
        case.call_and_validate(base_url=base_url, headers=headers)  # the default checks

    run()


def test_every_operation_passes_the_default_checks(db, make, served):
    officer = make.officer(Role.SUPERVISOR)
    case = case_service.create_case(db, officer, {"title": "Fake sneakers at Pasar Malam",
                                                  "kind": "counterfeit"})
    _, raw = tokens.create_token(db, officer, "schemathesis", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_url(f"{served}/api/v1/openapi.json", config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40  # the document really lists the API
    failures = []
    for operation in operations:
        try:
            _fuzz(operation, f"{served}/api/v1", headers, case.id)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:1500])
    assert not failures, "\n\n".join(failures)


@pytest.fixture(autouse=True)
def _quiet_errors(caplog):
    caplog.set_level("CRITICAL", logger="anice.errors")
    caplog.set_level("WARNING", logger="werkzeug")  # one line per generated request
