"""Evidence rules: receive, list, read, verify and shred; every access is a custody event."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

from flask import current_app, g, has_request_context
from flask_babel import gettext
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit, policy
from ..cases import timeline
from ..cases.service import get_case
from ..crypto.keys import WrappedKey, dek_aad
from ..crypto.stream import DecryptionError, open_stream
from ..errors import Forbidden, Invalid, NotFound
from ..events import EvidenceRegistered, announce
from ..models import (
    Case,
    CustodyAction,
    CustodyEvent,
    Evidence,
    EvidenceDerivative,
    EvidenceStatus,
    HeldUpload,
    HolderFile,
    Officer,
    utcnow,
)
from ..notifications import stored
from ..text.locales import N_
from ..text.messages import message, number
from ..validation import MACHINE, Fields, Reading
from . import duplicates, kek, media, quota, runtime
from .duplicates import DuplicateEvidence as DuplicateEvidence  # views catch it from here
from .intake import Intake, storage_errors
from .kek import keys_lock, rewrap_holder_files, rewrap_imports

log = logging.getLogger(__name__)

HOLD_MINUTES = duplicates.HOLD_SECONDS // 60
# The custody actions in words (label(CustodyAction)), marked for the catalog: the evidence
# page shows them translated.
CUSTODY_WORDS = (N_("Intake"), N_("View"), N_("Download"), N_("Export"), N_("Share"),
                 N_("Verify"), N_("Transfer"), N_("Disposal"), N_("Destroyed (key shredded)"),
                 N_("Key re-wrapped"))
# Timeline entries (message and values, shown in each reader's language; registered for rows
# stored as English sentences before: notifications/stored).
ADDED = stored.register("evidence_added", N_(
    "Added evidence %(name)s (%(size)s bytes, SHA-256 %(sha)s…)"))
ADDED_AGAIN = stored.register("evidence_added", N_(
    "Added evidence %(name)s (%(size)s bytes, SHA-256 %(sha)s…), the same content as "
    "%(other)s, kept because: %(reason)s"))
SHREDDED = stored.register("evidence_shredded", N_(
    "Destroyed evidence %(name)s (crypto-shredded): %(reason)s"))
CUSTODY_TEXTS = {
    CustodyAction.TRANSFER: stored.register("evidence_custody", N_(
        "Transfer of evidence %(name)s: %(reason)s")),
    CustodyAction.DISPOSAL: stored.register("evidence_custody", N_(
        "Disposal of evidence %(name)s: %(reason)s")),
}


def record_custody(db: Session, evidence: Evidence, actor: Officer | None,
                   action: CustodyAction, reason: str | None = None,
                   details: dict | None = None) -> CustodyEvent:
    """Append one custody event (the table refuses updates and deletes)."""
    event = CustodyEvent(evidence_id=evidence.id, actor_id=actor.id if actor else None,
                         actor_label=actor.email if actor else "system", action=action,
                         client_addr=g.get("client_addr") if has_request_context() else None,
                         reason=reason, details=details or {})
    db.add(event)
    return event


def case_for_upload(db: Session, actor: Officer, case_id: int) -> Case:
    """Checked before a single byte is accepted: may the actor add evidence here?"""
    case = get_case(db, actor, case_id)
    if not policy.can_add_evidence(actor, case):
        raise Forbidden(gettext("You may not add evidence to this case."))
    return case


def start_intake(db: Session, actor: Officer) -> Intake:
    """A sealing intake for one upload by ``actor``; it stops, keeping nothing, when the
    file would exceed the actor's or their agency's upload quota."""
    return Intake(runtime.storage(), runtime.keyring(), runtime.max_bytes(),
                  quota.allowance(db, actor))


def _metadata(data: Mapping[str, Any], reading: Reading) -> dict[str, Any]:
    f = Fields(data, reading=reading)
    values = {"description": f.text("description", max_len=5000),
              "acquired_at": f.moment("acquired_at"),
              "acquired_where": f.text("acquired_where", max_len=300),
              "acquired_how": f.text("acquired_how", max_len=500),
              "duplicate_reason": f.text("duplicate_reason", max_len=2000)}
    f.done()
    return values


def register(db: Session, actor: Officer, case: Case, intake: Intake, name: str | None,
             data: Mapping[str, Any], reading: Reading = MACHINE,
             hold_duplicate: bool = False) -> Evidence:
    """Finish an intake and record it; on any problem nothing stays stored or written.
    ``reading``: how ``acquired_at`` is written (``Reading.typed_by(actor)`` for a form).

    Content that already is evidence of the case raises ``DuplicateEvidence`` naming that
    item, unless ``data`` gives a ``duplicate_reason``; with ``hold_duplicate`` the sealed
    upload is held for its officer (``keep_held``) instead of being dropped."""
    try:
        values = _metadata(data, reading)
        if intake.size == 0:
            raise Invalid("file", gettext("is empty"))
        # Again at the end: an upload that finished meanwhile counts too.
        quota.allowance(db, actor).refuse_beyond(intake.size)
        clean_name = media.safe_name(name)
        media_type, problem = media.check(clean_name, bytes(intake.head))
        if problem:
            raise Invalid("file", problem)
        existing = duplicates.existing_item(db, case, intake.sha256.hexdigest())
        if existing is not None and not values["duplicate_reason"]:
            held = (duplicates.hold(db, actor, case, intake, clean_name, media_type, existing,
                                    data) if hold_duplicate else None)
            raise duplicates.DuplicateEvidence(existing, held.id if held else None)
        intake.finish()
        evidence = _sealed(intake, actor, case, clean_name, media_type, values)
        return _record_intake(db, actor, case, evidence, existing)
    except BaseException:
        intake.discard()
        raise


def _sealed(intake: Intake, actor: Officer, case: Case, name: str, media_type: str,
            values: dict[str, Any]) -> Evidence:
    """The Evidence row of a finished intake."""
    return Evidence(
        public_id=intake.public_id, case_id=case.id, storage_backend=intake.storage.name,
        storage_key=intake.storage_key, original_name=name, media_type=media_type,
        size=intake.size, sha256=intake.sha256.hexdigest(), uploaded_by_id=actor.id,
        dek_id=intake.dek_id, dek_wrapped=intake.wrapped.blob, kek_id=intake.wrapped.kek_id,
        segment_size=65536, **values)


def keep_held(db: Session, actor: Officer, case: Case, held_id: str,
              data: Mapping[str, Any], reading: Reading = MACHINE) -> Evidence:
    """Record the actor's held upload as evidence, both items kept: needs a reason.
    ``reading``: how ``acquired_at`` is written (``Reading.typed_by(actor)`` for a form)."""
    if not policy.can_add_evidence(actor, case):
        raise Forbidden(gettext("You may not add evidence to this case."))
    row = duplicates.held_upload(db, actor, case, held_id)
    values = _metadata(data, reading)
    if not values["duplicate_reason"]:
        raise Invalid("duplicate_reason", gettext("say why both files are kept"))
    quota.allowance(db, actor).refuse_beyond(row.size)
    evidence = Evidence(
        public_id=row.public_id, case_id=case.id, storage_backend=row.storage_backend,
        storage_key=row.storage_key, original_name=row.original_name,
        media_type=row.media_type, size=row.size, sha256=row.sha256,
        uploaded_by_id=actor.id, dek_id=row.dek_id, dek_wrapped=row.dek_wrapped,
        kek_id=row.kek_id, segment_size=65536, **values)
    existing = duplicates.existing_item(db, case, row.sha256) or row.duplicate_of
    db.delete(row)
    return _record_intake(db, actor, case, evidence, existing)


def held_upload(db: Session, actor: Officer, case: Case, held_id: str) -> HeldUpload:
    """The actor's upload held for a "keep both" reason (Invalid once it expired)."""
    return duplicates.held_upload(db, actor, case, held_id)


