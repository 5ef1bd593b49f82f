"""Benchmark of evidence sealing, opening and HTTP transfer (the Evidence issue).

Measures in one run, on the same machine:

- seal and open throughput of the streaming format (ANICE-EV1, 64 KiB segments) through
  ``SealingWriter`` and ``open_stream``, in memory: 1 GiB (256 MiB with ``--quick``) of
  pseudo-random data, from a 16 MiB random buffer made once, into a sink that only counts;
- ``openssl speed -evp aes-256-gcm -bytes 16384 -seconds 3``, and the ratios of the two
  (goal: >= 0.5);
- end-to-end HTTP upload and download of a 2 GiB file (256 MiB with ``--quick``) through the
  API (``POST /api/v1/cases/{id}/evidence``, ``GET /api/v1/evidence/{id}/content``) of the
  real app under gunicorn (one sync worker), with the worker's RSS sampled every 100 ms
  (goal: peak growth < 100 MiB) and the downloaded SHA-256 checked against the upload's.

    .venv/bin/python bench/evidence.py --quick   # 256 MiB, well under 3 minutes
    .venv/bin/python bench/evidence.py           # 1 GiB of crypto, a 2 GiB file over HTTP

MB/s is 10^6 bytes per second. The crypto figures are computed on CPU time, as
``openssl speed`` computes its own, so that a busy machine skews neither side; the wall-clock
figures are shown beside them. The last line of the output is JSON with the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

MiB = 1024 * 1024
MB = 1_000_000
RANDOM_BUFFER = 16 * MiB
APP_CHUNK = 64 * 1024  # what the API reads from the request body per call (views.CHUNK)
CLIENT_CHUNK = 1 * MiB  # what the benchmark client sends / reads per call
PDF_PREFIX = b"%PDF-1.7\n"
OPENSSL_BYTES = 16384
OPENSSL_SECONDS = 3
GOAL_RATIO = 0.5
GOAL_RSS_MIB = 100.0
SAMPLE_SECONDS = 0.1
MIN_HTTP_MIB = 16
DISK_MARGIN = 128 * MiB


# --- output --------------------------------------------------------------------------

def log(message: str, *, end: str = "\n") -> None:
    print(message, end=end, file=sys.stderr, flush=True)


def mb_s(nbytes: int, seconds: float) -> float:
    return nbytes / seconds / MB if seconds > 0 else float("inf")


# --- data ----------------------------------------------------------------------------

def chunks(buf: memoryview, total: int, size: int, prefix: bytes = b"") -> Iterator[memoryview]:
    """``total`` bytes in slices of at most ``size``: ``prefix``, then ``buf`` over and over."""
    if prefix:
        yield memoryview(prefix)
    sent, pos = len(prefix), 0
    while sent < total:
        take = min(size, total - sent, len(buf) - pos)
        yield buf[pos:pos + take]
        sent += take
        pos = (pos + take) % len(buf)


class SegmentReader:
    """``read(n)`` over a list of byte strings, handing out a stored string as is (no copy)
    when a read asks for exactly what is left of it, as ``open_stream`` does segment by
    segment."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts, self.index, self.pos = parts, 0, 0

    def read(self, n: int = -1) -> bytes:
        out: list[bytes] = []
        while n != 0 and self.index < len(self.parts):
            part = self.parts[self.index]
            left = len(part) - self.pos
            take = left if n < 0 else min(n, left)
            out.append(part if take == len(part) else part[self.pos:self.pos + take])
            self.pos += take
            if self.pos == len(part):
                self.index, self.pos = self.index + 1, 0
            if n > 0:
                n -= take
        return out[0] if len(out) == 1 else b"".join(out)


# --- crypto in memory ----------------------------------------------------------------

