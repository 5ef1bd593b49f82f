"""What correlation does when a case changes: recompute the identifiers it shares."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..events import CaseDiscarded, CaseItemsChanged, CaseMatchDecided, Registry
from ..models import Case, Officer
from .index import refresh_case


def refresh(db: Session, event: CaseItemsChanged | CaseMatchDecided | CaseDiscarded) -> None:
    """Identifiers of the case's items, parties and confirmed rights, in the same
    transaction; new ones are announced to other cases' officers by a job after commit."""
    case = db.get(Case, event.case_id)
    if case is None:
        return
    actor = db.get(Officer, event.actor_id) if event.actor_id is not None else None
    refresh_case(db, case, actor)


def subscribe(registry: Registry) -> None:
    registry.on(CaseItemsChanged, refresh)
    registry.on(CaseMatchDecided, refresh)  # a confirmed right is an identifier of the case
    registry.on(CaseDiscarded, refresh)  # a discarded draft shares nothing any more
