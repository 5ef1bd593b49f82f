"""Storage fixtures: each behaviour test runs on local files and on a real S3 API (moto)."""

from __future__ import annotations

import itertools
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ..servers import free_port

MiB = 1024 * 1024
# The smallest part S3 allows, so the multipart paths run on a few MiB of data.
SMALL_PART = 5 * MiB
CREDENTIALS = {"access_key": "testing", "secret_key": "testing"}

_buckets = itertools.count()


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server in its own process, so the objects it keeps in memory stay out
    of the test process whose memory the streaming tests measure."""
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="anice-moto-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, log.name)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        os.unlink(log.name)


def _wait_for_port(port: int, process: subprocess.Popen, log_path: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"moto server exited with {process.returncode}: "
                        f"{Path(log_path).read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"moto server did not listen on port {port} within 30 s")


@pytest.fixture
def make_s3(s3_endpoint):
    """Build an S3Storage on a fresh bucket: ``make_s3(prefix="", part_size=...)``."""
    from anice.storage.s3 import S3Storage

    def build(**options) -> S3Storage:
        options.setdefault("part_size", SMALL_PART)
        storage = S3Storage(bucket=f"anice-test-{os.getpid()}-{next(_buckets)}",
                            endpoint_url=s3_endpoint, region="us-east-1",
                            **CREDENTIALS, **options)
        storage.client.create_bucket(Bucket=storage.bucket)
        return storage

    return build


@pytest.fixture(params=["local", "s3"])
def storage(request, tmp_path):
    if request.param == "local":
        from anice.storage import LocalStorage

        return LocalStorage(tmp_path / "evidence")
    return request.getfixturevalue("make_s3")()


@pytest.fixture
def pending_parts(storage):
    """What an unfinished writer leaves: part files, or open multipart uploads."""

    def find() -> list[str]:
        if storage.name == "local":
            if not storage.root.exists():
                return []
            return [p.relative_to(storage.root).as_posix()
                    for p in storage.root.rglob("*") if ".part-" in p.name]
        uploads = storage.client.list_multipart_uploads(Bucket=storage.bucket)
        return [upload["Key"] for upload in uploads.get("Uploads", [])]

    return find
