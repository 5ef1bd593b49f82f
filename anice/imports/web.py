"""Receiving an import upload on the web: sealed while it streams, CSRF checked after.

The multipart body is parsed here (the view is exempt from the CSRF check that would
parse it first into a clear temporary file); the form's token is then checked, and a
request without a valid one leaves nothing behind.
"""

from __future__ import annotations

import io

from flask import current_app, request
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from wtforms import ValidationError

from ..errors import Invalid
from .sealed import SealedUpload

CHUNK = 1024 * 1024
FORM_BYTES = 64 * 1024


class _LargeReads(io.RawIOBase):
    """Feed the multipart parser from 1 MiB reads of the body."""

    def __init__(self, raw) -> None:
        self.raw, self.buffer = raw, b""

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if not self.buffer:
            self.buffer = self.raw.read(CHUNK)
        if n is None or n < 0:
            n = len(self.buffer)
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data


def _check_csrf(form) -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    token = form.get("csrf_token") or request.headers.get("X-CSRFToken", "")
    try:
        validate_csrf(token)
    except ValidationError as exc:
        raise CSRFError(str(exc)) from None


def receive_upload(max_bytes: int) -> tuple[SealedUpload, dict[str, str]]:
    """The sealed, stored file of the request's ``file`` field and the other fields.
    Raises Invalid("file", ...) for no file, an empty one, one too large or cut off."""
    from ..evidence import runtime

    request.max_content_length = max_bytes + FORM_BYTES
    uploads: list[SealedUpload] = []

    def into_upload(total_content_length, content_type, filename, content_length=None):
        if uploads:
            raise Invalid("file", "send one file per upload")
        uploads.append(SealedUpload(runtime.storage(), runtime.keyring(), max_bytes,
                                    filename or ""))
        return uploads[0]

    parser = FormDataParser(stream_factory=into_upload, max_form_memory_size=FORM_BYTES,
                            max_content_length=max_bytes + FORM_BYTES)
    try:
        _, form, files = parser.parse(_LargeReads(request.stream), request.mimetype or "",
                                      request.content_length, request.mimetype_params)
        _check_csrf(form)
        upload = uploads[0] if uploads and files.get("file") else None
        if upload is None or not upload.filename:
            raise Invalid("file", "choose a file to upload")
        upload.finish()
        if upload.size == 0:
            raise Invalid("file", "is empty (0 bytes)")
    except Exception as exc:  # noqa: BLE001 - whatever broke the upload, nothing may stay
        for upload in uploads:
            upload.discard()
        if isinstance(exc, RequestEntityTooLarge):
            raise Invalid("file", f"is larger than the limit of {max_bytes:,} bytes: split "
                                  "it into smaller files") from None
        if isinstance(exc, ClientDisconnected | ValueError):
            raise Invalid("file", "the upload was cut off before it ended; nothing was "
                                  "kept") from None
        raise
    return upload, {k: v for k, v in form.items() if k != "csrf_token"}
