"""Receiving an answer with attachments: a multipart body parsed as it streams, each file
part sealed straight into its own evidence intake (no plaintext on disk), the text fields
kept for the answer (and for the form again after an error)."""

from __future__ import annotations

from flask import request
from flask_babel import gettext
from werkzeug.exceptions import ClientDisconnected, RequestEntityTooLarge
from werkzeug.formparser import FormDataParser

from .. import db
from ..errors import Invalid
from ..evidence import service as evidence_service
from ..evidence.transfer import LargeReads
from ..models import Officer

MAX_ATTACHMENTS = 5


def receive_answer(actor: Officer):
    """(form fields, [(intake, file name)]) of the request's multipart body; on a cut or
    oversized upload every intake is discarded and Invalid names the field."""
    intakes: list = []

    def into_intake(total_content_length, content_type, filename, content_length=None):
        if len(intakes) >= MAX_ATTACHMENTS:
            raise Invalid("attachments", gettext("at most %(num)s files", num=MAX_ATTACHMENTS))
        intake = evidence_service.start_intake(db.session(), actor)
        intake.client_name = filename
        intakes.append(intake)
        return intake

    # All attachments together within the evidence limit (what the proxy lets through).
    limit = evidence_service.max_bytes() + 1024 * 1024
    request.max_content_length = limit
    parser = FormDataParser(stream_factory=into_intake, max_form_memory_size=1024 * 1024,
                            max_content_length=limit)
    try:
        _, form, _files = parser.parse(LargeReads(request.stream), request.mimetype or "",
                                       request.content_length, request.mimetype_params)
    except Exception as exc:  # noqa: BLE001 - whatever broke the upload, nothing may stay
        discard(intakes)
        if isinstance(exc, Invalid):
            raise
        if isinstance(exc, RequestEntityTooLarge):
            raise Invalid("attachments", gettext("are larger than the limit")) from None
        if isinstance(exc, ClientDisconnected | ValueError):
            raise Invalid("attachments",
                          gettext("the upload was cut off; nothing was kept")) from None
        raise
    files = []
    for intake in intakes:
        if intake.size == 0 and not intake.client_name:
            intake.discard()  # an empty file input of the form: no attachment
        else:
            files.append((intake, intake.client_name))
    return form, files


def discard(pairs_or_intakes) -> None:
    for entry in pairs_or_intakes:
        (entry[0] if isinstance(entry, tuple) else entry).discard()
