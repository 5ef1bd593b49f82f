"""Receiving an import upload on the web: CSRF checked first, then sealed while it streams.

The multipart body is parsed here (the view is exempt from the CSRF check that would
parse it first into a clear temporary file). The token is checked before one byte of the
file is kept: from the ``X-CSRFToken`` header before the body is read, or from the form's
``csrf_token`` field, which must come before the file (browsers send fields in page order).
A request without a valid token stores nothing.
"""

from __future__ import annotations

from flask import current_app, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import Epilogue, Field, File, MultipartDecoder, NeedData
from wtforms import ValidationError

from ..errors import Invalid
from ..evidence import runtime
from .sealed import SealedUpload

CHUNK = 1024 * 1024
FORM_BYTES = 64 * 1024


def _check_csrf(form: dict[str, str]) -> None:
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    token = request.headers.get("X-CSRFToken") or form.get("csrf_token", "")
    try:
        validate_csrf(token)
    except ValidationError as exc:
        raise CSRFError(str(exc)) from None


def _parse(stream, boundary: bytes, new_upload) -> dict[str, str]:
    """The form's fields; the file goes to ``new_upload(filename)`` once the token holds."""
    decoder = MultipartDecoder(boundary, max_form_memory_size=FORM_BYTES, max_parts=32)
    fields: dict[str, str] = {}
    part: Field | File | None = None
    text: list[bytes] = []
    upload: SealedUpload | None = None
    event = None
    while not isinstance(event, Epilogue):
        data = stream.read(CHUNK)
        decoder.receive_data(data or None)
        event = decoder.next_event()
        while not isinstance(event, Epilogue | NeedData):
            if isinstance(event, Field):
                part, text = event, []
            elif isinstance(event, File):
                if upload is not None or event.name != "file":
                    raise Invalid("file", gettext("send one file, in the field named file"))
                _check_csrf(fields)  # before anything of the file is stored
                part, upload = event, new_upload(event.filename or "")
            elif isinstance(part, Field):
                text.append(event.data)
                if sum(map(len, text)) > FORM_BYTES:
                    raise RequestEntityTooLarge()
                if not event.more_data:
                    fields[part.name] = b"".join(text).decode("utf-8", "replace")
            elif upload is not None:
                upload.write(event.data)
            event = decoder.next_event()
        if not data and not isinstance(event, Epilogue):
            raise ValueError("the body ended inside a part")
    return fields


def receive_upload(max_bytes: int) -> tuple[SealedUpload, dict[str, str]]:
    """The sealed, stored file of the request's ``file`` field and the other fields.
    Raises Invalid("file", ...) for no file, an empty one, one too large or cut off."""
    request.max_content_length = max_bytes + FORM_BYTES
    if request.headers.get("X-CSRFToken"):
        _check_csrf({})  # a script's token: checked before the body is read
    boundary = parse_options_header(request.headers.get("Content-Type", ""))[1].get(
        "boundary", "")
    if request.mimetype != "multipart/form-data" or not boundary:
        _check_csrf({})
        raise Invalid("file", gettext("choose a file to upload (sent as multipart/form-data)"))
    uploads: list[SealedUpload] = []

    def new_upload(filename: str) -> SealedUpload:
        upload = SealedUpload(runtime.storage(), runtime.keyring(), max_bytes, filename)
        uploads.append(upload)
        return upload

    try:
        form = _parse(request.stream, boundary.encode("latin-1"), new_upload)
        _check_csrf(form)  # a form without any file part
        upload = uploads[0] if uploads else None
        if upload is None or not upload.filename:
            raise Invalid("file", gettext("choose a file to upload"))
        upload.finish()
        if upload.size == 0:
            raise Invalid("file", gettext("is empty (0 bytes)"))
    except Exception as exc:  # noqa: BLE001 - whatever broke the upload, nothing may stay
        for upload in uploads:
            upload.discard()
        if isinstance(exc, RequestEntityTooLarge):
            raise Invalid("file", gettext("is larger than the limit of %(num)s bytes: split it "
                                          "into smaller files", num=f"{max_bytes:,}")) from None
        if isinstance(exc, ClientDisconnected | ValueError):
            raise Invalid("file", gettext("the upload was cut off before it ended; nothing "
                                          "was kept")) from None
        raise
    return upload, {k: v for k, v in form.items() if k != "csrf_token"}
