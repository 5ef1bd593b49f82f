"""Evidence through the service layer and HTTP: sealing, custody, verify, shred, keys."""

from __future__ import annotations

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from anice.evidence import runtime, service
from anice.models import CustodyEvent, Evidence, Role

from ..cases.helpers import new_case

MARKER = b"ANICE-PLAINTEXT-MARKER-7f3a9c"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def pdf_bytes(size: int = 300_000, tag: str = "") -> bytes:
    """A PDF-looking file full of the plaintext marker; ``tag`` makes files of one size
    differ (the same content twice in a case is a duplicate)."""
    body = (MARKER + b" ") * (size // (len(MARKER) + 1))
    return b"%PDF-1.7\n" + (f"%{tag}\n".encode() if tag else b"") + body + b"\n%%EOF\n"


def upload(client, case_id: int, data: bytes, name: str = "scan.pdf", **fields):
    page = client.get(f"/cases/{case_id}").data.decode()
    action = re.search(r'class="evidence-upload"\s+action="([^"]+)"', page)
    url = action.group(1).replace("&amp;", "&") if action else f"/cases/{case_id}/evidence"
    return client.post(url, data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data")


@pytest.fixture
def officer_case(db, make, auth):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    return inv, case


def test_upload_seals_hashes_and_records_custody(app, client, db, officer_case):
    inv, case = officer_case
    data = pdf_bytes()
    response = upload(client, case.id, data, acquired_where="Warehouse 4, Klang",
                      acquired_how="photographed during the raid",
                      acquired_at="2026-10-02T09:30")
    assert response.status_code == 302
    ev = db.scalar(select(Evidence))
    import hashlib

    assert ev.sha256 == hashlib.sha256(data).hexdigest() and ev.size == len(data)
    assert ev.media_type == "application/pdf" and ev.acquired_where == "Warehouse 4, Klang"
    stored = Path(app.config["EVIDENCE_DIR"]) / ev.storage_key
    assert stored.exists() and MARKER not in stored.read_bytes()
    download = client.get(f"/evidence/{ev.public_id}/download")
    assert download.status_code == 200 and download.data == data
    assert "attachment" in download.headers["Content-Disposition"]
    assert "sandbox" in download.headers["Content-Security-Policy"]
    actions = [e.action.value for e in service.custody_of(db, ev)]
    assert actions == ["intake", "download"]
    page = client.get(f"/evidence/{ev.public_id}").data.decode()
    assert ev.sha256 in page and "Chain of custody" in page


def test_no_plaintext_in_storage_or_temp_files(app, client, db, officer_case):
    _, case = officer_case
    before = set(Path(tempfile.gettempdir()).glob("*"))
    assert upload(client, case.id, pdf_bytes(2_000_000)).status_code == 302
    roots = [Path(app.config["DATA_DIR"])] + [p for p in Path(tempfile.gettempdir()).glob("*")
                                              if p not in before]
    for root in roots:
        for path in (root.rglob("*") if root.is_dir() else [root]):
            if path.is_file():
                assert MARKER not in path.read_bytes(), f"plaintext found in {path}"


@pytest.mark.parametrize("data, name, message", [
    (b"", "empty.pdf", "is empty"),
    (pdf_bytes(5000), "photo.jpg", "not what the name"),
    (bytes(range(256)) * 10, "blob.bin", "not a supported evidence type"),
])
def test_bad_files_are_refused_and_nothing_stays(app, client, db, officer_case, data, name,
                                                 message):
    _, case = officer_case
    response = client.post(f"/cases/{case.id}/evidence", data={"file": (io.BytesIO(data), name)},
                           content_type="multipart/form-data",
                           headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 422 and message in response.get_json()["error"]
    assert db.scalar(select(func.count()).select_from(Evidence)) == 0
    assert list(runtime_keys(app)) == []


def runtime_keys(app):
    with app.app_context():
        return list(runtime.storage().keys())


def test_file_over_the_limit(app, client, db, officer_case):
    app.config["EVIDENCE_MAX_BYTES"] = 100_000
    _, case = officer_case
    response = client.post(f"/cases/{case.id}/evidence",
                           data={"file": (io.BytesIO(pdf_bytes(300_000)), "big.pdf")},
                           content_type="multipart/form-data",
                           headers={"X-Requested-With": "XMLHttpRequest"})
    assert response.status_code == 422 and "larger than the limit" in response.get_json()["error"]
    assert runtime_keys(app) == [] and db.scalar(select(func.count()).select_from(Evidence)) == 0


def test_path_tricks_in_names(client, db, officer_case):
    _, case = officer_case
    upload(client, case.id, pdf_bytes(5000), name="../../etc/passwd.pdf")
    assert db.scalar(select(Evidence.original_name)) == "passwd.pdf"


def test_upload_needs_csrf_token_when_enabled(app_config, db, make):
    from anice import create_app

    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    inv = make.officer()
    case = new_case(db, inv)
    client = app.test_client()
    from ..factories import PASSWORD, code_for

    page = client.get("/login").data.decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": inv.email, "password": PASSWORD,
                                "code": code_for(inv), "csrf_token": token})
    refused = client.post(f"/cases/{case.id}/evidence",
                          data={"file": (io.BytesIO(pdf_bytes(5000)), "a.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400
    assert db.scalar(select(func.count()).select_from(Evidence)) == 0


def test_outsiders_get_404(client, db, make, auth, officer_case):
    inv, case = officer_case
    upload(client, case.id, pdf_bytes(5000))
    ev = db.scalar(select(Evidence))
    auth.logout()
    auth.login(make.officer(country="TH"))
    for url in (f"/evidence/{ev.public_id}", f"/evidence/{ev.public_id}/download",
                f"/evidence/{ev.public_id}/custody.csv"):
        assert client.get(url).status_code == 404
    assert upload(client, case.id, pdf_bytes(5000)).status_code == 404
    assert [e.action.value for e in service.custody_of(db, ev)] == ["intake"]


def test_verify_detects_corruption(app, client, db, officer_case):
    _, case = officer_case
    upload(client, case.id, pdf_bytes(200_000))
    ev = db.scalar(select(Evidence))
    assert client.post(f"/evidence/{ev.public_id}/verify").status_code == 302
    db.refresh(ev)
    assert ev.last_verify_ok is True
    path = Path(app.config["EVIDENCE_DIR"]) / ev.storage_key
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    path.write_bytes(bytes(raw))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["evidence", "verify"])
    assert result.exit_code == 1 and f"MISMATCH {ev.public_id}" in result.output
    db.expire_all()
    events = [(e.action.value, e.details.get("ok")) for e in service.custody_of(db, ev)]
    assert events[-2:] == [("verify", True), ("verify", False)]


def test_custody_is_append_only_in_the_database(client, db, officer_case):
    _, case = officer_case
    upload(client, case.id, pdf_bytes(5000))
    with pytest.raises(Exception, match="append-only"):
        db.execute(text("UPDATE custody_event SET actor_label = 'x'"))
    db.rollback()
    with pytest.raises(Exception, match="append-only"):
        db.execute(text("DELETE FROM custody_event"))
    db.rollback()
    assert db.scalar(select(func.count()).select_from(CustodyEvent)) == 1


def test_crypto_shredding(app, client, db, make, auth, officer_case):
    inv, case = officer_case
    upload(client, case.id, pdf_bytes(5000))
    ev = db.scalar(select(Evidence))
    assert client.post(f"/evidence/{ev.public_id}/shred", data={"reason": "x"}).status_code == 403
    auth.logout()
    auth.login(make.officer(Role.SUPERVISOR, agency=inv.agency))
    response = client.post(f"/evidence/{ev.public_id}/shred",
                           data={"reason": "Retention period over (court order 12/2026)"})
    assert response.status_code == 302
    db.refresh(ev)
    assert ev.dek_wrapped is None and ev.status.value == "shredded"
    assert client.get(f"/evidence/{ev.public_id}/download").status_code == 422
    assert runtime_keys(app) == []
    page = client.get(f"/evidence/{ev.public_id}").data.decode()
    assert ev.sha256 in page and "destroyed" in page  # the record and custody remain
    actions = [e.action.value for e in service.custody_of(db, ev)]
    assert actions == ["intake", "shred"]


def test_export_needs_a_reason(client, db, officer_case):
    _, case = officer_case
    upload(client, case.id, pdf_bytes(5000))
    ev = db.scalar(select(Evidence))
    assert client.post(f"/evidence/{ev.public_id}/export", data={"reason": ""}).status_code == 422
    ok = client.post(f"/evidence/{ev.public_id}/export", data={"reason": "Sessions court KL"})
    assert ok.status_code == 200 and ok.data.startswith(b"%PDF")
    last = service.custody_of(db, ev)[-1]
    assert last.action.value == "export" and last.reason == "Sessions court KL"


def test_inline_view_only_for_images(client, db, officer_case):
    _, case = officer_case
    upload(client, case.id, PNG, name="label.png")
    upload(client, case.id, pdf_bytes(5000), name="doc.pdf")
    png, pdf = sorted(db.scalars(select(Evidence)), key=lambda e: e.original_name)[::-1]
    view = client.get(f"/evidence/{png.public_id}/preview")
    assert view.status_code == 200 and view.mimetype == "image/png"
    assert "inline" in view.headers["Content-Disposition"]
    assert view.headers["Cache-Control"] == "no-store"
    assert client.get(f"/evidence/{pdf.public_id}/preview").status_code == 404


def test_key_rotation_rewraps_and_reading_works_throughout(app, client, db, officer_case):
    _, case = officer_case
    for i in range(3):
        upload(client, case.id, pdf_bytes(5000 + 100 * i), name=f"doc{i}.pdf")
    runner = app.test_cli_runner()
    with app.app_context():
        old = runtime.keyring().primary_id()
    result = runner.invoke(args=["keys", "rotate", "--no-rewrap"])
    assert result.exit_code == 0 and "new primary KEK" in result.output
    evs = list(db.scalars(select(Evidence)))
    for ev in evs:  # readable before the re-wrap, with the old KEK
        assert client.get(f"/evidence/{ev.public_id}/download").status_code == 200
    kept = runner.invoke(args=["keys", "retire"])
    assert "kept" in kept.output and "still wraps 3" in kept.output
    assert runner.invoke(args=["keys", "rewrap"]).exit_code == 0
    db.expire_all()
    assert {ev.kek_id for ev in db.scalars(select(Evidence))} != {old}
    retired = runner.invoke(args=["keys", "retire"])
    assert f"retired {old}" in retired.output
    for ev in db.scalars(select(Evidence)):
        assert client.get(f"/evidence/{ev.public_id}/download").status_code == 200
    status = runner.invoke(args=["keys", "status"])
    assert "primary" in status.output and old not in status.output


def test_wrong_kek_fails_cleanly(app, client, db, officer_case):
    _, case = officer_case
    upload(client, case.id, pdf_bytes(5000))
    ev = db.scalar(select(Evidence))
    os.remove(app.config["KEY_FILE"])
    app.extensions.pop("anice.keyring", None)
    from anice.crypto.keys import FileKeyring

    FileKeyring.create(Path(app.config["KEY_FILE"]))  # a fresh, different key file
    response = client.get(f"/evidence/{ev.public_id}/download")
    assert response.status_code == 422 and b"key-encryption key" in response.data
    assert MARKER not in response.data
    assert [e.action.value for e in service.custody_of(db, ev)] == ["intake"]


def test_key_file_must_be_outside_the_data_folder(app, db):
    app.config["KEY_FILE"] = str(Path(app.config["DATA_DIR"]) / "keys.json")
    app.extensions.pop("anice.keyring", None)
    with app.app_context(), pytest.raises(RuntimeError, match="inside the data folder"):
        runtime.keyring()


def test_transfer_and_disposal_are_custody_events(client, db, make, auth, officer_case):
    _, case = officer_case
    upload(client, case.id, pdf_bytes(5000))
    ev = db.scalar(select(Evidence))
    client.post(f"/evidence/{ev.public_id}/custody",
                data={"action": "transfer", "reason": "USB copy handed to DPP office"})
    client.post(f"/evidence/{ev.public_id}/custody", data={"action": "view", "reason": "x"})
    client.post(f"/evidence/{ev.public_id}/custody", data={"action": "disposal", "reason": ""})
    events = [(e.action.value, e.reason) for e in service.custody_of(db, ev)]
    assert events == [("intake", None), ("transfer", "USB copy handed to DPP office")]
    auth.logout()
    auth.login(make.officer(Role.COORDINATOR, country="MY"))
    client.post(f"/evidence/{ev.public_id}/custody", data={"action": "transfer", "reason": "x"})
    assert len(service.custody_of(db, ev)) == 2