def timed(fn: Callable[[], int]) -> tuple[int, float, float]:
    """Run ``fn`` (which returns a byte count); the count, wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    n = fn()
    return n, time.perf_counter() - wall, time.process_time() - cpu


def crypto_bench(buf: memoryview, total: int, reps: int, folder: str) -> dict[str, Any]:
    from anice.crypto.stream import SEGMENT_SIZE, Header, SealingWriter, open_stream

    dek = os.urandom(32)
    evidence = secrets.token_hex(16)

    def seal(emit: Callable[[bytes], None], header) -> int:
        writer = SealingWriter(dek, header, emit)
        for piece in chunks(buf, total, APP_CHUNK):
            writer.write(piece)
        writer.close()
        return writer.plaintext_size

    def seal_discard() -> int:
        counted = [0]

        def emit(data: bytes) -> None:
            counted[0] += len(data)

        n = seal(emit, Header.new(evidence, "bench", SEGMENT_SIZE))
        assert counted[0] > n
        return n

    runs: dict[str, list[tuple[int, float, float]]] = {"seal": [], "open": [], "intake": [],
                                                       "aesgcm": [], "sha256": []}
    for rep in range(reps):
        log(f"  seal {total // MiB:,} MiB (run {rep + 1}/{reps})")
        runs["seal"].append(timed(seal_discard))

    log(f"  sealing {total // MiB:,} MiB into memory for the open runs (not timed)")
    header = Header.new(evidence, "bench", SEGMENT_SIZE)
    parts: list[bytes] = []
    seal(parts.append, header)

    def open_all() -> int:
        n = 0
        for segment in open_stream(SegmentReader(parts), dek, evidence, "bench"):
            n += len(segment)
        return n

    for rep in range(reps):
        log(f"  open {total // MiB:,} MiB (run {rep + 1}/{reps})")
        n, wall, cpu = timed(open_all)
        if n != total:
            raise RuntimeError(f"open_stream gave {n} bytes, expected {total}")
        runs["open"].append((n, wall, cpu))
    parts.clear()  # free the sealed copy before the next runs

    # The server's own upload path, minus HTTP and disk: Intake = bytes() copy, SHA-256,
    # media sniffing and sealing, into a storage writer that discards.
    from anice.crypto.keys import FileKeyring
    from anice.evidence.intake import Intake

    class NullWriter:
        def write(self, data: bytes) -> None:
            pass

        def commit(self) -> int:
            return 0

        def abort(self) -> None:
            pass

    class NullStorage:
        name = "null"

        def writer(self, key: str) -> NullWriter:
            return NullWriter()

        def delete(self, key: str) -> None:
            pass

    keyring = FileKeyring.create(Path(folder) / "crypto-keys" / "keyring.json")

    def intake() -> int:
        it = Intake(NullStorage(), keyring, total + 1)
        for piece in chunks(buf, total, APP_CHUNK, PDF_PREFIX):
            it.write(piece)
        it.finish()
        return it.size

    def sha256() -> int:
        digest = hashlib.sha256()
        for piece in chunks(buf, total, CLIENT_CHUNK):
            digest.update(piece)
        return total

    def aesgcm() -> int:
        # The library call alone, one 64 KiB segment at a time: the ceiling for the format.
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        aead, nonce, n = AESGCM(dek), os.urandom(12), 0
        for piece in chunks(buf, total, SEGMENT_SIZE):
            n += len(aead.encrypt(nonce, piece, None)) - 16
        return n

    for rep in range(reps):
        log(f"  intake path {total // MiB:,} MiB (run {rep + 1}/{reps})")
        runs["intake"].append(timed(intake))
    for rep in range(reps):
        log(f"  AESGCM.encrypt alone {total // MiB:,} MiB (run {rep + 1}/{reps})")
        runs["aesgcm"].append(timed(aesgcm))
    runs["sha256"].append(timed(sha256))

    out: dict[str, Any] = {}
    for name, samples in runs.items():
        out[f"{name}_mb_s"] = round(statistics.median(mb_s(n, c) for n, _, c in samples), 1)
        out[f"{name}_wall_mb_s"] = round(statistics.median(mb_s(n, w) for n, w, _ in samples), 1)
    return out


# --- openssl -------------------------------------------------------------------------

def openssl_bench(seconds: int = OPENSSL_SECONDS) -> dict[str, Any]:
    """``openssl speed -evp aes-256-gcm -bytes 16384``; its table is in 1000s of bytes/s of
    user CPU time, and its stderr says how many blocks it did in how much CPU time."""
    exe = shutil.which("openssl")
    if exe is None:
        raise RuntimeError("openssl is not on PATH")
    cmd = [exe, "speed", "-evp", "aes-256-gcm", "-bytes", str(OPENSSL_BYTES),
           "-seconds", str(seconds)]
    log(f"  {' '.join(cmd[1:])}")
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120)
    row = re.search(r"^AES-256-GCM\s+([\d.]+)k\s*$", done.stdout, re.MULTILINE)
    if row is None:
        raise RuntimeError(f"cannot read the openssl speed table:\n{done.stdout}")
    kbytes = float(row.group(1))
    figures: dict[str, Any] = {"openssl_mb_s": round(kbytes * 1000 / MB, 1),
                               "openssl_version": subprocess.run(
                                   [exe, "version"], capture_output=True, text=True,
                                   check=False).stdout.split(" (")[0].strip()}
    ops = re.search(r"(\d+) AES-256-GCM's in ([\d.]+)s", done.stderr)
    if ops:
        count, cpu = int(ops.group(1)), float(ops.group(2))
        figures["openssl_wall_mb_s"] = round(mb_s(count * OPENSSL_BYTES, seconds), 1)
        figures["openssl_cpu_share"] = round(cpu / seconds, 2)
    return figures


# --- the app under gunicorn ----------------------------------------------------------

def setup_child() -> int:
    """Run in a separate process with the server's environment: an officer, a case and a
    read-write API token; prints them as JSON."""
    from anice import create_app, db
    from anice.auth import tokens
    from tests.cases.helpers import new_case
    from tests.factories import Factory

    app = create_app()
    with app.app_context():
        session = db.session()
        officer = Factory(session).officer()
        case = new_case(session, officer, title="Evidence benchmark")
        _, raw = tokens.create_token(session, officer, "bench", "read-write", 1)
        session.commit()
        print(json.dumps({"case_id": case.id, "token": raw, "officer": officer.email}))
    return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in bytes."""
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                name, value = line.split(":", 1)
                out[name] = int(value.split()[0]) * 1024
    return out


