"""Rights imports uploaded on the web run as jobs: the upload is sealed (never in clear on
disk), the job records progress and the report, the upload is deleted at the end; a real
RQ worker runs it from Redis."""

from __future__ import annotations

import base64
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from anice.crypto.keys import StaticKeyring, dek_aad
from anice.crypto.stream import SEGMENT_SIZE, DecryptionError
from anice.imports import service as imports
from anice.imports.sealed import SealedReader, seal_bytes
from anice.models import AuditEvent, ImportJob, ImportStatus, Right, Role
from anice.storage import LocalStorage
from tests.factories import Auth

from ..held_jobs import HeldJobs
from .helpers import ADIDAS, NIKE, csv_bytes

KEYS = StaticKeyring("k1:" + base64.b64encode(b"k" * 32).decode())


def test_sealed_reader_reads_seeks_and_checks(tmp_path):
    store = LocalStorage(tmp_path)
    data = os.urandom(SEGMENT_SIZE * 2 + 123)
    upload = seal_bytes(store, KEYS, data, "big.bin")
    sealed = (tmp_path / upload.storage_key).read_bytes()
    assert sealed.startswith(b"ANICEEV1") and data[:64] not in sealed
    dek = KEYS.unwrap(upload.wrapped, dek_aad(f"import:{upload.upload_id}", upload.dek_id))

    def reader():
        return SealedReader(store, upload.storage_key, dek, upload.upload_id, upload.dek_id)

    with io.BufferedReader(reader()) as stream:
        assert stream.read(10) == data[:10] and stream.tell() == 10
        stream.seek(SEGMENT_SIZE + 5)
        assert stream.read(5) == data[SEGMENT_SIZE + 5:SEGMENT_SIZE + 10]
        stream.seek(0)
        assert stream.read() == data and stream.tell() == len(data)
    other = seal_bytes(store, KEYS, b"x", "other")
    with pytest.raises(DecryptionError):  # another upload's object under this key
        SealedReader(store, other.storage_key, dek, upload.upload_id, upload.dek_id).read()
    tampered = bytearray(sealed)
    tampered[-1] ^= 1
    (tmp_path / upload.storage_key).write_bytes(bytes(tampered))
    with pytest.raises(DecryptionError):
        reader().readall()


def post_import(client, data, mode="abort"):
    return client.post("/rights/import", data={"mode": mode, "file": (data, "rights.csv")},
                       content_type="multipart/form-data")


def stored(app) -> list[Path]:
    return [p for p in Path(app.config["EVIDENCE_DIR"]).rglob("*") if p.is_file()]


@pytest.fixture
def queued(app, client, auth, db, make, monkeypatch):
    """An upload whose job waits in the queue (queued after the commit, not run)."""
    held = HeldJobs(monkeypatch, app)
    auth.login(make.officer(Role.ADMIN))
    response = post_import(client, csv_bytes(NIKE, ADIDAS), mode="skip")
    job = db.scalar(select(ImportJob))
    assert held.queued() == [("workers.rights.import_rights", (job.id,))]
    return response.headers["Location"], job


def test_the_upload_waits_sealed_and_the_worker_imports_it(client, db, app, queued):
    url, job = queued
    assert (job.status, job.mode, job.kind.value) == (ImportStatus.QUEUED, "skip", "rights")
    [kept] = stored(app)
    assert kept.read_bytes().startswith(b"ANICEEV1") and b"NIKE" not in kept.read_bytes()
    assert job.size == len(csv_bytes(NIKE, ADIDAS).getvalue()) and job.total == job.size
    page = client.get(url).get_data(as_text=True)
    assert f'data-import-status="{url}/status"' in page and "js/import_progress.js" in page
    assert f'<a href="{url}">refresh</a>' in page and "Waiting for a worker" in page
    status = client.get(url + "/status").get_json()
    assert (status["status"], status["active"], status["percent"]) == ("queued", True, 0)

    from workers.rights import import_rights

    assert import_rights(job.id) == "done"
    assert import_rights(job.id) is None  # a second delivery does nothing
    db.expire_all()
    job = db.get(ImportJob, job.id)
    assert job.status == ImportStatus.DONE and job.storage_key is None and stored(app) == []
    assert job.report["inserted"] == 2 and job.done == job.total and job.finished_at
    assert db.scalar(select(func.count()).select_from(Right)) == 2
    assert "2 inserted" in client.get(url).get_data(as_text=True)
    actions = [a for a in db.scalars(select(AuditEvent.action).order_by(AuditEvent.id))
               if "import" in a]
    assert actions[0] == "rights.import.upload" and actions[-1] == "right.import"


def test_a_tampered_upload_fails_the_job_and_imports_nothing(client, db, app, queued):
    url, job = queued
    [kept] = stored(app)
    sealed = bytearray(kept.read_bytes())
    sealed[-3] ^= 0x55
    kept.write_bytes(bytes(sealed))
    from workers.rights import import_rights

    assert import_rights(job.id) == "failed"
    db.expire_all()
    job = db.get(ImportJob, job.id)
    assert job.status == ImportStatus.FAILED and "integrity check" in job.message
    assert stored(app) == [] and db.scalar(select(func.count()).select_from(Right)) == 0
    assert "The import did not finish" in client.get(url).get_data(as_text=True)


