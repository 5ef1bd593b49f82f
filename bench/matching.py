"""Rights matching at registry scale: import, index build, latency, a further worker.

Writes a synthetic registry of 1,000,000 marks (100,000 with ``--quick``; fixed seed) as a
rights CSV, imports it with the real importer (``import_csv``) into a migrated SQLite
database and a throwaway PostgreSQL, builds the machine's shared index file
(``index_store.build``, as ``rights build-index`` and the job after an import do), then
times single queries through ``match_service.match`` (which maps the file) and batches
through the shared matcher. Beside them runs the brute-force baseline: rapidfuzz
``process.extract`` (WRatio) over all mark texts. Then a further worker: a fresh process
maps the same file and answers the queries (``cold_start_s``: its first match;
``worker_private_mib``: its Private_Clean + Private_Dirty from /proc/PID/smaps_rollup minus
a bare worker's, the same process with the app up but no match), while this process keeps
the file mapped, as the other workers of a machine do.
Goals (issues 5 and 20): p95 < 50 ms per query on 2 cores, index < 2 GiB, a further worker
< 50 MiB private memory, its first match < 2 s.

    .venv/bin/python bench/matching.py --quick   # 100,000 marks, under 3 minutes
    .venv/bin/python bench/matching.py           # 1,000,000 marks on both backends

The last line of the output is JSON with the figures.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for path in (ROOT, os.path.join(ROOT, "bench")):
    if path not in sys.path:
        sys.path.insert(0, path)

from anyascii import anyascii  # noqa: E402
from cases import (  # noqa: E402
    isolated_environment,
    log,
    make_app,
    postgres_database,
    sqlite_database,
)
from matching_quality import FIRST, LAST, WORDS, distractor  # noqa: E402
from rapidfuzz import fuzz, process  # noqa: E402
from sqlalchemy import text as text_sql  # noqa: E402

from tests.servers import ServerUnavailable  # noqa: E402

SEED = 20240611
GOAL_P95_MS = 50.0
GOAL_INDEX_MIB = 2048.0
GOAL_WORKER_MIB = 50.0  # issue 20: one more worker at 1M marks
GOAL_COLD_S = 2.0
LIMIT = 10
BASELINE_QUERIES = 50

OFFICES = {"ID": 20, "TH": 15, "VN": 15, "PH": 12, "MY": 12, "SG": 8, "KH": 5, "MM": 5,
           "LA": 3, "BN": 3, "TL": 2}
STATUSES = {"registered": 75, "filed": 12, "expired": 8, "refused": 3, "cancelled": 2}
TYPES = {"trademark": 94, "design": 4, "gi": 2}
COMPANY = ["Co., Ltd.", "Pte. Ltd.", "Sdn. Bhd.", "PT", "Inc.", "JSC", "Corporation",
           "Trading", "Group", "Holdings"]
GOODS = ["clothing, footwear, headgear", "leather goods, bags, wallets", "cosmetics, soaps",
         "pharmaceutical preparations", "coffee, tea, rice", "beers, mineral waters",
         "electronic devices, phones, chargers", "watches, jewellery", "toys, games",
         "vehicle parts", "cleaning preparations", "software, video games"]

# What sellers and officers wrap a brand in.
LOOKALIKE = {"o": "0", "l": "1", "i": "1", "s": "5", "a": "4", "e": "3", "b": "8", "g": "9"}
GENERIC = ["original", "genuine", "premium", "authentic", "new", "KW", "replica", "grade AAA",
           "1:1", "super copy", "official", "hot"]
TITLE_HEAD = ["Hot sale", "[Free ship]", "2024 new", "Ready stock", "Cheap", "Best price",
              "Flash deal", "COD", "Promo", ""]
TITLE_TAIL = ["running shoes", "t-shirt men", "handbag women", "watch", "perfume 100ml",
              "phone case", "face cream 50g", "earphones bluetooth", "backpack", "cap",
              "milk powder 900g", "engine oil 1L", "wallet leather", "sneakers size 42"]
QUERY_KINDS = ("exact", "typo", "lookalike", "generic", "title", "random")


def weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


# --- the registry --------------------------------------------------------------------

def write_registry(path: str, marks: int, seed: int) -> list[tuple[str, str, str, list[int]]]:
    """The rights CSV; returns (office, number, mark_text, classes) of every row."""
    r = random.Random(seed)
    office_pick = (list(OFFICES), list(OFFICES.values()))
    rows: list[tuple[str, str, str, list[int]]] = []
    start = date(1980, 1, 1)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["office", "number", "type", "status", "mark_text", "classes", "owner",
                      "representative", "contact_email", "filing_date", "registration_date",
                      "expiry_date", "goods"])
        for i in range(marks):
            office = r.choices(*office_pick)[0]
            kind = weighted(r, TYPES)
            status = weighted(r, STATUSES)
            text = distractor(r)
            classes = ([] if kind == "gi" else
                       sorted({r.randint(1, 45 if kind == "trademark" else 32)
                               for _ in range(r.choice((1, 1, 1, 2, 2, 3)))}))
            filed = start + timedelta(days=r.randrange(45 * 365))
            registered = (filed + timedelta(days=r.randint(120, 900))
                          if status in ("registered", "expired", "cancelled") else None)
            expiry = (registered + timedelta(days=3652)) if registered else None
            owner = (f"{r.choice(FIRST).title()} {r.choice(LAST).title()}" if r.random() < 0.2
                     else f"{r.choice(WORDS).title()} {r.choice(LAST).title()} "
                          f"{r.choice(COMPANY)}")
            number = f"{office}{filed.year}{i:07d}"
            out.writerow([office, number, kind, status, text, ";".join(map(str, classes)),
                          owner, f"{r.choice(LAST).title()} IP Law" if r.random() < 0.6 else "",
                          f"ip{i}@example.com" if r.random() < 0.7 else "",
                          filed.isoformat(), registered.isoformat() if registered else "",
                          expiry.isoformat() if expiry else "", r.choice(GOODS)])
            rows.append((office, number, text, classes))
            if i and i % 200_000 == 0:
                log(f"  written {i:,} rows")
    return rows


# --- the queries ---------------------------------------------------------------------

def _typo(r: random.Random, text: str) -> str:
    if len(text) < 3:
        return text + text[-1:]
    i = r.randrange(1, len(text) - 1)
    op = r.randrange(4)
    if op == 0:
        return text[:i] + text[i + 1:]  # omission
    if op == 1:
        return text[:i] + text[i] + text[i:]  # doubled letter
    if op == 2:
        return text[:i - 1] + text[i] + text[i - 1] + text[i + 1:]  # transposition
    return text[:i] + r.choice("aeiounrst") + text[i + 1:]  # replacement


def _lookalike(r: random.Random, text: str) -> str:
    spots = [i for i, c in enumerate(text) if c.lower() in LOOKALIKE]
    if not spots:
        return text.upper()
    for i in r.sample(spots, min(len(spots), r.choice((1, 1, 2)))):
        text = text[:i] + LOOKALIKE[text[i].lower()] + text[i + 1:]
    return text


def make_queries(rows, count: int, seed: int) -> list[dict[str, Any]]:
    """Queries made from registry marks, as counterfeiters and officers write them."""
    r = random.Random(seed + 1)
    queries = []
    for n in range(count):
        kind = QUERY_KINDS[n % len(QUERY_KINDS)]
        office, number, text, classes = r.choice(rows)
        if kind == "exact":
            q = text.upper() if r.random() < 0.5 else text
        elif kind == "typo":
            q = _typo(r, text)
        elif kind == "lookalike":
            q = _lookalike(r, text)
        elif kind == "generic":
            q = (f"{text} {r.choice(GENERIC)}" if r.random() < 0.5
                 else f"{r.choice(GENERIC)} {text}")
        elif kind == "title":
            q = " ".join(p for p in (r.choice(TITLE_HEAD), text, r.choice(GENERIC),
                                     r.choice(TITLE_TAIL)) if p)
        else:
            q = " ".join(r.choice(WORDS) for _ in range(r.randint(1, 3)))
            office = number = None
        wanted = [classes[0]] if classes and r.random() < 0.5 else []
        queries.append({"kind": kind, "text": q, "classes": wanted,
                        "expected": (office, number), "mark": text})
    return queries


# --- measuring -----------------------------------------------------------------------

def proc_status(field: str) -> float:
    """A /proc/self/status figure in MiB (VmRSS, VmHWM)."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> bool:
    """Reset VmHWM (Linux >= 4.0), so that each backend's peak is its own."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def run_backend(url: str, csv_path: str, marks: int, queries: list[dict],
                label: str, folder: str) -> dict[str, Any]:
    from anice import db as anice_db
    from anice.admin.bootstrap import ensure_member_states
    from anice.rights import importing, index_store, match_service, shared_matcher

    out: dict[str, Any] = {}
    index_dir = os.path.join(folder, f"index-{label}")
    app = make_app(url)
    app.config["RIGHTS_INDEX_DIR"] = index_dir
    with app.app_context():
        session = anice_db.session()
        ensure_member_states(session)
        session.commit()

        started = time.perf_counter()
        last = [started]

        def progress(rows: int) -> None:
            now = time.perf_counter()
            if now - last[0] >= 10:
                last[0] = now
                log(f"  [{label}] imported {rows:,}/{marks:,} rows ({now - started:.0f} s)")

        # the import's after-commit job would build the index: here it is built and timed apart
        app.config["RIGHTS_INDEX_DELTA_MAX"] = 10**12
        with open(csv_path, "rb") as fh:
            result = importing.import_csv(session, None, fh, mode="abort", progress=progress)
        session.commit()
        out["import_s"] = time.perf_counter() - started
        out["imported"] = result.inserted
        log(f"  [{label}] import: {result.inserted:,} rows in {out['import_s']:.1f} s")
        session.close()
        from anice.jobs import wait_for_background

        wait_for_background(timeout=3600)
        app.config["RIGHTS_INDEX_DELTA_MAX"] = shared_matcher.DELTA_MAX

        # The machine's index file, as `rights build-index` or the job after an import builds it.
        shared_matcher.shared.reset()
        gc.collect()
        peak_reset = reset_peak()
        rss_before = proc_status("VmRSS")
        session = anice_db.session()
        started = time.perf_counter()
        path = index_store.build(session)
        out["index_build_s"] = time.perf_counter() - started
        out["peak_rss_mib"] = proc_status("VmHWM")
        out["peak_reset"] = peak_reset
        out["index_disk_mib"] = os.path.getsize(path) / 2**20
        gc.collect()
        started = time.perf_counter()
        matcher = match_service.matcher(session)
        out["map_s"] = time.perf_counter() - started
        out["index_marks"] = len(matcher.index)
        log(f"  [{label}] index: {len(matcher.index):,} marks in {out['index_build_s']:.1f} s, "
            f"{out['index_disk_mib']:.0f} MiB on disk (mapped and checked in "
            f"{out['map_s']:.2f} s)")
        session.close()

        # Single queries, as the API and the case job call them: a session per request.
        times, version_ms, hits, found_n = [], [], 0, 0
        by_kind: dict[str, list[float]] = {}
        for q in queries:
            session = anice_db.session()
            t0 = time.perf_counter()
            found = match_service.match(session, q["text"], q["classes"], LIMIT)
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            by_kind.setdefault(q["kind"], []).append(ms)
            if q["expected"][0] is not None:
                found_n += 1
                hits += any((m.right.office, m.right.number) == q["expected"]
                            or m.right.mark_text == q["mark"] for m in found)
            session.close()
        out["index_rss_mib"] = proc_status("VmRSS") - rss_before
        # The part of each query spent checking that the registry has not changed.
        session = anice_db.session()
        for _ in range(min(100, len(queries))):
            t0 = time.perf_counter()
            shared_matcher._version(session)
            version_ms.append((time.perf_counter() - t0) * 1000)
        session.close()
        out.update(p50_ms=percentile(times, 50), p95_ms=percentile(times, 95),
                   p99_ms=percentile(times, 99), max_ms=max(times),
                   version_p50_ms=percentile(version_ms, 50),
                   recall_at_10=hits / found_n if found_n else None,
                   kinds={k: (len(v), percentile(v, 50), percentile(v, 95))
                          for k, v in by_kind.items()})
        log(f"  [{label}] single: p50 {out['p50_ms']:.1f} ms, p95 {out['p95_ms']:.1f} ms, "
            f"p99 {out['p99_ms']:.1f} ms")

        # Batch: the same queries straight through the matcher, as match-batch does.
        started = time.perf_counter()
        for q in queries:
            matcher.search(q["text"], classes=q["classes"], limit=LIMIT)
        out["batch_s"] = time.perf_counter() - started
        out["batch_qps"] = len(queries) / out["batch_s"]
        log(f"  [{label}] batch: {out['batch_qps']:.0f} queries/s")

        # A further worker: a fresh process maps the same file (this one keeps it mapped).
        out.update(further_worker(url, index_dir, queries, folder))
        log(f"  [{label}] further worker: first match {out['cold_start_s']:.2f} s after the "
            f"app was up ({out['cold_process_s']:.2f} s after the process started), "
            f"+{out['worker_private_mib']:.1f} MiB private")
        texts = matcher.index.texts
        out["texts"] = [texts[i] for i in range(len(texts))]
        del matcher, texts
        shared_matcher.shared.reset()
    app.extensions["anice.engine"].dispose()
    return out


def private_mib(pid: int | str = "self") -> float:
    """Private_Clean + Private_Dirty of a process (/proc/PID/smaps_rollup), in MiB."""
    total = 0
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for line in fh:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total / 1024


def index_private_mib(pid: int | str = "self") -> float:
    """The private part of the index file's mapping (pages no other process has touched)."""
    total, in_index = 0, False
    with open(f"/proc/{pid}/smaps") as fh:
        for line in fh:
            first = line.split(None, 1)[0]
            if "-" in first and not first.endswith(":"):  # a mapping's header line
                in_index = line.rstrip().endswith(".idx")
            elif in_index and first in ("Private_Clean:", "Private_Dirty:"):
                total += int(line.split()[1])
    return total / 1024


