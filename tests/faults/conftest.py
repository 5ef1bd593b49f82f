"""Fault fixtures: a Redis of the test's own (stopped and started by it), real RQ workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .. import servers
from ..conftest import _unavailable


@pytest.fixture
def own_redis():
    """A redis-server for one test: stopping it does not disturb the other tests."""
    try:
        server = servers.start_redis()
    except (servers.ServerUnavailable, OSError) as exc:
        _unavailable(exc)
    yield server
    server.stop()


def with_redis(config: dict, redis: servers.Redis) -> dict:
    """Production mode: RQ and rate limits in Redis; a failed job is retried at once.
    A module overrides ``app_config`` with it: ``return with_redis(app_config, own_redis)``."""
    return {**config, "REDIS_URL": redis.url, "RATELIMIT_STORAGE_URI": redis.url,
            "JOB_RETRY_INTERVALS": [0]}


class Worker:
    """``rq worker --burst`` in its own process group, as in production, plus the fault
    points it pauses at (``anice.jobs.fault_point``)."""

    def __init__(self, config: dict, fault_dir: Path, pause: tuple[str, ...] = ()) -> None:
        from anice import ROOT

        env = {**os.environ, "DATABASE_URL": config["DATABASE_URL"],
               "REDIS_URL": config["REDIS_URL"], "ANICE_DATA_DIR": config["DATA_DIR"],
               "ANICE_EVIDENCE_DIR": config["EVIDENCE_DIR"],
               "ANICE_KEY_FILE": config["KEY_FILE"], "ANICE_LOG_LEVEL": "WARNING",
               "ANICE_FAULT_DIR": str(fault_dir)}
        env.pop("ANICE_FAULT_PAUSE", None)
        if pause:
            env["ANICE_FAULT_PAUSE"] = ",".join(pause)
        self.fault_dir = fault_dir
        self.log = fault_dir / f"worker-{time.monotonic_ns()}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "rq.cli", "worker", "--burst", "--url",
                 config["REDIS_URL"], "default"], cwd=ROOT, env=env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def paused_at(self, point: str, limit: float = 60.0) -> int:
        """Wait until the job pauses at ``point``; returns the pid of the process running it."""
        marker = self.fault_dir / point
        deadline = time.monotonic() + limit
        while not (marker.exists() and marker.read_text()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"never paused at {point}: {self.output()}")
            time.sleep(0.02)
        return int(marker.read_text())

    def kill_job(self, point: str) -> None:
        """SIGKILL the work horse paused at ``point``; the worker itself survives."""
        os.kill(self.paused_at(point), signal.SIGKILL)

    def kill_all(self, point: str) -> None:
        """SIGKILL the worker and its work horse (paused at ``point``) at once: a crashed
        host. RQ puts the horse in a process group of its own, so it is killed by pid."""
        horse = self.paused_at(point)
        os.killpg(self.process.pid, signal.SIGKILL)
        os.kill(horse, signal.SIGKILL)
        self.process.wait(30)

    def kill_paused_horses(self) -> None:
        """Teardown: no horse of this worker may sleep on at a fault point."""
        for marker in self.fault_dir.iterdir():
            if marker.suffix == ".log" or not marker.read_text().isdigit():
                continue
            pid = int(marker.read_text())
            try:
                if b"rq" in Path(f"/proc/{pid}/cmdline").read_bytes():
                    os.kill(pid, signal.SIGKILL)
            except (FileNotFoundError, ProcessLookupError):
                pass

    def finish(self, limit: float = 120.0) -> None:
        self.process.wait(limit)
        assert self.process.returncode == 0, self.output()

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture
def worker(app_config, tmp_path):
    """``worker(pause=("workers.x.y:commit1", ...))`` starts one; all are killed at the end."""
    started: list[Worker] = []
    fault_dir = tmp_path / "faults"
    fault_dir.mkdir()

    def start(pause: tuple[str, ...] = ()) -> Worker:
        started.append(Worker(app_config, fault_dir, pause))
        return started[-1]

    yield start
    for w in started:
        if w.process.poll() is None:
            os.killpg(w.process.pid, signal.SIGKILL)
            w.process.wait(30)
        w.kill_paused_horses()
