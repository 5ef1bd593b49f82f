"""Evidence over HTTP, shared by the web pages, the API and referral replies: the streaming
multipart upload (CSRF checked before the body is read), downloads with ``Repr-Digest``."""

from __future__ import annotations

import base64
import io
from urllib.parse import quote

from flask import Response, current_app, request, stream_with_context
from flask_babel import gettext
from flask_wtf.csrf import CSRFError, validate_csrf
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser
from wtforms import ValidationError

from .. import db
from ..errors import Invalid
from ..models import Officer
from . import runtime, service

# Read the body in large pieces: gunicorn re-buffers what a small read leaves over, which
# halved upload throughput with 64 KiB reads (bench/evidence.py).
CHUNK = 1024 * 1024


class LargeReads(io.RawIOBase):
    """Feed werkzeug's multipart parser (64 KiB reads) from 1 MiB reads of the body."""

    def __init__(self, raw) -> None:
        self.raw = raw
        self.buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if not self.buffer:
            self.buffer = self.raw.read(CHUNK)
        if n is None or n < 0:
            n = len(self.buffer)
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def readinto(self, target) -> int:
        data = self.read(len(target))
        target[:len(data)] = data
        return len(data)


def check_upload_csrf() -> None:
    """The upload is parsed by hand (streaming), so its CSRF token comes in a header or
    the query string and is checked before a byte of the body is read."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    token = request.headers.get("X-CSRFToken") or request.args.get("csrf_token", "")
    try:
        validate_csrf(token)
    except ValidationError as exc:
        raise CSRFError(str(exc)) from None


def receive_multipart(case, actor: Officer, start=None):
    """Stream a multipart body: the file part goes straight into a sealing Intake (within
    the actor's upload quota); ``start()`` makes another kind of intake (a holder's file)."""
    intakes: list = []

    def into_intake(total_content_length, content_type, filename, content_length=None):
        if intakes:
            raise Invalid("file", gettext("send one file per upload"))
        intakes.append(start() if start else service.start_intake(db.session(), actor))
        intakes[0].client_name = filename
        return intakes[0]

    parser = FormDataParser(stream_factory=into_intake, max_form_memory_size=1024 * 1024,
                            max_content_length=runtime.max_bytes() + 1024 * 1024)
    try:
        _, form, _files = parser.parse(LargeReads(request.stream), request.mimetype or "",
                                       request.content_length, request.mimetype_params)
    except Exception as exc:  # noqa: BLE001 - whatever broke the upload, nothing may stay
        for intake in intakes:
            intake.discard()
        if not isinstance(exc, ClientDisconnected | RequestEntityTooLarge | ValueError | Invalid):
            raise
        if isinstance(exc, Invalid):
            raise
        if isinstance(exc, RequestEntityTooLarge):
            raise Invalid("file", gettext("is larger than the limit of %(num)s bytes",
                                          num=f"{runtime.max_bytes():,}"))
        raise Invalid("file", gettext("the upload was cut off before it ended; nothing was kept"))
    if not intakes:
        raise Invalid("file", gettext("choose a file to upload"))
    return intakes[0], form



def repr_digest(sha256_hex: str) -> str:
    """RFC 9530 ``Repr-Digest`` of the whole file (its intake SHA-256): the client can check
    what it saved against what was sealed."""
    return f"sha-256=:{base64.b64encode(bytes.fromhex(sha256_hex)).decode()}:"


def attachment(evidence, stream, disposition: str = "attachment") -> Response:
    name = evidence.original_name
    ascii_name = name.encode("ascii", "replace").decode().replace('"', "")
    headers = {
        "Content-Disposition": f"{disposition}; filename=\"{ascii_name}\"; "
                               f"filename*=UTF-8''{quote(name)}",
        "Content-Length": str(evidence.size),
        "Cache-Control": "no-store",
        "Repr-Digest": repr_digest(evidence.sha256),
    }
    return Response(stream_with_context(stream), mimetype=evidence.media_type, headers=headers,
                    direct_passthrough=True)


# A file shown or saved may not run anything or reach anything (see talisman view options).
SEALED_FILE_CSP = {"default-src": "'none'", "img-src": "'self'", "sandbox": ""}
