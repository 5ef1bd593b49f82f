"""The history of a right: one row per change (created, updated, withdrawn, expired,
transferred, restored), written by the importer and by edits in the same transaction as
the change, and read by the right's page and the API.

The pure part (``field_changes``, ``change_kind``) works on plain values: the importer
calls it only for rows whose values differ, so an unchanged row costs nothing more."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..models import ChangeKind, ChangeSource, Officer, RightChange, RightStatus, utcnow
from . import bulk
from .service import get_right

# Texts kept as {"length", "sha256"} in a change when longer than SHORT characters:
# a goods list runs to a million characters and is not worth storing twice.
LONG = frozenset(("goods", "identification_notes"))
SHORT = 200
INACTIVE = frozenset((RightStatus.EXPIRED, RightStatus.REFUSED, RightStatus.CANCELLED))
WITHDRAWN = frozenset((RightStatus.REFUSED, RightStatus.CANCELLED))
ACTIVE = frozenset((RightStatus.FILED, RightStatus.REGISTERED))
CHANGES = RightChange.__table__
HISTORY_PAGE = 20


def change_value(name: str, value: Any) -> Any:
    """A field's value as a change records it (JSON)."""
    if value is None:
        return None
    if isinstance(value, date | datetime):
        return value.isoformat()
    value = getattr(value, "value", value)
    if name in LONG and isinstance(value, str) and len(value) > SHORT:
        return {"length": len(value),
                "sha256": hashlib.sha256(value.encode("utf-8")).hexdigest()}
    return value


def field_changes(old: Any, new: Mapping[str, Any], names: Iterable[str]
                  ) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields of ``names`` that differ (``old`` is a row or
    an object with those attributes, ``new`` a mapping)."""
    return {name: [change_value(name, getattr(old, name)), change_value(name, new[name])]
            for name in names if getattr(old, name) != new[name]}


def _status(value: Any) -> RightStatus | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, RightStatus) else RightStatus(value)


def change_kind(changes: Mapping[str, list[Any]]) -> ChangeKind:
    """What a change means: a status moved to expired (expired), to cancelled or refused
    (withdrawn), back from those to filed or registered (restored); else a new owner
    (transferred); else updated."""
    if "status" in changes:
        old, new = (_status(v) for v in changes["status"])
        if new == RightStatus.EXPIRED:
            return ChangeKind.EXPIRED
        if new in WITHDRAWN:
            return ChangeKind.WITHDRAWN
        if old in INACTIVE and new in ACTIVE:
            return ChangeKind.RESTORED
    if "owner" in changes:
        return ChangeKind.TRANSFERRED
    return ChangeKind.UPDATED


def import_row(right_id: int, import_id: int | None, officer_id: int | None, at: datetime,
               changes: dict[str, list[Any]] | None,
               kind: ChangeKind | None = None) -> dict[str, Any]:
    """A history row as the importer bulk-inserts it."""
    return {"right_id": right_id, "at": at, "source": ChangeSource.IMPORT,
            "kind": kind or change_kind(changes or {}), "import_id": import_id,
            "officer_id": officer_id, "changes": changes}


def write_rows(db: Session, rows: list[dict[str, Any]]) -> None:
    bulk.insert_rows(db, CHANGES, rows)


def record_edit(db: Session, actor: Officer, right_id: int,
                changes: dict[str, list[Any]]) -> RightChange:
    """The history row of an edit (the caller writes the audit row and flushes)."""
    row = RightChange(right_id=right_id, at=utcnow(), kind=change_kind(changes),
                      source=ChangeSource.EDIT, officer_id=actor.id, changes=changes)
    db.add(row)
    return row


# --- reading ---------------------------------------------------------------------------

def right_history(db: Session, actor: Officer | None, right_id: int, *, page: int = 1,
                  per_page: int = HISTORY_PAGE) -> tuple[list[RightChange], int]:
    """The changes of a right the actor may see, newest first, and how many there are;
    NotFound when the right is out of reach."""
    right = get_right(db, actor, right_id)
    total = db.scalar(select(func.count()).select_from(RightChange)
                      .where(RightChange.right_id == right.id)) or 0
    rows = db.scalars(select(RightChange).where(RightChange.right_id == right.id)
                      .options(selectinload(RightChange.officer),
                               selectinload(RightChange.registry_import))
                      .order_by(RightChange.id.desc())
                      .offset((page - 1) * per_page).limit(per_page))
    return list(rows), total
