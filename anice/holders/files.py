"""Files a right holder keeps in ANICE: a guide's images, a recordation's documents (the
power of attorney...). Sealed like evidence, with the evidence intake and keyring: a
per-file data key wrapped by the KEK, only ciphertext in the evidence store, the SHA-256
and the media type (from the content) taken at intake. They are served only through the
app, to whoever may read the guide or recordation they belong to."""

from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit, policy
from ..crypto.stream import SEGMENT_SIZE
from ..errors import Invalid, NotFound
from ..evidence import media, runtime
from ..evidence import service as evidence_service
from ..evidence.intake import Intake
from ..models import Guide, HolderFile, Officer, Recordation, utcnow
from . import guides, material

IMAGES = {"image/jpeg", "image/png", "image/webp"}
DOCUMENTS = IMAGES | {"application/pdf"}
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def max_bytes() -> int:
    """The largest holder file accepted (HOLDER_FILE_MAX_BYTES, 20 MiB by default)."""
    return int(current_app.config.get("HOLDER_FILE_MAX_BYTES") or DEFAULT_MAX_BYTES)


def start_intake() -> Intake:
    """A sealing intake for one holder file (the caller checked the target first)."""
    return Intake(runtime.storage(), runtime.keyring(), max_bytes())


def _register(db: Session, actor: Officer, intake: Intake, name: str | None, caption,
              allowed: set[str], **target) -> HolderFile:
    """Finish the intake and record the file; on any problem nothing stays stored."""
    try:
        if intake.size == 0:
            raise Invalid("file", gettext("is empty"))
        clean = media.safe_name(name)
        detected, problem = media.check(clean, bytes(intake.head))
        if problem is None and detected not in allowed:
            content = media.describe(detected)
            problem = gettext("must be a JPEG, PNG or WebP image (the content is %(content)s)",
                              content=content) if allowed == IMAGES else \
                gettext("must be a PDF or a JPEG, PNG or WebP image (the content is "
                        "%(content)s)", content=content)
        if problem:
            raise Invalid("file", problem)
        caption = (caption or "").strip()
        if len(caption) > 300:
            raise Invalid("caption", gettext("must be at most %(max)s characters (got %(got)s)",
                                             max=300, got=len(caption)))
        key = HolderFile.guide_id if "guide_id" in target else HolderFile.recordation_id
        position = db.scalar(select(func.coalesce(func.max(HolderFile.position), 0))
                             .where(key == next(iter(target.values())))) + 1
        intake.finish()
        item = HolderFile(
            public_id=intake.public_id, org_id=actor.holder_org_id, position=position,
            caption=caption, original_name=clean, media_type=detected, size=intake.size,
            sha256=intake.sha256.hexdigest(), storage_backend=intake.storage.name,
            storage_key=intake.storage_key, dek_id=intake.dek_id,
            dek_wrapped=intake.wrapped.blob, kek_id=intake.wrapped.kek_id,
            segment_size=SEGMENT_SIZE, uploaded_by_id=actor.id, **target)
        db.add(item)
        db.flush()
        audit.record(db, actor, "holder.file.add", item,
                     country_code=actor.holder_org.country_code,
                     details={"org": item.org_id, "file": item.public_id, **target,
                              "name": clean, "media_type": detected, "size": item.size,
                              "sha256": item.sha256})
        return item
    except BaseException:
        intake.discard()
        raise


def add_guide_image(db: Session, actor: Officer, guide_id: int, intake: Intake,
                    name: str | None, caption: str | None = None) -> HolderFile:
    """An image of a guide (JPEG, PNG or WebP, checked from its content)."""
    try:
        guide = guides.editable_guide(db, actor, guide_id)
    except NotFound:
        intake.discard()
        raise
    return _register(db, actor, intake, name, caption, IMAGES, guide_id=guide.id)


def add_recordation_document(db: Session, actor: Officer, recordation_id: int,
                             intake: Intake, name: str | None,
                             caption: str | None = None) -> HolderFile:
    """A document of a recordation (the power of attorney, the decision): PDF or image."""
    try:
        found = material.editable_recordation(db, actor, recordation_id)
    except NotFound:
        intake.discard()
        raise
    return _register(db, actor, intake, name, caption, DOCUMENTS, recordation_id=found.id)


def _owner(db: Session, actor: Officer, item: HolderFile) -> Guide | Recordation:
    """The guide or recordation the file belongs to, if the actor may read it."""
    if item.guide_id is not None:
        return guides.get_guide(db, actor, item.guide_id)
    return material.get_recordation(db, actor, item.recordation_id)


def get_file(db: Session, actor: Officer, public_id: str) -> HolderFile:
    """A file the actor may read (its guide or recordation), else NotFound."""
    item = db.scalar(select(HolderFile).where(HolderFile.public_id == str(public_id)[:64],
                                              HolderFile.removed_at.is_(None)))
    if item is None or not policy.can_view_holder_material(actor, item.org_id):
        raise NotFound(gettext("No such file."))
    _owner(db, actor, item)
    return item


def read_file(db: Session, actor: Officer, public_id: str) -> tuple[HolderFile, Iterator[bytes]]:
    """The file and its decrypted content, streamed from the evidence store."""
    item = get_file(db, actor, public_id)
    return item, evidence_service.open_sealed(item, "file")


def remove_file(db: Session, actor: Officer, public_id: str) -> HolderFile:
    """Take a file off its guide or recordation: its data key is destroyed and the stored
    object deleted (crypto-shredding); the row stays for the record."""
    item = get_file(db, actor, public_id)
    owner = _owner(db, actor, item)
    if not policy.can_edit_holder_material(actor, item.org_id) or owner.withdrawn_at:
        raise NotFound(gettext("No such file."))
    item.removed_at, item.dek_wrapped = utcnow(), None
    audit.record(db, actor, "holder.file.remove", item,
                 country_code=actor.holder_org.country_code,
                 details={"org": item.org_id, "file": item.public_id,
                          "guide_id": item.guide_id, "recordation_id": item.recordation_id})
    db.flush()
    runtime.storage().delete(item.storage_key)
    return item


def images_inline(item: HolderFile) -> bool:
    """Shown in the page (images) or only downloaded (PDF)."""
    return item.media_type in IMAGES
