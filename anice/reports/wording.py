"""A report in the words and number formats of whoever reads it.

The frozen figures keep English labels and plain numbers (their hash must not depend on who
made them); every rendering (page, charts, PDF, XLSX, CSV headings) asks this module, in the
reader's locale (the request's, or ``flask_babel.force_locale`` in a job): Babel's CLDR data
for numbers, percentages, currencies, dates and month names, the catalogs for words.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent
from flask_babel import get_locale, gettext

from ..models.report import PeriodKind, ScopeLevel
from ..text import labels
from ..text.locales import N_
from . import summary
from .periods import Period, parse_period

# Words of the frozen figures' rows (enum values in words, anice/text/labels.py), translated
# where shown; brand names of platforms are names and stay as they are.
ROW_WORDS = (
    N_("Counterfeit"), N_("Online"), N_("Not recorded"),
    N_("Trademark"), N_("Copyright"), N_("Industrial design"), N_("Patent"),
    N_("Geographical indication"), N_("Other"),
    N_("Convicted"), N_("Fined"), N_("Settled"), N_("Acquitted"), N_("No further action"),
    N_("Transferred"),
    N_("Apparel"), N_("Footwear"), N_("Bags and accessories"), N_("Watches and jewellery"),
    N_("Electronics"), N_("Mobile accessories"), N_("Cosmetics"), N_("Pharmaceuticals"),
    N_("Food and beverages"), N_("Tobacco and alcohol"), N_("Toys"), N_("Auto parts"),
    N_("Household"), N_("Media and software"), N_("Website"),
    N_("pieces"), N_("pairs"), N_("sets"), N_("boxes"), N_("cartons"), N_("kg"), N_("litres"),
    N_("Investigate"), N_("Seize"), N_("Take down"), N_("Identify suspect"),
    N_("Trace goods"), N_("Assist prosecution"), N_("Information only"),
    N_("All"), N_("Sent"), N_("Received"),
    N_("Queued"), N_("Running"), N_("Done"), N_("Failed"),
)

# "Monthly national report": one message per kind and level, never built from pieces.
REPORT_KINDS = {
    ("month", "agency"): N_("Monthly agency report"),
    ("month", "country"): N_("Monthly national report"),
    ("month", "region"): N_("Monthly regional report"),
    ("quarter", "agency"): N_("Quarterly agency report"),
    ("quarter", "country"): N_("Quarterly national report"),
    ("quarter", "region"): N_("Quarterly regional report"),
    ("year", "agency"): N_("Annual agency report"),
    ("year", "country"): N_("Annual national report"),
    ("year", "region"): N_("Annual regional report"),
    ("custom", "agency"): N_("Custom range agency report"),
    ("custom", "country"): N_("Custom range national report"),
    ("custom", "region"): N_("Custom range regional report"),
}
KINDS = {"month": N_("Monthly"), "quarter": N_("Quarterly"), "year": N_("Annual"),
         "custom": N_("Custom range")}
EARLIER = {"month": N_("the previous month"), "quarter": N_("the previous quarter"),
           "year": N_("the previous year"), "custom": N_("the previous period")}
REGION = N_("ASEAN region")


def locale() -> str:
    """The reader's locale ("en" outside a request and outside ``force_locale``)."""
    found = get_locale()
    return str(found) if found else "en"


def word(english: str | None) -> str:
    """A word of the figures (a row label, a status) in the reader's language."""
    return gettext(english) if english else ""


def report_kind(period_kind: PeriodKind | str, scope_level: ScopeLevel | str) -> str:
    return gettext(REPORT_KINDS[(str(getattr(period_kind, "value", period_kind)),
                                 str(getattr(scope_level, "value", scope_level)))])


def period_kind(kind: PeriodKind | str) -> str:
    return gettext(KINDS[str(getattr(kind, "value", kind))])


def earlier(kind: PeriodKind | str) -> str:
    """"the previous month" (what the summary compares with)."""
    return gettext(EARLIER[str(getattr(kind, "value", kind))])


# --- dates ------------------------------------------------------------------------------

