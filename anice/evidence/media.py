"""Media types from content (never from the name), and safe file names."""

from __future__ import annotations

import os
import unicodedata

import filetype
from flask_babel import gettext

SNIFF_BYTES = 8192

# What ANICE accepts as evidence, by detected type.
ALLOWED = {
    "image/jpeg", "image/png", "image/gif", "image/webp", "image/tiff", "image/heic",
    "image/bmp", "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation", "application/msword",
    "application/vnd.ms-excel", "application/x-ole-storage",
    "application/zip", "application/x-7z-compressed", "application/x-rar-compressed",
    "application/gzip", "application/x-tar",
    "video/mp4", "video/quicktime", "video/x-msvideo", "video/x-matroska", "video/webm",
    "video/3gpp", "audio/mpeg", "audio/x-wav", "audio/mp4", "audio/ogg",
    "text/plain", "text/html", "text/csv", "message/rfc822", "application/warc",
}
# A name's extension must agree with the content it carries.
EXPECTED_BY_EXTENSION = {
    ".jpg": {"image/jpeg"}, ".jpeg": {"image/jpeg"}, ".png": {"image/png"},
    ".gif": {"image/gif"}, ".webp": {"image/webp"}, ".tif": {"image/tiff"},
    ".tiff": {"image/tiff"}, ".heic": {"image/heic"}, ".pdf": {"application/pdf"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
              "application/zip"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
              "application/zip"},
    ".pptx": {"application/vnd.openxmlformats-officedocument.presentationml.presentation",
              "application/zip"},
    ".zip": {"application/zip"}, ".7z": {"application/x-7z-compressed"},
    ".rar": {"application/x-rar-compressed"}, ".gz": {"application/gzip"},
    ".mp4": {"video/mp4"}, ".mov": {"video/quicktime"}, ".avi": {"video/x-msvideo"},
    ".mkv": {"video/x-matroska"}, ".webm": {"video/webm"}, ".mp3": {"audio/mpeg"},
    ".wav": {"audio/x-wav"}, ".txt": {"text/plain"}, ".csv": {"text/csv", "text/plain"},
    ".html": {"text/html"}, ".htm": {"text/html"}, ".mht": {"message/rfc822"},
    ".mhtml": {"message/rfc822"}, ".eml": {"message/rfc822"},
}
LABELS = {"application/pdf": "a PDF document", "image/jpeg": "a JPEG image",
          "image/png": "a PNG image", "text/plain": "plain text", "text/html": "an HTML page"}
# Shown in the page (images only: a PDF or HTML is always downloaded, never rendered).
INLINE = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def detect(head: bytes) -> str | None:
    """The media type of content starting with ``head``, or None when unknown."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    text = _as_text(head)
    if text is None:
        return None
    lowered = text.lstrip().lower()
    if lowered.startswith(("<!doctype html", "<html")):
        return "text/html"
    if lowered.startswith("mime-version:") or "\nmime-version:" in lowered[:2000]:
        return "message/rfc822"
    if lowered.startswith("warc/"):
        return "application/warc"
    return "text/plain"


def _as_text(head: bytes) -> str | None:
    sample = head[:SNIFF_BYTES]
    if b"\x00" in sample:
        return None
    for cut in range(4):  # the sample may end inside a multi-byte character
        try:
            return sample[: len(sample) - cut].decode("utf-8")
        except UnicodeDecodeError:
            continue
    return None


def describe(media_type: str) -> str:
    return LABELS.get(media_type, media_type)


def check(name: str, head: bytes) -> tuple[str | None, str | None]:
    """(media type, problem): the problem says why the file is refused, if it is."""
    detected = detect(head)
    if detected is None or detected not in ALLOWED:
        return detected, gettext("its content is not a supported evidence type (%(type)s)",
                                 type=detected or gettext("unrecognised binary data"))
    ext = os.path.splitext(name)[1].lower()
    expected = EXPECTED_BY_EXTENSION.get(ext)
    if expected is not None and detected not in expected:
        return detected, gettext("the content is %(type)s, not what the name '%(name)s' says "
                                 "(%(ext)s)", type=describe(detected), name=name, ext=ext)
    return detected, None


def safe_name(raw: str | None) -> str:
    """The file's own name without any path, control characters or reserved names."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(name.encode()) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[:100] + ext[:20]
    return name or "evidence"
