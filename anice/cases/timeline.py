"""Timeline entries (per case) and the audit row that goes with each change."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from .. import audit
from ..models import Case, Officer, TimelineEntry, utcnow
from ..notifications import stored
from ..text.messages import english, translate


def plain(value: Any) -> Any:
    """A JSON-friendly form of a field value, for before/after records."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def diff(obj: object, values: dict[str, Any]) -> list[dict]:
    """Set ``values`` on ``obj``; return the field-level changes actually made."""
    changes = []
    for field, new in values.items():
        old = getattr(obj, field)
        if plain(old) != plain(new):
            changes.append({"field": field, "before": plain(old), "after": plain(new)})
            setattr(obj, field, new)
    return changes


def new_entry(case: Case, kind: str, text: str | dict, **fields: Any) -> TimelineEntry:
    """A timeline row; ``text``: a message (``anice.text.messages``), kept with its English
    sentence, or an officer's own words."""
    if isinstance(text, dict):
        return TimelineEntry(case_id=case.id, kind=kind, summary=english(text), text=text,
                             **fields)
    return TimelineEntry(case_id=case.id, kind=kind, summary=text, **fields)


def record(db: Session, actor: Officer, case: Case, kind: str, text: str | dict,
           changes: list[dict] | None = None, obj: object | None = None) -> TimelineEntry:
    """One timeline entry and one audit row, in the caller's transaction."""
    case.updated_at = utcnow()
    entry = new_entry(case, kind, text, actor_id=actor.id, actor_label=actor.name,
                   changes=changes or [])
    db.add(entry)
    audit.record(db, actor, f"case.{kind}", obj or case, country_code=case.country_code,
                 details={"case": case.reference, "changes": [c["field"] for c in changes or []]})
    return entry


def shown(row: TimelineEntry) -> str:
    """The entry's sentence in the reader's language (an officer's note as written)."""
    if row.text:
        return translate(row.text)
    if row.kind == "note":
        return row.summary
    return stored.shown(row.kind, row.summary)  # written before ``text`` existed