def day(value: date | str | None) -> str:
    """A day: English keeps ISO (2026-10-31, as ``localtime``); other languages the CLDR
    medium form ("31 ต.ค. 2026")."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    loc = locale()
    return value.isoformat() if loc == "en" else format_date(value, "medium", locale=loc)


def moment(value: datetime | None) -> str:
    """An instant in UTC, the same for every reader of a language: "2026-11-01 00:35 UTC",
    "1 พ.ย. 2026 00:35 UTC"."""
    if value is None:
        return ""
    utc = value.astimezone(UTC)
    return f"{day(utc.date())} {utc:%H:%M} UTC"


def period_label(period: Period) -> str:
    """"October 2026", "ตุลาคม 2026", "Q3 2026", "2026", "1 Oct 2026 to 9 Oct 2026"."""
    loc = locale()
    if period.kind == PeriodKind.MONTH:
        return format_skeleton("yMMMM", period.start, locale=loc)
    if period.kind == PeriodKind.QUARTER:
        return format_skeleton("yQQQ", period.start, locale=loc)
    if period.kind == PeriodKind.YEAR:
        return str(period.start.year)
    if loc == "en":  # as before: "01 Oct 2026 to 31 Oct 2026"
        return f"{period.start:%d %b %Y} to {period.end:%d %b %Y}"
    return gettext("%(start)s to %(end)s",
                   start=format_skeleton("yMMMd", period.start, locale=loc),
                   end=format_skeleton("yMMMd", period.end, locale=loc))


def period_of(figures: dict) -> Period:
    p = figures["period"]
    return Period(PeriodKind(p["kind"]), date.fromisoformat(p["start"]),
                  date.fromisoformat(p["end"]))


def period_key_label(key: str | None, fallback: str = "") -> str:
    """The label of a period given by its key ("2026-09", "2025-Q3", a range)."""
    try:
        return period_label(parse_period(key or ""))
    except Exception:  # noqa: BLE001 - an old or odd key: its stored label
        return fallback


def scope_label(scope: dict) -> str:
    """The region in words; a country or an agency by its name (data, as stored)."""
    return gettext(REGION) if scope.get("level") == "region" else scope.get("label", "")


# --- numbers ----------------------------------------------------------------------------

def _percent_pattern(loc: str) -> str:
    """The locale's percent pattern with one decimal ("#,##0.0%", "#,##0.0 %")."""
    pattern = Locale.parse(loc).percent_formats[None].pattern.split(";")[0]
    return re.sub(r"0(?=[^0]*$)", "0.0", pattern, count=1)


def number(value, kind: str) -> str:
    """A figure as the reader writes numbers: count, money, days, percent, change."""
    loc = locale()
    n = Decimal(str(value))
    if kind == "count":
        pattern = "#,##0" if n == n.to_integral_value() else "#,##0.###"
        return format_decimal(n, pattern, locale=loc)
    if kind == "money":
        return format_decimal(n, "#,##0.00", locale=loc)
    if kind == "days":
        return format_decimal(n, "#,##0.0", locale=loc)
    if kind == "percent":
        return format_percent(n / 100, _percent_pattern(loc), locale=loc)
    if kind == "change":
        text = format_percent(abs(n) / 100, _percent_pattern(loc), locale=loc)
        return ("+" if n > 0 else "\u2212" if n < 0 else "") + text
    return str(value)


def money(value, currency: str) -> str:
    """A whole amount with its ISO code where the reader's locale puts the currency:
    "USD 12,345", "12.345 USD" (a "$" would not say whose dollar)."""
    loc = locale()
    pattern = Locale.parse(loc).currency_formats["standard"].pattern.split(";")[0]
    pattern = re.sub(r"\.0+", "", pattern).replace("\xa0", " ")
    number_part = pattern.replace("¤", "").strip()
    pattern = (f"¤¤ {number_part}" if pattern.strip().startswith("¤")
               else f"{number_part} ¤¤")
    return format_currency(Decimal(str(value)), currency, pattern, locale=loc,
                           currency_digits=False)


def whole_percent(value) -> str:
    """A change as a whole percentage without sign ("23%")."""
    loc = locale()
    pattern = Locale.parse(loc).percent_formats[None].pattern.split(";")[0]
    pattern = pattern.replace("#,##0", "0").replace("#,#0", "0")  # "1591%", as before
    return format_percent(abs(Decimal(str(value))) / 100, pattern, locale=loc)


# --- the summary ------------------------------------------------------------------------

class ReaderWords(summary.Words):
    """The summary's sentences in the reader's language and number format."""

    def say(self, message: str, **values) -> str:
        return gettext(message, **values)

    def figure(self, h: dict) -> str:
        return gettext(h["label"])

    def value(self, value, unit: str) -> str:
        if value is None:
            return gettext("withheld")
        if unit == "count":
            return number(value, "count")
        if unit == "days":
            return gettext("%(days)s days", days=number(value, "days"))
        return money(value, unit)

    def change(self, pct: float) -> str:
        return whole_percent(round(pct))

    def earlier(self, figures: dict, period: Period) -> str:
        return earlier(period.kind)

    def year_ago(self, figures: dict) -> str:
        found = figures["comparison"]["year_ago"]
        return period_key_label(found.get("key"), found.get("label", ""))


