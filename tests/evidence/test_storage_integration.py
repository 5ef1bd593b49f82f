"""Evidence on S3-compatible storage (a real moto server), and the orphan cleanup."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from anice.auth import tokens
from anice.evidence import runtime
from anice.models import Evidence

from ..cases.helpers import new_case
from ..storage.conftest import make_s3, s3_endpoint  # noqa: F401  (fixtures)
from .test_service import MARKER, pdf_bytes


@pytest.mark.sqlite_only
def test_evidence_round_trip_on_s3(app, client, db, make, make_s3):  # noqa: F811
    store = make_s3()
    app.extensions["anice.storage"] = store
    inv = make.officer()
    case = new_case(db, inv)
    _, raw = tokens.create_token(db, inv, "t", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    data = pdf_bytes(12 * 1024 * 1024)  # more than two 5 MiB parts
    created = client.post(f"/api/v1/cases/{case.id}/evidence?filename=big.pdf", data=data,
                          headers=headers)
    assert created.status_code == 201, created.get_json()
    ev = db.scalar(select(Evidence))
    assert ev.storage_backend == "s3"
    obj = store.client.get_object(Bucket=store.bucket, Key=store.prefix + ev.storage_key)
    body = obj["Body"].read()
    assert MARKER not in body and len(body) > len(data)
    content = client.get(f"/api/v1/evidence/{ev.public_id}/content", headers=headers)
    assert hashlib.sha256(content.data).hexdigest() == ev.sha256
    refused = client.post(f"/api/v1/cases/{case.id}/evidence?filename=x.jpg", data=data,
                          headers=headers)
    assert refused.status_code == 422
    assert [k for k, _ in store.keys()] == [ev.storage_key]
    assert store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", []) == []


def test_orphans_are_cleaned_up(app, client, db, make, auth):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    import io

    client.post(f"/cases/{case.id}/evidence", data={"file": (io.BytesIO(pdf_bytes(5000)),
                                                             "a.pdf")},
                content_type="multipart/form-data")
    with app.app_context():
        store = runtime.storage()
        writer = store.writer("ev/zz/orphan-left-by-a-crash")
        writer.write(b"ciphertext")
        writer.commit()
    runner = app.test_cli_runner()
    young = runner.invoke(args=["evidence", "cleanup"])
    assert "0 orphan objects removed" in young.output
    done = runner.invoke(args=["evidence", "cleanup", "--min-age", "0"])
    assert "1 orphan objects removed" in done.output
    with app.app_context():
        keys = [k for k, _ in runtime.storage().keys()]
    assert keys == [db.scalar(select(Evidence.storage_key))]
