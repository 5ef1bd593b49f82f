"""What right holders are told when a case changes: a confirmed match of one of their
rights (HolderAlert), in the deciding transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..events import CaseMatchDecided, Registry
from ..models import Officer
from .alerts import alert_on_match


def alert(db: Session, event: CaseMatchDecided) -> None:
    if event.match_id is None:
        return
    actor = db.get(Officer, event.actor_id) if event.actor_id is not None else None
    alert_on_match(db, event.match_id, actor)


def subscribe(registry: Registry) -> None:
    registry.on(CaseMatchDecided, alert)
