"""The key of the person-identifier hashes.

``CORRELATION_KEY`` (environment ``ANICE_CORRELATION_KEY``, at least 32 characters) when
set; otherwise a key derived from ``SECRET_KEY`` with HKDF under a fixed label, so that an
embedded installation needs nothing more. Changing it makes every stored hash stale:
run ``flask --app wsgi correlation rebuild`` afterwards.
"""

from __future__ import annotations

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

LABEL = b"anice-correlation-person-identifiers-v1"


def hash_key() -> bytes:
    configured = (current_app.config.get("CORRELATION_KEY")
                  or os.environ.get("ANICE_CORRELATION_KEY") or "")
    if configured:
        if len(configured) < 32:
            raise RuntimeError("ANICE_CORRELATION_KEY must have at least 32 characters")
        material = configured.encode()
    else:
        material = str(current_app.config["SECRET_KEY"]).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=LABEL).derive(material)
