"""A production-like ANICE on this machine, all on loopback: ``scripts/stack up|down|status``.

PostgreSQL (its own cluster), Redis (AOF persistence), an S3 API (moto server), gunicorn
(threaded workers) serving wsgi:app, two RQ workers, RQ's cron scheduler. Everything lives
in the state folder ($ANICE_STACK_DIR, default ./.stack): data, logs, ``env`` (the settings,
to ``source`` before running ``flask --app wsgi ...`` against the stack) and ``state.json``
(the processes started, with their start times, so that ``down`` stops exactly those).
Each ``up`` starts a fresh stack: moto keeps the evidence objects in memory only.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Niceness of the RQ workers and cron: jobs wait a little when officers' requests need the
# CPU (deploy/systemd does the same with Nice=10).
JOB_NICE = 10
STOP_ORDER = ("gunicorn", "cron", "worker-2", "worker-1", "moto", "redis", "postgres")


def stack_dir() -> Path:
    return Path(os.environ.get("ANICE_STACK_DIR") or ROOT / ".stack").resolve()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_bin(name: str) -> str:
    import glob

    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    path = found[-1] if found else shutil.which(name)
    if not path:
        sys.exit(f"PostgreSQL's {name} not found: apt-get install postgresql")
    return path


def start_time(pid: int) -> str | None:
    """The kernel's start time of a process: a pid reused later will not match it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rpartition(")")[2].split()
    return None if fields[0] in ("Z", "X") else fields[19]  # a zombie has ended


