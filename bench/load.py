"""Load and soak: officers of several countries working at once, on the stack and embedded.

Each target is started from scratch in a temporary folder and filled the same way:
``--cases`` cases (bench/cases.py's generator), ``--marks`` registered marks imported with
``flask rights import`` (bench/matching.py's generator), a referral per officer, and a
monthly report per supervisor and coordinator. Then ``--users`` simulated officers log in
(password and TOTP) and loop over a realistic mix with think time between actions: list and
search cases, open a case, add a seizure item, upload and download a 1 MiB evidence file,
match a brand (API), read a referral, open a report.

Targets:
- ``stack``: ``scripts/stack up`` (PostgreSQL, Redis, gunicorn, two RQ workers, the RQ cron
  scheduler, moto S3), the production-like deployment;
- ``embedded``: SQLite, local evidence folder, jobs inline, ``flask run`` as ``make run`` does.

``--soak SECONDS`` then keeps a moderate load on the stack and samples the resident memory and
open file descriptors of every process (gunicorn master and workers, RQ workers, scheduler,
PostgreSQL, Redis, moto) every few seconds, prints their curves, and says whether any keeps
growing in the second half.

The last output line is JSON with ``users``, ``rps``, ``p50_ms``, ``p95_ms``, ``p99_ms``,
``errors`` (of the stack run) and the same figures per target and per action.

    .venv/bin/python bench/load.py            # 100,000 cases, 1,000,000 marks, 50 users, 3 min
    .venv/bin/python bench/load.py --quick    # 2,000 cases, 10,000 marks, 15 users, 20 s
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from bench.cases import fill, log, percentile  # noqa: E402
from bench.matching import write_registry  # noqa: E402

PASSWORD = "bench load password 2026 !"
CSRF = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"'
                  r'|<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')
EVIDENCE_FORM = re.compile(r'class="evidence-upload"\s+action="([^"]+)"')
PAGE_VIEWS = ("list_cases", "search_cases", "open_case", "read_referral", "open_report",
              "home")
MIX = {"list_cases": 18, "search_cases": 14, "open_case": 20, "add_seizure": 8,
       "evidence": 5, "match": 12, "read_referral": 10, "open_report": 5, "home": 8}
MIB = bytes(range(256)) * 4096


# --- targets ---------------------------------------------------------------------------

class Target:
    name = ""
    env: dict[str, str]
    base_url: str

    def flask(self, *args: str, timeout: float = 3600) -> str:
        out = subprocess.run([str(BIN / "flask"), "--app", "wsgi", *args], cwd=ROOT,
                             env=self.env, capture_output=True, text=True, timeout=timeout)
        if out.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout

    def processes(self) -> dict[str, int]:
        return {}

    def stop(self) -> None:
        raise NotImplementedError


class StackTarget(Target):
    name = "stack"

    def __init__(self, folder: Path, web_workers: int) -> None:
        self.dir = folder / "stack"
        env = {**os.environ, "ANICE_STACK_DIR": str(self.dir)}
        cmd = [str(ROOT / "scripts" / "stack"), "up", "--web-workers", str(web_workers),
               "--env", "ANICE_LOGIN_RATE_LIMIT=100000 per minute"]
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, stdout=sys.stderr)
        state = json.loads((self.dir / "state.json").read_text())
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("ANICE_", "DATABASE_"))}
        self.env = {**keep, **state["env"]}
        self.base_url = state["env"]["ANICE_BASE_URL"]

    def processes(self) -> dict[str, int]:
        state = json.loads((self.dir / "state.json").read_text())
        found = {name: p["pid"] for name, p in state.get("processes", {}).items()}
        for name, pid in list(found.items()):
            for i, child in enumerate(_children(pid)):
                found[f"{name}.{i + 1}"] = child
        return found

    def stop(self) -> None:
        env = {**os.environ, "ANICE_STACK_DIR": str(self.dir)}
        subprocess.run([str(ROOT / "scripts" / "stack"), "down"], cwd=ROOT, env=env,
                       stdout=sys.stderr, check=False)


class EmbeddedTarget(Target):
    """What ``make run`` starts: SQLite, local evidence and key file, inline jobs."""

    name = "embedded"

    def __init__(self, folder: Path) -> None:
        data = folder / "embedded"
        data.mkdir()
        keep = {k: v for k, v in os.environ.items()
                if not k.startswith(("ANICE_", "DATABASE_", "REDIS_"))}
        port = _free_port()
        self.env = {**keep, "ANICE_DATA_DIR": str(data),
                    "ANICE_KEY_FILE": str(folder / "embedded-keys" / "keyring.json"),
                    "SECRET_KEY": "bench-load-" + "x" * 40,
                    "ANICE_LOGIN_RATE_LIMIT": "100000 per minute",
                    "ANICE_BASE_URL": f"http://127.0.0.1:{port}"}
        self.base_url = self.env["ANICE_BASE_URL"]
        self.flask("db", "upgrade")
        self.flask("keys", "init")  # keys are never made on first use
        self.server: subprocess.Popen | None = None
        self.port = port

    def serve(self) -> None:
        self.server = subprocess.Popen(
            [str(BIN / "flask"), "--app", "wsgi", "run", "--host", "127.0.0.1", "--port",
             str(self.port), "--with-threads"], cwd=ROOT, env=self.env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _wait_health(self.base_url)

    def processes(self) -> dict[str, int]:
        return {"flask": self.server.pid} if self.server else {}

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(30)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_health(base_url: str, seconds: float = 120) -> None:
    import requests

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(base_url + "/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{base_url} did not answer /healthz")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


# --- data --------------------------------------------------------------------------------

@dataclass
class Officer:
    id: int
    email: str
    role: str
    country: str
    secret: str
    token: str = ""
    cases: list[int] = field(default_factory=list)
    referrals: list[int] = field(default_factory=list)
    reports: list[int] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    # The TOTP time step of the officer's last sign-in: a code is accepted once (replays
    # are refused), so signing in again waits for the next code, as a person would.
    last_step: int = -1


def prepare(target: Target, cases: int, marks: int, users: int, seed: int,
            folder: Path) -> list[Officer]:
    url = target.env.get("DATABASE_URL") or (
        f"sqlite:///{Path(target.env['ANICE_DATA_DIR']) / 'anice.db'}")
    started = time.perf_counter()
    saved = {k: os.environ.get(k) for k in ("ANICE_DATA_DIR", "ANICE_KEY_FILE", "SECRET_KEY")}
    os.environ.update({k: target.env[k] for k in saved if k in target.env})
    try:
        world = fill(url, cases, seed, target.name)
        log(f"{target.name}: {cases:,} cases in {time.perf_counter() - started:.0f} s")
        csv_path = folder / f"marks-{target.name}.csv"
        rows = write_registry(str(csv_path), marks, seed)
        texts = [r[2] for r in rows[:5000]]
        t0 = time.perf_counter()
        target.flask("rights", "import", str(csv_path))
        log(f"{target.name}: {marks:,} marks imported in {time.perf_counter() - t0:.0f} s")
        officers = _officers(url, world, users, seed, target)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    for i, o in enumerate(officers):
        o.brands = texts[i::len(officers)][:50] or ["NIKE"]
    _reports(target, officers)
    return officers


def _officers(url: str, world, users: int, seed: int, target: Target) -> list[Officer]:
    """Give ``users`` officers (investigators of every country, their supervisors and
    coordinators) a password, a TOTP secret, an API token, cases, a referral each."""
    import pyotp
    from sqlalchemy import select

    from anice import create_app
    from anice import db as anice_db
    from anice.auth import passwords
    from anice.auth.secrets import seal_secret
    from anice.auth.tokens import create_token
    from anice.models import Agency, Case, Role
    from anice.models import Officer as OfficerRow
    from anice.referrals import service as referrals

    rng = random.Random(seed)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": target.env["SECRET_KEY"]})
    chosen: list[Officer] = []
    with app.app_context():
        db = anice_db.session()
        digest = passwords.hash_password(PASSWORD)
        by_country: dict[str, list] = defaultdict(list)
        for row in db.scalars(select(OfficerRow).join(Agency).where(
                OfficerRow.role == Role.INVESTIGATOR).order_by(OfficerRow.id)):
            by_country[row.agency.country_code].append(row)
        countries = sorted(by_country)
        extra = list(db.scalars(select(OfficerRow).where(OfficerRow.role.in_(
            [Role.SUPERVISOR, Role.COORDINATOR])).order_by(OfficerRow.id)))
        wanted_staff = max(2, users // 5)
        picks = [o for o in extra if o.role == Role.COORDINATOR][:wanted_staff // 2]
        picks += [o for o in extra if o.role == Role.SUPERVISOR][:wanted_staff - len(picks)]
        i = 0
        while len(picks) < users:
            country = countries[i % len(countries)]
            pool = by_country[country]
            if pool:
                picks.append(pool.pop(0))
            i += 1
        for row in picks:
            secret = pyotp.random_base32()
            row.password_hash = digest
            row.totp_secret_enc = seal_secret(secret)
            row.totp_confirmed = True
            row.active = True
            _token, raw = create_token(db, row, "load bench", "read", 30)
            mine = list(db.scalars(select(Case.id).where(
                Case.agency_id == row.agency_id, Case.sensitivity == "normal")
                .order_by(Case.id.desc()).limit(200)))
            chosen.append(Officer(row.id, row.email, row.role.value, row.country_code, secret,
                                  raw, mine))
        db.commit()
        # One referral per investigator to another country's agency, sent and routed.
        agencies = list(db.scalars(select(Agency).where(Agency.kind != "secretariat")))
        for o in chosen:
            if o.role != "investigator" or not o.cases:
                continue
            actor = db.get(OfficerRow, o.id)
            to = rng.choice([a for a in agencies if a.country_code != o.country])
            made = referrals.create_referrals(db, actor, o.cases[0], {
                "to": f"agency:{to.id}", "requested_action": "investigate",
                "handling_code": "within_country", "message": "load bench",
                "fields": ["title", "kind"]})
            actor.agency.referral_approval = False
            referrals.submit(db, actor, made[0].id)
            o.referrals.append(made[0].id)
        db.commit()
        anice_db.engine().dispose()
    return chosen


def _reports(target: Target, officers: list[Officer]) -> None:
    """Monthly reports for the last month, if this version has reports."""
    try:
        target.flask("reports", "generate", "--period", _last_month(), timeout=3600)
    except RuntimeError as exc:
        log(f"{target.name}: no reports: {str(exc)[-800:]}")


def _last_month() -> str:
    from datetime import date

    today = date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year}-{month:02d}"


# --- the simulated officer ------------------------------------------------------------------

@dataclass
class Sample:
    action: str
    ms: float
    ok: bool
    status: int = 0
    at: float = field(default_factory=time.monotonic)  # when the request ended
    error: str = ""  # what failed, when nothing came back


class User(threading.Thread):
    def __init__(self, base_url: str, officer: Officer, until: float, think: tuple[float, float],
                 seed: int, out: list[Sample], lock: threading.Lock) -> None:
        super().__init__(daemon=True)
        import requests

        self.base = base_url
        self.o = officer
        self.until = until
        self.think = think
        self.rng = random.Random(seed)
        self.out = out
        self.lock = lock
        self.http = requests.Session()
        self.uploaded: list[str] = []

    def timed(self, action: str, method: str, path: str, expect=(200,), **kwargs):
        started = time.perf_counter()
        status = 0
        try:
            response = self.http.request(method, self.base + path, timeout=60,
                                         allow_redirects=False, **kwargs)
            status = response.status_code
            ok = status in expect
        except Exception as exc:  # noqa: BLE001 - a failed request is an error sample
            response, ok = None, False
            error = type(exc).__name__
        else:
            error = ""
        with self.lock:
            self.out.append(Sample(action, (time.perf_counter() - started) * 1000, ok, status,
                                   error=error))
        return response

    def csrf(self, html: str) -> str:
        found = CSRF.search(html)
        return (found.group(1) or found.group(2)) if found else ""

    def login(self) -> bool:
        import pyotp

        while int(time.time() // 30) <= self.o.last_step:
            time.sleep(0.5)
        self.o.last_step = int(time.time() // 30)
        page = self.http.get(self.base + "/login", timeout=60)
        response = self.timed("login", "POST", "/login", expect=(302,), data={
            "csrf_token": self.csrf(page.text), "email": self.o.email, "password": PASSWORD,
            "code": pyotp.TOTP(self.o.secret).at(self.o.last_step * 30)})
        return response is not None and response.status_code == 302

    def run(self) -> None:
        if not self.login():
            return
        actions = [a for a in MIX if a != "open_report" or self.o.role != "investigator"]
        weights = [MIX[a] for a in actions]
        while time.monotonic() < self.until:
            action = self.rng.choices(actions, weights)[0]
            try:
                getattr(self, action)()
            except Exception:  # noqa: BLE001 - a page fetched on the way failed: an error
                with self.lock:
                    self.out.append(Sample(action, 0, False))
            time.sleep(self.rng.uniform(*self.think))

    # --- actions ---------------------------------------------------------------------
    def home(self) -> None:
        self.timed("home", "GET", "/")

    def list_cases(self) -> None:
        page = self.rng.randint(1, 5)
        self.timed("list_cases", "GET", f"/cases/?page={page}")

    def search_cases(self) -> None:
        word = self.rng.choice(self.o.brands).split()[0]
        self.timed("search_cases", "GET", "/cases/", params={"q": word})

    def _case(self) -> int | None:
        return self.rng.choice(self.o.cases) if self.o.cases else None

    def open_case(self) -> None:
        case = self._case()
        if case:
            self.timed("open_case", "GET", f"/cases/{case}")

    def add_seizure(self) -> None:
        case = self._case()
        if not case:
            return
        page = self.http.get(f"{self.base}/cases/{case}", timeout=60)
        if page.status_code != 200 or f'action="/cases/{case}/items/seizure"' not in page.text:
            return  # a closed case or one the officer may not edit
        self.timed("add_seizure", "POST", f"/cases/{case}/items/seizure", expect=(302,), data={
            "csrf_token": self.csrf(page.text), "description": "Load bench goods",
            "brand": self.rng.choice(self.o.brands)[:60], "category": "apparel",
            "quantity": str(self.rng.randint(1, 500)), "unit": "pieces"})

    def evidence(self) -> None:
        case = self._case()
        if not case:
            return
        page = self.http.get(f"{self.base}/cases/{case}", timeout=60)
        form = EVIDENCE_FORM.search(page.text)
        if not form:
            return
        body = b"%PDF-1.7\n" + MIB + os.urandom(16) + b"\n%%EOF\n"
        response = self.timed("upload_1mib", "POST", form.group(1).replace("&amp;", "&"),
                              expect=(302,), files={"file": ("scan.pdf", body,
                                                             "application/pdf")})
        if response is None or "/evidence/" not in response.headers.get("Location", ""):
            return
        public_id = response.headers["Location"].rstrip("/").split("/")[-1]
        download = self.timed("download_1mib", "GET", f"/evidence/{public_id}/download")
        if download is not None and download.status_code == 200:
            if hashlib.sha256(download.content).digest() != hashlib.sha256(body).digest():
                with self.lock:
                    self.out.append(Sample("download_1mib_mismatch", 0, False))

    def match(self) -> None:
        query = self.rng.choice(self.o.brands)
        if self.rng.random() < 0.5 and len(query) > 4:  # a misspelling
            i = self.rng.randrange(1, len(query) - 1)
            query = query[:i] + query[i + 1] + query[i] + query[i + 2:]
        self.timed("match", "GET", "/api/v1/rights/match", params={"q": query},
                   headers={"Authorization": f"Bearer {self.o.token}"})

    def read_referral(self) -> None:
        self.timed("read_referral", "GET", "/referrals/?box=outbox")
        if self.o.referrals:
            self.timed("read_referral", "GET", f"/referrals/{self.o.referrals[0]}")

    def open_report(self) -> None:
        page = self.timed("open_report", "GET", "/reports/")
        if page is None or page.status_code != 200:
            return
        found = re.findall(r'href="/reports/(\d+)"', page.text)
        if found:
            self.timed("open_report", "GET", f"/reports/{found[0]}")


def run_load(target: Target, officers: list[Officer], users: int, seconds: float,
             think: tuple[float, float], seed: int) -> list[Sample]:
    samples: list[Sample] = []
    lock = threading.Lock()
    until = time.monotonic() + seconds
    threads = [User(target.base_url, officers[i % len(officers)], until, think, seed + i,
                    samples, lock) for i in range(users)]
    ramp = min(20.0, seconds / 6)  # officers log in over the first seconds, not at once
    for t in threads:
        t.start()
        time.sleep(ramp / users)
    for t in threads:
        t.join(seconds + 120)
    return samples


def warm_up(target: Target, officer: Officer) -> None:
    """The first match in each web worker builds its in-memory index (a minute at 1M
    marks): do that before the clock runs, as a deployment's start-up would."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    log(f"{target.name}: warming up the match index in every web worker")

    def one(_n: int) -> bool:
        t0 = time.perf_counter()
        requests.get(target.base_url + "/api/v1/rights/match", params={"q": "adidas"},
                     headers={"Authorization": f"Bearer {officer.token}"}, timeout=1800)
        return time.perf_counter() - t0 < 1

    deadline = time.monotonic() + 1800
    fast = 0
    with ThreadPoolExecutor(2) as pool:  # two at a time: both CPUs build indexes
        while fast < 12 and time.monotonic() < deadline:
            results = list(pool.map(one, range(2)))
            fast = fast + 2 if all(results) else 0
    if target.env.get("REDIS_URL") and officer.cases:
        _warm_workers(target, officer.cases[0])


