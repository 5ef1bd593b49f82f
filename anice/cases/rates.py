"""USD reference rates: what one unit of a currency was worth in USD on a date."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Invalid
from ..models import UsdRate

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "usd_rates.csv"
CENT = Decimal("0.01")


def rate_on(db: Session, currency: str, on: date) -> Decimal | None:
    if currency == "USD":
        return Decimal(1)
    return db.scalar(select(UsdRate.usd_per_unit)
                     .where(UsdRate.currency == currency, UsdRate.on <= on)
                     .order_by(UsdRate.on.desc()).limit(1))


def to_usd(value: Decimal, rate: Decimal) -> Decimal:
    return (value * rate).quantize(CENT)


def import_rates(db: Session, path: Path = DEFAULT_FILE) -> int:
    """Load ``currency,on,usd_per_unit`` rows (insert or update); returns the row count."""
    count = 0
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != ["currency", "on", "usd_per_unit"]:
            raise Invalid("file", gettext("header must be currency,on,usd_per_unit"))
        for line, row in enumerate(reader, start=2):
            try:
                currency = row["currency"].strip().upper()
                on = date.fromisoformat(row["on"].strip())
                rate = Decimal(row["usd_per_unit"].strip())
            except (ValueError, InvalidOperation, AttributeError):
                raise Invalid("file", gettext("line %(line)s: expected CUR,YYYY-MM-DD,number",
                                              line=line)) from None
            if len(currency) != 3 or not currency.isalpha() or rate <= 0:
                raise Invalid("file", gettext("line %(line)s: bad currency or rate", line=line))
            existing = db.get(UsdRate, (currency, on))
            if existing is None:
                db.add(UsdRate(currency=currency, on=on, usd_per_unit=rate))
            else:
                existing.usd_per_unit = rate
            count += 1
    db.flush()
    return count