class FakeRqJob:
    def __init__(self, job_id="rq-1"):
        self.id, self.meta, self.saved = job_id, {}, 0

    def save_meta(self):
        self.saved += 1


def test_progress_goes_to_the_rq_job_and_a_retry_starts_over(db, queued, monkeypatch):
    _, job = queued
    fake = FakeRqJob()
    monkeypatch.setattr("rq.get_current_job", lambda: fake)
    from workers.rights import import_rights

    assert import_rights(job.id) == "done"
    progress = fake.meta["progress"]
    assert fake.saved >= 1 and progress["total"] == job.size and progress["unit"] == "bytes"
    db.expire_all()
    assert db.get(ImportJob, job.id).rq_id == "rq-1"
    # The same RQ job delivered again finds its row running (its worker died): it reruns.
    row = db.get(ImportJob, job.id)
    row.status = ImportStatus.RUNNING
    db.commit()
    assert imports.begin(db, job.id, "import") is not None
    row.status = ImportStatus.RUNNING
    db.commit()
    monkeypatch.setattr("rq.get_current_job", lambda: FakeRqJob("another"))
    assert imports.begin(db, job.id, "import") is None


def test_status_reads_live_progress_and_notices_a_dead_worker(client, db, app, queued,
                                                              monkeypatch):
    url, job = queued
    job.status, job.rq_id = ImportStatus.RUNNING, "rq-9"
    db.commit()
    monkeypatch.setattr(imports, "_rq_state", lambda j: (
        "started", {"done": job.total // 2, "total": job.total, "rows": 7, "unit": "bytes"}))
    status = client.get(url + "/status").get_json()
    assert (status["percent"], status["rows"], status["active"]) == (50, 7, True)
    assert "50 % of the file read, 7 rows." in client.get(url).get_data(as_text=True)
    monkeypatch.setattr(imports, "_rq_state", lambda j: ("failed", {}))
    status = client.get(url + "/status").get_json()
    assert status["status"] == "failed" and status["active"] is False
    db.expire_all()
    job = db.get(ImportJob, job.id)
    assert "worker was stopped or crashed" in job.message and stored(app) == []


def test_orphaned_and_forgotten_uploads_are_swept(app, db, queued):
    _, job = queued
    store_root = Path(app.config["EVIDENCE_DIR"])
    orphan = seal_bytes(LocalStorage(store_root), KEYS, b"secret rows", "lost.csv")
    old = time.time() - imports.ORPHAN_SECONDS - 60
    os.utime(store_root / orphan.storage_key, (old, old))
    assert imports.sweep() == 1 and len(stored(app)) == 1  # the queued job's upload stays
    job.created_at = job.created_at.replace(year=job.created_at.year - 1)
    db.commit()
    assert imports.sweep() == 1 and stored(app) == []
    db.expire_all()
    assert db.get(ImportJob, job.id).status == ImportStatus.FAILED


def test_a_real_rq_worker_runs_the_import(app_config, redis_server, db, make, tmp_path):
    """enqueue() puts the job on Redis; a worker process opens the sealed upload with the
    key file and the storage it shares with the app, and records its progress."""
    import redis
    from rq.job import Job

    from anice import ROOT, create_app

    redis.Redis.from_url(redis_server.url).flushdb()
    config = {**app_config, "REDIS_URL": redis_server.url}
    web = create_app(config)
    client = web.test_client()
    Auth(client, db).login(make.officer(Role.ADMIN))
    url = post_import(client, csv_bytes(NIKE, ADIDAS)).headers["Location"]
    assert "Waiting for a worker" in client.get(url).get_data(as_text=True)
    env = {**os.environ, "DATABASE_URL": config["DATABASE_URL"], "REDIS_URL": redis_server.url,
           "ANICE_DATA_DIR": config["DATA_DIR"], "ANICE_KEY_FILE": config["KEY_FILE"],
           "ANICE_EVIDENCE_DIR": config["EVIDENCE_DIR"]}
    done = subprocess.run([sys.executable, "-m", "rq.cli", "worker", "--burst", "--url",
                           redis_server.url, "default"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    db.expire_all()
    job = db.scalar(select(ImportJob))
    assert job.status == ImportStatus.DONE, (job.message, done.stderr[-2000:])
    assert job.report["inserted"] == 2 and job.storage_key is None
    meta = Job.fetch(job.rq_id, connection=redis.Redis.from_url(redis_server.url)).get_meta()
    assert meta["progress"]["total"] == job.size
    assert "2 inserted" in client.get(url).get_data(as_text=True)
    web.extensions["anice.engine"].dispose()


@pytest.mark.parametrize("actor, allowed", [
    ("uploader", True), ("other", False), ("inactive uploader", False), (None, False)])
def test_only_the_uploader_sees_an_import_job(actor, allowed):
    from types import SimpleNamespace

    from anice import policy

    people = {"uploader": SimpleNamespace(id=7, active=True, role=Role.INVESTIGATOR),
              "other": SimpleNamespace(id=8, active=True, role=Role.INVESTIGATOR),
              "inactive uploader": SimpleNamespace(id=7, active=False,
                                                   role=Role.INVESTIGATOR),
              None: None}
    job = SimpleNamespace(officer_id=7)
    assert policy.can_view_import_job(people[actor], job) is allowed
