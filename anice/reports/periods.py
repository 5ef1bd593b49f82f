"""Report periods (month, quarter, year, custom range) and scopes (agency, country, region).

Plain values without a database: parsed from "2026-10", "2026-Q3", "2026" or
"2026-01-05..2026-02-10", compared with the previous period and the same period a year
earlier, and listed as due on a given day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext

from ..errors import Invalid
from ..models.report import PeriodKind, ScopeLevel

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
MAX_CUSTOM_DAYS = 3 * 366 + 1
FIRST_YEAR = 2000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls(PeriodKind.MONTH, start, _add_months(start, 1) - timedelta(days=1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = date(year, 3 * (quarter - 1) + 1, 1)
        return cls(PeriodKind.QUARTER, start, _add_months(start, 3) - timedelta(days=1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        return cls(PeriodKind.CUSTOM, start, end)

    @property
    def end_exclusive(self) -> date:
        return self.end + timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{MONTHS[self.start.month - 1]} {self.start.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"Q{(self.start.month - 1) // 3 + 1} {self.start.year}"
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start:%d %b %Y} to {self.end:%d %b %Y}"

    @property
    def noun(self) -> str:
        """How the summary names the previous period: "month", "quarter", "year", "period"."""
        return "period" if self.kind == PeriodKind.CUSTOM else self.kind.value

    def previous(self) -> Period:
        if self.kind == PeriodKind.MONTH:
            start = _add_months(self.start, -1)
            return Period.month(start.year, start.month)
        if self.kind == PeriodKind.QUARTER:
            start = _add_months(self.start, -3)
            return Period.quarter(start.year, (start.month - 1) // 3 + 1)
        if self.kind == PeriodKind.YEAR:
            return Period.year(self.start.year - 1)
        return Period.custom(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def year_before(self) -> Period:
        return Period(self.kind, _shift_year(self.start, -1), _shift_year(self.end, -1))

    def closed(self, today: date) -> bool:
        """Whether the period is over on ``today`` (its figures should no longer move)."""
        return self.end < today

    def months(self, limit: int = 36) -> list[str]:
        """The "YYYY-MM" months of the trend chart: the 12 months up to the period's end
        (at least the period's own months; at most ``limit``)."""
        first = min(_add_months(self.end.replace(day=1), -11), self.start.replace(day=1))
        first = max(first, _add_months(self.end.replace(day=1), -(limit - 1)))
        out, day = [], first
        while day <= self.end:
            out.append(f"{day:%Y-%m}")
            day = _add_months(day, 1)
        return out


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def parse_period(text: str, field: str = "period") -> Period:
    """"2026-10", "2026-Q3", "2026" or "2026-01-05..2026-02-10"; Invalid(field) otherwise."""
    raw = (text or "").strip()
    if m := _MONTH.match(raw):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise Invalid(field, gettext("%(text)s: the month must be 01 to 12", text=repr(raw)))
        period = Period.month(year, month)
    elif m := _QUARTER.match(raw):
        period = Period.quarter(int(m[1]), int(m[2]))
    elif m := _YEAR.match(raw):
        period = Period.year(int(m[1]))
    elif m := _RANGE.match(raw):
        try:
            start, end = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        except ValueError:
            raise Invalid(field, gettext("%(text)s: not a real date", text=repr(raw))) from None
        period = custom_period(start, end, field)
    else:
        raise Invalid(field, gettext("give a month (2026-10), a quarter (2026-Q3), a year (2026) "
                                     "or a range (2026-01-05..2026-02-10)"))
    if period.start.year < FIRST_YEAR or period.end.year > 2100:
        raise Invalid(field, gettext("%(text)s: years %(first)s to %(last)s only", text=repr(raw),
                                     first=FIRST_YEAR, last=2100))
    return period


def custom_period(start: date | None, end: date | None, field: str = "period") -> Period:
    if start is None or end is None:
        raise Invalid(field, gettext("give both the first and the last day"))
    if end < start:
        raise Invalid(field, gettext("the last day is before the first"))
    if (end - start).days + 1 > MAX_CUSTOM_DAYS:
        raise Invalid(field, gettext("a custom range covers at most three years"))
    if start.year < FIRST_YEAR or end.year > 2100:
        raise Invalid(field, gettext("years %(first)s to %(last)s only", first=FIRST_YEAR,
                                     last=2100))
    return Period.custom(start, end)


def due_periods(today: date) -> list[Period]:
    """The periods whose scheduled reports are due on ``today``: the last completed month,
    quarter and year (each generated once; see workers.reports.generate_due)."""
    last_month = _add_months(today.replace(day=1), -1)
    this_quarter = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    last_quarter = _add_months(this_quarter, -3)
    return [Period.month(last_month.year, last_month.month),
            Period.quarter(last_quarter.year, (last_quarter.month - 1) // 3 + 1),
            Period.year(today.year - 1)]


@dataclass(frozen=True)
class Scope:
    level: ScopeLevel
    country_code: str | None = None
    agency_id: int | None = None

    @classmethod
    def region(cls) -> Scope:
        return cls(ScopeLevel.REGION)

    @classmethod
    def country(cls, code: str) -> Scope:
        return cls(ScopeLevel.COUNTRY, country_code=code)

    @classmethod
    def agency(cls, agency_id: int, country_code: str) -> Scope:
        return cls(ScopeLevel.AGENCY, country_code=country_code, agency_id=agency_id)

    @property
    def key(self) -> str:
        if self.level == ScopeLevel.AGENCY:
            return f"agency:{self.agency_id}"
        if self.level == ScopeLevel.COUNTRY:
            return f"country:{self.country_code}"
        return "region"

    @property
    def cross_agency(self) -> bool:
        """Figures that mix several countries' agencies: small cells are suppressed."""
        return self.level == ScopeLevel.REGION
