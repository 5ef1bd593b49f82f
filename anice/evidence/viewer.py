"""The evidence viewer: an image shown whole, a PDF page by page as images rendered here.

Rendering the viewer page reads no content and records nothing; each preview it then
fetches (the image, one PDF page) is a custody ``view`` event. A PDF is decrypted into
memory and handed to poppler (``pdfinfo``, ``pdftoppm``) over pipes: no plaintext, page
image or temporary file touches the disk. Poppler is what renders the thumbnails already
(installed by ``make test-deps``); no PDF library runs inside the app process.
"""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy.orm import Session

from ..crypto.stream import DecryptionError
from ..errors import Invalid, NotFound
from ..models import CustodyAction, Evidence, EvidenceStatus, Officer
from . import media, service
from .derived import MAX_SOURCE_BYTES, PDF, PNG_SIGNATURE, run_poppler

log = logging.getLogger(__name__)

PAGE_PIXELS = 1600  # the longer side of a rendered page: readable, zoomable to detail
MAX_PAGE = 100_000
_PAGES = re.compile(rb"^Pages:\s+(\d+)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Viewing:
    """What the viewer page shows of an item: ``kind`` is image, pdf or other."""

    evidence: Evidence
    kind: str
    page: int = 1
    pages: int | None = None
    note: str | None = None


def viewing(db: Session, actor: Officer, public_id: str, page: int = 1) -> Viewing:
    """The viewer of an item the actor may read (its case, or shared by a referral).

    For a PDF, the page count is read here (by ``pdfinfo``); nothing is served, so no
    custody event."""
    evidence, _ = service.get_readable(db, actor, public_id)
    if evidence.status == EvidenceStatus.SHREDDED or evidence.dek_wrapped is None:
        return Viewing(evidence, "other", note=gettext(
            "The content was destroyed (crypto-shredded)."))
    if evidence.last_verify_ok is False:
        return Viewing(evidence, "other", note=gettext(
            "The item failed its integrity check: it is not shown until it verifies again."))
    if evidence.media_type in media.INLINE:
        return Viewing(evidence, "image")
    if evidence.media_type != PDF or not shutil.which("pdftoppm"):
        return Viewing(evidence, "other")
    if evidence.size > MAX_SOURCE_BYTES:
        return Viewing(evidence, "other", note=gettext(
            "PDFs over %(size)s MiB are not rendered here: download it.",
            size=MAX_SOURCE_BYTES // 2**20))
    pages = _page_count(_content(service.plaintext(evidence, flag_failure=True), evidence))
    if pages is None:
        return Viewing(evidence, "other", note=gettext(
            "This PDF cannot be rendered: download it."))
    return Viewing(evidence, "pdf", page=min(max(page, 1), pages), pages=pages)


def image_preview(db: Session, actor: Officer, public_id: str) -> tuple[Evidence,
                                                                          Iterator[bytes]]:
    """The decrypted image, for the viewer's <img>: a custody ``view`` (preview image)."""
    evidence, _ = service.get_readable(db, actor, public_id)
    if evidence.media_type not in media.INLINE:
        raise NotFound(gettext("No image preview for this evidence."))
    return service.read(db, actor, public_id, CustodyAction.VIEW,
                        details={"preview": "image"})


def pdf_page(db: Session, actor: Officer, public_id: str, page: int) -> bytes:
    """One page of a PDF item as a PNG (in memory): a custody ``view`` naming the page."""
    evidence, _ = service.get_readable(db, actor, public_id)
    if evidence.media_type != PDF or not 1 <= page <= MAX_PAGE:
        raise NotFound(gettext("No such page."))
    if evidence.size > MAX_SOURCE_BYTES:
        raise Invalid("evidence", gettext("is too large to render here: download it"))
    evidence, stream = service.read(db, actor, public_id, CustodyAction.VIEW,
                                    details={"preview": "pdf page", "page": page})
    png = _render_page(_content(stream, evidence), page)
    if png is None:
        raise NotFound(gettext("Page %(page)s of this PDF cannot be rendered.", page=page))
    return png


def _content(stream: Iterator[bytes], evidence: Evidence) -> bytes:
    content = bytearray()
    try:
        with closing(stream):
            for chunk in stream:
                content += chunk
                if len(content) > MAX_SOURCE_BYTES:
                    raise Invalid("evidence", gettext("is larger than its recorded size"))
    except DecryptionError:
        raise Invalid("evidence", gettext("its stored object does not decrypt: run "
                                          "`flask --app wsgi evidence verify`")) from None
    return bytes(content)


def _page_count(content: bytes) -> int | None:
    out = _poppler(["pdfinfo", "-"], content)
    found = _PAGES.search(out or b"")
    return int(found.group(1)) if found and int(found.group(1)) > 0 else None


def _render_page(content: bytes, page: int) -> bytes | None:
    out = _poppler(["pdftoppm", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    "-scale-to", str(PAGE_PIXELS), "-"], content)
    return out if out and out.startswith(PNG_SIGNATURE) else None


def _poppler(args: list[str], content: bytes) -> bytes | None:
    """A poppler tool's stdout for ``content`` (``derived.run_poppler``: bounded in memory
    and time), or None when it fails (logged, never the content)."""
    out, problem = run_poppler(args, content)
    if problem is not None:
        log.info("poppler tool gave nothing", extra={"tool": args[0], "reason": problem})
        return None
    return out
