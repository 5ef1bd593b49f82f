"""Writing one batch of parsed rights: one SELECT of the rights the batch names, one
executemany INSERT (ids back by RETURNING for their history), one executemany UPDATE of the
changed ones and one of the withdrawn, and one bulk INSERT of their history rows. A row
whose values did not change writes nothing: importing the same file again is a no-op."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from ..models import ChangeKind, Right, RightStatus
from ..models.types import utcnow
from . import bulk, goods, history, mark_images
from .matching.goods import GoodsPart

if TYPE_CHECKING:
    from .importing import ImportResult

# The columns an import writes (office and number are the key). status_raw: the status
# as the office published it (XML); a CSV row carries none.
WRITTEN = ("type", "status", "mark_text", "classes", "owner", "representative",
           "contact_email", "filing_date", "registration_date", "expiry_date", "goods",
           "designations", "class_edition", "status_raw")
# What a withdrawal (an office's Delete) writes; the row is never deleted, so that cases
# whose matches name it keep their link.
WITHDRAW = ("status", "status_raw")
TABLE = Right.__table__


@dataclass
class _Created:
    id: int
    office: str
    number: str


@dataclass
class Batch:
    """Parsed rows by (office, number): (line, values)."""

    rows: dict[tuple[str, str], tuple[int, dict[str, Any]]] = field(default_factory=dict)
    # The images of rows whose source says what they are (None: left as they are).
    images: dict[tuple[str, str], list[mark_images.Prepared]] = field(default_factory=dict)
    # each row's goods per class (right_goods), written with it
    goods: dict[tuple[str, str], list[GoodsPart]] = field(default_factory=dict)


def _existing(db: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    by_office: dict[str, list[str]] = {}
    for office, number in keys:
        by_office.setdefault(office, []).append(number)
    found: dict[tuple[str, str], Any] = {}
    columns = [TABLE.c.id, TABLE.c.office, TABLE.c.number, *(TABLE.c[c] for c in WRITTEN)]
    for office, numbers in by_office.items():
        query = select(*columns).where(TABLE.c.office == office, TABLE.c.number.in_(numbers))
        for row in db.execute(query):
            found[(row.office, row.number)] = row
    return found


def write_batch(db: Session, batch: Batch, result: ImportResult,
                keep: tuple[str, ...] = ()) -> None:
    """``keep``: columns the source does not carry, left as they are on an update."""
    if not batch.rows or (result.mode == "abort" and not result.ok):
        return
    now = utcnow()
    run_id = result.run.id if result.run is not None else None
    written = tuple(c for c in WRITTEN if c not in keep)
    existing = _existing(db, list(batch.rows))
    inserts, updates, withdrawals, changes, unchanged = [], [], [], [], {}
    new_goods: dict[int, list[GoodsPart]] = {}
    for key, (line, values) in batch.rows.items():
        old = existing.get(key)
        if values.get("_withdraw"):
            withdraw(key, line, values, old, withdrawals, changes, result, now)
        elif old is None:
            inserts.append({**values, "created_at": now, "updated_at": now,
                            "created_import_id": run_id, "last_import_id": run_id})
        elif any(getattr(old, c) != values[c] for c in written):
            diff = history.field_changes(old, values, written)
            changes.append(history.import_row(old.id, run_id, result.officer_id, now, diff))
            updates.append({"_id": old.id, **{c: values[c] for c in written},
                            "updated_at": now, "last_import_id": run_id})
            if "goods" in diff or "classes" in diff:
                new_goods[old.id] = batch.goods.get(key, [])
        else:
            unchanged[key] = old.id
    created: list = []
    if inserts and bulk.copy_supported(db):  # COPY: ten times fewer round trips
        for row, new_id in zip(inserts, bulk.new_ids(db, TABLE, len(inserts)), strict=True):
            row["id"] = new_id
        bulk.insert_rows(db, TABLE, inserts)
        created = [_Created(r["id"], r["office"], r["number"]) for r in inserts]
    elif inserts:
        created = db.execute(insert(TABLE).returning(TABLE.c.id, TABLE.c.office,
                                                     TABLE.c.number), inserts).all()
    if inserts:
        changes.extend(history.import_row(row.id, run_id, result.officer_id, now, None,
                                          ChangeKind.CREATED) for row in created)
        new_goods.update((row.id, batch.goods.get((row.office, row.number), []))
                         for row in created)
    for rows, columns in ((updates, written), (withdrawals, WITHDRAW)):
        if rows:
            db.execute(update(TABLE).where(TABLE.c.id == bindparam("_id")).values(
                {c: bindparam(c) for c in (*columns, "updated_at", "last_import_id")}), rows)
    goods.write_parts(db, new_goods, fresh=[row.id for row in created])
    result.inserted += len(inserts)
    result.updated += len(updates)
    result.withdrawn += len(withdrawals)
    result.unchanged += len(unchanged)
    if batch.images:
        _write_images(db, batch, existing, unchanged, result, changes, now)
    history.write_rows(db, changes)


def _write_images(db: Session, batch: Batch, existing: dict[tuple[str, str], Any],
                  unchanged: dict[tuple[str, str], int], result: ImportResult,
                  changes: list[dict[str, Any]], now: Any) -> None:
    """Give the batch's rights their images; a right whose only change is its images
    counts as updated (its ``updated_at`` moves on, and its history says how many images
    it has now)."""
    ids = {key: row.id for key, row in existing.items()}
    new = [key for key in batch.images if key not in ids]
    if new:
        ids.update({key: row.id for key, row in _existing(db, new).items()})
    changed = mark_images.sync(db, ids, batch.images)
    result.images += len(changed)
    touched = [key for key in changed if key in unchanged]
    if not touched:
        return
    run_id = result.run.id if result.run is not None else None
    result.unchanged -= len(touched)
    result.updated += len(touched)
    db.execute(update(TABLE).where(TABLE.c.id.in_([unchanged[k] for k in touched]))
               .values(updated_at=now, last_import_id=run_id))
    changes.extend(history.import_row(unchanged[key], run_id, result.officer_id, now,
                                      {"images": [None, len(batch.images[key])]})
                   for key in touched)


def withdraw(key: tuple[str, str], line: int, values: dict[str, Any], old: Any,
              withdrawals: list, changes: list, result: ImportResult, now: Any) -> None:
    """An office's Delete: the right becomes cancelled, keeping what the office said;
    a right we do not hold is a warning (nothing to withdraw)."""
    at, element = values["_withdraw"]
    if old is None:
        result.skipped += 1
        result.warn(at, element, f"Delete of {key[0]} {key[1]}: no such right in the "
                                 "registry; nothing to withdraw")
        return
    new = {"status": RightStatus.CANCELLED, "status_raw": values["status_raw"]}
    diff = history.field_changes(old, new, WITHDRAW)
    if not diff:
        result.unchanged += 1
        return
    run_id = result.run.id if result.run is not None else None
    changes.append(history.import_row(old.id, run_id, result.officer_id, now, diff,
                                      ChangeKind.WITHDRAWN))
    withdrawals.append({"_id": old.id, **new, "updated_at": now, "last_import_id": run_id})
