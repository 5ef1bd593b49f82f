"""The same content twice in one case, found by the intake SHA-256: kept only with a reason.

An upload whose content already is evidence of the case is not recorded. The web form may
hold it back, sealed (ciphertext only, as any evidence object), for ``HOLD_SECONDS``: its
officer then keeps it with a reason, or drops it, without sending the file again. A held
upload is no evidence: nobody can read it, and it is removed when it expires.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Conflict, Invalid
from ..models import Case, Evidence, EvidenceStatus, HeldUpload, Officer, utcnow
from ..text.locales import N_
from . import runtime
from .intake import Intake

log = logging.getLogger(__name__)

HOLD_SECONDS = 15 * 60
# What the officer typed with the file, given back in the "keep both" form.
TYPED_FIELDS = ("description", "acquired_at", "acquired_where", "acquired_how")


class DuplicateEvidence(Conflict):
    """The upload's content already is evidence of the case: names that item, and the held
    upload (``held_id``) when the caller asked to keep it for a reason."""

    def __init__(self, existing: Evidence, held_id: str | None = None) -> None:
        received = existing.uploaded_at.strftime("%Y-%m-%d %H:%M UTC")
        text = (N_("This file is already evidence of the case: %(name)s, received %(when)s "
                   "(its content was destroyed since), same SHA-256 %(sha)s…. It was not "
                   "added; to keep both, say why.")
                if existing.status == EvidenceStatus.SHREDDED else
                N_("This file is already evidence of the case: %(name)s, received %(when)s, "
                   "same SHA-256 %(sha)s…. It was not added; to keep both, say why."))
        super().__init__(gettext(text, name=existing.original_name, when=received,
                                 sha=existing.sha256[:16]))
        self.existing = existing
        self.held_id = held_id
        # Extra members of the API's problem document.
        self.details = {"existing": existing.public_id, "field": "duplicate_reason"}


def existing_item(db: Session, case: Case, sha256: str) -> Evidence | None:
    """The case's first item with this content, if any (a destroyed one counts too: its
    hash stays on record, and a re-upload would undo a retention decision)."""
    return db.scalar(select(Evidence).where(Evidence.case_id == case.id,
                                            Evidence.sha256 == sha256)
                     .order_by(Evidence.id).limit(1))


def hold(db: Session, actor: Officer, case: Case, intake: Intake, name: str,
         media_type: str, existing: Evidence, data: Mapping[str, Any]) -> HeldUpload:
    """Seal the intake for good and keep it, unrecorded, for its officer (flushed)."""
    purge_expired(db)
    intake.finish()
    intake.held = True  # the caller's clean-up must leave the object in place
    row = HeldUpload(
        id=secrets.token_hex(16), officer_id=actor.id, case_id=case.id,
        duplicate_of_id=existing.id, public_id=intake.public_id,
        storage_backend=intake.storage.name, storage_key=intake.storage_key,
        original_name=name, media_type=media_type, size=intake.size,
        sha256=intake.sha256.hexdigest(), dek_id=intake.dek_id,
        dek_wrapped=intake.wrapped.blob, kek_id=intake.wrapped.kek_id,
        fields={k: str(data.get(k) or "")[:5000] for k in TYPED_FIELDS},
        expires_at=utcnow() + timedelta(seconds=HOLD_SECONDS))
    db.add(row)
    db.flush()
    return row


def held_upload(db: Session, actor: Officer, case: Case, held_id: str) -> HeldUpload:
    """The actor's own held upload for this case, while it lasts."""
    row = db.get(HeldUpload, str(held_id)[:32])
    if (row is None or row.officer_id != actor.id or row.case_id != case.id
            or row.expires_at <= utcnow()):
        raise Invalid("file", gettext("the upload was held for %(minutes)s minutes only and "
                                      "is gone now: choose the file again",
                                      minutes=HOLD_SECONDS // 60))
    return row


def drop(db: Session, row: HeldUpload) -> None:
    """Forget a held upload: its object and its row."""
    runtime.storage().delete(row.storage_key)
    db.delete(row)
    db.flush()


def purge_expired(db: Session) -> int:
    """Remove the held uploads whose time is up (objects first, then rows)."""
    rows = list(db.scalars(select(HeldUpload).where(HeldUpload.expires_at <= utcnow())))
    for row in rows:
        try:
            runtime.storage().delete(row.storage_key)
        except Exception as exc:  # noqa: BLE001 - the orphan cleanup takes what stays
            log.warning("could not remove an expired held upload",
                        extra={"key": row.storage_key, "error": type(exc).__name__})
        db.delete(row)
    if rows:
        db.flush()
    return len(rows)
