"""SQL expressions that differ between SQLite and PostgreSQL: day spans, months, and
percentiles computed by the database (``percentile_cont`` on PostgreSQL; on SQLite the
rows at the needed ranks, picked with window functions, then interpolated the same way)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Float, Integer, Select, and_, cast, func, literal, or_, select, text
from sqlalchemy import case as sql_case  # "case" is a word of the domain here
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

CENT = Decimal("0.01")


def dialect(db: Session) -> str:
    return db.get_bind().dialect.name


def tune(db: Session) -> None:
    """Settings of the current transaction for report queries on PostgreSQL: no JIT (it
    costs more to compile than these aggregates take to run), and room to hash and sort a
    year of rows in memory."""
    if dialect(db) == "postgresql":
        db.execute(text("SET LOCAL jit = off"))
        db.execute(text("SET LOCAL work_mem = '64MB'"))


def day_span(db: Session, later, earlier, *, moments: bool = False) -> ColumnElement:
    """Days from ``earlier`` to ``later`` as a float (dates, or timestamps if ``moments``)."""
    if dialect(db) == "postgresql":
        if moments:
            return func.extract("epoch", later - earlier) / 86400.0
        return cast(later - earlier, Float)
    return func.julianday(later) - func.julianday(earlier)


def month_of(db: Session, column) -> ColumnElement:
    """"YYYY-MM" of a date column."""
    if dialect(db) == "postgresql":
        return func.to_char(column, "YYYY-MM")
    return func.strftime("%Y-%m", column)


def has_bit(column, bit: int) -> ColumnElement:
    return column.op("&")(bit) != 0


def count_if(condition) -> ColumnElement:
    return func.coalesce(func.sum(sql_case((condition, 1), else_=0)), 0)


def sum_if(condition, value) -> ColumnElement:
    return func.sum(sql_case((condition, value), else_=None))


def in_days(column, start: date, end_exclusive: date) -> ColumnElement:
    return and_(column >= start, column < end_exclusive)


def in_moments(column, start: date, end_exclusive: date) -> ColumnElement:
    """A UTC timestamp column within the days [start, end_exclusive) counted in UTC."""
    return and_(column >= datetime.combine(start, time(), UTC),
                column < datetime.combine(end_exclusive, time(), UTC))


def money(value) -> str | None:
    """A sum of money as a string with two decimals (exact in the frozen JSON)."""
    if value is None:
        return None
    return str(Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP))


def quantity(value) -> str | None:
    if value is None:
        return None
    text = str(Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))
    return text.rstrip("0").rstrip(".") if "." in text else text


def interpolate(ordered: Sequence[float], p: float) -> float | None:
    """PostgreSQL's percentile_cont on an ascending list."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * p
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def percentiles(db: Session, source: Select, ps: Sequence[float]) -> dict[object, dict]:
    """Percentiles of ``source``'s ``value`` column per ``grp`` column.

    ``source`` selects two labelled columns, ``grp`` and ``value`` (non-null). Returns
    ``{grp: {"n": count, p: value, ...}}``. PostgreSQL aggregates with percentile_cont;
    SQLite numbers the rows of each group in order with window functions and returns only
    the (at most two) rows around each rank, which are interpolated here.
    """
    sub = source.subquery()
    if dialect(db) == "postgresql":
        cols = [func.percentile_cont(p).within_group(sub.c.value.asc()).label(f"p{i}")
                for i, p in enumerate(ps)]
        rows = db.execute(select(sub.c.grp, func.count().label("n"), *cols)
                          .group_by(sub.c.grp)).all()
        return {r.grp: {"n": r.n, **{p: float(r[2 + i]) for i, p in enumerate(ps)}}
                for r in rows}
    ranked = select(
        sub.c.grp, sub.c.value,
        (func.row_number().over(partition_by=sub.c.grp, order_by=sub.c.value) - 1).label("rn"),
        func.count().over(partition_by=sub.c.grp).label("n")).subquery()
    wanted = []
    for p in ps:
        low = cast((ranked.c.n - 1) * literal(p), Integer)
        wanted += [ranked.c.rn == low, ranked.c.rn == low + 1]
    rows = db.execute(select(ranked.c.grp, ranked.c.n, ranked.c.rn, ranked.c.value)
                      .where(or_(*wanted))).all()
    picked: dict[object, dict] = {}
    for row in rows:
        picked.setdefault(row.grp, {"n": row.n, "at": {}})["at"][row.rn] = float(row.value)
    out = {}
    for grp, found in picked.items():
        n, at = found["n"], found["at"]
        result: dict = {"n": n}
        for p in ps:
            position = (n - 1) * p
            low = int(position)
            high = min(low + 1, n - 1)
            result[p] = at[low] + (at[high] - at[low]) * (position - low)
        out[grp] = result
    return out
