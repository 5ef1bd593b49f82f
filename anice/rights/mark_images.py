"""Images of figurative and combined marks: read from the import files (embedded base64 or
a file next to the XML in a ZIP), re-encoded to PNG with a thumbnail, kept in the evidence
storage under ``marks/`` (``service.open_image`` serves them to officers).

They are public registry data, so they are stored unsealed; the objects are named by the
SHA-256 of the file as published, so a re-import writes nothing new and the same image of
two rights is stored once. Every image is decoded and re-encoded (metadata dropped), so a
file that is not an image, or one that decodes to too many pixels, never reaches a page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import re
import warnings
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from flask_babel import format_decimal, gettext
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from .. import audit
from ..evidence import runtime
from ..models import RightImage, utcnow
from ..models.right_image import THUMB_EDGE

PREFIX = "marks/"
MAX_IMAGE_BYTES = 5 * 1024 * 1024  # one image as published (embedded or in the ZIP)
# Decoded size: above it Pillow's decompression-bomb check (Image.MAX_IMAGE_PIXELS) refuses.
MAX_PIXELS = 40_000_000
THUMB_SIZE = (THUMB_EDGE, THUMB_EDGE)
MAX_IMAGES = 20  # per right
SEEN_LIMIT = 100_000  # images an import remembers as already stored
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
           "TIFF": "image/tiff", "BMP": "image/bmp", "WEBP": "image/webp"}
# 26.04.03, also written 260403 or 26.4.3 by some offices; "26.04" (two levels) is kept too.
VIENNA = re.compile(r"^\s*(\d{1,2})\s*\.?\s*(\d{1,2})(?:\s*\.?\s*(\d{1,2}))?\s*$")
VIENNA_PACKED = re.compile(r"^\s*(\d{2})(\d{2})(\d{2})?\s*$")
TABLE = RightImage.__table__


def _named(name: str, problem: Exception) -> str:
    """A problem of the image ``name``: "'logo.png' is a broken image file (...)"."""
    return gettext("%(name)s %(problem)s", name=repr(name[:80]), problem=problem)


class BadImage(Exception):
    """The bytes are not an image ANICE keeps (the message says why)."""


@dataclass
class ImageRef:
    """What a record says about one of its images: a file name (ST.66 MarkImageFilename,
    ST.96 com:FileName, the CSV's ``image``), a format, embedded bytes, Vienna codes."""

    line: int
    element: str
    name: str = ""
    fmt: str = ""
    data: bytes | None = None
    too_large: bool = False
    broken: str = ""  # why the embedded image could not be read (bad base64)
    vienna: list[tuple[int, str, str]] = field(default_factory=list)  # (line, element, code)


@dataclass(frozen=True)
class Prepared:
    """An image ready to be attached to a right: its objects are already stored."""

    filename: str
    media_type: str
    size: int
    sha256: str
    width: int
    height: int
    storage_key: str
    thumb_key: str
    vienna: str  # ";26.04.03;27.05.01;"

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.sha256, self.vienna, self.filename)


class ImageSource(Protocol):
    """Where referenced image files are found (the ZIP's members, the XML's folder)."""

    def find(self, name: str, fmt: str = "") -> tuple[str, bytes] | None:
        """(the name found, its bytes), None if absent; BadImage if too large."""


class Base64Sink:
    """Decodes an embedded image's base64 text as expat hands it over, up to a limit."""

    def __init__(self, limit: int | None = None) -> None:
        self.out = bytearray()
        self.pending = ""
        self.limit = limit or MAX_IMAGE_BYTES
        self.too_large = False
        self.broken = ""

    def feed(self, text: str) -> None:
        if self.too_large or self.broken:
            return
        text = self.pending + "".join(text.split())
        cut = len(text) - len(text) % 4
        self.pending = text[cut:]
        try:
            self.out += base64.b64decode(text[:cut], validate=True)
        except (binascii.Error, ValueError):
            self.broken = gettext("is not valid base64: the embedded image cannot be read")
        if len(self.out) > self.limit:
            self.too_large = True
            self.out = bytearray()

    def finish(self, ref: ImageRef) -> None:
        if self.pending and not self.too_large and not self.broken:
            self.broken = gettext("is not valid base64 (its length is not a multiple of 4)")
        ref.too_large, ref.broken = self.too_large, self.broken
        ref.data = bytes(self.out) if not (self.too_large or self.broken) else None


# --- the pure core --------------------------------------------------------------------

def vienna_code(text: str) -> str | None:
    """'26.04.03' as given, or from 260403 / 26.4.3; None if it is not a Vienna code."""
    found = VIENNA_PACKED.match(text) or VIENNA.match(text)
    if not found:
        return None
    parts = [int(p) for p in found.groups() if p is not None]
    if not 1 <= parts[0] <= 29:  # the Vienna Classification has 29 categories
        return None
    return ".".join(f"{p:02d}" for p in parts)


