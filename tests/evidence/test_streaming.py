"""Uploads and downloads stream: memory stays flat whatever the file size."""

from __future__ import annotations

import hashlib
import io
import tracemalloc

import pytest

from anice.auth import tokens

from ..cases.helpers import new_case

MiB = 1024 * 1024


class GeneratedFile(io.RawIOBase):
    """A large file produced on demand: the test never holds it either."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.remaining = size
        self.digest = hashlib.sha256()
        self.first = True

    def readable(self) -> bool:
        return True

    # werkzeug's test client measures the body by seeking to the end and back.
    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.size - self.remaining if not getattr(self, "_at_end", False) else self.size

    def seek(self, offset: int, whence: int = 0) -> int:
        self._at_end = whence == 2
        return self.tell()

    def readinto(self, buffer) -> int:
        if self.remaining <= 0:
            return 0
        n = min(len(buffer), self.remaining, 256 * 1024)
        chunk = (b"%PDF-1.7\n" if self.first else b"") + bytes([self.remaining % 251]) * n
        chunk = chunk[:n]
        self.first = False
        buffer[:n] = chunk
        self.digest.update(chunk)
        self.remaining -= n
        return n


@pytest.mark.sqlite_only
def test_large_upload_and_download_use_little_memory(app, client, db, make):
    app.config["EVIDENCE_MAX_BYTES"] = 512 * MiB
    inv = make.officer()
    case = new_case(db, inv)
    _, raw = tokens.create_token(db, inv, "t", "read-write", 5)
    db.commit()
    size = 64 * MiB
    body = GeneratedFile(size)
    headers = {"Authorization": f"Bearer {raw}", "Content-Length": str(size),
               "Content-Type": "application/octet-stream"}
    tracemalloc.start()
    try:
        response = client.post(f"/api/v1/cases/{case.id}/evidence?filename=big.pdf",
                               input_stream=body, headers=headers)
        _, upload_peak = tracemalloc.get_traced_memory()
        assert response.status_code == 201, response.get_json()
        assert response.get_json()["sha256"] == body.digest.hexdigest()
        tracemalloc.reset_peak()
        download = client.get(f"/api/v1/evidence/{response.get_json()['id']}/content",
                              headers=headers, buffered=False)
        digest = hashlib.sha256()
        for chunk in download.response:
            digest.update(chunk)
        _, download_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digest.hexdigest() == body.digest.hexdigest()
    # A whole-file read anywhere would need 64 MiB; streaming needs a few segments.
    assert upload_peak < 8 * MiB, f"upload peak {upload_peak / MiB:.1f} MiB"
    assert download_peak < 8 * MiB, f"download peak {download_peak / MiB:.1f} MiB"
