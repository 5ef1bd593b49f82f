"""The app's request class: no part of a multipart body goes to a temporary file.

Werkzeug keeps a file part of a form in a ``SpooledTemporaryFile`` that rolls over to an
unencrypted file on disk past 500 KB. Any form route parses a multipart body when it
reads ``request.form`` (the CSRF check does, for every POST), so any file sent to any
route could land on disk in clear. Here such parts stay in memory, bounded by
``MAX_CONTENT_LENGTH`` (werkzeug refuses a larger body with 413); the routes that take
files (evidence, imports, referral attachments) stream them into sealed storage instead.
"""

from __future__ import annotations

import io

from flask import Request


class InMemoryPartsRequest(Request):
    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None,
                         content_length: int | None = None) -> io.BytesIO:
        return io.BytesIO()