def _warm_workers(target: Target, case_id: int, workers: int = 2) -> None:
    """Each RQ worker builds the match index once, before forking its first matching job:
    give each one such job now, as the web workers got their first match."""
    from redis import Redis
    from rq import Queue, Worker
    from rq.registry import StartedJobRegistry

    conn = Redis.from_url(target.env["REDIS_URL"])
    queue = Queue("default", connection=conn)
    for _ in range(workers):
        queue.enqueue_call("workers.rights.match_case", args=[case_id], timeout=900)
    deadline = time.monotonic() + 1800
    time.sleep(2)
    while time.monotonic() < deadline and (
            queue.count or StartedJobRegistry(queue=queue).count
            or any(w.get_state() in ("busy", "warming") for w in Worker.all(connection=conn))):
        time.sleep(2)


def summarise(samples: list[Sample], seconds: float) -> dict:
    by_action: dict[str, list[Sample]] = defaultdict(list)
    for s in samples:
        by_action[s.action].append(s)
    # Logging in (argon2id, deliberately costly) happens once a session: its own row.
    ok_ms = [s.ms for s in samples if s.ok and s.action != "login"]
    pages = [s.ms for s in samples if s.ok and s.action in PAGE_VIEWS]
    failed = sorted((s for s in samples if not s.ok), key=lambda s: s.at)
    start = min((s.at - s.ms / 1000 for s in samples), default=0.0)
    return {
        "requests": len(samples), "rps": round(len(samples) / seconds, 1),
        "p50_ms": round(percentile(ok_ms, 50), 1), "p95_ms": round(percentile(ok_ms, 95), 1),
        "p99_ms": round(percentile(ok_ms, 99), 1),
        "page_p95_ms": round(percentile(pages, 95), 1),
        "errors": sum(not s.ok for s in samples),
        # When failures happened (seconds into the run) and what they were: a burst points
        # at a stall, scattered ones at a steady cause.
        "error_times_s": [round(s.at - start, 1) for s in failed][:40],
        "error_kinds": sorted({s.error or f"status {s.status}" for s in failed}),
        "actions": {a: {"n": len(v), "p50_ms": round(percentile([s.ms for s in v], 50), 1),
                        "p95_ms": round(percentile([s.ms for s in v], 95), 1),
                        "p99_ms": round(percentile([s.ms for s in v], 99), 1),
                        "errors": sum(not s.ok for s in v),
                        "statuses": sorted({s.status for s in v if not s.ok})}
                    for a, v in sorted(by_action.items())},
    }


