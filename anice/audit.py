"""Write and verify the hash-chained audit log.

Each row's hash covers its content and the previous row's hash; a one-row head
table holds the last hash, and writers lock it first, so that concurrent
transactions (PostgreSQL row lock, SQLite write lock) chain one after another.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import AuditEvent, AuditHead, Officer
from .models.audit import AUDIT_GENESIS
from .models.types import utcnow

GENESIS = AUDIT_GENESIS


def _digest(prev_hash: str, event: AuditEvent) -> str:
    payload = [
        prev_hash,
        event.at.isoformat(),
        event.actor_id,
        event.actor_label,
        event.action,
        event.object_type,
        event.object_id,
        event.country_code,
        event.client_addr,
        event.details,
    ]
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def _client_addr() -> str | None:
    return g.get("client_addr") if has_request_context() else None


def record(
    session: Session,
    actor: Officer | None,
    action: str,
    obj: object | None = None,
    *,
    country_code: str | None = None,
    details: dict | None = None,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one audit row in the caller's transaction (flushed, not committed)."""
    session.flush()
    # synchronize_session=False: no scan of the session's objects (bulk work stays linear).
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq + 1)
                    .execution_options(synchronize_session=False))
    prev_hash = session.scalar(select(AuditHead.last_hash).where(AuditHead.id == 1))
    if prev_hash is None:
        raise RuntimeError("audit_head row missing: run the migrations")
    event = AuditEvent(
        at=utcnow(),
        actor_id=actor.id if actor is not None else None,
        actor_label=actor_label or (actor.email if actor is not None else "system"),
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else None,
        object_id=str(getattr(obj, "id", getattr(obj, "code", ""))) if obj is not None else None,
        country_code=country_code,
        client_addr=_client_addr(),
        details=details or {},
        prev_hash=prev_hash,
    )
    event.hash = _digest(prev_hash, event)
    session.add(event)
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=event.hash)
                    .execution_options(synchronize_session=False))
    session.flush()
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify(session: Session, progress: Callable[[int], None] | None = None) -> VerifyResult:
    """Walk the chain in order; name the first row whose hash or link does not hold."""
    prev = GENESIS
    checked = 0
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.id).execution_options(
        yield_per=1000)).scalars()
    for event in rows:
        if event.prev_hash != prev:
            return VerifyResult(False, checked, event.id, "link to the previous row is broken")
        if _digest(prev, event) != event.hash:
            return VerifyResult(False, checked, event.id, "content does not match its hash")
        prev = event.hash
        checked += 1
        if progress and checked % 1000 == 0:
            progress(checked)
    head = session.scalar(select(AuditHead.last_hash).where(AuditHead.id == 1))
    if head != prev:
        return VerifyResult(False, checked, None, "rows are missing at the end of the log")
    return VerifyResult(True, checked)
