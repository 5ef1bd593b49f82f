"""Keeping the calendars: a country's weekend and public holidays (admins, and the country's
coordinator), by hand or from a CSV file ``country,date,name``; and the reference calendars
ANICE ships (anice/data/public_holidays.csv, loaded with the demo and by ``holidays seed``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, policy
from ..errors import Invalid, NotFound
from ..models import Country, Officer, PublicHoliday
from .calendar import parse_weekend

# National public holidays 2026-2027 of BN ID MY PH SG TH VN, from the governments' published
# lists (MY: Prime Minister's Department, federal holidays; TH: Cabinet resolution; SG: Ministry
# of Manpower; ID: joint decree (SKB) of three ministers; VN: Labour Code art. 112; PH:
# presidential proclamation; BN: Prime Minister's Office), cross-checked with the `holidays`
# library 0.108 (github.com/vacanza/holidays). 2027 Islamic dates are marked "(estimated)".
REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "public_holidays.csv"
# Weekends that differ from Saturday-Sunday (Brunei: Friday and Sunday, government offices
# work on Saturday; https://www.jobs.ac.uk/careers-advice/country-profiles/2643/).
REFERENCE_WEEKENDS = {"BN": "5,7"}
COLUMNS = ("country", "date", "name")


@dataclass
class ImportResult:
    added: int = 0
    renamed: int = 0
    unchanged: int = 0


def _country(db: Session, actor: Officer | None, code: str) -> Country:
    country = db.get(Country, (code or "").strip().upper())
    if country is None:
        raise Invalid("country", gettext("%(value)s is not a member state code",
                                         value=repr(code)))
    if actor is not None and not policy.can_maintain_holidays(actor, country.code):
        raise NotFound(gettext("No such calendar."))
    return country


def maintainable_countries(db: Session, actor: Officer) -> list[Country]:
    return [c for c in db.scalars(select(Country).order_by(Country.name))
            if policy.can_maintain_holidays(actor, c.code)]


def holidays_of(db: Session, country_code: str, year: int | None = None) -> list[PublicHoliday]:
    query = select(PublicHoliday).where(PublicHoliday.country_code == country_code)
    if year:
        query = query.where(PublicHoliday.day >= date(year, 1, 1),
                            PublicHoliday.day <= date(year, 12, 31))
    return list(db.scalars(query.order_by(PublicHoliday.day)))


def _name(value: str | None) -> str:
    name = (value or "").strip()
    if not name:
        raise Invalid("name", gettext("is required"))
    if len(name) > 200:
        raise Invalid("name", gettext("is too long (%(num)s characters; at most 200)",
                                      num=len(name)))
    return name


def _day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise Invalid("date", gettext("%(value)s is not a date (YYYY-MM-DD)",
                                      value=repr(value))) from None


def _put(db: Session, country: Country, day: date, name: str, result: ImportResult) -> None:
    row = db.scalar(select(PublicHoliday).where(PublicHoliday.country_code == country.code,
                                                PublicHoliday.day == day))
    if row is None:
        db.add(PublicHoliday(country_code=country.code, day=day, name=name))
        result.added += 1
    elif row.name != name:
        row.name = name
        result.renamed += 1
    else:
        result.unchanged += 1


def add_holiday(db: Session, actor: Officer, country_code: str, day, name: str) -> ImportResult:
    """Add (or rename) one holiday of a country the actor keeps."""
    country = _country(db, actor, country_code)
    result = ImportResult()
    _put(db, country, _day(day), _name(name), result)
    db.flush()
    audit.record(db, actor, "holiday.add", country_code=country.code,
                 details={"day": _day(day).isoformat(), "name": _name(name)})
    return result


def delete_holiday(db: Session, actor: Officer, holiday_id: int) -> None:
    row = db.get(PublicHoliday, holiday_id)
    if row is None or not policy.can_maintain_holidays(actor, row.country_code):
        raise NotFound(gettext("No such holiday."))
    audit.record(db, actor, "holiday.delete", country_code=row.country_code,
                 details={"day": row.day.isoformat(), "name": row.name})
    db.delete(row)
    db.flush()


def set_weekend(db: Session, actor: Officer, country_code: str, weekend: str) -> Country:
    """Set a country's weekend as ISO weekdays ("6,7"; Brunei "5,7")."""
    country = _country(db, actor, country_code)
    days = parse_weekend(weekend)
    if not days:
        raise Invalid("weekend", gettext("name at least one day"))
    text = ",".join(str(d) for d in sorted(days))
    if text != country.weekend:
        old, country.weekend = country.weekend, text
        audit.record(db, actor, "holiday.weekend", country, country_code=country.code,
                     details={"from": old, "to": text})
    return country


def import_csv(db: Session, actor: Officer | None, data: bytes | str,
               label: str = "cli") -> ImportResult:
    """Import ``country,date,name`` rows (a header line first). Every row is checked before
    anything is written; bad rows raise Invalid naming their line. ``actor`` None: the
    operator at the command line (any country)."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    if tuple(header[:3]) != COLUMNS:
        raise Invalid("file", gettext("line 1: the header must be country,date,name"))
    rows, problems = [], []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        try:
            if len(values) < 3:
                raise Invalid("row", gettext("needs three columns: country,date,name"))
            rows.append((_country(db, actor, values[0]), _day(values[1]), _name(values[2])))
        except NotFound:
            problems.append(gettext("line %(line)s: country: you do not keep %(value)s",
                                    line=line, value=repr(values[0])))
        except Invalid as exc:
            problems.append(gettext("line %(line)s: %(field)s: %(problem)s", line=line,
                                    field=exc.field, problem=exc.message))
    if problems:
        raise Invalid("file", "; ".join(problems[:20]))
    result = ImportResult()
    for country, day, name in rows:
        _put(db, country, day, name, result)
    db.flush()
    audit.record(db, actor, "holiday.import", actor_label=None if actor else label,
                 details={"added": result.added, "renamed": result.renamed,
                          "countries": sorted({c.code for c, _, _ in rows})})
    return result


def ensure_reference_calendars(db: Session) -> ImportResult:
    """Load the shipped weekends and 2026-2027 holidays where a country has none yet."""
    for code, weekend in REFERENCE_WEEKENDS.items():
        country = db.get(Country, code)
        if country is not None and country.weekend == "6,7":
            country.weekend = weekend
    present = set(db.scalars(select(PublicHoliday.country_code).distinct()))
    lines = REFERENCE_FILE.read_text(encoding="utf-8").splitlines()
    keep = [lines[0]] + [line for line in lines[1:] if line[:2] not in present]
    if len(keep) == 1:
        db.flush()
        return ImportResult()
    return import_csv(db, None, "\n".join(keep), label="reference")


def weekend_of(db: Session, country_code: str) -> str:
    country = db.get(Country, country_code)
    if country is None:
        raise Invalid("country", gettext("%(value)s is not a member state code",
                                         value=repr(country_code)))
    return country.weekend