def drop_held(db: Session, actor: Officer, case: Case, held_id: str) -> None:
    """The actor does not keep its held upload: it is removed at once."""
    duplicates.drop(db, duplicates.held_upload(db, actor, case, held_id))


def register_holder_attachment(db: Session, actor: Officer, case: Case, intake: Intake,
                               name: str | None, details: dict) -> Evidence:
    """Seal a right holder's attachment to its verification answer into the case's evidence
    (custody ``intake`` by the holder, ``details`` naming the request). Called by the
    verification service after its own check that the holder may answer; content already
    in the case is kept too, marked as the same content."""
    try:
        if intake.size == 0:
            raise Invalid("attachments", gettext("%(name)s is empty", name=name)
                          if name else gettext("a file is empty"))
        clean_name = media.safe_name(name)
        media_type, problem = media.check(clean_name, bytes(intake.head))
        if problem:
            raise Invalid("attachments", gettext("%(name)s: %(problem)s", name=clean_name,
                                                  problem=problem))
        existing = duplicates.existing_item(db, case, intake.sha256.hexdigest())
        intake.finish()
        evidence = _sealed(intake, actor, case, clean_name, media_type, {
            "description": "Attached by the right holder to its answer",
            "acquired_how": "verification answer",
            "duplicate_reason": "sent again by the right holder with its answer"
            if existing is not None else None})
        return _record_intake(db, actor, case, evidence, existing, details)
    except BaseException:
        intake.discard()
        raise