class Stack:
    def __init__(self, folder: Path):
        self.dir = folder
        self.state_file = folder / "state.json"
        self.state = json.loads(self.state_file.read_text()) if self.state_file.exists() else {}
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    # --- bookkeeping -------------------------------------------------------------------
    def save(self) -> None:
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, indent=1))
        tmp.replace(self.state_file)

    def record(self, name: str, pid: int) -> None:
        self.state.setdefault("processes", {})[name] = {"pid": pid, "start": start_time(pid)}
        self.save()

    def alive(self, name: str) -> bool:
        entry = self.state.get("processes", {}).get(name)
        return bool(entry) and entry["start"] is not None and start_time(
            entry["pid"]) == entry["start"]

    def log(self, name: str):
        return open(self.dir / "logs" / f"{name}.log", "ab")

    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items()
                if not k.startswith(("ANICE_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY",
                                     "PROMETHEUS_", "GUNICORN_"))}
        # The id marks every process of the stack (children too) for the final sweep of
        # `down`; it is not in the env file, so a shell that sources it is never marked.
        return {**keep, **self.state["env"], "ANICE_STACK_ID": self.state["id"],
                "PYTHONUNBUFFERED": "1"}

    def spawn(self, name: str, args: list[str], nice: int = 0, **extra) -> subprocess.Popen:
        # A session of its own: the process outlives this script and is signalled by pid.
        # ``nice``: background work (RQ workers, cron) yields the CPU to web requests.
        if nice:
            extra["preexec_fn"] = lambda: os.nice(nice)
        process = subprocess.Popen(args, cwd=ROOT, env=extra.pop("env", self.env()),
                                   stdin=subprocess.DEVNULL, stdout=self.log(name),
                                   stderr=subprocess.STDOUT, start_new_session=True, **extra)
        self.record(name, process.pid)
        return process

    # --- up ------------------------------------------------------------------------------
    def up(self, demo: bool, demo_cases: int, web_workers: int,
           extra_env: dict[str, str] | None = None) -> None:
        if any(self.alive(n) for n in STOP_ORDER):
            sys.exit(f"a stack is running from {self.dir}: run `scripts/stack down` first")
        if self.dir.exists():
            for child in ("pg", "redis", "data", "keys", "prom", "logs", "state.json", "env"):
                path = self.dir / child
                shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(
                    missing_ok=True)
        for sub in ("logs", "redis", "data", "keys", "prom"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True, mode=0o700)
        # The postgres user must reach pg/; the folder itself holds no data (subfolders 0700).
        os.chmod(self.dir, 0o755)  # noqa: S103  # nosec B103
        self.state = {"id": secrets.token_hex(8), "ports": {
            "postgres": free_port(), "redis": free_port(), "moto": free_port(),
            "web": int(os.environ.get("ANICE_STACK_PORT") or free_port())}}
        self.save()
        try:
            password = secrets.token_urlsafe(18)
            with phase("PostgreSQL"):
                self.start_postgres(password)
            self.state["env"] = {**self.settings(password), **(extra_env or {})}
            self.save()
            self.write_env_file()
            with phase("Redis and S3"):
                self.start_redis()
                self.start_moto()
            with phase("migrations and keys"):
                self.flask("db", "upgrade")
                print(self.flask("keys", "init"), end="")  # keys are never made on first use
                self.flask("audit", "init-key")
            if demo:
                with phase("demo data"):
                    print(self.flask("demo", "load", "--not-embedded-ok", "--cases",
                                     str(demo_cases)), end="")
            with phase("gunicorn, RQ workers and cron"):
                self.start_app(web_workers)
        except BaseException:
            print(f"stack did not start; logs in {self.dir / 'logs'}", file=sys.stderr)
            self.down(quiet=True)
            raise
        web = self.state["env"]["ANICE_BASE_URL"]
        print(f"stack up: {web} (gunicorn x{web_workers}, 2 RQ workers, cron), PostgreSQL "
              f":{self.state['ports']['postgres']}, Redis :{self.state['ports']['redis']}, "
              f"S3 :{self.state['ports']['moto']}")
        print(f"settings: source {self.dir / 'env'}; stop: scripts/stack down")

    def settings(self, password: str) -> dict[str, str]:
        p = self.state["ports"]
        return {
            "DATABASE_URL": f"postgresql+psycopg://anice:{password}@127.0.0.1:{p['postgres']}"
                            "/anice",
            "REDIS_URL": f"redis://127.0.0.1:{p['redis']}/0",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "ANICE_DATA_DIR": str(self.dir / "data"),
            "ANICE_KEY_FILE": str(self.dir / "keys" / "keyring.json"),
            "ANICE_BASE_URL": f"http://127.0.0.1:{p['web']}",
            "ANICE_EVIDENCE_STORAGE": "s3",
            "ANICE_S3_BUCKET": "anice-evidence",
            "ANICE_S3_ENDPOINT_URL": f"http://127.0.0.1:{p['moto']}",
            "ANICE_S3_REGION": "us-east-1",
            "ANICE_S3_ACCESS_KEY_ID": "stack",
            "ANICE_S3_SECRET_ACCESS_KEY": secrets.token_urlsafe(18),
            "ANICE_METRICS_TOKEN": secrets.token_urlsafe(24),
            "PROMETHEUS_MULTIPROC_DIR": str(self.dir / "prom"),
        }

    def write_env_file(self) -> None:
        path = self.dir / "env"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            for key, value in self.state["env"].items():
                fh.write(f"export {key}='{value}'\n")

    def start_postgres(self, password: str) -> None:
        pg = self.dir / "pg"
        pg.mkdir(mode=0o700)
        pwfile = pg / "pwfile"
        pwfile.write_text(password + "\n")
        os.chmod(pwfile, 0o600)
        if self.as_postgres:
            for path in (pg, pwfile):
                shutil.chown(path, "postgres")
            if subprocess.run([*self.as_postgres, "test", "-w", str(pg)]).returncode != 0:
                raise RuntimeError(f"the postgres user cannot reach {pg}: put the stack in a "
                                   "folder every user may traverse (ANICE_STACK_DIR)")
        run([*self.as_postgres, pg_bin("initdb"), "-D", str(pg / "data"), "-U", "anice",
             "--auth=scram-sha-256", f"--pwfile={pwfile}", "-E", "UTF8", "--locale=C.UTF-8"],
            "initdb")
        pwfile.unlink()
        port = self.state["ports"]["postgres"]
        opts = (f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' "
                "-c max_connections=200")
        env = {**os.environ, "ANICE_STACK_ID": self.state["id"]}
        run([*self.as_postgres, pg_bin("pg_ctl"), "-D", str(pg / "data"), "-o", opts, "-w",
             "-t", "60", "-l", str(pg / "server.log"), "start"], "pg_ctl start", env=env)
        pid = int((pg / "data" / "postmaster.pid").read_text().split()[0])
        self.record("postgres", pid)
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="anice", password=password,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE anice")

    def start_redis(self) -> None:
        binary = shutil.which("redis-server") or sys.exit("redis-server not found")
        port = self.state["ports"]["redis"]
        self.spawn("redis", [binary, "--port", str(port), "--bind", "127.0.0.1",
                             "--dir", str(self.dir / "redis"), "--appendonly", "yes",
                             "--appendfsync", "everysec", "--save", "", "--daemonize", "no"])
        wait_port(port, "redis")

    def start_moto(self) -> None:
        port = self.state["ports"]["moto"]
        self.spawn("moto", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1",
                            "-p", str(port)])
        wait_port(port, "moto")
        import boto3

        env = self.state["env"]
        boto3.client("s3", endpoint_url=env["ANICE_S3_ENDPOINT_URL"], region_name="us-east-1",
                     aws_access_key_id=env["ANICE_S3_ACCESS_KEY_ID"],
                     aws_secret_access_key=env["ANICE_S3_SECRET_ACCESS_KEY"]
                     ).create_bucket(Bucket=env["ANICE_S3_BUCKET"])

    def flask(self, *args: str) -> str:
        return run([str(BIN / "flask"), "--app", "wsgi", *args], "flask " + " ".join(args),
                   env=self.env())

    def start_app(self, web_workers: int) -> None:
        env = {**self.env(), "GUNICORN_BIND": f"127.0.0.1:{self.state['ports']['web']}",
               "GUNICORN_WORKERS": str(web_workers)}
        self.spawn("gunicorn", [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" /
                                                              "gunicorn.conf.py"), "wsgi:app"],
                   env=env)
        redis_url = self.state["env"]["REDIS_URL"]
        for n in (1, 2):
            self.spawn(f"worker-{n}", [str(BIN / "rq"), "worker", "-w", "workers.worker.Worker",
                                       "--with-scheduler", "--url", redis_url, "--path",
                                       str(ROOT), "--name", f"stack-{self.state['id']}-{n}",
                                       "default"], nice=JOB_NICE)
        self.spawn("cron", [str(BIN / "rq"), "cron", "workers.cron", "--url", redis_url,
                            "--path", str(ROOT)], nice=JOB_NICE)
        wait_for(lambda: health(self.state["env"]["ANICE_BASE_URL"]) == "ok", 90,
                 "gunicorn /healthz", self)
        wait_for(lambda: self.workers_registered() >= 2, 60, "2 RQ workers", self)
        for name in ("cron", "worker-1", "worker-2", "gunicorn"):
            if not self.alive(name):
                raise RuntimeError(f"{name} exited; see {self.dir / 'logs' / name}.log")

    def workers_registered(self) -> int:
        from redis import Redis
        from rq import Worker

        names = {f"stack-{self.state['id']}-{n}" for n in (1, 2)}
        conn = Redis.from_url(self.state["env"]["REDIS_URL"])
        return len(names & {w.name for w in Worker.all(connection=conn)})

    # --- down and status ----------------------------------------------------------------
    def down(self, quiet: bool = False) -> None:
        processes = self.state.get("processes", {})
        for name in STOP_ORDER:
            if name not in processes:
                continue
            started = time.monotonic()
            if self.alive(name):
                self.stop(name)
            if not quiet:
                print(f"stopped {name} (pid {processes[name]['pid']}) in "
                      f"{time.monotonic() - started:.1f} s")
        leftovers = self.marked_processes()
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
        if leftovers:
            print(f"killed {len(leftovers)} leftover processes of this stack: {leftovers}")
        self.state.pop("processes", None)
        if self.state:
            self.save()

    def stop(self, name: str) -> None:
        pid = self.state["processes"][name]["pid"]
        if name == "postgres":
            subprocess.run([*self.as_postgres, pg_bin("pg_ctl"), "-D",
                            str(self.dir / "pg" / "data"), "-m", "fast", "-w", "stop"],
                           capture_output=True, check=False)
        else:
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while self.alive(name) and time.monotonic() < deadline:
            time.sleep(0.1)
        if self.alive(name):
            os.killpg(pid, signal.SIGKILL)

    def marked_processes(self) -> list[int]:
        """Processes carrying this stack's id in their environment (children included)."""
        marker = f"ANICE_STACK_ID={self.state.get('id')}".encode()
        found, mine = [], ancestors()
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit() or int(proc.name) in mine:
                continue
            try:
                if marker in (proc / "environ").read_bytes().split(b"\0"):
                    found.append(int(proc.name))
            except OSError:
                continue
        return found

    def status(self) -> int:
        processes = self.state.get("processes", {})
        if not processes:
            print(f"no stack running from {self.dir}")
            return 1
        down = 0
        for name in reversed(STOP_ORDER):
            if name in processes:
                ok = self.alive(name)
                down += not ok
                print(f"{name:<9} pid {processes[name]['pid']:<8} {'up' if ok else 'DOWN'}")
        url = self.state["env"]["ANICE_BASE_URL"]
        print(f"{url}/healthz: {health(url)}")
        return 1 if down else 0


