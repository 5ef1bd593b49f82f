"""Fault: the evidence folder's disk is full (embedded mode, local storage).

On a real 1 MiB tmpfs when the test may mount one (root), otherwise with the evidence files'
writes failing with ENOSPC at the file object, the lowest level the app writes through.
The officer gets 507 and the reason; no evidence row, custody event, timeline entry or
partial file stays; what was stored before is still whole; once space is freed, uploads
work again.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import func, select

from anice.auth import tokens
from anice.evidence.intake import STORE_FULL
from anice.models import CustodyEvent, Evidence, TimelineEntry

from ..cases.helpers import new_case
from ..evidence.test_service import pdf_bytes

pytestmark = pytest.mark.sqlite_only  # local storage: the database plays no part


class TmpfsDisk:
    """A real 1 MiB tmpfs; ``fill`` takes all of its free space with a filler file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(root)],
                       check=True, capture_output=True)

    def fill(self) -> None:
        with open(self.root / "filler", "wb") as fh:
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError as exc:
                assert exc.errno == errno.ENOSPC

    def free(self) -> None:
        (self.root / "filler").unlink()

    def close(self) -> None:
        subprocess.run(["umount", str(self.root)], check=False, capture_output=True)


class PatchedDisk:
    """Writes of files opened under the evidence folder fail with ENOSPC while full."""

    def __init__(self, root: Path, monkeypatch) -> None:
        self.root = root
        self.full = False
        real_fdopen = os.fdopen

        def fdopen(fd, *args, **kwargs):
            fh = real_fdopen(fd, *args, **kwargs)
            path = os.readlink(f"/proc/self/fd/{fd}")
            return NoSpace(fh, self) if path.startswith(str(root)) else fh

        monkeypatch.setattr("anice.storage.local.os.fdopen", fdopen)

    def fill(self) -> None:
        self.full = True

    def free(self) -> None:
        self.full = False

    def close(self) -> None:
        pass


class NoSpace:
    """A file object whose writes fail with ENOSPC while its disk is full."""

    def __init__(self, fh, disk: PatchedDisk) -> None:
        self._fh, self._disk = fh, disk

    def write(self, data) -> int:
        if self._disk.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._fh.write(data)

    def __getattr__(self, name):
        return getattr(self._fh, name)


@pytest.fixture(params=["tmpfs", "patched"])
def disk(request, tmp_path, monkeypatch):
    root = tmp_path / "evidence-disk"
    made = None
    if request.param == "tmpfs":
        try:
            made = TmpfsDisk(root)
        except (subprocess.CalledProcessError, FileNotFoundError):
            pass  # not allowed to mount here: the same test with failing writes
    if made is None:
        root.mkdir(exist_ok=True)
        made = PatchedDisk(root, monkeypatch)
    yield made
    made.close()


@pytest.fixture
def app_config(app_config, disk):
    return {**app_config, "EVIDENCE_DIR": str(disk.root)}


def files_under(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.name != "filler")


def test_full_disk_refuses_uploads_with_507_and_keeps_nothing(app, client, db, make, auth,
                                                             disk):
    officer = make.officer()
    case = new_case(db, officer)
    auth.login(officer)
    _, token = tokens.create_token(db, officer, "scanner", "read-write", 5)
    db.commit()
    api = {"Authorization": f"Bearer {token}"}
    earlier = pdf_bytes(40_000)
    kept = client.post(f"/api/v1/cases/{case.id}/evidence?filename=earlier.pdf", data=earlier,
                       headers=api)
    assert kept.status_code == 201
    stored = files_under(disk.root)
    db.expire_all()
    counts = (db.scalar(select(func.count()).select_from(CustodyEvent)),
              db.scalar(select(func.count()).select_from(TimelineEntry)))
    disk.fill()

    form = client.post(f"/cases/{case.id}/evidence", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(pdf_bytes(300_000)), "scan.pdf")})
    assert form.status_code == 507 and STORE_FULL in form.get_data(as_text=True)
    script = client.post(f"/cases/{case.id}/evidence", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(pdf_bytes(300_000)), "scan.pdf")},
                         headers={"X-Requested-With": "XMLHttpRequest"})
    assert script.status_code == 507 and script.get_json()["error"] == STORE_FULL
    problem = client.post(f"/api/v1/cases/{case.id}/evidence?filename=a.pdf",
                          data=pdf_bytes(300_000), headers=api)
    assert problem.status_code == 507 and problem.get_json()["detail"] == STORE_FULL

    # Nothing recorded, no partial file; what was there is whole.
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Evidence)) == 1
    assert (db.scalar(select(func.count()).select_from(CustodyEvent)),
            db.scalar(select(func.count()).select_from(TimelineEntry))) == counts
    assert files_under(disk.root) == stored
    public_id = kept.get_json()["id"]
    download = client.get(f"/evidence/{public_id}/download")
    assert hashlib.sha256(download.data).hexdigest() == hashlib.sha256(earlier).hexdigest()

    disk.free()
    again = client.post(f"/api/v1/cases/{case.id}/evidence?filename=again.pdf",
                        data=pdf_bytes(300_000), headers=api)
    assert again.status_code == 201
    assert client.post(f"/evidence/{public_id}/verify").status_code == 302
    db.expire_all()
    assert db.scalar(select(Evidence).where(Evidence.public_id == public_id)).last_verify_ok