def read_for_holder(db: Session, actor: Officer, evidence: Evidence,
                    details: dict) -> Iterator[bytes]:
    """A right holder's download of an item a verification request shares (the
    verification service checked it may): a custody event naming the holder and the
    request, then the plaintext stream."""
    refuse_if_damaged(evidence)
    stream = plaintext(evidence, flag_failure=True)
    record_custody(db, evidence, actor, CustodyAction.DOWNLOAD, details=details)
    return stream


def _record_intake(db: Session, actor: Officer, case: Case, evidence: Evidence,
                   duplicate_of: Evidence | None, extra: dict | None = None) -> Evidence:
    """The one custody ``intake`` event, timeline entry (and audit row for a kept
    duplicate) of a new item; announces it."""
    details = {"sha256": evidence.sha256, "size": evidence.size,
               "media_type": evidence.media_type, **(extra or {})}
    if duplicate_of is None:
        evidence.duplicate_reason = None
    else:
        evidence.duplicate_of_id = duplicate_of.id
        details["duplicate_of"] = duplicate_of.public_id
    db.add(evidence)
    db.flush()
    record_custody(db, evidence, actor, CustodyAction.INTAKE, reason=evidence.duplicate_reason,
                   details=details)
    facts = {"name": evidence.original_name, "size": number(evidence.size),
             "sha": evidence.sha256[:16]}
    text = message(ADDED, **facts)
    if duplicate_of is not None:
        text = message(ADDED_AGAIN, **facts, other=duplicate_of.original_name,
                       reason=evidence.duplicate_reason)
        audit.record(db, actor, "evidence.duplicate_kept", evidence,
                     country_code=case.country_code,
                     details={"case": case.reference, "evidence": evidence.public_id,
                              "duplicate_of": duplicate_of.public_id,
                              "sha256": evidence.sha256, "reason": evidence.duplicate_reason})
    timeline.record(db, actor, case, "evidence_added", text, obj=evidence)
    announce(db, EvidenceRegistered(evidence.id, case.id, actor.id))
    return evidence


def evidence_of(db: Session, actor: Officer, case: Case) -> list[Evidence]:
    if not policy.can_view_case(actor, case):
        raise NotFound(gettext("No such case."))
    return list(db.scalars(select(Evidence).where(Evidence.case_id == case.id)
                           .order_by(Evidence.uploaded_at.desc(), Evidence.id.desc())))


def get_evidence(db: Session, actor: Officer, public_id: str) -> Evidence:
    """An evidence item of a case the actor may see; otherwise NotFound."""
    evidence = db.scalar(select(Evidence).where(Evidence.public_id == str(public_id)[:64]))
    if evidence is None or not policy.can_view_case(actor, evidence.case):
        raise NotFound(gettext("No such evidence."))
    return evidence


def custody_of(db: Session, evidence: Evidence) -> list[CustodyEvent]:
    return list(db.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id)
                           .order_by(CustodyEvent.at, CustodyEvent.id)))


def plaintext(evidence: Evidence, flag_failure: bool = False) -> Iterator[bytes]:
    """Decrypt the item's object from storage as it streams (nothing touches disk).

    The key is unwrapped and the object opened now, so that a shredded item or a wrong
    KEK fails before a response starts. With ``flag_failure`` (officers' reads), a damaged
    object is recorded as a failed verification.
    """
    if evidence.status == EvidenceStatus.SHREDDED or evidence.dek_wrapped is None:
        raise Invalid("evidence", gettext("was crypto-shredded: its content can no longer be read"))
    return open_sealed(evidence, "evidence", (lambda reason: _flag_damaged(evidence, reason))
                       if flag_failure else None)