def further_worker(url: str, index_dir: str, queries: list[dict], folder: str) -> dict:
    """Start a worker process twice: bare (app created, no match) and as a web worker (maps
    the index, answers the queries); the difference of their private memory is what one
    more worker costs with the index shared."""
    qfile = os.path.join(folder, "worker-queries.json")
    with open(qfile, "w", encoding="utf-8") as fh:
        json.dump([[q["text"], q["classes"]] for q in queries], fh)
    answers = {}
    for mode in ("bare", "match"):
        started = time.time()
        done = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--worker", mode, "--worker-url", url,
             "--worker-index", index_dir, "--worker-queries", qfile, "--worker-started",
             repr(started)], capture_output=True, text=True, check=True, cwd=ROOT)
        answers[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    return {"worker_private_mib": answers["match"]["private_mib"]
            - answers["bare"]["private_mib"],
            "worker_private_total_mib": answers["match"]["private_mib"],
            "bare_worker_private_mib": answers["bare"]["private_mib"],
            "cold_start_s": answers["match"]["first_match_s"],
            "cold_process_s": answers["match"]["process_s"],
            "worker_p95_ms": answers["match"]["p95_ms"],
            "worker_index_private_mib": answers["match"]["index_private_mib"]}


def worker(mode: str, url: str, index_dir: str, queries_file: str, started: float) -> None:
    """The further worker's side (``--worker``): prints one JSON line."""
    from anice import db as anice_db
    from anice.rights import match_service

    app = make_app(url)
    app.config["RIGHTS_INDEX_DIR"] = index_dir
    with open(queries_file, encoding="utf-8") as fh:
        queries = json.load(fh)
    out: dict[str, Any] = {}
    with app.app_context():
        session = anice_db.session()
        session.execute(text_sql("SELECT 1"))  # a connection, as a serving worker holds
        if mode == "match":
            t0 = time.perf_counter()
            match_service.match(session, queries[0][0], queries[0][1], LIMIT)
            out["first_match_s"] = time.perf_counter() - t0
            out["process_s"] = time.time() - started
            times = []
            for text, classes in queries:
                t0 = time.perf_counter()
                match_service.match(session, text, classes, LIMIT)
                times.append((time.perf_counter() - t0) * 1000)
            out["p95_ms"] = percentile(times, 95)
        session.close()
        gc.collect()
        out["private_mib"] = private_mib()
        out["index_private_mib"] = index_private_mib()
    print(json.dumps(out))


def baseline(texts: list[str], queries: list[dict], seed: int,
             size: int = BASELINE_QUERIES) -> dict[str, Any]:
    """casefold + anyascii + WRatio over every mark, on a fixed sample of queries."""
    choices = [anyascii(t).casefold() for t in texts]
    sample = random.Random(seed + 2).sample(queries, min(size, len(queries)))
    times, hits, found_n = [], 0, 0
    for q in sample:
        t0 = time.perf_counter()
        found = process.extract(anyascii(q["text"]).casefold(), choices, scorer=fuzz.WRatio,
                                limit=LIMIT, processor=None)
        times.append((time.perf_counter() - t0) * 1000)
        if q["expected"][0] is not None:
            found_n += 1
            hits += any(texts[i] == q["mark"] for _c, _s, i in found)
    return {"queries": len(sample), "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95), "p99_ms": percentile(times, 99),
            "recall_at_10": hits / found_n if found_n else None}


# --- output --------------------------------------------------------------------------

def table(marks: int, results: dict[str, dict], base: dict | None) -> str:
    lines = [f"{marks:,} marks, {next(iter(results.values()), {}).get('queries', 0)} queries "
             f"(single = match_service.match, batch = Matcher.search), limit {LIMIT}", ""]
    head = (f"{'backend':9} {'import s':>9} {'index s':>8} {'disk MiB':>9} {'RSS+ MiB':>9} "
            f"{'peak MiB':>9} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'batch q/s':>9} "
            f"{'r@10':>5}  goal")
    lines.append(head)
    for backend, r in results.items():
        if "p95_ms" not in r:
            lines.append(f"{backend:9} {r.get('import_s', 0):>9.1f} "
                         f"{r.get('index_build_s', 0):>8.1f}  (not measured further)")
            continue
        ok = _ok(r)
        lines.append(f"{backend:9} {r['import_s']:>9.1f} {r['index_build_s']:>8.1f} "
                     f"{r['index_disk_mib']:>9.0f} {r['index_rss_mib']:>9.0f} "
                     f"{r['peak_rss_mib']:>9.0f} {r['p50_ms']:>7.1f} {r['p95_ms']:>7.1f} "
                     f"{r['p99_ms']:>7.1f} {r['batch_qps']:>9.0f} "
                     f"{r['recall_at_10'] or 0:>5.2f}  {'ok' if ok else 'NOT MET'}")
    if base:
        lines.append(f"{'baseline':9} {'':>9} {'':>8} {'':>9} {'':>9} {'':>9} "
                     f"{base['p50_ms']:>7.1f} {base['p95_ms']:>7.1f} {base['p99_ms']:>7.1f} "
                     f"{1000 / base['p50_ms']:>9.1f} {base['recall_at_10'] or 0:>5.2f}  "
                     f"({base['queries']} sampled queries, WRatio over all marks)")
    lines.append("")
    for backend, r in results.items():
        if "kinds" not in r:
            continue
        lines.append(f"{backend}: per kind of query (n, p50 ms, p95 ms); registry-version "
                     f"check in each match(): p50 {r['version_p50_ms']:.1f} ms")
        lines.append("  " + "  ".join(f"{k} {n} {p50:.1f}/{p95:.1f}"
                                      for k, (n, p50, p95) in r["kinds"].items()))
        lines.append(f"  a further worker: first match {r['cold_start_s']:.2f} s "
                     f"({r['cold_process_s']:.2f} s from its start), private memory "
                     f"+{r['worker_private_mib']:.1f} MiB over a bare worker "
                     f"({r['bare_worker_private_mib']:.0f} MiB bare; of the +, pages of the "
                     f"index file no other process had read: "
                     f"{r['worker_index_private_mib']:.1f} MiB), its p95 "
                     f"{r['worker_p95_ms']:.1f} ms")
    return "\n".join(lines)


def _ok(r: dict) -> bool:
    return (r["p95_ms"] < GOAL_P95_MS and r["index_disk_mib"] < GOAL_INDEX_MIB
            and r["worker_private_mib"] < GOAL_WORKER_MIB and r["cold_start_s"] < GOAL_COLD_S)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 marks (under 3 minutes)")
    parser.add_argument("--marks", type=int, help="registry size (default 1,000,000)")
    parser.add_argument("--queries", type=int, help="queries (default 1,000; 500 with --quick)")
    parser.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--baseline-queries", type=int, default=BASELINE_QUERIES,
                        help=f"queries for the brute-force baseline (default "
                             f"{BASELINE_QUERIES}; about 3 s each per million marks)")
    for name in ("--worker", "--worker-url", "--worker-index", "--worker-queries",
                 "--worker-started"):
        parser.add_argument(name, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.worker_url, args.worker_index, args.worker_queries,
               float(args.worker_started))
        return 0
    marks = args.marks or (100_000 if args.quick else 1_000_000)
    n_queries = args.queries or (500 if args.quick else 1_000)

    # A plain `kill` must still run the `finally` below (temp folder, PostgreSQL).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = isolated_environment()

    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    results: dict[str, dict] = {}
    failed: dict[str, str] = {}
    base = None
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    try:
        csv_path = os.path.join(folder, "registry.csv")
        t0 = time.perf_counter()
        rows = write_registry(csv_path, marks, args.seed)
        csv_s = time.perf_counter() - t0
        log(f"registry CSV: {marks:,} rows, {os.path.getsize(csv_path) / 2**20:.0f} MiB "
            f"in {csv_s:.1f} s")
        queries = make_queries(rows, n_queries, args.seed)
        del rows
        for backend in backends:
            log(f"[{backend}] {marks:,} marks, {n_queries} queries")
            database = (sqlite_database(folder) if backend == "sqlite"
                        else postgres_database())
            try:
                with database as url:
                    results[backend] = run_backend(url, csv_path, marks, queries, backend,
                                                   folder)
                    results[backend]["queries"] = n_queries
                texts = results[backend].pop("texts")
                if base is None and args.baseline_queries > 0:
                    log(f"baseline: WRatio over {len(texts):,} marks, "
                        f"{min(args.baseline_queries, n_queries)} sampled queries")
                    base = baseline(texts, queries, args.seed, args.baseline_queries)
                del texts
                gc.collect()
            except (ServerUnavailable, subprocess.CalledProcessError) as exc:
                log(f"  {backend} unavailable: {exc}")
                failed[backend] = str(exc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    load_end = os.getloadavg()[0]
    print(table(marks, results, base))
    print(f"\nLoad average (1 min): {load_start:.1f} at the start, {load_end:.1f} at the end, "
          f"on {os.cpu_count()} CPUs. Goals: p95 < {GOAL_P95_MS:.0f} ms, index < 2 GiB, "
          f"a further worker < {GOAL_WORKER_MIB:.0f} MiB, first match < {GOAL_COLD_S:.0f} s.\n")
    figures: dict[str, Any] = {"marks": marks, "queries": n_queries,
                               "goal_p95_ms": GOAL_P95_MS, "csv_s": round(csv_s, 1)}
    for backend, r in results.items():
        prefix = "" if backend == "sqlite" else "postgres_"
        for key in ("import_s", "index_build_s", "index_disk_mib", "index_rss_mib",
                    "peak_rss_mib", "map_s", "p50_ms", "p95_ms", "p99_ms", "max_ms",
                    "batch_qps", "version_p50_ms", "recall_at_10", "worker_private_mib",
                    "worker_private_total_mib", "bare_worker_private_mib", "cold_start_s",
                    "cold_process_s", "worker_p95_ms", "worker_index_private_mib"):
            if r.get(key) is not None:
                figures[prefix + key] = round(r[key], 3 if key in (
                    "recall_at_10", "cold_start_s", "map_s") else 1)
        if base:
            figures[prefix + "baseline_p95_ms"] = round(base["p95_ms"], 1)
    if base:
        figures.update(baseline_p50_ms=round(base["p50_ms"], 1),
                       baseline_queries=base["queries"],
                       baseline_recall_at_10=round(base["recall_at_10"] or 0, 3))
    figures.update({f"{'postgres' if b == 'postgres' else b}_error": e
                    for b, e in failed.items()})
    figures["ok"] = bool(results) and not failed and all(_ok(r) for r in results.values())
    figures.update(cpus=os.cpu_count(), load_avg_start=round(load_start, 2),
                   load_avg_end=round(load_end, 2),
                   seconds=round(time.perf_counter() - started, 1))
    print(json.dumps(figures))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
