"""The figures of a report: the aggregate queries shaped into the frozen JSON document.

``compute(db, scope, period, ...)`` returns a plain dict (strings, ints, floats, None)
whose canonical JSON is hashed and stored. Money is a string with two decimals, so the
document is the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..cases.rates import rate_on
from ..models import Agency, Category, Country, Outcome, Platform, RightType
from ..models import RequestedAction as Action
from ..models.case import CaseKind
from ..models.report import ScopeLevel
from ..text.brand import normalize
from ..text.labels import label
from . import queries, sql, verifications
from .periods import Period, Scope
from .summary import headline, summarise
from .suppress import suppress_rows, suppress_value

# 2: above the agency, only the cases every reader may open are counted (policy.report_cases).
# 3: seizures by confirmed registered right ("rights"); "brands" only the items no confirmed
# right covers, grouped by the matcher's folded reading (schema 2: by the text as seen).
# 4: "verifications", requests sent to right holders (reports/verifications.py).
SCHEMA = 4
REGION_LABEL = "ASEAN region"
Progress = Callable[[int], None]


def canonical_json(figures: dict) -> bytes:
    return json.dumps(figures, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def digest(figures: dict) -> str:
    return hashlib.sha256(canonical_json(figures)).hexdigest()


def scope_info(db: Session, scope: Scope) -> dict:
    if scope.level == ScopeLevel.REGION:
        return {"level": "region", "key": scope.key, "label": REGION_LABEL, "country": None,
                "agency": None, "currency": None}
    country = db.get(Country, scope.country_code)
    info = {"level": scope.level.value, "key": scope.key, "country": scope.country_code,
            "country_name": country.name if country else scope.country_code,
            "currency": country.currency if country else None, "agency": None}
    info["label"] = info["country_name"]
    if scope.level == ScopeLevel.AGENCY:
        agency = db.get(Agency, scope.agency_id)
        info["agency"] = agency.code if agency else str(scope.agency_id)
        info["label"] = (f"{agency.name} ({scope.country_code}-{agency.code})" if agency
                         else info["label"])
    return info


def _rate(db: Session, currency: str | None, on: date) -> dict | None:
    if currency is None:
        return None
    rate = rate_on(db, currency, on)
    return {"currency": currency, "on": on.isoformat(),
            "usd_per_unit": None if rate is None else str(Decimal(str(rate)).normalize())}


def _local(row: dict, rate: dict | None) -> str | None:
    """Value in the report's currency: native values plus foreign ones converted from USD
    at the report's reference rate (None if that is needed and there is no rate)."""
    if rate is None or "local_native" not in row:
        return None
    native = Decimal(str(row.get("local_native") or 0))
    foreign = Decimal(str(row.get("usd_foreign") or 0))
    if foreign and not rate["usd_per_unit"]:
        return None
    if foreign:
        native += foreign / Decimal(rate["usd_per_unit"])
    if row.get("local_native") is None and not row.get("foreign_items"):
        return None
    return sql.money(native)


def _cases_section(db: Session, scope: Scope, period: Period, min_cell: int | None,
                   detail: bool = True) -> dict:
    opened = {r["kind"]: r for r in queries.cases_opened(db, scope, period)}
    closed_rows = queries.cases_closed(db, scope, period)
    closed: dict = {}
    outcomes: dict = {}
    for r in closed_rows:  # a handful of (kind, outcome) groups, already aggregated
        k = closed.setdefault(r["kind"], {t.value: 0 for t in RightType} | {"cases": 0})
        o = outcomes.setdefault(r["outcome"], 0)
        for key in k:
            k[key] += r[key]
        outcomes[r["outcome"]] = o + r["cases"]

    def kind_table(found: dict) -> dict:
        rows = [{"key": kind.value, "label": kind.value.capitalize(),
                 "cases": (found.get(kind) or {}).get("cases", 0)} for kind in CaseKind]
        total = {"cases": sum(r["cases"] for r in rows)}
        suppress_rows(rows, min_cell, ("key", "label"), total=total)
        return {"rows": rows, "total": total}

    types = []
    for t in RightType:
        row = {"key": t.value, "label": t.label,
               "opened": sum((found or {}).get(t.value, 0) for found in opened.values()),
               "closed": sum((found or {}).get(t.value, 0) for found in closed.values())}
        types.append(row)
    if min_cell:  # each figure of a row stands for its own cases
        for row in types:
            for key in ("opened", "closed"):
                row[key] = suppress_value(row[key], row[key], min_cell)
    outcome_rows = [{"key": o.value, "label": label(o),
                     "cases": outcomes.get(o, 0)} for o in Outcome]
    if outcomes.get(None):
        outcome_rows.append({"key": "none", "label": "Not recorded",
                             "cases": outcomes[None]})
    outcome_total = {"cases": sum(outcomes.values())}
    suppress_rows(outcome_rows, min_cell, ("key", "label"), total=outcome_total)
    hearings = queries.court_hearings(db, scope, period) if detail else None
    return {"opened": kind_table(opened), "closed": kind_table(closed), "right_types": types,
            "outcomes": {"rows": outcome_rows, "total": outcome_total},
            "court_hearings": suppress_value(hearings, hearings, min_cell)}


