"""Fault fixtures: a Redis of the test's own (stopped and started by it), real RQ workers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from .. import servers
from ..conftest import _unavailable
from ..storage.conftest import s3_endpoint  # noqa: F401  (fixture)


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
    """``rq worker --burst -w workers.worker.Worker`` in its own process group, as in
    production, plus the fault points it pauses at (``anice.jobs.fault_point``)."""

    def __init__(self, config: dict, fault_dir: Path, pause: tuple[str, ...] = (),
                 log_level: str = "WARNING") -> None:
        from anice import ROOT

        env = {**os.environ, "DATABASE_URL": config["DATABASE_URL"],
               "REDIS_URL": config["REDIS_URL"], "ANICE_DATA_DIR": config["DATA_DIR"],
               "ANICE_EVIDENCE_DIR": config["EVIDENCE_DIR"],
               "ANICE_KEY_FILE": config["KEY_FILE"], "ANICE_LOG_LEVEL": log_level,
               "ANICE_FAULT_DIR": str(fault_dir)}
        env.pop("ANICE_FAULT_PAUSE", None)
        if pause:
            env["ANICE_FAULT_PAUSE"] = ",".join(pause)
        self.fault_dir = fault_dir
        self.log = fault_dir / f"worker-{time.monotonic_ns()}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "rq.cli", "worker", "--burst", "-w",
                 "workers.worker.Worker", "--url", config["REDIS_URL"], "default"], cwd=ROOT,
                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

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

    def start(pause: tuple[str, ...] = (), log_level: str = "WARNING") -> Worker:
        started.append(Worker(app_config, fault_dir, pause, log_level))
        return started[-1]

    yield start
    for w in started:
        if w.process.poll() is None:
            os.killpg(w.process.pid, signal.SIGKILL)
            w.process.wait(30)
        w.kill_paused_horses()


class FaultyProxy:
    """A TCP proxy in front of a server (the S3 store) that a test can take down (connections
    refused, open ones dropped) or make hang: requests reach the server, but the answers to
    the chosen HTTP methods never come back (a store that stopped answering mid-request)."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.hang_methods: tuple[bytes, ...] = ()
        self.port = servers.free_port()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def up(self) -> None:
        self.hang_methods = ()
        if self.listener is None:
            self.listener = socket.create_server(("127.0.0.1", self.port))
            threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self) -> None:
        """Refuse new connections and drop the open ones, as a stopped server would."""
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        self.cut()

    def hang(self, *methods: str) -> None:
        """From now on, answers to requests of these methods are swallowed."""
        self.hang_methods = tuple(f"{m} ".encode() for m in methods)
        self.cut()

    def cut(self) -> None:
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            self.sockets += [client, upstream]
            state = {"hang": False}  # the request now on this connection is one to swallow
            threading.Thread(target=self._pump, args=(client, upstream, state, False),
                             daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, state, True),
                             daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket, state: dict,
              answers: bool) -> None:
        try:
            while data := source.recv(65536):
                if not answers and self.hang_methods and data.startswith(self.hang_methods):
                    state["hang"] = True
                if not (answers and state["hang"]):
                    target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with contextlib.suppress(OSError):
                    sock.close()


@pytest.fixture
def s3_proxy(s3_endpoint):  # noqa: F811
    """The test run's moto S3 server behind a FaultyProxy."""
    proxy = FaultyProxy(int(s3_endpoint.rsplit(":", 1)[1]))
    yield proxy
    proxy.down()
