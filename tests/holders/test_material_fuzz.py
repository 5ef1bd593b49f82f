"""Schemathesis over the holder material operations with a holder's own token (the
project-wide run uses an officer's, who gets 404 here): generated valid and invalid
bodies get a declared answer, never a 5xx."""

from __future__ import annotations

import pytest
import schemathesis

from anice.auth import tokens

from ..api.test_schemathesis import CONFIG, _fuzz, _quiet_errors, served  # noqa: F401


@pytest.mark.sqlite_only
def test_holder_operations_pass_the_default_checks(db, make, served):  # noqa: F811
    nike = make.right("MY", mark="NIKE")
    holder = make.holder(rights=(nike,))
    _, raw = tokens.create_token(db, holder, "schemathesis", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_url(f"{served}/api/v1/openapi.json", config=CONFIG)
    operations = [r.ok() for r in schema.get_all_operations()
                  if r.ok().path.startswith("/holder/")]
    assert len(operations) >= 14
    failures = []
    for operation in operations:
        try:
            _fuzz(operation, f"{served}/api/v1", headers, 0)
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect them all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}"[:1500])
    assert not failures, "\n\n".join(failures)