def _seizure_section(db: Session, scope: Scope, period: Period, rate: dict | None,
                     min_cell: int | None, detail: bool) -> dict:
    """Totals (from the per-agency or per-country parts); with ``detail`` also the rows
    per category and unit and the top brands."""
    currency = rate["currency"] if rate else None
    parts = queries.seizure_parts(db, scope, period, currency)
    t = {k: sum(p[k] or 0 for p in parts) for k in ("items", "cases")}
    for key in ("value_usd", "local_native", "usd_foreign", "foreign_items"):
        found = [p[key] for p in parts if p.get(key) is not None]
        t[key] = sum(found) if found else None
    total = {"items": t["items"], "cases": t["cases"], "value_usd": sql.money(t["value_usd"]),
             "value_local": _local(t, rate) if currency else None}
    out: dict = {"rows": [], "total": total, "parts": parts}
    if not detail:
        suppress_rows([], min_cell, (), total=total)
        return out
    labels = {c.value: label(c) for c in Category}
    rows = []
    for r in sorted(queries.seizures(db, scope, period, currency),
                    key=lambda r: (-(r["value_usd"] or 0), r["category"], r["unit"])):
        rows.append({"category": r["category"].value, "unit": r["unit"].value,
                     "label": f"{labels[r['category'].value]} ({r['unit'].value})",
                     "items": r["items"], "cases": r["cases"],
                     "quantity": sql.quantity(r["quantity"]),
                     "value_usd": sql.money(r["value_usd"]), "value_local": _local(r, rate)})
    suppress_rows(rows, min_cell, ("category", "unit", "label"), total=total)
    out["rows"] = rows
    out["rights"] = [{"right": f"{r['office']} {r['number']}", "office": r["office"],
                      "number": r["number"], "mark": r["mark"], "holder": r["holder"],
                      "cases": r["cases"], "items": r["items"],
                      "quantity": sql.quantity(r["quantity"]),
                      "value_usd": sql.money(r["value_usd"])}
                     for r in queries.top_rights(db, scope, period, min_cell or 0)]
    out["brands"] = [{"brand": reading(b["spellings"], b["key"]), "key": b["key"],
                      "cases": b["cases"], "items": b["items"],
                      "value_usd": sql.money(b["value_usd"])}
                     for b in queries.top_brands(db, scope, period, min_cell or 0)]
    return out


def reading(spellings: dict[str, int], key: str) -> str:
    """How a brand group is shown: the matcher's reading (`normalize`, never the raw text),
    the one spelled without look-alikes (equal to the shape ``key``: "nike" rather than
    "nlke") when seized, else the reading of most items."""
    counts: dict[str, int] = {}
    for brand, n in spellings.items():
        text = normalize(brand) or key
        counts[text] = counts.get(text, 0) + n
    return min(counts, key=lambda r: (r != key, -counts[r], r)) if counts else key