def open_sealed(item, field: str, on_damage=None) -> Iterator[bytes]:
    """Decrypt any sealed file kept in the evidence store (an evidence item, a holder's
    file: it has public_id, dek_id, kek_id, dek_wrapped, storage_key and size) as it
    streams; ``on_damage(reason)`` is told when the stored object is missing or broken,
    and errors name ``field``."""
    try:
        dek = runtime.keyring().unwrap(WrappedKey(item.kek_id, item.dek_wrapped),
                                       dek_aad(item.public_id, item.dek_id))
    except DecryptionError:
        log.error("sealed file key cannot be unwrapped", extra={"evidence": item.public_id,
                                                                "kek": item.kek_id})
        raise Invalid(field, gettext("cannot be decrypted: the key-encryption key that wraps "
                                     "it is missing or wrong (see %(command)s)",
                                     command="`flask --app wsgi keys status`"))
    try:
        with storage_errors(down=STORE_DOWN_READING):
            # Its length first (stat / HEAD): a cut object is refused before any byte.
            object_size = runtime.storage().size(item.storage_key)
            source = runtime.storage().open(item.storage_key)
    except FileNotFoundError:
        log.error("sealed object missing", extra={"evidence": item.public_id})
        if on_damage:
            on_damage("stored object missing")
        raise Invalid(field, gettext("its stored object is missing: run %(command)s and "
                                     "restore it from backup",
                                     command="`flask --app wsgi evidence verify`")) from None

    segments = open_stream(source, dek, item.public_id, item.dek_id,
                           object_size=object_size, plaintext_size=item.size)
    try:
        first = next(segments)  # header, length and first segment checked before a response
    except StopIteration:
        first = b""
    except DecryptionError:
        source.close()
        log.error("sealed object does not decrypt", extra={"evidence": item.public_id})
        if on_damage:
            on_damage("stored object does not decrypt")
        raise Invalid(field, gettext("its stored object does not decrypt (corrupted or "
                                     "replaced): run %(command)s",
                                     command="`flask --app wsgi evidence verify`")) from None

    def stream() -> Iterator[bytes]:
        try:
            yield first
            yield from segments
        except DecryptionError:
            # The response has started: the client gets a cut-off file (shorter than its
            # Content-Length) and the next read is refused with the reason.
            log.error("sealed object failed mid-stream", extra={"evidence": item.public_id})
            if on_damage:
                on_damage("stored object failed to decrypt mid-stream")
            raise
        finally:
            source.close()

    return stream()


STORE_DOWN_READING = N_("The evidence store cannot be reached or did not answer in time, so "
                      "the file cannot be read now. Try again in a few minutes.")


def _flag_damaged(evidence: Evidence, reason: str) -> None:
    """A read found the stored object damaged: record a failed verification in its own
    transaction (the read's own is rolled back or over), so later reads are refused."""
    try:
        with current_app.extensions["anice.sessionmaker"]() as session:
            item = session.get(Evidence, evidence.id)
            item.last_verified_at, item.last_verify_ok = utcnow(), False
            record_custody(session, item, None, CustodyAction.VERIFY,
                           details={"ok": False, "error": reason, "during": "read"})
            session.commit()
    except Exception:  # noqa: BLE001 - the read fails anyway; verification will flag it
        log.exception("could not flag damaged evidence", extra={"evidence": evidence.public_id})


def refuse_if_damaged(evidence: Evidence) -> None:
    """An item whose last verification failed is not handed out until it verifies again."""
    if evidence.last_verify_ok is False:
        when = evidence.last_verified_at.strftime("%Y-%m-%d %H:%M UTC")
        raise Invalid("evidence", gettext(
            "failed its integrity check on %(when)s: the stored object is not what was "
            "received (damaged, cut short or replaced), so it is not handed out. Restore the "
            "object from backup, then verify it again.", when=when))


def get_readable(db: Session, actor: Officer, public_id: str) -> tuple[Evidence, Any]:
    """An item the actor may read: of a case it sees, or shared with it by a referral
    (returned with it, so the custody event names the referral); otherwise NotFound."""
    # Lazy: referrals.service imports this module (custody of shared evidence).
    from ..referrals.service import referral_granting, today

    evidence = db.scalar(select(Evidence).where(Evidence.public_id == str(public_id)[:64],
                                                policy.visible_evidence(actor, today())))
    if evidence is None:
        raise NotFound(gettext("No such evidence."))
    if policy.can_view_case(actor, evidence.case):
        return evidence, None
    referral = referral_granting(db, actor, evidence)
    if referral is None:
        raise NotFound(gettext("No such evidence."))
    return evidence, referral


