"""Headline figures with their comparisons, and the short summary of the main changes."""

from __future__ import annotations

from decimal import Decimal

from .periods import Period


def _get(figures: dict, *path):
    value = figures
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _outcomes(figures: dict, keys: tuple[str, ...]):
    rows = {r["key"]: r for r in _get(figures, "cases", "outcomes", "rows") or []}
    values = [rows.get(k, {}).get("cases", 0) for k in keys]
    return None if any(v is None for v in values) else sum(values)


def _kpis(figures: dict) -> list[tuple[str, str, str, object]]:
    """(key, label, unit, value) of the headline figures of one period."""
    region = figures["scope"]["level"] == "region"
    currency = figures["scope"].get("currency")
    out = [
        ("cases_opened", "Cases opened", "count", _get(figures, "cases", "opened", "total",
                                                       "cases")),
        ("cases_closed", "Cases closed", "count", _get(figures, "cases", "closed", "total",
                                                       "cases")),
        ("seizure_items", "Seizure items", "count", _get(figures, "seizures", "total",
                                                         "items")),
        ("seizure_value_usd", "Seizure value", "USD", _get(figures, "seizures", "total",
                                                           "value_usd")),
    ]
    if currency and currency != "USD":
        out.append(("seizure_value_local", "Seizure value", currency,
                    _get(figures, "seizures", "total", "value_local")))
    out += [
        ("takedowns_requested", "Takedowns requested", "count",
         _get(figures, "takedowns", "total", "listings")),
        ("takedowns_achieved", "Takedowns achieved", "count",
         _get(figures, "takedowns", "total", "achieved")),
        ("convictions", "Convictions and fines", "count",
         _outcomes(figures, ("convicted", "fined"))),
    ]
    if region:
        out += [("referrals", "Referrals sent", "count",
                 _get(figures, "referrals", "directions", "all", "referrals")),
                ("referral_response_days", "Median response to referrals", "days",
                 _get(figures, "referrals", "directions", "all", "median_days"))]
    else:
        out += [("referrals_sent", "Referrals sent", "count",
                 _get(figures, "referrals", "directions", "sent", "referrals")),
                ("referrals_received", "Referrals received", "count",
                 _get(figures, "referrals", "directions", "received", "referrals")),
                ("referral_response_days", "Median response to referrals received", "days",
                 _get(figures, "referrals", "directions", "received", "median_days"))]
    out.append(("right_holders", "Right holders contacted", "count",
                _get(figures, "matches", "holders")))
    return out


def headline(current: dict, previous: dict, year_ago: dict) -> list[dict]:
    before = {k: v for k, _l, _u, v in _kpis(previous)}
    last_year = {k: v for k, _l, _u, v in _kpis(year_ago)}
    return [{"key": key, "label": label, "unit": unit, "value": value,
             "previous": before.get(key), "year_ago": last_year.get(key),
             "change_previous": change(value, before.get(key)),
             "change_year_ago": change(value, last_year.get(key))}
            for key, label, unit, value in _kpis(current)]


def _number(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value))


def change(now, before) -> float | None:
    """Percent change, rounded to one decimal; None when it cannot be said."""
    a, b = _number(now), _number(before)
    if a is None or b is None or b == 0:
        return None
    return round(float((a - b) / b * 100), 1)


def show(value, unit: str) -> str:
    """A headline value in words: "1,234", "USD 12,345", "4.5 days", "withheld"."""
    if value is None:
        return "withheld"
    number = _number(value)
    if unit == "count":
        return f"{int(number):,}"
    if unit == "days":
        return f"{float(number):,.1f} days"
    return f"{unit} {float(number):,.0f}"


def summarise(figures: dict, period: Period, limit: int = 4) -> list[str]:
    """Sentences on the largest changes against the previous period, then the year."""
    noun = period.noun
    lines: list[tuple[float, str]] = []
    for h in figures["headline"]:
        now, before = _number(h["value"]), _number(h["previous"])
        if now is None or before is None or h["key"] == "seizure_value_local":
            continue
        if before == 0:
            if now > 0:
                lines.append((0.0, f"{h['label']}: {show(h['value'], h['unit'])} "
                                      f"(none in the previous {noun})."))
            continue
        pct = h["change_previous"]
        if pct is None or abs(pct) < 1:
            continue
        word = "up" if pct > 0 else "down"
        lines.append((abs(pct), f"{h['label']} {word} {abs(pct):.0f}% on the previous {noun} "
                                f"({show(h['value'], h['unit'])} against "
                                f"{show(h['previous'], h['unit'])})."))
    lines.sort(key=lambda item: -item[0])
    out = [text for _pct, text in lines[:limit]]
    if not out:
        out.append(f"No notable change on the previous {noun}.")
    opened = next((h for h in figures["headline"] if h["key"] == "cases_opened"), None)
    if opened and opened["change_year_ago"] is not None:
        pct = opened["change_year_ago"]
        word = "up" if pct > 0 else "down" if pct < 0 else "unchanged"
        amount = f" {abs(pct):.0f}%" if pct else ""
        out.append(f"Cases opened {word}{amount} on {figures['comparison']['year_ago']['label']}"
                   f" ({show(opened['value'], 'count')} against "
                   f"{show(opened['year_ago'], 'count')}).")
    return out
