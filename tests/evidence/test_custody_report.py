"""The signed custody report: content, determinism, signature, CLI check, access, custody."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pypdf import PdfReader
from sqlalchemy import select

from anice.evidence import custody_report, service
from anice.models import CustodyAction, CustodyEvent, Evidence

from .test_service import officer_case, pdf_bytes, upload  # noqa: F401

VIETNAMESE = "Chợ Bến Thành, Thành phố Hồ Chí Minh"
THAI = "ยึดจากร้านค้าในตลาด"


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def item(client, db, officer_case):  # noqa: F811
    _, case = officer_case
    upload(client, case.id, pdf_bytes(5000), name="invoice.pdf", acquired_where=VIETNAMESE,
           acquired_how=THAI, acquired_at="2026-10-02T09:30")
    return db.scalar(select(Evidence))


def report_urls(client, ev):
    """The PDF and signature links as the evidence page gives them."""
    page = client.get(f"/evidence/{ev.public_id}").data.decode()
    pdf = re.search(r'href="([^"]+custody\.pdf\?upto=\d+)"', page).group(1)
    sig = re.search(r'href="([^"]+custody\.pdf\.sig\?upto=\d+)"', page).group(1)
    return pdf.replace("&amp;", "&"), sig.replace("&amp;", "&")


def exports(db, ev):
    return [e for e in service.custody_of(db, ev) if e.action == CustodyAction.EXPORT]


def test_report_is_a_court_ready_pdf(client, db, officer_case, item):  # noqa: F811
    inv, case = officer_case
    pdf_url, _ = report_urls(client, item)
    response = client.get(pdf_url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert "attachment" in response.headers["Content-Disposition"]
    text = text_of(response.data)
    for expected in (item.sha256, case.reference, item.public_id, "invoice.pdf",
                     "application/pdf", f"{item.size:,} bytes", "Chain of custody report", "Intake",
                     inv.email, VIETNAMESE, "Time (Asia/Kuala_Lumpur)", "Page 1 of 1"):
        assert expected in text, expected
    if custody_report.fonts().thai:
        assert THAI in text
    reader = PdfReader(io.BytesIO(response.data))
    fonts = {str(f["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()}
    if custody_report.fonts().regular != "Helvetica":
        assert any("DejaVuSans" in name for name in fonts), fonts
    assert item.sha256 in reader.metadata.subject


def test_same_state_gives_the_same_bytes_and_the_signature_verifies(client, db, item):
    pdf_url, sig_url = report_urls(client, item)
    first = client.get(pdf_url)
    second = client.get(pdf_url)  # after the export event the first one recorded
    assert first.data == second.data
    sig = client.get(sig_url).get_json()
    assert sig["algorithm"] == "Ed25519"
    assert sig["sha256"] == hashlib.sha256(first.data).hexdigest()
    assert sig["signature"] == first.headers["X-Signature-Ed25519"]
    key_response = client.get("/evidence/signing-key.pem")
    assert key_response.status_code == 200
    public = serialization.load_pem_public_key(key_response.data)
    public.verify(base64.b64decode(first.headers["X-Signature-Ed25519"]), first.data)
    der = public.public_bytes(serialization.Encoding.DER,
                              serialization.PublicFormat.SubjectPublicKeyInfo)
    assert first.headers["X-Signature-Key"] == hashlib.sha256(der).hexdigest()
    assert sig["public_key_pem"].encode() == key_response.data


def test_a_bare_link_pins_the_latest_event(client, db, item):
    response = client.get(f"/evidence/{item.public_id}/custody.pdf")
    latest = max(e.id for e in service.custody_of(db, item))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"custody.pdf?upto={latest}")
    assert exports(db, item) == []


def test_later_events_are_left_out_until_asked_for(client, db, item):
    pdf_url, _ = report_urls(client, item)
    before = text_of(client.get(pdf_url).data)
    assert "report sha256" not in before
    pdf_url, _ = report_urls(client, item)
    after = text_of(client.get(pdf_url).data)
    assert "report sha256" in after and "export" in after


def test_each_pdf_download_is_one_export_event(client, db, item):
    pdf_url, sig_url = report_urls(client, item)
    served = [client.get(pdf_url) for _ in range(2)]
    client.get(sig_url)
    client.get("/evidence/signing-key.pem")
    events = exports(db, item)
    assert len(events) == 2
    upto = int(pdf_url.rsplit("=", 1)[1])
    for event, response in zip(events, served, strict=True):
        assert event.reason == "custody report" and event.actor_label
        assert event.details["upto"] == upto
        assert event.details["report_sha256"] == hashlib.sha256(response.data).hexdigest()


def test_verify_report_cli(app, client, db, item, tmp_path):
    pdf_url, sig_url = report_urls(client, item)
    pdf, sig = tmp_path / "custody.pdf", tmp_path / "custody.pdf.sig"
    pdf.write_bytes(client.get(pdf_url).data)
    sig.write_bytes(client.get(sig_url).data)
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["evidence", "verify-report", str(pdf), str(sig)])
    assert ok.exit_code == 0 and "OK: signature valid" in ok.output

    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    changed = runner.invoke(args=["evidence", "verify-report", str(pdf), str(sig)])
    assert changed.exit_code == 1 and "FAILED" in changed.output

    # A forger's key, with a matching SHA-256 and the forger's public key in the .sig.
    forger = Ed25519PrivateKey.generate()
    forged = json.loads(sig.read_text())
    forged.update(sha256=hashlib.sha256(bytes(data)).hexdigest(),
                  signature=base64.b64encode(forger.sign(bytes(data))).decode(),
                  public_key_pem=custody_report.public_pem(forger.public_key()).decode())
    sig.write_text(json.dumps(forged))
    refused = runner.invoke(args=["evidence", "verify-report", str(pdf), str(sig)])
    assert refused.exit_code == 1 and "another signing key" in refused.output


def test_verify_report_checks_the_signature_itself():
    key = Ed25519PrivateKey.generate()
    pem = custody_report.public_pem(key.public_key())
    pdf = b"%PDF-1.4 report"
    doc = {"algorithm": "Ed25519", "sha256": hashlib.sha256(pdf).hexdigest(),
           "signature": base64.b64encode(key.sign(pdf)).decode(), "public_key_pem": pem.decode()}
    assert custody_report.verify_report(pdf, json.dumps(doc), pem)[0]
    doc["signature"] = base64.b64encode(key.sign(b"another report")).decode()
    ok, message = custody_report.verify_report(pdf, json.dumps(doc), pem)
    assert not ok and "does not verify" in message
    assert not custody_report.verify_report(pdf, "not json", pem)[0]


def test_outsiders_get_404_and_leave_no_trace(client, db, make, auth, item):
    pdf_url, sig_url = report_urls(client, item)
    auth.logout()
    auth.login(make.officer(country="TH"))
    for url in (pdf_url, sig_url, f"/evidence/{item.public_id}/custody.pdf",
                f"/evidence/{item.public_id}/custody.pdf.sig",  # even without ?upto=
                f"/evidence/{item.public_id}/custody.pdf?upto=x"):
        assert client.get(url).status_code == 404, url
    assert exports(db, item) == []
    assert client.get("/evidence/signing-key.pem").status_code == 200
    auth.logout()
    assert client.get("/evidence/signing-key.pem").status_code == 302


def test_upto_must_be_an_event_of_the_item(client, db, item):
    other = db.scalar(select(CustodyEvent.id).order_by(CustodyEvent.id.desc())) + 1000
    assert client.get(f"/evidence/{item.public_id}/custody.pdf?upto={other}").status_code == 404
    assert client.get(f"/evidence/{item.public_id}/custody.pdf?upto=x").status_code == 422
    assert client.get(f"/evidence/{item.public_id}/custody.pdf.sig").status_code == 422
    assert exports(db, item) == []


def test_long_chains_and_reasons_span_pages(client, db, officer_case, item):  # noqa: F811
    inv, _ = officer_case
    for n in range(60):
        service.record_custody(db, item, inv, CustodyAction.TRANSFER,
                               reason=f"handed to court registry {n} " + "x" * (2000 if n == 7
                                                                               else 20))
    db.commit()
    pdf_url, _ = report_urls(client, item)
    pdf = client.get(pdf_url).data
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 3 and f"Page {pages} of {pages}" in text_of(pdf)


def test_signing_key_lives_next_to_the_key_file(app, client, item):
    from pathlib import Path

    client.get("/evidence/signing-key.pem")
    path = Path(app.config["KEY_FILE"]).parent / "signing-ed25519.pem"
    assert path.exists() and path.stat().st_mode & 0o777 == 0o600
    assert not path.resolve().is_relative_to(Path(app.config["DATA_DIR"]).resolve())


def test_signing_key_file_is_created_once_and_guarded(tmp_path):
    path = tmp_path / "keys" / "signing-ed25519.pem"
    with pytest.raises(FileNotFoundError):
        custody_report.load_signing_key(path, create=False)
    key = custody_report.load_signing_key(path)
    again = custody_report.load_signing_key(path)
    assert custody_report.public_pem(key.public_key()) == \
        custody_report.public_pem(again.public_key())
    path.chmod(0o644)
    with pytest.raises(RuntimeError, match="readable by others"):
        custody_report.load_signing_key(path)


def test_rendering_is_deterministic_without_a_database():
    from datetime import UTC, datetime
    from types import SimpleNamespace

    officer = SimpleNamespace(name="Nguyễn Văn Đức", email="duc@vn.example",
                              timezone="Asia/Ho_Chi_Minh", agency=SimpleNamespace(name="C03"))
    evidence = SimpleNamespace(
        public_id="abc", case=SimpleNamespace(reference="VN-C03-2026-0001"),
        original_name="ảnh.png", media_type="image/png", size=1234, sha256="ab" * 32,
        uploaded_at=datetime(2026, 10, 2, 9, 30, tzinfo=UTC), uploaded_by=officer,
        acquired_at=None, acquired_where=None, acquired_how=None, storage_backend="local")
    events = [SimpleNamespace(id=1, at=datetime(2026, 10, 2, 9, 30, tzinfo=UTC),
                              action=CustodyAction.INTAKE, actor_label="duc@vn.example",
                              client_addr="10.0.0.1", reason=None, details={"size": 1234})]
    one = custody_report.custody_pdf(evidence, events, officer, compress=False)
    two = custody_report.custody_pdf(evidence, events, officer, compress=False)
    assert one == two and b"(D:20261002093000+00'00')" in one