def cpu_seconds(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of a process (all its threads)."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return found


class RssSampler(threading.Thread):
    """Reads a process's VmRSS every 100 ms; ``phase()`` gives the peak since the last."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.peak = 0
        self.samples = 0

    def sample(self) -> int:
        rss = proc_status(self.pid)["VmRSS"]
        with self.lock:
            self.peak = max(self.peak, rss)
            self.samples += 1
        return rss

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_SECONDS):
            try:
                self.sample()
            except OSError:
                return

    def phase(self) -> tuple[int, int]:
        """(peak RSS, samples) since the previous call; starts a new phase."""
        self.sample()
        with self.lock:
            out = (self.peak, self.samples)
            self.peak, self.samples = 0, 0
        return out


class Server:
    """The app under gunicorn (one sync worker) on a free port, in its own temp folder."""

    def __init__(self, folder: Path, max_bytes: int, timeout: int) -> None:
        self.folder = folder
        self.port = free_port()
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("ANICE_", "DATABASE_URL", "REDIS_URL"))}
        self.env.update({
            "DATABASE_URL": f"sqlite:///{folder / 'anice.db'}",
            "ANICE_DATA_DIR": str(folder / "data"),
            "ANICE_KEY_FILE": str(folder / "keys" / "keyring.json"),
            "ANICE_EVIDENCE_MAX_BYTES": str(max_bytes),
            "ANICE_LOG_LEVEL": "WARNING",
            "SECRET_KEY": secrets.token_urlsafe(48),
        })
        self.timeout = timeout
        self.log_path = folder / "gunicorn.log"
        self.proc: subprocess.Popen | None = None
        self.worker = 0

    def run(self, *args: str) -> str:
        done = subprocess.run([sys.executable, *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=300, check=False)
        if done.returncode:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def prepare(self) -> dict[str, Any]:
        log("  flask --app wsgi db upgrade")
        self.run("-m", "flask", "--app", "wsgi", "db", "upgrade")
        self.run("-m", "flask", "--app", "wsgi", "keys", "init")  # never made on first use
        log("  an officer, a case and a read-write API token")
        return json.loads(self.run(os.path.abspath(__file__), "--setup-child")
                          .strip().splitlines()[-1])

    def start(self) -> None:
        cmd = [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{self.port}",
               "--timeout", str(self.timeout), "wsgi:app"]
        log(f"  gunicorn -w 1 -b 127.0.0.1:{self.port} --timeout {self.timeout} wsgi:app")
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}):\n{self.tail()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                conn.getresponse().read()
                conn.close()
                workers = children(self.proc.pid)
                if len(workers) == 1:
                    self.worker = workers[0]
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


def upload(port: int, token: str, case_id: int, body: Iterator[memoryview], size: int,
           chunked: bool) -> tuple[int, dict[str, Any]]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.putrequest("POST", f"/api/v1/cases/{case_id}/evidence?filename=big.pdf")
        conn.putheader("Authorization", f"Bearer {token}")
        conn.putheader("Content-Type", "application/octet-stream")
        if chunked:
            conn.putheader("Transfer-Encoding", "chunked")
        else:
            conn.putheader("Content-Length", str(size))
        conn.endheaders()
        try:
            for piece in body:
                if chunked:
                    conn.send(b"%x\r\n" % len(piece))
                    conn.send(piece)
                    conn.send(b"\r\n")
                else:
                    conn.send(piece)
            if chunked:
                conn.send(b"0\r\n\r\n")
        except OSError as exc:  # the server answered early (an error) and closed
            log(f"  upload cut short: {exc}")
        response = conn.getresponse()
        raw = response.read()
        try:
            return response.status, json.loads(raw)
        except ValueError:
            return response.status, {"raw": raw[:500].decode(errors="replace")}
    finally:
        conn.close()


def download(port: int, token: str, public_id: str) -> tuple[int, int, str]:
    """Stream the content into a SHA-256; (status, bytes, hex digest)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("GET", f"/api/v1/evidence/{public_id}/content",
                     headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        digest, n = hashlib.sha256(), 0
        while data := response.read(CLIENT_CHUNK):
            digest.update(data)
            n += len(data)
        return response.status, n, digest.hexdigest()
    finally:
        conn.close()


def http_bench(buf: memoryview, size: int, folder: Path, chunked: bool,
               timeout: int) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    server = Server(folder, size + 1024 * MiB, timeout)
    sampler: RssSampler | None = None
    try:
        who = server.prepare()
        server.start()
        pid = server.worker
        cold = proc_status(pid)["VmRSS"]

        # Warm-up: a 1 MiB upload and download, so that lazy imports, the key file and the
        # storage folders exist before the baseline is taken.
        log("  warm-up: 1 MiB up and down")
        small = 1 * MiB
        status, body = upload(server.port, who["token"], who["case_id"],
                              chunks(buf, small, CLIENT_CHUNK, PDF_PREFIX), small, chunked)
        if status != 201:
            raise RuntimeError(f"warm-up upload: HTTP {status} {body}\n{server.tail()}")
        status, _, _ = download(server.port, who["token"], body["id"])
        if status != 200:
            raise RuntimeError(f"warm-up download: HTTP {status}\n{server.tail()}")

        log(f"  SHA-256 of the {size // MiB:,} MiB file (before the upload, not timed)")
        expected = hashlib.sha256()
        for piece in chunks(buf, size, CLIENT_CHUNK, PDF_PREFIX):
            expected.update(piece)

        sampler = RssSampler(pid)
        sampler.start()
        time.sleep(0.3)
        baseline = proc_status(pid)
        sampler.phase()

        log(f"  upload {size // MiB:,} MiB ({'chunked' if chunked else 'Content-Length'})")
        cpu0, t0 = cpu_seconds(pid), time.perf_counter()
        status, body = upload(server.port, who["token"], who["case_id"],
                              chunks(buf, size, CLIENT_CHUNK, PDF_PREFIX), size, chunked)
        up_s, cpu1 = time.perf_counter() - t0, cpu_seconds(pid)
        up_cpu, up_sys = sum(cpu1) - sum(cpu0), cpu1[1] - cpu0[1]
        up_peak, up_samples = sampler.phase()
        after_up = proc_status(pid)
        if status != 201:
            raise RuntimeError(f"upload: HTTP {status} {body}\n{server.tail()}")
        if after_up["VmHWM"] > baseline["VmHWM"]:
            up_peak = max(up_peak, after_up["VmHWM"])
        log(f"    {mb_s(size, up_s):,.1f} MB/s, worker RSS peak {up_peak / MiB:,.1f} MiB")

        log(f"  download {size // MiB:,} MiB into a SHA-256")
        cpu0, t0 = cpu_seconds(pid), time.perf_counter()
        dstatus, got, digest = download(server.port, who["token"], body["id"])
        down_s, cpu1 = time.perf_counter() - t0, cpu_seconds(pid)
        down_cpu, down_sys = sum(cpu1) - sum(cpu0), cpu1[1] - cpu0[1]
        down_peak, down_samples = sampler.phase()
        after_down = proc_status(pid)
        if dstatus != 200:
            raise RuntimeError(f"download: HTTP {dstatus}\n{server.tail()}")
        if after_down["VmHWM"] > after_up["VmHWM"]:
            down_peak = max(down_peak, after_down["VmHWM"])
        log(f"    {mb_s(size, down_s):,.1f} MB/s, worker RSS peak {down_peak / MiB:,.1f} MiB")

        base = baseline["VmRSS"]
        stored = sum(p.stat().st_size for p in (folder / "data").rglob("*")
                     if p.is_file() and "/ev/" in str(p))
        return {
            "http_bytes": size, "http_mib": size // MiB,
            "http_transfer": "chunked" if chunked else "content-length",
            "http_upload_mb_s": round(mb_s(size, up_s), 1),
            "http_download_mb_s": round(mb_s(size, down_s), 1),
            "http_upload_s": round(up_s, 2), "http_download_s": round(down_s, 2),
            "http_upload_server_cpu_s": round(up_cpu, 2),
            "http_download_server_cpu_s": round(down_cpu, 2),
            "http_upload_server_sys_s": round(up_sys, 2),
            "http_download_server_sys_s": round(down_sys, 2),
            "http_upload_server_cpu_mb_s": round(mb_s(size, up_cpu), 1),
            "http_download_server_cpu_mb_s": round(mb_s(size, down_cpu), 1),
            "http_rss_cold_mib": round(cold / MiB, 1),
            "http_rss_baseline_mib": round(base / MiB, 1),
            "http_rss_peak_upload_mib": round(up_peak / MiB, 1),
            "http_rss_peak_download_mib": round(down_peak / MiB, 1),
            "http_rss_growth_upload_mib": round((up_peak - base) / MiB, 1),
            "http_rss_growth_download_mib": round((down_peak - base) / MiB, 1),
            "http_rss_growth_mib": round((max(up_peak, down_peak) - base) / MiB, 1),
            "http_rss_samples": up_samples + down_samples,
            "http_sha256_match": digest == expected.hexdigest() == body["sha256"]
            and got == size == body["size"],
            "http_stored_bytes": stored,
        }
    finally:
        if sampler is not None:
            sampler.stop.set()
        server.stop()


# --- sizes ---------------------------------------------------------------------------

def fit_http_size(size: int, folder: str) -> tuple[int, str | None]:
    """The largest size (halving) whose ciphertext fits on the temp folder's disk."""
    free = shutil.disk_usage(folder).free
    wanted = size
    while size >= MIN_HTTP_MIB * MiB and size + size // 256 + DISK_MARGIN > free:
        size //= 2
    if size < MIN_HTTP_MIB * MiB:
        return 0, (f"only {free / MiB:,.0f} MiB free in {folder}: "
                   "the HTTP part is skipped")
    if size != wanted:
        return size, (f"only {free / MiB:,.0f} MiB free in {folder}: the HTTP file is "
                      f"{size // MiB:,} MiB instead of {wanted // MiB:,} MiB")
    return size, None


def fit_crypto_size(size: int) -> tuple[int, str | None]:
    """The open runs hold the sealed data in memory: stay within MemAvailable."""
    try:
        with open("/proc/meminfo") as fh:
            avail = next(int(line.split()[1]) * 1024 for line in fh
                         if line.startswith("MemAvailable:"))
    except (OSError, StopIteration):
        return size, None
    wanted = size
    while size > 64 * MiB and size * 1.1 + 512 * MiB > avail:
        size //= 2
    if size != wanted:
        return size, (f"only {avail / MiB:,.0f} MiB of memory available: crypto runs on "
                      f"{size // MiB:,} MiB instead of {wanted // MiB:,} MiB")
    return size, None


# --- report --------------------------------------------------------------------------

def table(f: dict[str, Any]) -> str:
    ossl = f.get("openssl_mb_s")

    def ratio(value: float) -> str:
        return f"{value / ossl:9.2f}" if ossl else f"{'-':>9}"

    lines = [f"Evidence benchmark: crypto on {f['crypto_mib']:,} MiB in memory "
             f"(median of {f['reps']}), segments of {f['segment_size'] // 1024} KiB, "
             f"{APP_CHUNK // 1024} KiB writes. MB/s = 10^6 bytes/s.", "",
             f"{'crypto':44} {'MB/s CPU':>9} {'MB/s wall':>10} {'/openssl':>9}  goal"]
    rows = [("seal: SealingWriter, counting sink", "seal", True),
            ("open: open_stream, in-memory source", "open", True),
            ("intake path: copy + SHA-256 + sniff + seal", "intake", False),
            ("AESGCM.encrypt of 64 KiB alone (cryptography)", "aesgcm", False),
            ("SHA-256 (hashlib)", "sha256", False)]
    for label, key, goal in rows:
        value = f[f"{key}_mb_s"]
        mark = ((">= 0.5 ok" if ossl and value / ossl >= GOAL_RATIO else ">= 0.5 MISSED")
                if goal else "")
        lines.append(f"{label:44} {value:9.1f} {f[f'{key}_wall_mb_s']:10.1f} "
                     f"{ratio(value)}  {mark}")
    if ossl:
        wall = f.get("openssl_wall_mb_s")
        lines.append(f"{'openssl speed -evp aes-256-gcm, 16 KiB':44} {ossl:9.1f} "
                     f"{wall if wall is not None else float('nan'):10.1f} {1:9.2f}")
        lines.append(f"  (the command: {f['openssl_version']}; it had "
                     f"{f.get('openssl_cpu_share', 0):.0%} of a CPU during its run. The app "
                     f"uses {f['cryptography_openssl']}.)")
    else:
        lines.append(f"openssl: {f.get('openssl_error')}")
    lines.append("")
    if f.get("http_mib"):
        lines += [f"HTTP: the app under gunicorn (1 sync worker) on 127.0.0.1, API raw body "
                  f"({f['http_transfer']}), a {f['http_mib']:,} MiB file",
                  f"{'':10} {'MB/s':>8} {'seconds':>8} {'server CPU s':>13} {'of it sys':>9} "
                  f"{'MB/s per CPU s':>15} {'RSS peak MiB':>13} {'growth MiB':>11}"]
        for phase in ("upload", "download"):
            lines.append(f"{phase:10} {f[f'http_{phase}_mb_s']:8.1f} {f[f'http_{phase}_s']:8.2f} "
                         f"{f[f'http_{phase}_server_cpu_s']:13.2f} "
                         f"{f[f'http_{phase}_server_sys_s']:9.2f} "
                         f"{f[f'http_{phase}_server_cpu_mb_s']:15.1f} "
                         f"{f[f'http_rss_peak_{phase}_mib']:13.1f} "
                         f"{f[f'http_rss_growth_{phase}_mib']:11.1f}")
        growth = f["http_rss_growth_mib"]
        lines += [f"Worker RSS: {f['http_rss_cold_mib']:.1f} MiB at start, "
                  f"{f['http_rss_baseline_mib']:.1f} MiB after a 1 MiB warm-up (baseline); "
                  f"peak growth {growth:.1f} MiB "
                  f"({'< 100 ok' if growth < GOAL_RSS_MIB else 'goal < 100 MISSED'}), "
                  f"{f['http_rss_samples']} samples every 100 ms.",
                  f"Downloaded SHA-256 and size match the upload: "
                  f"{'yes' if f['http_sha256_match'] else 'NO'}. "
                  f"Stored ciphertext: {f['http_stored_bytes']:,} bytes."]
    else:
        lines.append(f"HTTP: {f.get('http_error', 'skipped')}")
    lines.append(f"Load average (1 min): {f['load_avg_start']:.1f} at the start, "
                 f"{f['load_avg_end']:.1f} at the end, on {f['cpus']} CPUs.")
    for note in f.get("notes", []):
        lines.append(f"Note: {note}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="256 MiB of crypto and a 256 MiB file (under 3 minutes)")
    parser.add_argument("--crypto-mib", type=int,
                        help="MiB sealed and opened in memory (default 1024, 256 quick)")
    parser.add_argument("--http-mib", type=int,
                        help="size of the uploaded file in MiB (default 2048, 256 quick; "
                             "0 skips the HTTP part)")
    parser.add_argument("--reps", type=int, default=3,
                        help="crypto runs of each kind; the median is reported (default 3)")
    parser.add_argument("--chunked", action="store_true",
                        help="upload with Transfer-Encoding: chunked, not Content-Length")
    parser.add_argument("--timeout", type=int, default=900,
                        help="gunicorn --timeout in seconds (its default, 30, kills a sync "
                             "worker whose request lasts longer; default here 900)")
    parser.add_argument("--setup-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.setup_child:
        return setup_child()

    from anice.crypto.stream import SEGMENT_SIZE

    crypto_size = (args.crypto_mib if args.crypto_mib is not None
                   else 256 if args.quick else 1024) * MiB
    http_size = (args.http_mib if args.http_mib is not None
                 else 256 if args.quick else 2048) * MiB
    folder = tempfile.mkdtemp(prefix="anice-bench-evidence-")
    notes: list[str] = []
    crypto_size, note = fit_crypto_size(crypto_size)
    if note:
        notes.append(note)
        log(f"Note: {note}")
    if http_size:
        http_size, note = fit_http_size(http_size, folder)
        if note:
            notes.append(note)
            log(f"Note: {note}")

    from cryptography.hazmat.backends.openssl import backend

    figures: dict[str, Any] = {"cryptography_openssl": backend.openssl_version_text(),
                               "crypto_bytes": crypto_size, "crypto_mib": crypto_size // MiB,
                               "segment_size": SEGMENT_SIZE, "write_size": APP_CHUNK,
                               "reps": args.reps, "openssl_bytes": OPENSSL_BYTES,
                               "openssl_seconds": OPENSSL_SECONDS, "unit": "MB/s = 10^6 bytes/s",
                               "goal_ratio": GOAL_RATIO, "goal_rss_growth_mib": GOAL_RSS_MIB}
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    failed = False
    try:
        buf = memoryview(os.urandom(RANDOM_BUFFER))
        log(f"[crypto] {crypto_size // MiB:,} MiB, {args.reps} runs each")
        figures.update(crypto_bench(buf, crypto_size, args.reps, folder))
        log("[openssl]")
        try:
            figures.update(openssl_bench())
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            log(f"  openssl failed: {exc}")
            figures["openssl_error"] = str(exc).splitlines()[0][:300]
            failed = True
        if http_size:
            log(f"[http] {http_size // MiB:,} MiB through gunicorn")
            try:
                figures.update(http_bench(buf, http_size, Path(folder) / "http",
                                          args.chunked, args.timeout))
            except (RuntimeError, OSError, subprocess.SubprocessError, KeyError) as exc:
                log(f"  HTTP part failed: {exc}")
                figures["http_error"] = str(exc).splitlines()[0][:300]
                failed = True
        else:
            figures["http_error"] = "skipped"
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    ossl = figures.get("openssl_mb_s")
    figures["seal_ratio"] = round(figures["seal_mb_s"] / ossl, 3) if ossl else None
    figures["open_ratio"] = round(figures["open_mb_s"] / ossl, 3) if ossl else None
    figures.update(cpus=os.cpu_count(), load_avg_start=round(load_start, 2),
                   load_avg_end=round(os.getloadavg()[0], 2),
                   seconds=round(time.perf_counter() - started, 1), notes=notes)
    figures.setdefault("http_upload_mb_s", None)
    figures.setdefault("http_download_mb_s", None)
    figures.setdefault("http_rss_growth_mib", None)
    figures["ok"] = bool(
        not failed and ossl
        and figures["seal_ratio"] >= GOAL_RATIO and figures["open_ratio"] >= GOAL_RATIO
        and figures["http_rss_growth_mib"] is not None
        and figures["http_rss_growth_mib"] < GOAL_RSS_MIB and figures["http_sha256_match"])
    print(table(figures))
    print(json.dumps(figures, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
