"""The report's "Verification requests" figures: requests sent to right holders in the
period from the cases the report counts, how many were answered within their deadline,
the median answer time, the share answered "counterfeit" and the holders reached; in
total, per member state (the sending country) and per holder organisation.

An answer is within its deadline when its day in the sending country's time zone is on or
before the deadline (the last working day, inclusive). Small cells are withheld as in the
rest of the report (rows counting fewer than ``min_cell`` cases); a median or a share over
fewer than ``min_cell`` answers is withheld as well.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Country, HolderOrg, Verdict, VerificationStatus
from ..text.times import zone
from . import queries, sql
from .periods import Period, Scope
from .suppress import suppress_rows, suppress_value

FIGURES = ("requests", "cases", "answered", "in_time", "overdue", "withdrawn", "holders")


def _rate(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def stats(rows: list[dict], zones: dict[str, str], as_of: date,
          min_cell: int | None) -> dict:
    """The figures of one group of request rows (see ``queries.verification_requests``)."""
    answered = [r for r in rows if r["answered_at"] is not None]
    in_time = sum(1 for r in answered
                  if r["answered_at"].astimezone(zone(zones.get(r["country"]))).date()
                  <= r["deadline"])
    days = sorted((r["answered_at"] - r["sent_at"]).total_seconds() / 86400.0
                  for r in answered)
    median = sql.interpolate(days, 0.5)
    counterfeit = sum(1 for r in answered if r["verdict"] == Verdict.COUNTERFEIT)
    n = len(answered)
    return {
        "requests": len(rows), "cases": len({r["case_id"] for r in rows}), "answered": n,
        "in_time": in_time,
        "overdue": sum(1 for r in rows if r["status"] == VerificationStatus.SENT
                       and r["deadline"] < as_of),
        "withdrawn": sum(1 for r in rows if r["status"] == VerificationStatus.WITHDRAWN),
        "holders": len({r["org_id"] for r in rows}),
        "in_time_rate": suppress_value(_rate(in_time, n), n, min_cell),
        "median_days": suppress_value(None if median is None else round(median, 1), n,
                                      min_cell),
        "counterfeit_rate": suppress_value(_rate(counterfeit, n), n, min_cell),
    }


def _rows(groups: dict, labels: dict, zones: dict, as_of: date,
          min_cell: int | None) -> list[dict]:
    out = [{"key": str(key), "label": labels.get(key, str(key)),
            **stats(rows, zones, as_of, min_cell)} for key, rows in groups.items()]
    return sorted(out, key=lambda r: (-r["requests"], r["label"]))


def section(db: Session, scope: Scope, period: Period, as_of: date,
            min_cell: int | None) -> dict:
    found = queries.verification_requests(db, scope, period)
    zones = dict(db.execute(select(Country.code, Country.timezone)).all())
    total = stats(found, zones, as_of, min_cell)
    by_country: dict = {}
    by_holder: dict = {}
    for r in found:
        by_country.setdefault(r["country"], []).append(r)
        by_holder.setdefault(r["org_id"], []).append(r)
    countries = dict(db.execute(select(Country.code, Country.name)).all())
    holders = dict(db.execute(select(HolderOrg.id, HolderOrg.name)
                              .where(HolderOrg.id.in_(list(by_holder)))).all()) \
        if by_holder else {}
    country_rows = _rows(by_country, countries, zones, as_of, min_cell)
    holder_rows = _rows(by_holder, holders, zones, as_of, min_cell)
    # Each table applies rules 1-3 against the same total: withheld if either says so.
    totals = [dict(total), dict(total)]
    suppress_rows(country_rows, min_cell, ("key", "label"), total=totals[0])
    suppress_rows(holder_rows, min_cell, ("key", "label"), total=totals[1])
    if any(t.get("suppressed") for t in totals):
        total = {k: None for k in total} | {"suppressed": True}
    return {"total": total, "countries": country_rows, "holders": holder_rows}
