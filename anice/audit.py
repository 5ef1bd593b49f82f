"""Write and verify the keyed, hash-chained audit log.

Each row's link covers its content and the previous row's link; a one-row head table holds
the last link, and writers lock it first, so that concurrent transactions (PostgreSQL row
lock, SQLite write lock) chain one after another. The link is an HMAC-SHA256 under an audit
key kept outside the database (``audit_keys``), so whoever can only write the database cannot
rewrite a row and recompute the chain. Rows written before the key existed are plain SHA-256
links, anchored by the last of them recorded in the key file.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_request_context
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import audit_keys
from .models import AuditEvent, AuditHead, Officer
from .models.audit import AUDIT_GENESIS
from .models.types import utcnow

GENESIS = AUDIT_GENESIS
MAC_LABEL = "anice-audit-hmac-sha256"


def _payload(prev_hash: str, event: AuditEvent) -> list:
    return [
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


def _canonical(payload: list) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode()


def _digest(prev_hash: str, event: AuditEvent) -> str:
    """The unkeyed link of rows written before the audit key existed."""
    return hashlib.sha256(_canonical(_payload(prev_hash, event))).hexdigest()


def _mac(key: bytes, key_id: str, prev_hash: str, event: AuditEvent) -> str:
    """The keyed link; the key id is inside the MAC so a row cannot claim another key."""
    raw = _canonical([MAC_LABEL, key_id, *_payload(prev_hash, event)])
    return hmac.new(key, raw, hashlib.sha256).hexdigest()


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
    head = session.execute(select(AuditHead.last_hash, AuditHead.key_id)
                           .where(AuditHead.id == 1)).first()
    if head is None:
        raise RuntimeError("audit_head row missing: run the migrations")
    # Read after taking the lock: `audit init-key` writes the file while holding it.
    keys = audit_keys.current()
    if keys is None and head.key_id is not None:
        # Writing unkeyed rows now would break the chain for good: refuse the change.
        raise audit_keys.AuditKeyError(
            f"the audit chain is keyed (key {head.key_id}) but no audit key file is at "
            f"{audit_keys.key_path()}: restore it (ANICE_AUDIT_KEY_FILE)")
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
        prev_hash=head.last_hash,
    )
    if keys is None:
        event.hash = _digest(head.last_hash, event)
    else:
        event.key_id = keys.primary
        event.hash = _mac(keys.keys[keys.primary], keys.primary, head.last_hash, event)
    session.add(event)
    session.execute(update(AuditHead).where(AuditHead.id == 1)
                    .values(last_hash=event.hash, key_id=event.key_id)
                    .execution_options(synchronize_session=False))
    session.flush()
    return event


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""
    # The first row linked with the audit key (None: no keyed row yet).
    keyed_from: int | None = None
    # No usable audit key: nothing could be checked.
    unverifiable: bool = False


def _check_row(keys: audit_keys.AuditKeys, prev: str, event: AuditEvent) -> str:
    """Why this row does not hold ('' when it does)."""
    if event.prev_hash != prev:
        return "link to the previous row is broken"
    if event.id <= keys.legacy_last_id:
        if event.key_id is not None:
            return "claims an audit key but predates every key"
        expected = _digest(prev, event)
    elif event.key_id is None:
        return "not linked with the audit key (written or rewritten without it)"
    elif event.key_id not in keys.keys:
        return f"its audit key {event.key_id} is not in {keys.path}"
    else:
        expected = _mac(keys.keys[event.key_id], event.key_id, prev, event)
    if not hmac.compare_digest(expected, event.hash or ""):
        return "content does not match its hash"
    return ""


ANCHOR_BROKEN = ("the rows written before the audit key existed do not end at the hash "
                 "recorded with the key (a row up to {n} was changed, added or removed)")


def verify(session: Session, progress: Callable[[int], None] | None = None,
           checkpoint: bool = False) -> VerifyResult:
    """Walk the chain in order; name the first row whose link, content or key does not hold.

    Fails (without raising) when the audit key file is missing or unreadable, or when the
    row of the last checkpoint is gone (rows removed at the end). With ``checkpoint``, an
    intact chain's last row becomes the new checkpoint.
    """
    try:
        keys = audit_keys.current()
        mark = audit_keys.read_checkpoint()
    except audit_keys.AuditKeyError as exc:
        return VerifyResult(False, 0, None, str(exc), unverifiable=True)
    if keys is None:
        return VerifyResult(False, 0, None, f"no audit key file at {audit_keys.key_path()}: "
                            "the chain cannot be checked against someone who can write the "
                            "database (create the key with `audit init-key`, or restore it)",
                            unverifiable=True)
    prev, checked, keyed_from, last_id = GENESIS, 0, None, 0
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.id).execution_options(
        yield_per=1000)).scalars()
    for event in rows:
        if keyed_from is None and event.id > keys.legacy_last_id:
            if prev != keys.legacy_head:
                return VerifyResult(False, checked, event.id,
                                    ANCHOR_BROKEN.format(n=keys.legacy_last_id))
            keyed_from = event.id
        reason = _check_row(keys, prev, event)
        if reason:
            return VerifyResult(False, checked, event.id, reason, keyed_from)
        prev, last_id = event.hash, event.id
        checked += 1
        if progress and checked % 1000 == 0:
            progress(checked)
    if keyed_from is None and prev != keys.legacy_head:
        return VerifyResult(False, checked, None, ANCHOR_BROKEN.format(n=keys.legacy_last_id))
    head = session.scalar(select(AuditHead.last_hash).where(AuditHead.id == 1))
    if head != prev:
        return VerifyResult(False, checked, None, "rows are missing at the end of the log",
                            keyed_from)
    if mark is not None and not _reaches(session, mark):
        return VerifyResult(False, checked, mark.row, CHECKPOINT_LOST.format(at=mark.at),
                            keyed_from)
    if checkpoint and checked:
        audit_keys.write_checkpoint(last_id, prev)
    return VerifyResult(True, checked, keyed_from=keyed_from)


CHECKPOINT_LOST = ("this row, found intact by `audit verify` on {at}, is gone or changed "
                   "(rows removed at the end of the log?)")


def _reaches(session: Session, mark: audit_keys.Checkpoint) -> bool:
    """Whether the (already verified) chain still holds the checkpoint's row and link."""
    return session.scalar(select(AuditEvent.hash).where(AuditEvent.id == mark.row)) == mark.hash