def ancestors() -> set[int]:
    """This process and its parents: never swept, whatever their environment."""
    pids, pid = set(), os.getpid()
    while pid > 1:
        pids.add(pid)
        try:
            pid = int(Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return pids


@contextmanager
def phase(what: str):
    started = time.monotonic()
    yield
    print(f"{what} ready in {time.monotonic() - started:.1f} s", flush=True)


def run(args: list[str], what: str, env: dict | None = None) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return done.stdout


def wait_port(port: int, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} within {seconds} s")


def health(base_url: str) -> str:
    try:
        # An http URL this script built from a loopback port, never user input.
        url = f"{base_url}/healthz"
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310  # nosec B310
            body = json.loads(response.read())
    except Exception as exc:  # noqa: BLE001 - reported, not raised
        return f"unreachable ({type(exc).__name__})"
    return body.get("status", "?") if body.get("redis") == "ok" else json.dumps(body)


def wait_for(check, seconds: float, what: str, stack: Stack) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise RuntimeError(f"{what} not ready within {seconds} s; logs in {stack.dir / 'logs'}")


def main() -> int:
    parser = argparse.ArgumentParser(description="A production-like ANICE on loopback.")
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start a fresh stack")
    up.add_argument("--demo", action="store_true", help="load the demo data set")
    up.add_argument("--demo-cases", type=int, default=300)
    up.add_argument("--web-workers", type=int,
                    default=int(os.environ.get("ANICE_STACK_WEB_WORKERS") or 4))
    up.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="an extra setting for every process (e.g. a benchmark's "
                         "ANICE_LOGIN_RATE_LIMIT); repeatable")
    down = sub.add_parser("down", help="stop what `up` started")
    down.add_argument("--purge", action="store_true", help="also delete the state folder")
    sub.add_parser("status", help="the processes and /healthz")
    args = parser.parse_args()
    stack = Stack(stack_dir())
    if args.command == "up":
        extra = {}
        for item in args.env:
            name, sep, value = item.partition("=")
            if not sep or not name.isidentifier():
                parser.error(f"--env {item!r}: expected NAME=VALUE")
            extra[name] = value
        stack.up(args.demo, args.demo_cases, args.web_workers, extra)
        return 0
    if args.command == "down":
        if not stack.state:
            print(f"no stack state in {stack.dir}")
            return 0
        stack.down()
        if args.purge:
            shutil.rmtree(stack.dir, ignore_errors=True)
        return 0
    return stack.status()


if __name__ == "__main__":
    sys.exit(main())
