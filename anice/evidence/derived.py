"""Derived data of an evidence item: a thumbnail and EXIF facts, sealed like the original.

Only types detected from the content at intake are derived (never the name): images are
decoded by Pillow, restricted to the detected format and a pixel budget; a PDF's first page
is rendered by ``pdftoppm`` over pipes. Plaintext stays in memory, never on disk. Each
derived object has its own DEK, and its header and DEK AAD name ``<public id>:<kind>``, so
it cannot stand in for the original or for another kind.
"""

from __future__ import annotations

import io
import json
import logging
import math
import resource
import secrets
import shutil
import subprocess
from contextlib import closing
from datetime import datetime

from flask_babel import gettext
from PIL import ExifTags, Image, ImageOps
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..crypto.keys import WrappedKey, dek_aad, new_dek
from ..crypto.stream import DecryptionError, Header, open_stream, seal_stream
from ..errors import NotFound
from ..models import (
    CustodyAction,
    DerivativeKind,
    Evidence,
    EvidenceDerivative,
    EvidenceStatus,
    Officer,
)
from ..models.evidence_derived import MEDIA_TYPES, sealed_id
from . import runtime, service

log = logging.getLogger(__name__)

MAX_SOURCE_BYTES = 50 * 1024 * 1024
THUMBNAIL_BOX = (320, 320)
# About 50 megapixels (a 8660x5770 photo); a larger image gets no thumbnail.
MAX_PIXELS = 50_000_000
# Process-wide, but ANICE decodes images nowhere else: Pillow refuses twice this at open.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF",
               "image/webp": "WEBP", "image/tiff": "TIFF"}
PDF = "application/pdf"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PDFTOPPM_SECONDS = 30
PDFTOPPM_MEMORY = 512 * 1024 * 1024
PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}


def kinds_for(media_type: str) -> tuple[DerivativeKind, ...]:
    """What can be derived from content of this (content-detected) type."""
    if media_type in PIL_FORMATS:
        return (DerivativeKind.THUMBNAIL, DerivativeKind.EXIF)
    if media_type == PDF and shutil.which("pdftoppm"):
        return (DerivativeKind.THUMBNAIL,)
    return ()


def make_derivatives(db: Session, evidence: Evidence) -> list[DerivativeKind]:
    """Make the item's missing thumbnail and EXIF facts; returns the kinds made.

    Content that is too large, undecodable or a decompression bomb gets none: the reason
    is logged, never the content. The system's read is no custody event (the derivative
    rows record it); serving a thumbnail is. Flushes; the caller commits.
    """
    if evidence.status == EvidenceStatus.SHREDDED or evidence.dek_wrapped is None:
        return []
    have = set(db.scalars(select(EvidenceDerivative.kind)
                          .where(EvidenceDerivative.evidence_id == evidence.id)))
    missing = [k for k in kinds_for(evidence.media_type) if k not in have]
    if not missing:
        return []
    if evidence.size > MAX_SOURCE_BYTES:
        _skip(evidence, f"larger than {MAX_SOURCE_BYTES:,} bytes", logging.INFO)
        return []
    content = _read_content(evidence)
    if content is None:
        return []
    if evidence.media_type == PDF:
        outputs = {DerivativeKind.THUMBNAIL: _pdf_thumbnail(evidence, content)}
    else:
        outputs = _from_image(evidence, content, PIL_FORMATS[evidence.media_type])
    made = [kind for kind in missing if outputs.get(kind)]
    if made and not _hold_unshredded(db, evidence):
        _skip(evidence, "shredded while its derivatives were made", logging.INFO)
        return []
    for kind in made:
        _store(db, evidence, kind, outputs[kind])
    # No custody event: nothing leaves the system, and intake is recorded once, as intake.
    # The derivative rows say what was made from the content, and when.
    db.flush()
    return made


def _hold_unshredded(db: Session, evidence: Evidence) -> bool:
    """Lock the item until the caller commits and say whether it still has its key.

    A shred may land while the content is read and decoded (seconds): only a check under
    the lock that ``service.shred`` also takes keeps a derivative from outliving it. The
    conditional UPDATE holds the row lock on PostgreSQL (re-evaluated against a concurrent
    shred's commit) and the database's write lock on SQLite.
    """
    held = db.execute(
        update(Evidence).where(Evidence.id == evidence.id,
                               Evidence.status == EvidenceStatus.ACTIVE,
                               Evidence.dek_wrapped.is_not(None))
        .values(status=EvidenceStatus.ACTIVE)
        .execution_options(synchronize_session=False)).rowcount
    return held == 1