def read(db: Session, actor: Officer, public_id: str, action: CustodyAction,
         reason: str | None = None,
         details: dict | None = None) -> tuple[Evidence, Iterator[bytes]]:
    """Record the view/download/export first (committed by the caller), then stream.

    A receiver's read of a sender's item is a custody event of the sender's evidence,
    naming the referral and the receiving agency; exporting it for court is subject to
    the referral's handling code."""
    evidence, referral = get_readable(db, actor, public_id)
    f = Fields({"reason": reason})
    reason = f.text("reason", required=action == CustodyAction.EXPORT, max_len=2000)
    if f.errors and f.errors[0][1] in ("is required", gettext("is required")):
        raise Invalid("reason", gettext("say why the evidence is exported (e.g. for court)"))
    f.done()
    details = dict(details or {})
    if referral is not None and not policy.is_sender(actor, referral):
        if action == CustodyAction.EXPORT and not policy.handling_allows(referral, "court"):
            text = (N_("This item was shared through referral %(referral)s under "
                       "\"%(code)s\": it may not be exported for court until the sender "
                       "consents.")
                    if referral.handling_code.value == "court_after_consent" else
                    N_("This item was shared through referral %(referral)s under "
                       "\"%(code)s\": it may not be exported for court."))
            raise Forbidden(gettext(text, referral=referral.reference,
                                    code=gettext(referral.handling_code.label)))
        details.update(referral=referral.reference, agency=actor.agency.name,
                       country=actor.country_code)
    refuse_if_damaged(evidence)
    stream = plaintext(evidence, flag_failure=True)
    record_custody(db, evidence, actor, action, reason=reason, details=details)
    return evidence, stream


def verify(db: Session, evidence: Evidence, actor: Officer | None) -> bool:
    """Re-decrypt and re-hash; record the result in the chain of custody."""
    digest, size, error = hashlib.sha256(), 0, None
    try:
        for chunk in plaintext(evidence):
            digest.update(chunk)
            size += len(chunk)
    except (DecryptionError, FileNotFoundError, Invalid) as exc:
        error = str(exc)
    ok = error is None and digest.hexdigest() == evidence.sha256 and size == evidence.size
    evidence.last_verified_at = utcnow()
    evidence.last_verify_ok = ok
    record_custody(db, evidence, actor, CustodyAction.VERIFY,
                   details={"ok": ok, "sha256": digest.hexdigest() if error is None else None,
                            "size": size, "error": error})
    return ok


def verify_by_officer(db: Session, actor: Officer, public_id: str) -> tuple[Evidence, bool]:
    evidence = get_evidence(db, actor, public_id)
    return evidence, verify(db, evidence, actor)


def shred(db: Session, actor: Officer, public_id: str, reason: str) -> Evidence:
    """Crypto-shredding: destroy the data key and the object; the record and custody stay."""
    evidence = get_evidence(db, actor, public_id)
    if not policy.can_shred_evidence(actor, evidence.case):
        raise Forbidden(gettext("Only the agency's supervisor may destroy evidence."))
    f = Fields({"reason": reason})
    reason = f.text("reason", required=True, max_len=2000)
    f.done()
    # The derivative job takes this lock before it records anything: whichever commits
    # first, the other sees it (no derivative outlives the shred).
    evidence = db.execute(select(Evidence).where(Evidence.id == evidence.id).with_for_update()
                          .execution_options(populate_existing=True)).scalar_one()
    if evidence.status == EvidenceStatus.SHREDDED:
        return evidence
    evidence.dek_wrapped = None
    evidence.status = EvidenceStatus.SHREDDED
    evidence.shredded_at = utcnow()
    record_custody(db, evidence, actor, CustodyAction.SHRED, reason=reason)
    timeline.record(db, actor, evidence.case, "evidence_shredded",
                    message(SHREDDED, name=evidence.original_name, reason=reason),
                    obj=evidence)
    db.flush()
    runtime.storage().delete(evidence.storage_key)
    from .derived import shred_derivatives  # lazy: derived builds on this module

    shred_derivatives(db, evidence)  # a thumbnail is a copy of the content
    return evidence


