"""What the cases feature does when a case changes: keep its search document current."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..events import CaseItemsChanged, CaseSaved, Registry
from ..models import Case
from . import search


def reindex(db: Session, event: CaseSaved | CaseItemsChanged) -> None:
    """The search document, in the same transaction as the change (FTS5 / tsvector)."""
    case = db.get(Case, event.case_id)
    if case is not None:
        search.reindex(db, case)


def subscribe(registry: Registry) -> None:
    registry.on(CaseSaved, reindex)
    registry.on(CaseItemsChanged, reindex)