def _skip(evidence: Evidence, reason: str, level: int = logging.WARNING) -> None:
    """Why nothing was derived; never any of the content."""
    log.log(level, "no derivative", extra={"evidence": evidence.public_id,
                                           "media_type": evidence.media_type, "reason": reason})


def _read_content(evidence: Evidence) -> bytes | None:
    """The whole plaintext, in memory (the caller has checked the size)."""
    content = bytearray()
    try:
        with closing(service.plaintext(evidence)) as stream:
            for chunk in stream:
                content += chunk
                if len(content) > MAX_SOURCE_BYTES:
                    _skip(evidence, "larger than its recorded size")
                    return None
    except (DecryptionError, FileNotFoundError) as exc:
        log.error("evidence unreadable for derivatives",
                  extra={"evidence": evidence.public_id, "error": type(exc).__name__})
        return None
    return bytes(content)


def _from_image(evidence: Evidence, content: bytes, pil_format: str) -> dict:
    """Thumbnail PNG and EXIF JSON of an image, decoded only as its detected format."""
    try:
        image = Image.open(io.BytesIO(content), formats=[pil_format])
    except Image.DecompressionBombError:
        _skip(evidence, "decompression bomb (declared size too large)")
        return {}
    except Exception as exc:  # noqa: BLE001 - any parser failure means: nothing derived
        _skip(evidence, f"undecodable ({type(exc).__name__})")
        return {}
    with image:
        outputs = {DerivativeKind.EXIF: _guarded(evidence, _exif_json, image)}
        if image.width * image.height > MAX_PIXELS:
            _skip(evidence, f"more than {MAX_PIXELS:,} pixels", logging.INFO)
        else:
            outputs[DerivativeKind.THUMBNAIL] = _guarded(evidence, _thumbnail_png, image)
    return outputs


def _guarded(evidence: Evidence, step, image: Image.Image) -> bytes | None:
    try:
        return step(image)
    except Exception as exc:  # noqa: BLE001 - includes DecompressionBombError on load
        _skip(evidence, f"{step.__name__.strip('_')} failed ({type(exc).__name__})")
        return None


def _thumbnail_png(image: Image.Image) -> bytes:
    image.thumbnail(THUMBNAIL_BOX)  # JPEGs decode at a reduced scale (draft mode)
    small = ImageOps.exif_transpose(image)
    if small.mode not in PNG_MODES:
        small = small.convert("RGBA" if "A" in small.mode else "RGB")
    out = io.BytesIO()
    small.save(out, format="PNG")  # no metadata is carried over
    return out.getvalue()


def _exif_json(image: Image.Image) -> bytes | None:
    """Camera make and model, DateTimeOriginal, GPS position in decimal degrees."""
    exif = image.getexif()
    if not exif:
        return None
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    facts = {"make": _text(exif.get(ExifTags.Base.Make)),
             "model": _text(exif.get(ExifTags.Base.Model)),
             "taken_at": _taken_at(sub.get(ExifTags.Base.DateTimeOriginal),
                                   sub.get(ExifTags.Base.OffsetTimeOriginal)),
             "gps": _gps(exif.get_ifd(ExifTags.IFD.GPSInfo))}
    facts = {k: v for k, v in facts.items() if v is not None}
    return json.dumps(facts, sort_keys=True).encode() if facts else None


def _text(value, limit: int = 100) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return None
    value = "".join(ch for ch in value if ch.isprintable()).strip()
    return value[:limit] or None