def summary_lines(figures: dict) -> list[str]:
    """The summary of the frozen figures, worded for the reader (the stored sentences are
    English)."""
    if not figures.get("headline") or "comparison" not in figures:
        return list(figures.get("summary", []))
    return summary.summarise(figures, period_of(figures), words=ReaderWords())


def headline_label(h: dict) -> str:
    """"Seizure value (USD)", "Cases opened" for the reader."""
    text = gettext(h["label"])
    if h["unit"] in ("count", "days"):
        return text
    return gettext("%(figure)s (%(currency)s)", figure=text, currency=h["unit"])


# --- what changed between two versions --------------------------------------------------

# The parts of a figure's path ("seizures.rows[footwear/pieces].value_usd") in words.
PATH_WORDS = {
    "cases": N_("Cases"), "seizures": N_("Seizures"), "takedowns": N_("Online takedowns"),
    "referrals": N_("Referrals"), "matches": N_("Right holders contacted through matches"),
    "verifications": N_("Verification requests"), "by_country": N_("By member state"),
    "trend": N_("Trend"), "rate": N_("Reference rate"), "as_of": N_("As of"),
    "scope": N_("Scope"), "period": N_("Period"), "min_cell": N_("Small-cell threshold"),
    "opened": N_("Opened"), "closed": N_("Closed"), "total": N_("Total"),
    "right_types": N_("IP right types involved"), "outcomes": N_("Outcomes"),
    "court_hearings": N_("Court hearings"), "items": N_("Items"),
    "value_usd": N_("Value (USD)"), "value_local": N_("Value (local currency)"),
    "quantity": N_("Quantity"), "listings": N_("Requested"), "achieved": N_("Achieved"),
    "refused": N_("Refused"), "open": N_("Pending or no answer"), "mean_days": N_("Mean days"),
    "median_days": N_("Median days"), "p90_days": N_("90th percentile, days"),
    "achieved_rate": N_("Achieved (%)"), "pairs": N_("By country pair"),
    "actions": N_("By requested action"), "directions": N_("Response times and rates"),
    "accepted": N_("Accepted"), "declined": N_("Declined"), "withdrawn": N_("Withdrawn"),
    "awaiting": N_("Waiting"), "overdue": N_("Overdue"), "answered": N_("Answered"),
    "acceptance_rate": N_("Accepted (%)"), "overdue_rate": N_("Overdue (%)"),
    "answered_rate": N_("Answered (%)"), "confirmed": N_("Confirmed matches"),
    "rights": N_("Registered rights"), "holders": N_("Right holders"), "brands": N_("Brands"),
    "requests": N_("Requests"), "in_time": N_("Within the deadline"),
    "in_time_rate": N_("Within the deadline, of answered"),
    "counterfeit_rate": N_("Answered counterfeit"), "countries": N_("Member states"),
    "value": N_("Seizure value (USD)"), "seizure_items": N_("Seizure items"),
    "seizure_cases": N_("Cases with seizures"), "usd_per_unit": N_("USD per unit"),
    "sent": N_("Sent"), "received": N_("Received"), "all": N_("All"),
}


def change_label(change: dict) -> str:
    """A changed figure's path in the reader's words: "Seizures › Footwear/pieces › Value
    (USD)"; the rows' own keys (brands, country codes, months) as they are."""
    path = change.get("path")
    if not path:
        return change.get("label", "")
    parts = []
    for part in re.split(r"[.\[\]]+", path):
        if not part or part == "rows":
            continue
        if part in PATH_WORDS:
            parts.append(gettext(PATH_WORDS[part]))
        else:
            parts.append("/".join(_row_word(p) for p in part.split("/")))
    return " › ".join(parts)


def _row_word(part: str) -> str:
    """A row's key in words when the catalogs have it ("counterfeit", "footwear"), else as
    it is (a brand's reading, a country code, a month)."""
    for words in (labels.label(part), labels.humanize(part)):
        translated = gettext(words)
        if translated != words:
            return translated
    return part


def change_value(value) -> str:
    """A before or after value of what changed: figures in the reader's format."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return str(value)
    try:
        return number(value, "count")
    except (ArithmeticError, ValueError):
        return str(value)
