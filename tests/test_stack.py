"""`scripts/stack up|down`: the production-like deployment on loopback, end to end.

PostgreSQL, Redis, moto's S3, gunicorn (several workers), two RQ workers and the cron
scheduler come up; /healthz answers through gunicorn; an evidence file goes up and comes
back through the S3 store; /metrics sums the gunicorn workers and sees the RQ workers and
their jobs; `down` leaves no process of the stack behind.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from anice import ROOT

from .evidence.test_service import MARKER, pdf_bytes

pytestmark = pytest.mark.xdist_group("stack")

MAKE_OFFICER = """
import json
from anice import create_app, db
from anice.auth import tokens
from tests.cases.helpers import new_case
from tests.factories import Factory
app = create_app()
with app.app_context():
    session = db.session()
    officer = Factory(session).officer()
    case = new_case(session, officer)
    _, raw = tokens.create_token(session, officer, "stack test", "read-write", 5)
    session.commit()
    print(json.dumps({"case": case.id, "token": raw}))
"""


def stack(folder: Path, *args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ANICE_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"))}
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "stack.py"), *args],
                          env={**env, "ANICE_STACK_DIR": str(folder)}, cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def request(url: str, data: bytes | None = None, headers: dict | None = None,
            method: str | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def marked(stack_id: str) -> list[int]:
    marker = f"ANICE_STACK_ID={stack_id}".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if marker in (proc / "environ").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def metric(text: str, line_start: str) -> float:
    for line in text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
def stack_dir():
    # Under /tmp (world-traversable) so that the postgres user reaches the cluster folder.
    folder = Path(tempfile.mkdtemp(prefix="anice-stack-test-"))
    yield folder
    state = folder / "state.json"
    if state.exists() and json.loads(state.read_text()).get("processes"):
        stack(folder, "down")
    shutil.rmtree(folder, ignore_errors=True)


def test_stack_up_serves_and_down_leaves_nothing(stack_dir):
    up = stack(stack_dir, "up", "--web-workers", "2")
    assert up.returncode == 0, up.stdout + up.stderr
    state = json.loads((stack_dir / "state.json").read_text())
    settings = state["env"]
    base = settings["ANICE_BASE_URL"]
    assert set(state["processes"]) == {"postgres", "redis", "moto", "gunicorn", "worker-1",
                                       "worker-2", "cron"}
    assert Path(settings["ANICE_KEY_FILE"]).parent != Path(settings["ANICE_DATA_DIR"])
    # Redis persists to an append-only file in the stack's folder.
    assert any(p.name.startswith("appendonly") for p in (stack_dir / "redis").iterdir())

    status, body = request(f"{base}/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok", "database": "ok", "redis": "ok", "keys": "ok",
                                "audit_key": "ok"}
    assert Path(settings["ANICE_KEY_FILE"]).exists()  # made by `keys init`, not on first use

    env = {**os.environ, **settings, "PYTHONPATH": str(ROOT)}
    made = subprocess.run([sys.executable, "-c", MAKE_OFFICER], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr[-3000:]
    ids = json.loads(made.stdout.strip().splitlines()[-1])
    auth = {"Authorization": f"Bearer {ids['token']}"}
    data = pdf_bytes(700_000)
    status, body = request(f"{base}/api/v1/cases/{ids['case']}/evidence?filename=scan.pdf",
                           data=data, headers={**auth, "Content-Type": "application/pdf"})
    assert status == 201, body
    evidence = json.loads(body)
    status, content = request(f"{base}/api/v1/evidence/{evidence['id']}/content", headers=auth)
    assert status == 200 and content == data

    import boto3

    s3 = boto3.client("s3", endpoint_url=settings["ANICE_S3_ENDPOINT_URL"],
                      region_name="us-east-1",
                      aws_access_key_id=settings["ANICE_S3_ACCESS_KEY_ID"],
                      aws_secret_access_key=settings["ANICE_S3_SECRET_ACCESS_KEY"])
    objects = s3.list_objects_v2(Bucket=settings["ANICE_S3_BUCKET"])["Contents"]
    stored = [o["Key"] for o in objects if evidence["id"] in o["Key"]]
    assert stored
    raw = s3.get_object(Bucket=settings["ANICE_S3_BUCKET"], Key=stored[0])["Body"].read()
    assert MARKER not in raw and len(raw) > len(data)

    scrape = {"Authorization": f"Bearer {settings['ANICE_METRICS_TOKEN']}"}
    assert request(f"{base}/metrics")[0] == 404
    deadline = time.monotonic() + 60
    while True:  # the upload queued a derivatives job for the RQ workers
        status, page = request(f"{base}/metrics", headers=scrape)
        text = page.decode()
        if metric(text, 'anice_job_duration_seconds_count{job="workers.evidence.'
                        'make_derivatives"}') >= 1 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status == 200
    assert metric(text, 'anice_job_duration_seconds_count{job="workers.evidence.'
                        'make_derivatives"}') >= 1
    assert metric(text, 'anice_http_requests_total{endpoint="api.upload_evidence",'
                        'method="POST",status="201"}') == 1
    assert metric(text, 'anice_http_requests_total{endpoint="health.healthz",'
                        'method="GET",status="200"}') >= 1
    assert metric(text, 'anice_rq_workers{queue="default"}') == 2
    assert stack(stack_dir, "status").returncode == 0

    down = stack(stack_dir, "down")
    assert down.returncode == 0, down.stdout + down.stderr
    for entry in state["processes"].values():
        assert not Path(f"/proc/{entry['pid']}").exists() or "Z" in Path(
            f"/proc/{entry['pid']}/stat").read_text().rpartition(")")[2].split()[0]
    assert marked(state["id"]) == []
    assert stack(stack_dir, "status").returncode == 1