def normalise(data: bytes) -> tuple[bytes, bytes, int, int, str]:
    """(PNG, thumbnail PNG, width, height, media type found) of an image file; BadImage if
    it is not an image Pillow reads, is too large when decoded, or is broken."""
    try:
        with warnings.catch_warnings():
            # Above MAX_IMAGE_PIXELS Pillow only warns; a bomb is refused, never decoded.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as source:
                if source.format not in FORMATS:
                    raise BadImage(gettext("is a %(format)s file, not a JPEG, PNG, GIF, "
                                           "TIFF, BMP or WebP image", format=source.format))
                width, height = source.size
                if width * height > MAX_PIXELS:
                    raise BadImage(gettext("decodes to %(width)s x %(height)s pixels, more "
                                           "than the limit of %(limit)s", width=width,
                                           height=height, limit=format_decimal(MAX_PIXELS)))
                media_type = FORMATS[source.format]
                source.seek(0)  # the first frame of an animation or a multi-page TIFF
                image = ImageOps.exif_transpose(source)  # a copy, loaded, turned upright
                width, height = image.size
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        if isinstance(exc, UnidentifiedImageError):
            raise BadImage(gettext("is not an image (not a JPEG, PNG, GIF, TIFF, BMP or WebP "
                                   "file)")) from None
        raise BadImage(gettext("decodes to too many pixels (more than %(limit)s): refused as "
                               "a decompression bomb",
                               limit=format_decimal(MAX_PIXELS))) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise BadImage(gettext("is a broken image file (%(reason)s)",
                               reason=str(exc)[:80])) from None
    mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info) else (
        "L" if image.mode in ("1", "L", "I;16", "I") else "RGB")
    clean = image.convert(mode)
    clean.info = {}  # no EXIF, ICC, text chunks: nothing of the source's metadata
    png = _png(clean)
    clean.thumbnail(THUMB_SIZE)
    return png, _png(clean), width, height, media_type


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def keys_of(sha256: str) -> tuple[str, str]:
    return (f"{PREFIX}{sha256[:2]}/{sha256}.png", f"{PREFIX}{sha256[:2]}/{sha256}-thumb.png")


# --- the import side ------------------------------------------------------------------

class MarkImages:
    """Prepares the images of each record during one import: decodes, re-encodes and
    stores them (once per SHA-256), reporting problems by line and element."""

    def __init__(self, source: ImageSource | None = None, store: Any = None) -> None:
        self.source = source
        self._store = store
        self._done: dict[str, tuple[int, int, str]] = {}  # sha256 -> width, height, type

    @property
    def store(self):
        if self._store is None:
            self._store = runtime.storage()
        return self._store

    def prepare(self, refs: list[ImageRef], problems: list, warned: list
                ) -> list[Prepared] | None:
        """The record's images, in order; None when one could not be found (the right's
        images are then left as they are). Problems and warnings are appended as
        (line, element, message)."""
        images: list[Prepared] = []
        complete = True
        for ref in refs[:MAX_IMAGES]:
            found = self._bytes(ref, problems, warned)
            if found is None:
                complete = False
                continue
            name, data = found
            try:
                images.append(self._keep(ref, name, data, warned))
            except BadImage as exc:
                problems.append((ref.line, ref.element, _named(name, exc)))
                complete = False
        if len(refs) > MAX_IMAGES:
            warned.append((refs[MAX_IMAGES].line, refs[MAX_IMAGES].element,
                           gettext("more than %(limit)s images: the first %(limit)s are kept",
                                   limit=MAX_IMAGES)))
        return images if complete else None

    def _bytes(self, ref: ImageRef, problems: list, warned: list
               ) -> tuple[str, bytes] | None:
        if ref.broken:
            problems.append((ref.line, ref.element, ref.broken))
            return None
        if ref.too_large:
            name = _embedded_name(ref)[:80]
            problems.append((ref.line, ref.element, gettext(
                "%(name)s is larger than the limit of %(limit)s bytes per image",
                name=repr(name), limit=format_decimal(MAX_IMAGE_BYTES))))
            return None
        if ref.data is not None:
            if not ref.data:
                problems.append((ref.line, ref.element, gettext("is empty: no image in it")))
                return None
            return _embedded_name(ref), ref.data
        if not ref.name:
            warned.append((ref.line, ref.element,
                           gettext("names no image file and embeds none")))
            return None
        if self.source is None:
            warned.append((ref.line, ref.element,
                           gettext("%(name)s is not in the upload (upload a ZIP holding the "
                                   "XML and its images): the right is imported without it",
                                   name=repr(ref.name[:80]))))
            return None
        try:
            found = self.source.find(ref.name, ref.fmt)
        except BadImage as exc:
            problems.append((ref.line, ref.element, _named(ref.name, exc)))
            return None
        if found is None:
            warned.append((ref.line, ref.element,
                           gettext("%(name)s is not in the upload: the right is imported "
                                   "without this image", name=repr(ref.name[:80]))))
        return found

    def _keep(self, ref: ImageRef, name: str, data: bytes, warned: list) -> Prepared:
        sha = hashlib.sha256(data).hexdigest()
        storage_key, thumb_key = keys_of(sha)
        known = self._done.get(sha)
        if known is None:
            png, thumb, width, height, media_type = normalise(data)
            for key, content in ((storage_key, png), (thumb_key, thumb)):
                if not self.store.exists(key):
                    _write(self.store, key, content)
            if len(self._done) >= SEEN_LIMIT:  # a registry of millions: memory stays bounded
                self._done.clear()
            known = self._done[sha] = (width, height, media_type)
        codes = []
        for line, element, text in ref.vienna:
            code = vienna_code(text)
            if code is None:
                warned.append((line, element, gettext(
                    "%(text)s is not a Vienna code such as 26.04.03: left out",
                    text=repr(text[:20]))))
            elif code not in codes:
                codes.append(code)
        vienna = f";{';'.join(codes)};" if codes else ""
        return Prepared(name[-255:], known[2], len(data), sha, known[0], known[1],
                        storage_key, thumb_key, vienna[:1000])


