"""Fault: the S3 evidence store down, cut off mid-upload, or hanging.

The real moto S3 server sits behind a proxy the test controls. The officer gets a clear 503
(web page, upload script JSON, API problem), no evidence row, custody event or timeline
entry is written, and nothing is left in the bucket but what the orphan cleanup removes.
The client's connect and read timeouts and retries come from the configuration
(``ANICE_S3_CONNECT_TIMEOUT``, ``ANICE_S3_READ_TIMEOUT``, ``ANICE_S3_MAX_ATTEMPTS``).
"""

from __future__ import annotations

import io
import itertools
import os
from datetime import timedelta

import boto3
import pytest
from sqlalchemy import func, select

from anice.auth import tokens
from anice.evidence import runtime
from anice.evidence.intake import STORE_DOWN
from anice.evidence.service import STORE_DOWN_READING
from anice.models import CustodyEvent, Evidence, TimelineEntry, utcnow

from ..cases.helpers import new_case
from ..evidence.test_service import pdf_bytes

MiB = 1024 * 1024
_buckets = itertools.count()


@pytest.fixture
def app_config(app_config, s3_proxy, s3_endpoint):
    bucket = f"anice-faults-{os.getpid()}-{next(_buckets)}"
    boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                 aws_access_key_id="testing", aws_secret_access_key="testing"
                 ).create_bucket(Bucket=bucket)
    return {**app_config, "EVIDENCE_STORAGE": "s3", "S3_BUCKET": bucket,
            "S3_ENDPOINT_URL": s3_proxy.url, "S3_ACCESS_KEY_ID": "testing",
            "S3_SECRET_ACCESS_KEY": "testing", "S3_PART_SIZE": 5 * MiB,
            "S3_CONNECT_TIMEOUT": 1, "S3_READ_TIMEOUT": 1, "S3_MAX_ATTEMPTS": 1}


@pytest.fixture
def officer_case(db, make, auth):
    officer = make.officer()
    case = new_case(db, officer)
    auth.login(officer)
    _, token = tokens.create_token(db, officer, "scanner", "read-write", 5)
    db.commit()
    return case, {"Authorization": f"Bearer {token}"}


def nothing_recorded(db) -> bool:
    db.expire_all()
    return (db.scalar(select(func.count()).select_from(Evidence)) == 0
            and db.scalar(select(func.count()).select_from(CustodyEvent)) == 0
            and db.scalar(select(func.count()).select_from(TimelineEntry).where(
                TimelineEntry.kind == "evidence_added")) == 0)


def bucket_state(app) -> tuple[list[str], list[str]]:
    """(objects, unfinished multipart uploads), read past the proxy."""
    with app.app_context():
        store = runtime.storage()
        objects = [key for key, _ in store.keys()]
        uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
    return objects, [u["Key"] for u in uploads]


def upload_form(client, case_id: int, data: bytes, xhr: bool):
    headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
    return client.post(f"/cases/{case_id}/evidence", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), "scan.pdf")}, headers=headers)


@pytest.mark.sqlite_only
def test_store_down_uploads_and_downloads_fail_with_the_reason(app, client, db, officer_case,
                                                               s3_proxy):
    case, api = officer_case
    kept = client.post(f"/api/v1/cases/{case.id}/evidence?filename=kept.pdf",
                       data=pdf_bytes(20_000), headers=api)
    assert kept.status_code == 201
    db.expire_all()
    before = db.scalar(select(func.count()).select_from(CustodyEvent))
    s3_proxy.down()

    page = upload_form(client, case.id, pdf_bytes(200_000), xhr=False)
    assert page.status_code == 503 and STORE_DOWN in page.get_data(as_text=True)
    script = upload_form(client, case.id, pdf_bytes(200_000), xhr=True)
    assert script.status_code == 503 and script.get_json()["error"] == STORE_DOWN
    problem = client.post(f"/api/v1/cases/{case.id}/evidence?filename=a.pdf",
                          data=pdf_bytes(200_000), headers=api)
    assert problem.status_code == 503 and problem.get_json()["detail"] == STORE_DOWN
    download = client.get(f"/evidence/{kept.get_json()['id']}/download")
    assert download.status_code == 503
    assert STORE_DOWN_READING in download.get_data(as_text=True)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Evidence)) == 1
    assert db.scalar(select(func.count()).select_from(CustodyEvent)) == before

    s3_proxy.up()
    assert upload_form(client, case.id, pdf_bytes(20_000, tag="after"),
                       xhr=True).status_code == 201
    assert client.get(f"/evidence/{kept.get_json()['id']}/download").status_code == 200


def test_store_cut_off_mid_upload_keeps_nothing(app, client, db, officer_case, s3_proxy):
    case, api = officer_case
    body = pdf_bytes(12 * MiB)

    class DropsTheStore(io.BytesIO):
        """The request body; the store goes away once the first 5 MiB part is sent."""

        def read(self, size=-1):
            if self.tell() >= 7 * MiB:
                s3_proxy.down()
            return super().read(size)

        def readinto(self, buffer):
            if self.tell() >= 7 * MiB:
                s3_proxy.down()
            return super().readinto(buffer)

    response = client.post(f"/api/v1/cases/{case.id}/evidence?filename=big.pdf",
                           input_stream=DropsTheStore(body),
                           environ_overrides={"CONTENT_LENGTH": str(len(body))}, headers=api)
    assert response.status_code == 503, response.get_json()
    assert response.get_json()["detail"] == STORE_DOWN
    assert nothing_recorded(db)
    s3_proxy.up()
    objects, unfinished = bucket_state(app)
    # No object; the parts already sent wait in an unfinished multipart upload, which the
    # cleanup sweeps once it is a day old (and the bucket's lifecycle rule also aborts).
    assert objects == [] and len(unfinished) == 1
    with app.app_context():
        assert runtime.storage().sweep_unfinished(utcnow() + timedelta(seconds=1)) == 1
    assert bucket_state(app) == ([], [])


def test_store_that_stops_answering_times_out_and_the_orphan_is_cleaned_up(
        app, client, db, officer_case, s3_proxy):
    case, _ = officer_case
    s3_proxy.hang("PUT")  # the object is written, but the store's answer never comes
    response = upload_form(client, case.id, pdf_bytes(200_000), xhr=True)
    assert response.status_code == 503 and response.get_json()["error"] == STORE_DOWN
    assert nothing_recorded(db)
    s3_proxy.up()
    objects, _ = bucket_state(app)
    assert len(objects) == 1  # stored, but no evidence row names it: an orphan
    cleanup = app.test_cli_runner().invoke(args=["evidence", "cleanup", "--min-age", "0"])
    assert "1 orphan objects removed" in cleanup.output
    assert bucket_state(app) == ([], [])
