"""Evidence over the JSON API: raw streaming upload, content, custody, bad bodies."""

from __future__ import annotations

import base64
import hashlib
import io

from sqlalchemy import func, select

from anice.auth import tokens
from anice.models import Evidence

from ..cases.helpers import new_case
from .test_service import pdf_bytes


def test_api_upload_download_custody(client, db, make):
    inv = make.officer()
    case = new_case(db, inv)
    _, raw = tokens.create_token(db, inv, "scanner", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}", "Content-Type": "application/octet-stream"}
    data = pdf_bytes(400_000)
    created = client.post(f"/api/v1/cases/{case.id}/evidence?filename=seizure-report.pdf"
                          "&acquired_where=Port%20Klang", data=data, headers=headers)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest() and body["size"] == len(data)
    listed = client.get(f"/api/v1/cases/{case.id}/evidence", headers=headers).get_json()
    assert [e["id"] for e in listed] == [body["id"]]
    content = client.get(f"/api/v1/evidence/{body['id']}/content", headers=headers)
    assert content.status_code == 200 and content.data == data
    # RFC 9530: the client can check the file it saved against the intake hash.
    digest = base64.b64encode(hashlib.sha256(data).digest()).decode()
    assert content.headers["Repr-Digest"] == f"sha-256=:{digest}:"
    exported = client.get(f"/api/v1/evidence/{body['id']}/content?reason=MLA%20request",
                          headers=headers)
    assert exported.status_code == 200
    verified = client.post(f"/api/v1/evidence/{body['id']}/verify", headers=headers)
    assert verified.get_json()["ok"] is True
    custody = client.get(f"/api/v1/evidence/{body['id']}/custody", headers=headers).get_json()
    assert [e["action"] for e in custody] == ["intake", "download", "export", "verify"]
    assert custody[2]["reason"] == "MLA request"


def test_api_bad_upload(client, db, make):
    inv = make.officer()
    case = new_case(db, inv)
    _, raw = tokens.create_token(db, inv, "scanner", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    empty = client.post(f"/api/v1/cases/{case.id}/evidence?filename=a.pdf", data=b"",
                        headers=headers)
    assert empty.status_code == 422 and empty.get_json()["field"] == "file"
    lying = client.post(f"/api/v1/cases/{case.id}/evidence?filename=a.jpg",
                        data=pdf_bytes(3000), headers=headers)
    assert lying.status_code == 422 and "not what the name" in lying.get_json()["detail"]
    bad_date = client.post(f"/api/v1/cases/{case.id}/evidence?filename=a.pdf"
                           "&acquired_at=yesterday", data=pdf_bytes(3000), headers=headers)
    assert bad_date.status_code == 422 and bad_date.get_json()["field"] == "acquired_at"
    assert db.scalar(select(func.count()).select_from(Evidence)) == 0
    other = make.officer(country="TH")
    _, raw2 = tokens.create_token(db, other, "x", "read-write", 5)
    db.commit()
    outsider = client.post(f"/api/v1/cases/{case.id}/evidence?filename=a.pdf",
                           data=pdf_bytes(3000), headers={"Authorization": f"Bearer {raw2}"})
    assert outsider.status_code == 404


def test_api_cut_off_upload_keeps_nothing(app, client, db, make):
    inv = make.officer()
    case = new_case(db, inv)
    _, raw = tokens.create_token(db, inv, "scanner", "read-write", 5)
    db.commit()
    body = pdf_bytes(200_000)
    environ = {"CONTENT_LENGTH": str(len(body) * 2)}  # the client promised more than it sent
    response = client.post(f"/api/v1/cases/{case.id}/evidence?filename=a.pdf",
                           input_stream=io.BytesIO(body), environ_overrides=environ,
                           headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code in (400, 422)
    assert db.scalar(select(func.count()).select_from(Evidence)) == 0
    from anice.evidence import runtime

    with app.app_context():
        assert list(runtime.storage().keys()) == []


def test_web_cut_off_upload_keeps_nothing(app, client, db, make, auth):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    boundary = "XyZ"
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode()
    partial = head + pdf_bytes(300_000)  # no closing boundary: the connection dropped
    response = client.post(f"/cases/{case.id}/evidence", input_stream=io.BytesIO(partial),
                           content_type=f"multipart/form-data; boundary={boundary}",
                           environ_overrides={"CONTENT_LENGTH": str(len(partial) + 5000)},
                           headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 422 and "cut off" in response.get_json()["error"]
    assert db.scalar(select(func.count()).select_from(Evidence)) == 0
    from anice.evidence import runtime

    with app.app_context():
        assert list(runtime.storage().keys()) == []


def test_a_truncated_object_is_refused_before_any_byte(app, client, db, make, auth):
    """Finding 15: a cut at a segment boundary used to start a 200 and send a valid prefix."""
    from pathlib import Path

    inv = make.officer()
    case = new_case(db, inv)
    _, raw = tokens.create_token(db, inv, "scanner", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}", "Content-Type": "application/octet-stream"}
    data = pdf_bytes(400_000)
    created = client.post(f"/api/v1/cases/{case.id}/evidence?filename=cut.pdf", data=data,
                          headers=headers).get_json()
    ev = db.scalar(select(Evidence).where(Evidence.public_id == created["id"]))
    path = Path(app.config["EVIDENCE_DIR"]) / ev.storage_key
    sealed = path.read_bytes()
    path.write_bytes(sealed[:len(sealed) - (len(data) % (64 * 1024)) - 16])  # last segment off
    response = client.get(f"/api/v1/evidence/{ev.public_id}/content", headers=headers,
                          buffered=False)
    assert response.status_code == 422 and "Repr-Digest" not in response.headers
    assert response.get_json()["field"] == "evidence"
    auth.login(inv)
    web = client.get(f"/evidence/{ev.public_id}/download")
    assert web.status_code == 422 and data[:1000] not in web.data