def table(name: str, result: dict) -> str:
    lines = [f"\n{name}: {result['requests']:,} requests, {result['rps']} req/s, "
             f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, "
             f"page views p95 {result['page_p95_ms']} ms, errors {result['errors']}",
             f"  {'action':<16}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}"]
    for action, row in result["actions"].items():
        lines.append(f"  {action:<16}{row['n']:>7}{row['p50_ms']:>10}{row['p95_ms']:>10}"
                     f"{row['p99_ms']:>10}{row['errors']:>8}"
                     + (f"  statuses {row['statuses']}" if row["statuses"] else ""))
    if result["errors"]:
        lines.append(f"  errors: {', '.join(result['error_kinds'])}; at (s): "
                     f"{', '.join(str(t) for t in result['error_times_s'])}")
    return "\n".join(lines)


# --- soak ---------------------------------------------------------------------------------

def _rss_fds(pid: int) -> tuple[float, int] | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        fds = len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return None
    rss = next((int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmRSS")), None)
    return None if rss is None else (rss / 1024, fds)  # None: a process exiting


def soak(target: Target, officers: list[Officer], users: int, seconds: float,
         seed: int) -> dict:
    """Moderate load for ``seconds``; RSS and fds of each process sampled all along."""
    curves: dict[str, list[tuple[float, float, int]]] = defaultdict(list)
    stop = threading.Event()

    def sample() -> None:
        t0 = time.monotonic()
        while not stop.is_set():
            for name, pid in target.processes().items():
                got = _rss_fds(pid)
                if got:
                    curves[name].append((time.monotonic() - t0, *got))
            stop.wait(5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    samples = run_load(target, officers, users, seconds, (1.0, 3.0), seed)
    stop.set()
    sampler.join()
    report = {}
    for name, points in sorted(curves.items()):
        if len(points) < 4:
            continue
        half = points[len(points) // 2:]
        step = max(1, len(points) // 12)
        rss_growth = half[-1][1] - half[0][1]
        fd_growth = half[-1][2] - half[0][2]
        report[name] = {"rss_mib_start": round(points[0][1], 1),
                        "rss_mib_end": round(points[-1][1], 1),
                        "rss_mib_growth_second_half": round(rss_growth, 1),
                        "fds_start": points[0][2], "fds_end": points[-1][2],
                        "fds_growth_second_half": fd_growth,
                        "curve_rss_mib": [round(p[1], 1) for p in points[::step]],
                        "curve_fds": [p[2] for p in points[::step]]}
    return {"seconds": seconds, "users": users, **summarise(samples, seconds),
            "processes": report}


# --- main -----------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="2,000 cases, 10,000 marks, 15 users, 20 s, 10 s soak (under 3 min)")
    parser.add_argument("--cases", type=int)
    parser.add_argument("--marks", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=float, help="load duration per target (180)")
    parser.add_argument("--soak", type=float, help="soak duration on the stack (600)")
    parser.add_argument("--target", choices=("stack", "embedded", "both"), default="both")
    parser.add_argument("--web-workers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args(argv)
    cases = args.cases or (2_000 if args.quick else 100_000)
    marks = args.marks or (10_000 if args.quick else 1_000_000)
    users = args.users or (15 if args.quick else 50)
    seconds = args.seconds or (20 if args.quick else 180)
    soak_seconds = args.soak if args.soak is not None else (10 if args.quick else 600)
    think = (0.5, 1.5)
    folder = Path(tempfile.mkdtemp(prefix="anice-load-"))
    # The stack's PostgreSQL runs as the postgres user: it must traverse the folder.
    os.chmod(folder, 0o755)  # noqa: S103  # nosec B103
    results: dict[str, dict] = {}
    targets = ["stack", "embedded"] if args.target == "both" else [args.target]
    try:
        for name in targets:
            log(f"--- {name}: starting and filling ({cases:,} cases, {marks:,} marks)")
            target = (StackTarget(folder, args.web_workers) if name == "stack"
                      else EmbeddedTarget(folder))
            try:
                officers = prepare(target, cases, marks, users, args.seed, folder)
                if isinstance(target, EmbeddedTarget):
                    target.serve()
                warm_up(target, officers[0])
                log(f"{name}: {users} users for {seconds:.0f} s")
                samples = run_load(target, officers, users, seconds, think, args.seed)
                results[name] = summarise(samples, seconds)
                print(table(name, results[name]), flush=True)
                if name == "stack" and soak_seconds > 0:
                    log(f"stack: soak, {max(5, users // 3)} users for {soak_seconds:.0f} s")
                    results["soak"] = soak(target, officers, max(5, users // 3), soak_seconds,
                                           args.seed + 7)
                    print(soak_table(results["soak"]), flush=True)
            finally:
                target.stop()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    head = results.get("stack") or results[targets[0]]
    summary = {"users": users, "cases": cases, "marks": marks, "seconds": seconds,
               "rps": head["rps"], "p50_ms": head["p50_ms"], "p95_ms": head["p95_ms"],
               "p99_ms": head["p99_ms"], "page_p95_ms": head["page_p95_ms"],
               "errors": head["errors"], "targets": results}
    print(json.dumps(summary, separators=(",", ":")))
    return 0


def soak_table(result: dict) -> str:
    lines = [f"\nsoak: {result['users']} users, {result['seconds']:.0f} s, {result['requests']:,} "
             f"requests, p95 {result['p95_ms']} ms, errors {result['errors']}",
             f"  {'process':<14}{'RSS MiB start':>14}{'end':>8}{'growth 2nd half':>17}"
             f"{'fds start':>11}{'end':>6}  RSS curve (MiB)"]
    for name, row in result["processes"].items():
        lines.append(f"  {name:<14}{row['rss_mib_start']:>14}{row['rss_mib_end']:>8}"
                     f"{row['rss_mib_growth_second_half']:>17}{row['fds_start']:>11}"
                     f"{row['fds_end']:>6}  {' '.join(str(v) for v in row['curve_rss_mib'])}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
