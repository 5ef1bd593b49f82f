"""Benchmark of the reports (issue 8): aggregation in SQL at 1,000,000 cases on PostgreSQL.

Fills a throwaway PostgreSQL (an isolated data folder, as bench/cases.py does) with
1,000,000 cases (100,000 with ``--quick``) over three years, with their seizure items,
listings and takedowns, referrals with response times, confirmed matches to a rights
registry and verification requests to 200 holder organisations, written with COPY. Then
it times, through the real code path (``reports.service.generate``: figures, comparisons,
hash, stored row):

- the annual regional report of 2025 (goal < 30 s);
- the monthly national report of October 2026 of the largest member state (goal < 3 s);

and, in the same run, a naive baseline of the annual regional report: the rows fetched
and aggregated in Python (counts, sums, top brands, percentiles), for the year and the one
before it, as the report compares them. Its totals are checked against the report's.

    .venv/bin/python bench/reports.py --quick   # 100,000 cases, about two minutes
    nice .venv/bin/python bench/reports.py      # 1,000,000 cases

The last line of the output is JSON: ``cases``, ``annual_regional_s``, ``monthly_national_s``,
``baseline_annual_regional_s`` and more (see docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for path in (ROOT, os.path.join(ROOT, "bench")):
    if path not in sys.path:
        sys.path.insert(0, path)

from cases import (  # noqa: E402
    COUNTRY_WEIGHTS,
    CURRENCY,
    PLATFORMS,
    RIGHTS,
    USD_PER_UNIT,
    Progress,
    Weighted,
    World,
    _brand_table,
    isolated_environment,
    log,
    make_app,
    make_people,
    postgres_database,
)

from tests.servers import ServerUnavailable  # noqa: E402

END = date(2026, 11, 25)
DAYS = 3 * 365
BATCH = 20_000
GOAL_ANNUAL_S = 30.0
GOAL_MONTHLY_S = 3.0
UNITS = ("pieces", "pairs", "boxes", "cartons", "kg")
OUTCOMES = [("convicted", 30), ("fined", 30), ("settled", 10), ("acquitted", 5),
            ("no_further_action", 20), ("transferred", 5)]
ACTIONS = ["investigate", "seize", "take_down", "identify_suspect", "trace_goods",
           "assist_prosecution", "information_only"]
REFERRAL_STATES = [("sent", 10), ("routed", 10), ("info_requested", 5), ("accepted", 45),
                   ("declined", 20), ("withdrawn", 10)]
TAKEDOWN = [(None, 20), ("pending", 10), ("removed", 45), ("partially_removed", 5),
            ("refused", 10), ("no_response", 10)]


def _aware(day: date, rng: random.Random) -> datetime:
    return datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59),
                    tzinfo=UTC)


class Writer:
    """COPY rows of one table in batches through the raw psycopg connection."""

    def __init__(self, conn, table: str, columns: tuple[str, ...]) -> None:
        self.conn, self.table, self.columns = conn, table, columns
        self.rows: list[tuple] = []
        self.count = 0

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        with self.conn.cursor() as cur, cur.copy(
                f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
            for row in self.rows:
                copy.write_row(row)
        self.count += len(self.rows)
        self.rows = []


CASE_COLUMNS = ("id", "reference", "agency_id", "country_code", "year", "seq", "kind", "status",
                "sensitivity", "title", "summary", "right_types_mask", "detected_on",
                "opened_on", "closed_on", "court_date", "outcome", "tags", "created_at",
                "updated_at", "version")
ITEM_COLUMNS = ("case_id", "description", "brand", "brand_key", "category", "quantity", "unit",
                "value_local", "currency", "usd_rate", "rate_date", "value_usd")
LISTING_COLUMNS = ("case_id", "url", "platform", "seller_name", "title",
                   "takedown_requested_on", "takedown_done_on", "takedown_result")
REFERRAL_COLUMNS = ("case_id", "from_agency_id", "from_country_code", "to_country_code",
                    "requested_action", "handling_code", "message", "deadline", "status",
                    "created_at", "sent_at", "first_response_at", "decided_at", "updated_at",
                    "version")
MATCH_COLUMNS = ("case_id", "source", "text", "right_id", "score", "reasons", "decision",
                 "decided_at", "updated_at")
# Verification requests (issue 18): a request to the right's holder for half of the
# confirmed matches; answered (mostly within the deadline) or still waiting.
VERIFICATION_COLUMNS = ("public_id", "case_id", "right_id", "org_id", "country_code",
                        "agency_id", "sent_by_id", "sent_at", "question", "detention_date",
                        "working_days", "deadline", "handling_code", "status", "version",
                        "answered_at", "verdict")
HOLDER_COLUMNS = ("id", "name", "kind", "country_code", "identity_checked", "alerts", "active",
                  "created_at")
N_HOLDERS = 200
RIGHT_COLUMNS = ("id", "type", "office", "number", "status", "owner", "mark_text", "classes",
                 "designations", "created_at", "updated_at")


def fill(url: str, n_cases: int, seed: int) -> tuple[World, dict[str, int], float]:
    from anice import db as anice_db
    from anice.text.brand import brand_key

    rng = random.Random(seed)
    world = World(cases=n_cases, brands=_brand_table())
    app = make_app(url)
    started = time.perf_counter()
    counts: dict[str, int] = {}
    with app.app_context():
        session = anice_db.session()
        make_people(session, world)
        session.close()
        raw = anice_db.engine().raw_connection()
        conn = raw.driver_connection
        agency_pick = Weighted(world.agencies, [a[3] for a in world.agencies])
        brand_pick = Weighted(world.brands, [b[2] for b in world.brands])
        platform_pick = Weighted([p for p, _ in PLATFORMS], [w for _, w in PLATFORMS])
        outcome_pick = Weighted(*zip(*OUTCOMES, strict=True))
        referral_pick = Weighted(*zip(*REFERRAL_STATES, strict=True))
        takedown_pick = Weighted(*zip(*TAKEDOWN, strict=True))
        countries = list(COUNTRY_WEIGHTS)
        rights = Writer(conn, "registered_right", RIGHT_COLUMNS)
        owners = sorted({b[0] for b in world.brands})
        n_rights = 2_000
        now = datetime(END.year, END.month, END.day, tzinfo=UTC)
        for i in range(1, n_rights + 1):
            owner = owners[i % len(owners)]
            rights.add((i, "trademark", countries[i % len(countries)], f"TM-{i:07d}",
                        "registered", f"{owner} Holdings {i % 7}", owner, ";25;", "", now, now))
        rights.flush()
        holders = Writer(conn, "holder_org", HOLDER_COLUMNS)
        for i in range(1, N_HOLDERS + 1):
            holders.add((i, f"Bench holder {i}", "owner", countries[i % len(countries)],
                         "bench", False, True, now))
        holders.flush()
        sender = conn.execute("SELECT min(id) FROM officer").fetchone()[0]
        writers = {"case_file": Writer(conn, "case_file", CASE_COLUMNS),
                   "seizure_item": Writer(conn, "seizure_item", ITEM_COLUMNS),
                   "listing": Writer(conn, "listing", LISTING_COLUMNS),
                   "referral": Writer(conn, "referral", REFERRAL_COLUMNS),
                   "case_match": Writer(conn, "case_match", MATCH_COLUMNS),
                   "verification_request": Writer(conn, "verification_request",
                                                  VERIFICATION_COLUMNS)}
        seqs: Counter = Counter()
        progress = Progress("postgres fill", n_cases)
        for case_id in range(1, n_cases + 1):
            agency_id, code, country, _w = agency_pick.pick(rng)
            age = int(DAYS * (1 - math.sqrt(rng.random())))
            detected = END - timedelta(days=age)
            created = _aware(detected, rng)
            status = ("draft" if rng.random() < 0.03 else
                      "closed" if rng.random() < min(0.8, age / 500) else
                      rng.choice(("open", "under_investigation", "prosecution", "in_court")))
            opened = None if status == "draft" else min(END, detected + timedelta(
                days=rng.randint(0, 14)))
            closed = (min(END, opened + timedelta(days=rng.randint(5, 300)))
                      if status == "closed" else None)
            outcome = outcome_pick.pick(rng) if closed else None
            court = (opened + timedelta(days=rng.randint(30, 200))
                     if opened and rng.random() < 0.15 else None)
            if court and court > END:
                court = None
            kind = "counterfeit" if rng.random() < 0.5 else "online"
            mask = sum(bit for bit, p in RIGHTS if rng.random() < p) or 1
            seqs[(agency_id, created.year)] += 1
            seq = seqs[(agency_id, created.year)]
            writers["case_file"].add((
                case_id, f"{country}-{code}-{created.year}-{seq:06d}", agency_id, country,
                created.year, seq, kind, status, "normal", f"Bench case {case_id}", "", mask,
                detected, opened, closed, court, outcome, "[]", created, created, 1))
            brand, category, _bw = brand_pick.pick(rng)
            for k in range(rng.choice((1, 1, 1, 2, 2, 3))):
                if k:
                    brand, category = brand_pick.pick(rng)[:2]
                if kind == "counterfeit":
                    currency = CURRENCY[country]
                    rate = Decimal(str(USD_PER_UNIT[currency]))
                    usd = Decimal(rng.randint(10, 500_000)) / 10
                    writers["seizure_item"].add((
                        case_id, f"{brand} goods", brand, brand_key(brand), category,
                        rng.randint(1, 20_000), rng.choice(UNITS),
                        (usd / rate).quantize(Decimal("0.01")), currency, rate, detected,
                        usd.quantize(Decimal("0.01"))))
                else:
                    result = takedown_pick.pick(rng)
                    requested = (min(END, created.date() + timedelta(days=rng.randint(0, 10)))
                                 if result else None)
                    done = (requested + timedelta(days=rng.randint(1, 25)) if result in (
                        "removed", "partially_removed") else None)
                    if done and done > END:
                        done = END
                    writers["listing"].add((
                        case_id, f"https://example.com/{case_id}/{k}", platform_pick.pick(rng),
                        "Seller", f"{brand} offer", requested, done, result))
            if opened and rng.random() < 0.03:
                state = referral_pick.pick(rng)
                sent = created + timedelta(days=rng.randint(1, 30))
                if sent.date() < END:
                    answered = (sent + timedelta(hours=rng.expovariate(1 / 120))
                                if state not in ("sent",) else None)
                    writers["referral"].add((
                        case_id, agency_id, country,
                        rng.choice([c for c in countries if c != country]),
                        rng.choice(ACTIONS), "agency_only", "", sent.date() + timedelta(
                            days=30), state, created, sent, answered,
                        answered if state in ("accepted", "declined") else None, sent, 1))
            if opened and rng.random() < 0.10:
                decided = created + timedelta(days=rng.randint(0, 20))
                right_id = rng.randint(1, n_rights)
                confirmed = rng.random() < 0.8
                writers["case_match"].add((
                    case_id, f"seizure:{case_id}", brand, right_id, 88.0,
                    "[]", "confirmed" if confirmed else "rejected", decided, decided))
                sent = decided + timedelta(days=rng.randint(0, 5))
                if confirmed and rng.random() < 0.5 and sent.date() < END:
                    answered = (sent + timedelta(hours=rng.expovariate(1 / 100))
                                if rng.random() < 0.85 else None)
                    writers["verification_request"].add((
                        f"bench{case_id}", case_id, right_id, right_id % N_HOLDERS + 1,
                        country, agency_id, sender, sent, "Genuine?", sent.date(), 10,
                        sent.date() + timedelta(days=14), "agency_only",
                        "answered" if answered else "sent", 1, answered,
                        rng.choice(("counterfeit", "counterfeit", "genuine", "cannot_tell"))
                        if answered else None))
            if case_id % BATCH == 0:
                for w in writers.values():
                    w.flush()
                conn.commit()
                progress.update(case_id)
        for w in writers.values():
            w.flush()
        counter_rows = Writer(conn, "case_counter", ("agency_id", "year", "last"))
        for (agency_id, year), last in seqs.items():
            counter_rows.add((agency_id, year, last))
        counter_rows.flush()
        conn.commit()
        raw.close()
        progress.finish()
        counts = {name: w.count for name, w in writers.items()}
        log("  postgres vacuum analyze ...", end="")
        t0 = time.perf_counter()
        engine = anice_db.engine()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            for table in ("case_file", "seizure_item", "listing", "referral", "case_match",
                          "holder_org", "verification_request"):
                c.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT max(id) FROM {table}))")
            c.exec_driver_sql("VACUUM ANALYZE")
        log(f" {time.perf_counter() - t0:.1f} s")
    app.extensions["anice.engine"].dispose()
    return world, counts, time.perf_counter() - started


# --- the report through the real code path ------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def server_cpu(session) -> float:
    """CPU seconds used so far by the PostgreSQL server's processes (backends, parallel
    workers): on a shared machine the wall-clock time also measures the neighbours."""
    from sqlalchemy import text

    datadir = session.execute(text("SHOW data_directory")).scalar()
    with open(os.path.join(datadir, "postmaster.pid")) as fh:
        postmaster = fh.readline().strip()
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == postmaster or pid == postmaster:  # ppid, or the postmaster itself
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICK


def timed_report(url: str, scope, period) -> tuple[float, float, dict]:
    """(wall seconds, CPU seconds of this process and the server, figures)."""
    from anice import db as anice_db
    from anice.reports import service

    app = make_app(url)
    with app.app_context():
        session = anice_db.session()
        cpu0, own0 = server_cpu(session), time.process_time()
        session.commit()
        t0 = time.perf_counter()
        result = service.generate(session, scope, period, origin="bench", today=END)
        session.commit()
        seconds = time.perf_counter() - t0
        cpu = server_cpu(session) - cpu0 + time.process_time() - own0
        found = result.report.figures
    app.extensions["anice.engine"].dispose()
    return seconds, cpu, found


# --- the naive baseline --------------------------------------------------------------

def _pct(ordered: list[float], p: float) -> float | None:
    if not ordered:
        return None
    pos = (len(ordered) - 1) * p
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def naive_figures(session, start: date, end: date) -> dict:
    """The main figures of a regional report from rows fetched and aggregated in Python
    (of the cases a regional report counts: ``policy.report_cases``)."""
    from sqlalchemy import and_, or_, select

    from anice import policy
    from anice.models import Case, CaseMatch, Listing, Referral, SeizureItem

    counted = policy.report_cases("region", None, None)

    stop = end + timedelta(days=1)
    t0, t1 = datetime.combine(start, datetime.min.time(), UTC), datetime.combine(
        stop, datetime.min.time(), UTC)
    out: dict = {"opened": Counter(), "closed": Counter(), "types": Counter(),
                 "outcomes": Counter(), "months": Counter(), "court": 0}
    rows = session.execute(select(
        Case.kind, Case.right_types_mask, Case.opened_on, Case.closed_on, Case.outcome,
        Case.court_date, Case.country_code).where(or_(
            and_(Case.opened_on >= start, Case.opened_on < stop),
            and_(Case.closed_on >= start, Case.closed_on < stop),
            and_(Case.court_date >= start, Case.court_date < stop)), counted))
    for kind, mask, opened, closed, outcome, court, _country in rows:
        if opened and start <= opened <= end:
            out["opened"][kind] += 1
            out["months"][opened.strftime("%Y-%m")] += 1
            for bit in range(6):
                if mask & (1 << bit):
                    out["types"][bit] += 1
        if closed and start <= closed <= end:
            out["closed"][kind] += 1
            out["outcomes"][outcome] += 1
        if court and start <= court <= end:
            out["court"] += 1
    categories: dict = defaultdict(lambda: [0, set(), Decimal(0), Decimal(0)])
    brands: dict = defaultdict(lambda: [set(), 0, Decimal(0)])
    items = session.execute(select(
        SeizureItem.case_id, SeizureItem.category, SeizureItem.unit, SeizureItem.quantity,
        SeizureItem.value_usd, SeizureItem.brand_key).join(Case).where(
            Case.detected_on >= start, Case.detected_on < stop, counted))
    for case_id, category, unit, quantity, usd, brand_key in items:
        c = categories[(category, unit)]
        c[0] += 1
        c[1].add(case_id)
        c[2] += quantity or 0
        c[3] += usd or 0
        b = brands[brand_key]
        b[0].add(case_id)
        b[1] += 1
        b[2] += usd or 0
    out["seizure_value_usd"] = sum(c[3] for c in categories.values())
    out["brands"] = sorted(brands.items(), key=lambda kv: -kv[1][2])[:10]
    platforms: dict = defaultdict(lambda: [0, 0, []])
    listings = session.execute(select(
        Listing.platform, Listing.takedown_result, Listing.takedown_requested_on,
        Listing.takedown_done_on).join(Case).where(
            Listing.takedown_requested_on >= start, Listing.takedown_requested_on < stop,
            counted))
    for platform, result, requested, done in listings:
        p = platforms[platform]
        p[0] += 1
        if result in ("removed", "partially_removed"):
            p[1] += 1
            if done:
                p[2].append((done - requested).days)
    out["takedowns"] = sum(p[0] for p in platforms.values())
    out["takedown_median"] = _pct(sorted(d for p in platforms.values() for d in p[2]), 0.5)
    pairs: dict = defaultdict(Counter)
    durations = []
    for f, t, status, sent, answered in session.execute(select(
            Referral.from_country_code, Referral.to_country_code, Referral.status,
            Referral.sent_at, Referral.first_response_at)
            .join(Case, Referral.case_id == Case.id).where(
                Referral.sent_at >= t0, Referral.sent_at < t1, counted)):
        pairs[(f, t)][status] += 1
        if answered:
            durations.append((answered - sent).total_seconds() / 86400)
    durations.sort()
    out["referrals"] = sum(sum(c.values()) for c in pairs.values())
    out["response_median"] = _pct(durations, 0.5)
    out["response_p90"] = _pct(durations, 0.9)
    matches = session.execute(select(CaseMatch.case_id, CaseMatch.right_id).join(Case).where(
        CaseMatch.decision == "confirmed", CaseMatch.decided_at >= t0,
        CaseMatch.decided_at < t1, counted)).all()
    out["matches"] = (len(matches), len({m[0] for m in matches}), len({m[1] for m in matches}))
    return out


def baseline(url: str, year: int) -> tuple[float, float, dict]:
    from anice import db as anice_db

    app = make_app(url)
    with app.app_context():
        session = anice_db.session()
        cpu0, own0 = server_cpu(session), time.process_time()
        session.commit()
        t0 = time.perf_counter()
        current = naive_figures(session, date(year, 1, 1), date(year, 12, 31))
        naive_figures(session, date(year - 1, 1, 1), date(year - 1, 12, 31))
        seconds = time.perf_counter() - t0
        session.commit()
        cpu = server_cpu(session) - cpu0 + time.process_time() - own0
    app.extensions["anice.engine"].dispose()
    return seconds, cpu, current


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 cases (a few minutes)")
    parser.add_argument("--cases", type=int, help="number of cases (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=20261125)
    args = parser.parse_args(argv)
    n_cases = args.cases or (100_000 if args.quick else 1_000_000)
    folder = isolated_environment()
    from anice.reports.periods import Period, Scope

    figures: dict = {"cases": n_cases}
    load_start = os.getloadavg()[0]
    started = time.perf_counter()
    try:
        with postgres_database() as url:
            log(f"[postgres] {n_cases:,} cases")
            _world, counts, fill_s = fill(url, n_cases, args.seed)
            figures.update({f"{k}_rows": v for k, v in counts.items()}, fill_s=round(fill_s, 1))
            biggest = max(COUNTRY_WEIGHTS, key=COUNTRY_WEIGHTS.get)
            annual, annual_cpu = [], []
            for run in range(2):
                seconds, cpu, report = timed_report(url, Scope.region(), Period.year(2025))
                annual.append(seconds)
                annual_cpu.append(cpu)
                log(f"  annual regional report 2025, run {run + 1}: {seconds:.2f} s "
                    f"({cpu:.2f} s CPU)")
            monthly, monthly_cpu = [], []
            for run in range(3):
                seconds, cpu, national = timed_report(url, Scope.country(biggest),
                                                      Period.month(2026, 10))
                monthly.append(seconds)
                monthly_cpu.append(cpu)
                log(f"  monthly national report {biggest} 2026-10, run {run + 1}: "
                    f"{seconds:.2f} s ({cpu:.2f} s CPU)")
            base_s, base_cpu, naive = baseline(url, 2025)
            log(f"  baseline (rows aggregated in Python), annual regional: {base_s:.2f} s "
                f"({base_cpu:.2f} s CPU)")
            figures["baseline_annual_regional_cpu_s"] = round(base_cpu, 2)
            same = (naive["opened"]["counterfeit"] + naive["opened"]["online"]
                    == report["cases"]["opened"]["total"]["cases"]
                    and f"{naive['seizure_value_usd']:.2f}" == report["seizures"]["total"][
                        "value_usd"]
                    and naive["referrals"] == report["referrals"]["directions"]["all"][
                        "referrals"]
                    and naive["takedowns"] == report["takedowns"]["total"]["listings"])
            figures.update(
                annual_regional_s=round(annual[0], 2), annual_regional_warm_s=round(annual[1], 2),
                monthly_national_s=round(statistics.median(monthly), 3),
                monthly_national_max_s=round(max(monthly), 3), monthly_national_country=biggest,
                annual_regional_cpu_s=round(annual_cpu[0], 2),
                monthly_national_cpu_s=round(statistics.median(monthly_cpu), 3),
                baseline_annual_regional_s=round(base_s, 2),
                speedup_annual=round(base_s / annual[0], 1) if annual[0] else None,
                baseline_totals_match=same,
                annual_cases_opened=report["cases"]["opened"]["total"]["cases"],
                annual_seizure_value_usd=report["seizures"]["total"]["value_usd"],
                monthly_cases_opened=national["cases"]["opened"]["total"]["cases"],
                annual_verification_requests=report["verifications"]["total"]["requests"],
                monthly_verification_requests=national["verifications"]["total"]["requests"])
    except (ServerUnavailable, subprocess.CalledProcessError) as exc:
        log(f"  postgres unavailable: {exc}")
        figures["postgres_error"] = str(exc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    figures["ok"] = bool(figures.get("annual_regional_s") is not None
                         and figures["annual_regional_s"] < GOAL_ANNUAL_S
                         and figures["monthly_national_s"] < GOAL_MONTHLY_S
                         and figures.get("baseline_totals_match"))
    figures.update(cpus=os.cpu_count(), load_avg_start=round(load_start, 2),
                   load_avg_end=round(os.getloadavg()[0], 2),
                   seconds=round(time.perf_counter() - started, 1))
    print(f"\nReports at {n_cases:,} cases (PostgreSQL): annual regional "
          f"{figures.get('annual_regional_s')} s (goal < {GOAL_ANNUAL_S:.0f}), monthly national "
          f"{figures.get('monthly_national_s')} s (goal < {GOAL_MONTHLY_S:.0f}), baseline "
          f"{figures.get('baseline_annual_regional_s')} s")
    print(json.dumps(figures, sort_keys=True))
    return 0 if "postgres_error" not in figures else 1


if __name__ == "__main__":
    sys.exit(main())
