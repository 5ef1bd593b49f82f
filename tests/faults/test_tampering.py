"""Fault: evidence tampered with in storage (a flipped byte, a truncated file, two files
swapped).

Every segment of the stored object is authenticated and bound to its item, so the damage
is found: before the response starts when it is in the first segment or the object's
length is wrong (the download is refused with the reason), or mid-stream (the response is
cut short) for a changed byte further on. Either way the read is
recorded as a failed verification, later downloads are refused with a clear message,
``flask --app wsgi evidence verify`` names the item, and once the object is restored from
backup and verified again it is handed out again.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from anice.auth import tokens
from anice.crypto.stream import DecryptionError, read_header
from anice.models import CustodyAction, CustodyEvent, Evidence

from ..cases.helpers import new_case
from ..evidence.test_service import pdf_bytes

SEGMENT = 64 * 1024


@pytest.fixture
def items(app, client, db, make, auth):
    """Two items of five segments each, uploaded through the API; their stored paths."""
    officer = make.officer()
    case = new_case(db, officer)
    auth.login(officer)
    _, token = tokens.create_token(db, officer, "scanner", "read-write", 5)
    db.commit()
    made = []
    for name in ("invoice.pdf", "ledger.pdf"):
        data = pdf_bytes(300_000, tag=name)
        created = client.post(f"/api/v1/cases/{case.id}/evidence?filename={name}", data=data,
                              headers={"Authorization": f"Bearer {token}"})
        assert created.status_code == 201
        evidence = db.scalar(select(Evidence).where(Evidence.public_id == created.get_json()["id"]))
        made.append((evidence, Path(app.config["EVIDENCE_DIR"]) / evidence.storage_key, data))
    return made, {"Authorization": f"Bearer {token}"}


def tamper(how: str, first: Path, second: Path) -> list[int]:
    """Damage the stored objects; returns which of the two items are damaged."""
    raw = bytearray(first.read_bytes())
    if how == "flipped_in_first_segment":
        raw[200] ^= 0x01
    elif how == "flipped_later":
        raw[3 * SEGMENT + 100] ^= 0x80
    elif how == "truncated":
        del raw[len(raw) // 2:]
    elif how == "truncated_at_segment":  # every segment left is whole and valid
        header_length = len(read_header(io.BytesIO(bytes(raw)))[1])
        del raw[-((len(raw) - header_length) % (SEGMENT + 16) or SEGMENT + 16):]
    if how == "swapped":
        other = second.read_bytes()
        second.write_bytes(bytes(raw))
        first.write_bytes(other)
        return [0, 1]
    first.write_bytes(bytes(raw))
    return [0]


def failed_reads(db, evidence: Evidence) -> list[CustodyEvent]:
    db.expire_all()
    return [e for e in db.scalars(select(CustodyEvent).where(
        CustodyEvent.evidence_id == evidence.id, CustodyEvent.action == CustodyAction.VERIFY))
        if e.details.get("ok") is False]


@pytest.mark.parametrize("how", ["flipped_in_first_segment", "flipped_later", "truncated",
                                 "truncated_at_segment", "swapped"])
def test_tampered_evidence_is_flagged_and_refused(app, client, db, items, how):
    made, api = items
    (first, first_path, first_data), (second, second_path, second_data) = made
    originals = {first_path: first_path.read_bytes(), second_path: second_path.read_bytes()}
    damaged = [made[i][0] for i in tamper(how, first_path, second_path)]

    # The first download after the damage: refused up front (a cut object too: its length
    # is checked before the first byte), or cut short mid-stream for a later flipped byte.
    response = client.get(f"/evidence/{first.public_id}/download")
    if how == "flipped_later":
        assert response.status_code == 200
        with pytest.raises(DecryptionError):
            response.get_data()
    else:
        assert response.status_code == 422
        assert "does not decrypt (corrupted or replaced)" in response.get_data(as_text=True)
    assert len(failed_reads(db, first)) == 1

    # From now on it is refused with the reason, on the web and the API.
    refused = client.get(f"/evidence/{first.public_id}/download")
    assert refused.status_code == 422
    assert "failed its integrity check" in refused.get_data(as_text=True)
    api_refused = client.get(f"/api/v1/evidence/{first.public_id}/content", headers=api)
    assert api_refused.status_code == 422
    assert "failed its integrity check" in api_refused.get_json()["detail"]

    # Verification names every damaged item, and only those.
    runner = app.test_cli_runner()
    verified = runner.invoke(args=["evidence", "verify"])
    assert verified.exit_code == 1
    assert sorted(line.split()[1] for line in verified.output.splitlines()
                  if line.startswith("MISMATCH")) == sorted(e.public_id for e in damaged)

    # Restored from backup and verified again: handed out again, byte for byte.
    for path, content in originals.items():
        path.write_bytes(content)
    assert runner.invoke(args=["evidence", "verify", first.public_id,
                               second.public_id]).exit_code == 0
    for evidence, data in ((first, first_data), (second, second_data)):
        again = client.get(f"/evidence/{evidence.public_id}/download")
        assert again.status_code == 200
        assert hashlib.sha256(again.get_data()).hexdigest() == hashlib.sha256(data).hexdigest()