def rewrap(db: Session, batch: int = 200, progress=None) -> int:
    """Re-wrap every data key not under the primary KEK (items, derivatives, import
    uploads, right holders' files); resumable, batch by batch; one run at a time
    (KeyringBusy otherwise)."""
    from .derived import rewrap_derivatives  # lazy: derived builds on this module

    with keys_lock():
        done = _rewrap_items(db, batch, progress)
        done += rewrap_derivatives(db, batch=batch, progress=progress, offset=done)
        done += rewrap_imports(db, batch=batch, progress=progress, offset=done)
        return done + rewrap_holder_files(db, batch=batch, progress=progress, offset=done)


def _rewrap_items(db: Session, batch: int, progress) -> int:
    ring = runtime.keyring()
    primary = ring.primary_id()
    done = 0
    while True:
        rows = list(db.scalars(select(Evidence).where(Evidence.kek_id != primary,
                                                      Evidence.dek_wrapped.is_not(None))
                               .order_by(Evidence.id).limit(batch)))
        if not rows:
            return done
        for evidence in rows:
            aad = dek_aad(evidence.public_id, evidence.dek_id)
            dek = ring.unwrap(WrappedKey(evidence.kek_id, evidence.dek_wrapped), aad)
            wrapped = ring.wrap(dek, aad)
            before = evidence.kek_id
            # Only if nobody shredded or re-wrapped it meanwhile (a plain UPDATE ... WHERE).
            changed = db.execute(update(Evidence).where(
                Evidence.id == evidence.id, Evidence.kek_id == before,
                Evidence.dek_wrapped.is_not(None)).values(
                kek_id=wrapped.kek_id, dek_wrapped=wrapped.blob)
                .execution_options(synchronize_session=False)).rowcount
            db.expire(evidence)
            if changed:
                record_custody(db, evidence, None, CustodyAction.REWRAP,
                               details={"from": before, "to": wrapped.kek_id})
        audit.record(db, None, "keys.rewrap", details={"items": len(rows), "to": primary})
        db.commit()
        done += len(rows)
        if progress:
            progress(done)


def max_bytes() -> int:
    """The largest evidence file accepted: upload pages and the API set their request limit
    from it (other features' pages ask here, not evidence.runtime)."""
    return runtime.max_bytes()


def kek_usage(db: Session) -> dict[str, int]:
    """How many stored data keys each KEK wraps (items, derivatives, import uploads)."""
    return kek.kek_usage(db)


def cleanup_orphans(db: Session, older_than_seconds: int = 3600) -> list[str]:
    """Delete stored objects that no evidence or derivative row names (a crash or a killed
    job between the storage write and the database commit); young objects may belong to
    an upload or a job in progress."""
    duplicates.purge_expired(db)
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    store = runtime.storage()
    removed = []
    # Parts of writers that were killed; a slow 5 GiB upload may take hours, so wait a day.
    unfinished = store.sweep_unfinished(min(cutoff, utcnow() - timedelta(hours=24)))
    for prefix, column in (("ev/", Evidence.storage_key),
                           ("dv/", EvidenceDerivative.storage_key)):
        for key, modified in store.keys(prefix):
            if modified > cutoff:
                continue
            if (db.scalar(select(column).where(column == key)) is None
                    and db.scalar(select(HeldUpload.id).where(HeldUpload.storage_key == key))
                    is None
                    # Right holders' files are sealed into the same store (under ev/).
                    and db.scalar(select(HolderFile.id).where(HolderFile.storage_key == key))
                    is None):
                store.delete(key)
                removed.append(key)
    if removed or unfinished:
        audit.record(db, None, "evidence.orphans_removed",
                     details={"objects": len(removed), "unfinished_uploads": unfinished})
    return removed


def record_handling(db: Session, actor: Officer, public_id: str, action: str,
                    reason: str) -> CustodyEvent:
    """A transfer or disposal of the item (or its physical original), as it happened."""
    evidence = get_evidence(db, actor, public_id)
    if not policy.can_add_evidence(actor, evidence.case):
        raise Forbidden(gettext("You may not record custody changes for this evidence."))
    f = Fields({"action": action, "reason": reason})
    chosen = f.choice("action", CustodyAction, required=True)
    text = f.text("reason", required=True, max_len=2000)
    if chosen is not None and chosen not in (CustodyAction.TRANSFER, CustodyAction.DISPOSAL):
        f.error("action", gettext("must be transfer or disposal"))
    f.done()
    event = record_custody(db, evidence, actor, chosen, reason=text)
    timeline.record(db, actor, evidence.case, "evidence_custody",
                    message(CUSTODY_TEXTS[chosen], name=evidence.original_name, reason=text),
                    obj=evidence)
    return event