def _embedded_name(ref: ImageRef) -> str:
    if ref.name:
        return ref.name
    fmt = ref.fmt.strip().lstrip(".").lower()
    return f"{ref.element}.{fmt}" if fmt else ref.element


def _write(store, key: str, content: bytes) -> None:
    try:
        out = store.writer(key)
    except FileExistsError:  # written meanwhile by another import: the same content
        return
    try:
        out.write(content)
        out.commit()
    except BaseException:
        out.abort()
        raise


def sync(db: Session, right_ids: dict[Any, int], images: dict[Any, list[Prepared]]
         ) -> set[Any]:
    """Give each right (by import key) exactly ``images``; returns the keys whose images
    changed. The same images in the same order change nothing (compared by SHA-256,
    Vienna codes and file name); any difference replaces the right's images."""
    wanted = {right_ids[k]: (k, v) for k, v in images.items() if k in right_ids}
    if not wanted:
        return set()
    current: dict[int, list[tuple[str, str, str]]] = {}
    ids = list(wanted)
    for start in range(0, len(ids), 1000):
        query = (select(TABLE.c.right_id, TABLE.c.sha256, TABLE.c.vienna, TABLE.c.filename)
                 .where(TABLE.c.right_id.in_(ids[start:start + 1000]))
                 .order_by(TABLE.c.right_id, TABLE.c.position))
        for row in db.execute(query):
            current.setdefault(row.right_id, []).append((row.sha256, row.vienna,
                                                         row.filename))
    changed = [rid for rid, (_, new) in wanted.items()
               if [p.identity for p in new] != current.get(rid, [])]
    if not changed:
        return set()
    now = utcnow()
    for start in range(0, len(changed), 1000):
        db.execute(delete(TABLE).where(TABLE.c.right_id.in_(changed[start:start + 1000])))
    rows = [{"right_id": rid, "position": n, "vienna": p.vienna, "filename": p.filename,
             "media_type": p.media_type, "size": p.size, "sha256": p.sha256,
             "width": p.width, "height": p.height, "storage_key": p.storage_key,
             "thumb_key": p.thumb_key, "created_at": now}
            for rid in changed for n, p in enumerate(wanted[rid][1])]
    if rows:
        db.execute(insert(TABLE), rows)
    return {wanted[rid][0] for rid in changed}


def cleanup_unused(db: Session, older_than_seconds: int = 3600) -> int:
    """Delete stored mark images that no right uses any more (replaced by a re-import, or
    written by an import that was refused); young objects may belong to an import still
    running. Audited when something was removed; returns how many objects."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    store = runtime.storage()
    removed, batch = 0, []
    for key, modified in store.keys(PREFIX):
        if modified <= cutoff:
            batch.append(key)
        if len(batch) >= 1000:
            removed += _remove_unused(db, store, batch)
            batch = []
    removed += _remove_unused(db, store, batch)
    if removed:
        audit.record(db, None, "right.images.unused_removed", details={"objects": removed})
    return removed


def _remove_unused(db: Session, store, keys: list[str]) -> int:
    # marks/ab/<sha256>.png and marks/ab/<sha256>-thumb.png: the SHA-256 names the rows.
    shas = {key: key.rpartition("/")[2].partition(".")[0].removesuffix("-thumb")
            for key in keys}
    used = set(db.scalars(select(TABLE.c.sha256).where(TABLE.c.sha256.in_(set(shas.values())))))
    unused = [key for key, sha in shas.items() if sha not in used]
    for key in unused:
        store.delete(key)
    return len(unused)
