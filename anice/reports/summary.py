"""Headline figures with their comparisons, and the short summary of the main changes."""

from __future__ import annotations

from decimal import Decimal

from ..text.locales import N_
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
        ("cases_opened", N_("Cases opened"), "count", _get(figures, "cases", "opened", "total",
                                                       "cases")),
        ("cases_closed", N_("Cases closed"), "count", _get(figures, "cases", "closed", "total",
                                                       "cases")),
        ("seizure_items", N_("Seizure items"), "count", _get(figures, "seizures", "total",
                                                         "items")),
        ("seizure_value_usd", N_("Seizure value"), "USD", _get(figures, "seizures", "total",
                                                           "value_usd")),
    ]
    if currency and currency != "USD":
        out.append(("seizure_value_local", N_("Seizure value"), currency,
                    _get(figures, "seizures", "total", "value_local")))
    out += [
        ("takedowns_requested", N_("Takedowns requested"), "count",
         _get(figures, "takedowns", "total", "listings")),
        ("takedowns_achieved", N_("Takedowns achieved"), "count",
         _get(figures, "takedowns", "total", "achieved")),
        ("convictions", N_("Convictions and fines"), "count",
         _outcomes(figures, ("convicted", "fined"))),
    ]
    if region:
        out += [("referrals", N_("Referrals sent"), "count",
                 _get(figures, "referrals", "directions", "all", "referrals")),
                ("referral_response_days", N_("Median response to referrals"), "days",
                 _get(figures, "referrals", "directions", "all", "median_days"))]
    else:
        out += [("referrals_sent", N_("Referrals sent"), "count",
                 _get(figures, "referrals", "directions", "sent", "referrals")),
                ("referrals_received", N_("Referrals received"), "count",
                 _get(figures, "referrals", "directions", "received", "referrals")),
                ("referral_response_days", N_("Median response to referrals received"), "days",
                 _get(figures, "referrals", "directions", "received", "median_days"))]
    out.append(("right_holders", N_("Right holders contacted"), "count",
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


UP = N_("%(figure)s up %(change)s on %(earlier)s (%(now)s against %(before)s).")
DOWN = N_("%(figure)s down %(change)s on %(earlier)s (%(now)s against %(before)s).")
FROM_NONE = N_("%(figure)s: %(now)s (none in %(earlier)s).")
NO_CHANGE = N_("No notable change on %(earlier)s.")
OPENED_UP = N_("Cases opened up %(change)s on %(earlier)s (%(now)s against %(before)s).")
OPENED_DOWN = N_("Cases opened down %(change)s on %(earlier)s (%(now)s against %(before)s).")
OPENED_SAME = N_("Cases opened unchanged on %(earlier)s (%(now)s against %(before)s).")


class Words:
    """How the sentences are worded: in English, as stored with the frozen figures.
    ``wording.ReaderWords`` words the same sentences for a reader."""

    def say(self, message: str, **values) -> str:
        return message % values

    def figure(self, h: dict) -> str:
        return h["label"]

    def value(self, value, unit: str) -> str:
        return show(value, unit)

    def change(self, pct: float) -> str:
        return f"{abs(pct):.0f}%"

    def earlier(self, figures: dict, period: Period) -> str:
        return f"the previous {period.noun}"

    def year_ago(self, figures: dict) -> str:
        return figures["comparison"]["year_ago"]["label"]


def summarise(figures: dict, period: Period, limit: int = 4,
              words: Words | None = None) -> list[str]:
    """Sentences on the largest changes against the previous period, then the year."""
    w = words or Words()
    earlier = w.earlier(figures, period)
    lines: list[tuple[float, str]] = []
    for h in figures["headline"]:
        now, before = _number(h["value"]), _number(h["previous"])
        if now is None or before is None or h["key"] == "seizure_value_local":
            continue
        if before == 0:
            if now > 0:
                lines.append((0.0, w.say(FROM_NONE, figure=w.figure(h), earlier=earlier,
                                         now=w.value(h["value"], h["unit"]))))
            continue
        pct = h["change_previous"]
        if pct is None or abs(pct) < 1:
            continue
        lines.append((abs(pct), w.say(UP if pct > 0 else DOWN, figure=w.figure(h),
                                      change=w.change(pct), earlier=earlier,
                                      now=w.value(h["value"], h["unit"]),
                                      before=w.value(h["previous"], h["unit"]))))
    lines.sort(key=lambda item: -item[0])
    out = [text for _pct, text in lines[:limit]]
    if not out:
        out.append(w.say(NO_CHANGE, earlier=earlier))
    opened = next((h for h in figures["headline"] if h["key"] == "cases_opened"), None)
    if opened and opened["change_year_ago"] is not None:
        pct = opened["change_year_ago"]
        message = OPENED_UP if pct > 0 else OPENED_DOWN if pct < 0 else OPENED_SAME
        out.append(w.say(message, change=w.change(pct), earlier=w.year_ago(figures),
                         now=w.value(opened["value"], "count"),
                         before=w.value(opened["year_ago"], "count")))
    return out