def _taken_at(value, offset) -> str | None:
    """ISO 8601 of the camera's clock; with its UTC offset only when the file gives one."""
    text = _text(value, 40)
    try:
        moment = datetime.strptime(text or "", "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = _text(offset, 6)
    try:
        return datetime.fromisoformat(moment.isoformat() + (offset or "")).isoformat()
    except ValueError:
        return moment.isoformat()


def _gps(ifd) -> dict | None:
    lat = _degrees(ifd.get(ExifTags.GPS.GPSLatitude), ifd.get(ExifTags.GPS.GPSLatitudeRef),
                   "S", 90)
    lon = _degrees(ifd.get(ExifTags.GPS.GPSLongitude), ifd.get(ExifTags.GPS.GPSLongitudeRef),
                   "W", 180)
    return {"lat": lat, "lon": lon} if lat is not None and lon is not None else None


def _degrees(dms, ref, negative: str, bound: float) -> float | None:
    try:
        d, m, s = (float(part) for part in dms)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    value = d + m / 60 + s / 3600
    if not math.isfinite(value) or not 0 <= value <= bound:
        return None
    return round(-value if _text(ref, 1) == negative else value, 6)


def _pdf_thumbnail(evidence: Evidence, content: bytes) -> bytes | None:
    """The first page by pdftoppm, PDF on stdin and PNG on stdout; bounded and timed."""
    out, problem = run_poppler(["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile",
                                "-scale-to", str(max(THUMBNAIL_BOX)), "-"], content)
    if problem is None and not out.startswith(PNG_SIGNATURE):
        problem = "pdftoppm gave no PNG"
    if problem is not None:
        _skip(evidence, problem, logging.INFO if "not installed" in problem else logging.WARNING)
        return None
    # Re-encoded by Pillow: what is stored is a plain PNG within the thumbnail box.
    return _from_image(evidence, out, "PNG").get(DerivativeKind.THUMBNAIL)


def run_poppler(args: list[str], content: bytes) -> tuple[bytes, str | None]:
    """Run a poppler tool (``args[0]``) on ``content`` through stdin, limited in memory, CPU
    and time (``limit_renderer``): its stdout, and None or what went wrong (never the
    content). Shared by the thumbnail and the viewer's pages."""
    tool = args[0]
    exe = shutil.which(tool)
    if exe is None:
        return b"", f"{tool} is not installed (poppler-utils)"
    try:
        proc = subprocess.Popen([exe, *args[1:]], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError as exc:
        return b"", f"{tool} did not start ({type(exc).__name__})"
    limit_renderer(proc.pid)
    try:
        out, _ = proc.communicate(content, timeout=PDFTOPPM_SECONDS)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return b"", f"{tool} took longer than {PDFTOPPM_SECONDS} s"
    if proc.returncode != 0:
        return b"", f"{tool} failed (exit {proc.returncode})"
    return out, None


def limit_renderer(pid: int) -> None:
    """Memory and CPU limits for the renderer, set before it has read a byte."""
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (PDFTOPPM_MEMORY, PDFTOPPM_MEMORY))
        resource.prlimit(pid, resource.RLIMIT_CPU, (PDFTOPPM_SECONDS, PDFTOPPM_SECONDS))
    except (ImportError, AttributeError, OSError):  # not Linux: the timeout still holds
        pass


def _store(db: Session, evidence: Evidence, kind: DerivativeKind,
           data: bytes) -> EvidenceDerivative:
    """Seal ``data`` under a fresh DEK into storage, then record it (flushed)."""
    ring, store = runtime.keyring(), runtime.storage()
    ident = sealed_id(evidence.public_id, kind)
    dek_id, dek = new_dek()
    wrapped = ring.wrap(dek, dek_aad(ident, dek_id))
    # Outside ev/, so the orphan cleanup of originals never takes a derived object.
    key = f"dv/{evidence.public_id[:2]}/{evidence.public_id}.{kind.value}.{secrets.token_hex(4)}"
    out = store.writer(key)
    try:
        seal_stream(io.BytesIO(data), out.write, dek, Header.new(ident, dek_id))
        out.commit()
    except BaseException:
        out.abort()
        raise
    row = EvidenceDerivative(evidence_id=evidence.id, kind=kind, media_type=MEDIA_TYPES[kind],
                             storage_key=key, dek_id=dek_id, dek_wrapped=wrapped.blob,
                             kek_id=wrapped.kek_id, size=len(data))
    try:
        db.add(row)
        db.flush()
    except BaseException:
        store.delete(key)
        raise
    return row


def _open(row: EvidenceDerivative) -> bytes:
    """The derived object's plaintext (small: a thumbnail or a JSON document)."""
    dek = runtime.keyring().unwrap(WrappedKey(row.kek_id, row.dek_wrapped),
                                   dek_aad(row.sealed_id, row.dek_id))
    source = runtime.storage().open(row.storage_key)
    try:
        return b"".join(open_stream(source, dek, row.sealed_id, row.dek_id))
    finally:
        source.close()


def _derivative(db: Session, evidence: Evidence,
                kind: DerivativeKind) -> EvidenceDerivative | None:
    if evidence.status == EvidenceStatus.SHREDDED:
        return None
    return db.scalar(select(EvidenceDerivative).where(
        EvidenceDerivative.evidence_id == evidence.id, EvidenceDerivative.kind == kind))


def thumbnail(db: Session, actor: Officer, public_id: str) -> bytes:
    """The item's thumbnail PNG, for an officer who may see the item; a custody ``view``."""
    evidence = service.get_evidence(db, actor, public_id)
    row = _derivative(db, evidence, DerivativeKind.THUMBNAIL)
    if row is None:
        raise NotFound(gettext("No thumbnail for this evidence."))
    data = _open(row)
    service.record_custody(db, evidence, actor, CustodyAction.VIEW,
                           details={"derivative": DerivativeKind.THUMBNAIL.value})
    return data


def summary(db: Session, evidence: Evidence) -> dict:
    """For the evidence page (already access-checked): is there a thumbnail, EXIF facts."""
    exif_row = _derivative(db, evidence, DerivativeKind.EXIF)
    exif = None
    if exif_row is not None:
        try:
            exif = json.loads(_open(exif_row))
        except (DecryptionError, FileNotFoundError, ValueError) as exc:
            log.error("EXIF facts unreadable", extra={"evidence": evidence.public_id,
                                                      "error": type(exc).__name__})
    has_thumbnail = _derivative(db, evidence, DerivativeKind.THUMBNAIL) is not None
    return {"thumbnail": has_thumbnail, "exif": exif}


def shred_derivatives(db: Session, evidence: Evidence) -> int:
    """Delete the item's derived objects and rows (they are copies of its content)."""
    rows = list(db.scalars(select(EvidenceDerivative)
                           .where(EvidenceDerivative.evidence_id == evidence.id)))
    db.execute(delete(EvidenceDerivative).where(EvidenceDerivative.evidence_id == evidence.id))
    db.flush()
    for row in rows:
        runtime.storage().delete(row.storage_key)
    return len(rows)


def rewrap_derivatives(db: Session, batch: int = 200, progress=None, offset: int = 0) -> int:
    """Re-wrap every derived DEK not under the primary KEK, as ``service.rewrap`` does for
    originals: batch by batch, each committed, resumable. ``progress(offset + done)``."""
    ring = runtime.keyring()
    primary = ring.primary_id()
    done = 0
    while True:
        rows = list(db.scalars(select(EvidenceDerivative)
                               .where(EvidenceDerivative.kek_id != primary)
                               .order_by(EvidenceDerivative.id).limit(batch)))
        if not rows:
            return done
        for row in rows:
            aad = dek_aad(row.sealed_id, row.dek_id)
            wrapped = ring.wrap(ring.unwrap(WrappedKey(row.kek_id, row.dek_wrapped), aad), aad)
            before = row.kek_id
            row.kek_id, row.dek_wrapped = wrapped.kek_id, wrapped.blob
            service.record_custody(db, row.evidence, None, CustodyAction.REWRAP,
                                   details={"derivative": row.kind.value, "from": before,
                                            "to": wrapped.kek_id})
        audit.record(db, None, "keys.rewrap", details={"derivatives": len(rows), "to": primary})
        db.commit()
        done += len(rows)
        if progress:
            progress(offset + done)


def derivative_kek_usage(db: Session) -> dict[str, int]:
    """How many derived DEKs each KEK wraps (to add to ``service.kek_usage``)."""
    rows = db.execute(select(EvidenceDerivative.kek_id, func.count())
                      .group_by(EvidenceDerivative.kek_id)).all()
    return {k: n for k, n in rows if k}
