"""Working days of a member state: its weekend (``Country.weekend``, ISO weekdays such as
"6,7", or "5,7" for Brunei's Friday and Sunday) and its public holidays (``PublicHoliday``).

The rule for a deadline of N working days from a detention date: the detention date itself
never counts; day 1 is the first working day after it (even when the detention fell on a
weekend or a holiday), and the deadline is the Nth such day, inclusive.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date, timedelta

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Invalid
from ..models import Country, PublicHoliday

MAX_WORKING_DAYS = 120
# Far enough for 120 working days even around long holidays (e.g. Lunar New Year weeks).
_HORIZON_DAYS = 366


def parse_weekend(text: str | None) -> frozenset[int]:
    """ISO weekdays (1 = Monday ... 7 = Sunday) from "6,7"; Invalid names the field."""
    days: set[int] = set()
    for part in (text or "").replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 7:
            raise Invalid("weekend", gettext("%(value)s is not an ISO weekday (1 = Monday ... 7 = "
                                             "Sunday)", value=repr(part)))
        days.add(int(part))
    if len(days) > 3:
        raise Invalid("weekend", gettext("at most three days of the week may be weekend days"))
    return frozenset(days)


def is_working_day(day: date, weekend: Collection[int], holidays: Collection[date]) -> bool:
    return day.isoweekday() not in weekend and day not in holidays


def working_days_after(start: date, weekend: Collection[int],
                       holidays: Collection[date]) -> Iterator[date]:
    """The working days after ``start`` (never ``start`` itself), in order."""
    day = start
    for _ in range(_HORIZON_DAYS * 2):
        day += timedelta(days=1)
        if is_working_day(day, weekend, holidays):
            yield day


def add_working_days(start: date, count: int, weekend: Collection[int],
                     holidays: Collection[date]) -> date:
    """The ``count``-th working day after ``start`` (pure: tested without a database)."""
    if not 1 <= count <= MAX_WORKING_DAYS:
        raise Invalid("working_days", gettext("must be between 1 and %(max)s",
                                              max=MAX_WORKING_DAYS))
    for number, day in enumerate(working_days_after(start, weekend, holidays), start=1):
        if number == count:
            return day
    raise Invalid("working_days", gettext("no working days in the calendar"))  # a 7-day weekend


def holidays_between(db: Session, country_code: str, start: date, end: date) -> set[date]:
    return set(db.scalars(select(PublicHoliday.day).where(
        PublicHoliday.country_code == country_code, PublicHoliday.day >= start,
        PublicHoliday.day <= end)))


def deadline(db: Session, country: Country | str, detention_date: date,
             working_days: int) -> date:
    """The last day (inclusive) of ``working_days`` working days after ``detention_date`` on
    the country's calendar (see the module's rule)."""
    if isinstance(country, str):
        country = db.get(Country, country)
        if country is None:
            raise Invalid("country", gettext("is not a member state"))
    holidays = holidays_between(db, country.code, detention_date,
                                detention_date + timedelta(days=_HORIZON_DAYS))
    return add_working_days(detention_date, working_days, parse_weekend(country.weekend),
                            holidays)


def working_days_left(db: Session, country_code: str, today: date, until: date) -> int:
    """Working days from tomorrow up to ``until`` inclusive (0 when due today or past)."""
    if until <= today:
        return 0
    country = db.get(Country, country_code)
    weekend = parse_weekend(country.weekend if country else "6,7")
    holidays = holidays_between(db, country_code, today, until)
    return sum(1 for offset in range(1, (until - today).days + 1)
               if is_working_day(today + timedelta(days=offset), weekend, holidays))