def _days(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


def _takedown_section(db: Session, scope: Scope, period: Period, min_cell: int | None,
                      detail: bool) -> dict:
    times = queries.takedown_times(db, scope, period) if detail else {}
    rows = []
    for r in sorted(queries.takedowns(db, scope, period),
                    key=lambda r: (-r["listings"], r["platform"])):
        p = r["platform"].value
        rows.append({"platform": p, "label": label(p),
                     "listings": r["listings"], "cases": r["cases"], "achieved": r["achieved"],
                     "refused": r["refused"], "open": r["open"],
                     "mean_days": _days(r["mean_days"]),
                     "median_days": _days(times.get(Platform(p), {}).get(0.5))})
    total = {k: sum(r[k] for r in rows) for k in ("listings", "achieved", "refused", "open")}
    total["cases"] = sum(r["cases"] for r in rows)  # an upper bound: platforms may share one
    overall = times.get("", {})
    total["median_days"] = suppress_value(_days(overall.get(0.5)), overall.get("n"), min_cell)
    total["p90_days"] = suppress_value(_days(overall.get(0.9)), overall.get("n"), min_cell)
    total["achieved_rate"] = _rate_of(total["achieved"], total["listings"])
    suppress_rows(rows, min_cell, ("platform", "label"), total=total)
    return {"rows": rows, "total": total}


def _rate_of(part: int | None, whole: int | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100.0 * part / whole, 1)


COUNTS = ("referrals", "cases", "accepted", "declined", "withdrawn", "awaiting", "overdue",
          "answered")


def _referral_section(db: Session, scope: Scope, period: Period, as_of: date,
                      min_cell: int | None, detail: bool = True) -> dict:
    pairs = []
    for r in sorted(queries.referral_pairs(db, scope, period, as_of),
                    key=lambda r: (r["direction"], r["from"], r["to"])):
        pairs.append({"direction": r["direction"], "from": r["from"], "to": r["to"],
                      **{k: r[k] for k in COUNTS}})
    actions = []
    for r in sorted(queries.referral_actions(db, scope, period, as_of) if detail else [],
                    key=lambda r: (r["direction"], r["action"].value)):
        actions.append({"direction": r["direction"], "action": r["action"].value,
                        "label": Action(r["action"]).label, **{k: r[k] for k in COUNTS}})
    times = queries.referral_response_times(db, scope, period)
    directions = {}
    for direction in (("all",) if scope.level == ScopeLevel.REGION else ("sent", "received")):
        mine = [p for p in pairs if p["direction"] == direction]
        d = {k: sum(p[k] for p in mine) for k in COUNTS}
        n = times.get(direction, {}).get("n")
        d["median_days"] = suppress_value(_days(times.get(direction, {}).get(0.5)), n,
                                          min_cell)
        d["p90_days"] = suppress_value(_days(times.get(direction, {}).get(0.9)), n, min_cell)
        d["acceptance_rate"] = _rate_of(d["accepted"], d["accepted"] + d["declined"])
        d["overdue_rate"] = _rate_of(d["overdue"], d["referrals"])
        d["answered_rate"] = _rate_of(d["answered"], d["referrals"])
        suppress_rows(mine, min_cell, ("direction", "from", "to"), total=d)
        suppress_rows([a for a in actions if a["direction"] == direction], min_cell,
                      ("direction", "action", "label"), total=d)
        directions[direction] = d
    return {"pairs": pairs, "actions": actions, "directions": directions}


def _match_section(db: Session, scope: Scope, period: Period, min_cell: int | None) -> dict:
    m = queries.matches(db, scope, period)
    if min_cell and 0 < m["cases"] < min_cell:
        return {k: None for k in m} | {"suppressed": True}
    return m


def _trend(db: Session, scope: Scope, period: Period, min_cell: int | None) -> dict:
    months = period.months()
    first = date.fromisoformat(months[0] + "-01")
    found = queries.trend(db, scope, first, period.end_exclusive)
    inside = {m for m in months if m >= f"{period.start:%Y-%m}"}
    out: dict = {"months": months}
    for name in ("opened", "closed", "value_usd"):
        if name == "value_usd":
            rows = [{"month": m, "cases": found["seizure_cases"].get(m, 0),
                     "value": sql.money(found["value_usd"].get(m))} for m in months]
        else:
            rows = [{"month": m, "cases": found[name].get(m, 0)} for m in months]
        # The months of the period add up to its total (shown elsewhere): rule 2 applies.
        suppress_rows([r for r in rows if r["month"] in inside], min_cell, ("month",),
                      total={})
        suppress_rows([r for r in rows if r["month"] not in inside], min_cell, ("month",))
        out[name] = [r["value" if name == "value_usd" else "cases"] for r in rows]
    return out


def _by_country(db: Session, period: Period, seizures: dict, min_cell: int | None) -> dict:
    found = queries.by_country(db, period)
    for part in seizures["parts"]:
        found.setdefault(part["part"], {}).update(
            seizure_items=part["items"], seizure_cases=part["cases"],
            value_usd=part["value_usd"])
    names = dict(db.execute(select(Country.code, Country.name)).all())
    rows = []
    for code in sorted(found):
        f = found[code]
        rows.append({"country": code, "label": names.get(code, code),
                     "opened": f.get("opened", 0), "closed": f.get("closed", 0),
                     "seizure_cases": f.get("seizure_cases", 0),
                     "seizure_items": f.get("seizure_items", 0),
                     "value_usd": sql.money(f.get("value_usd"))})
    for count_key, columns in (("opened", ("opened",)), ("closed", ("closed",)),
                               ("seizure_cases", ("seizure_cases", "seizure_items",
                                                  "value_usd"))):
        part = [{"key": r["country"], **{c: r[c] for c in columns}} for r in rows]
        suppress_rows(part, min_cell, ("key",), count_key=count_key,
                      total=dict(seizures["total"]) if count_key == "seizure_cases" else {})
        for row, cut in zip(rows, part, strict=True):
            if cut.get("suppressed"):
                row.update({c: None for c in columns})
                row.setdefault("suppressed", []).append(count_key)
    return {"rows": rows}


def compute(db: Session, scope: Scope, period: Period, *, today: date, min_cell: int | None,
            progress: Progress | None = None, comparisons: bool = True) -> dict:
    """Every figure of the report of ``scope`` over ``period``; ``min_cell`` for
    cross-agency scopes (suppression), None otherwise."""
    def step(pct: int) -> None:
        if progress is not None:
            progress(pct)  # may commit: the session settings are per transaction
            sql.tune(db)

    sql.tune(db)
    min_cell = min_cell if scope.cross_agency else None
    info = scope_info(db, scope)
    as_of = min(period.end_exclusive, today)
    rate = _rate(db, info["currency"], min(period.end, today))
    figures = {"schema": SCHEMA, "scope": info,
               "period": {"kind": period.kind.value, "key": period.key, "label": period.label,
                          "start": period.start.isoformat(), "end": period.end.isoformat()},
               "as_of": as_of.isoformat(), "min_cell": min_cell, "rate": rate}
    figures["cases"] = _cases_section(db, scope, period, min_cell, detail=comparisons)
    step(15)
    seizures = _seizure_section(db, scope, period, rate, min_cell, detail=comparisons)
    figures["seizures"] = {k: v for k, v in seizures.items() if k != "parts"}
    step(30)
    figures["takedowns"] = _takedown_section(db, scope, period, min_cell, detail=comparisons)
    step(40)
    figures["referrals"] = _referral_section(db, scope, period, as_of, min_cell,
                                             detail=comparisons)
    figures["matches"] = _match_section(db, scope, period, min_cell)
    step(50)
    if not comparisons:  # an earlier period: what the headline compares, no more
        return figures
    figures["verifications"] = verifications.section(db, scope, period, as_of, min_cell)
    if scope.level == ScopeLevel.REGION:
        figures["by_country"] = _by_country(db, period, seizures, min_cell)
    figures["trend"] = _trend(db, scope, period, min_cell)
    step(60)
    earlier: dict[str, dict] = {}
    for name, other, pct in (("previous", period.previous(), 75),
                             ("year_ago", period.year_before(), 90)):
        same = earlier.get("previous")
        if same is not None and same["period"]["key"] == other.key:
            earlier[name] = same  # a year's previous period is the year before
        else:
            earlier[name] = compute(db, scope, other, today=today, min_cell=min_cell,
                                    comparisons=False)
        step(pct)
    figures["headline"] = headline(figures, earlier["previous"], earlier["year_ago"])
    figures["comparison"] = {k: {"key": v["period"]["key"], "label": v["period"]["label"]}
                             for k, v in earlier.items()}
    figures["summary"] = summarise(figures, period)
    step(95)
    return figures
