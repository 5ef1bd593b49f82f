"""Bulk inserts of an import batch: COPY on PostgreSQL (psycopg 3), executemany elsewhere.

COPY skips SQLAlchemy's statement layer, so each value goes through its column type's bind
processor here (enums to their values, JSON to text, times to UTC) and the columns a row
leaves out get their Python-side defaults, as an ``insert()`` would give them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session


def copy_supported(db: Session) -> bool:
    bind = db.get_bind()
    return bind.dialect.name == "postgresql" and bind.dialect.driver == "psycopg"


def new_ids(db: Session, table: Table, count: int) -> list[int]:
    """``count`` ids from the table's id sequence (PostgreSQL), for rows written by COPY."""
    sequence = db.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"),
                         {"table": table.name})
    return list(db.scalars(text("SELECT nextval(:sequence) FROM generate_series(1, :n)"),
                           {"sequence": sequence, "n": count}))


def insert_rows(db: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``table``."""
    if not rows:
        return
    if not copy_supported(db):
        db.execute(insert(table), rows)
        return
    dialect = db.get_bind().dialect
    given = list(rows[0])
    defaults = {c.name: c.default.arg for c in table.columns
                if c.name not in given and c.default is not None and c.default.is_scalar}
    names = [*given, *defaults]
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    raw = db.connection().connection.driver_connection
    with raw.cursor() as cursor, cursor.copy(
            f'COPY {table.name} ({", ".join(names)}) FROM STDIN') as copy:
        for row in rows:
            values = [row[name] for name in given] + list(defaults.values())
            copy.write_row([p(v) if p is not None and v is not None else v
                            for p, v in zip(processors, values, strict=True)])
