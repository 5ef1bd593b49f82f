"""Real PostgreSQL and Redis servers for the tests, on loopback ports in temp folders.

PostgreSQL refuses to run as root, so as root the cluster belongs to the ``postgres``
system user and its commands run through ``runuser``.
"""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field


class ServerUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path:
        return path
    raise ServerUnavailable(f"PostgreSQL's {name} not found (apt-get install postgresql)")


@dataclass
class Postgres:
    port: int
    datadir: str
    sockdir: str
    as_user: list[str]
    stopped: bool = field(default=False, repr=False)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://anice@127.0.0.1:{self.port}/{dbname}"

    def crash(self) -> None:
        """Stop the server as a crash would (fault tests): connections drop, the data stays.

        The test cluster runs with synchronous_commit=off (speed), so commits of the last
        few hundred milliseconds may still sit in memory; a checkpoint first writes them
        out, as a durable production server would have, and transactions in flight are
        lost as in a real crash."""
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=anice dbname=postgres "
                             "connect_timeout=5", autocommit=True) as conn:
            conn.execute("CHECKPOINT")
        subprocess.run([*self.as_user, _pg_bin("pg_ctl"), "-D", self.datadir, "-m", "immediate",
                        "-w", "stop"], capture_output=True, check=True)

    def start(self) -> None:
        """Start it again after ``crash`` (recovery runs first); waits until it accepts."""
        root = os.path.dirname(self.datadir)
        subprocess.run([*self.as_user, _pg_bin("pg_ctl"), "-D", self.datadir, "-o",
                        _pg_options(self.port, self.sockdir), "-w", "-t", "60", "-l",
                        os.path.join(root, "log"), "start"], check=True, capture_output=True)

    def stop(self) -> None:
        """Stop the cluster and remove its folder; calling it again does nothing."""
        if self.stopped:
            return
        self.stopped = True
        subprocess.run([*self.as_user, _pg_bin("pg_ctl"), "-D", self.datadir, "-m", "immediate",
                        "stop"], capture_output=True, check=False)
        shutil.rmtree(os.path.dirname(self.datadir), ignore_errors=True)


def _pg_options(port: int, sockdir: str) -> str:
    return (f"-p {port} -k {sockdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")


def start_postgres() -> Postgres:
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    root = tempfile.mkdtemp(prefix="anice-pg-")
    datadir, sockdir = os.path.join(root, "data"), os.path.join(root, "sock")
    os.makedirs(sockdir)
    as_user: list[str] = []
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
        shutil.chown(sockdir, "postgres")
    os.chmod(root, 0o755)
    subprocess.run([*as_user, initdb, "-D", datadir, "-A", "trust", "-U", "anice",
                    "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)
    port = free_port()
    opts = _pg_options(port, sockdir)
    subprocess.run([*as_user, pg_ctl, "-D", datadir, "-o", opts, "-w", "-t", "60",
                    "-l", os.path.join(root, "log"), "start"], check=True, capture_output=True)
    server = Postgres(port, datadir, sockdir, as_user)
    # Also at interpreter exit, so an interrupted run (Ctrl-C) does not leave it running.
    atexit.register(server.stop)
    return server


@dataclass
class Redis:
    port: int
    process: subprocess.Popen

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        """Stop the server; calling it again does nothing."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def start_redis(port: int | None = None) -> Redis:
    """A new redis-server, on a free port or on ``port`` (to restart a stopped one)."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServerUnavailable("redis-server not found (apt-get install redis-server)")
    port = port or free_port()
    proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--daemonize", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                server = Redis(port, proc)
                atexit.register(server.stop)
                return server
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise ServerUnavailable("redis-server did not start")
