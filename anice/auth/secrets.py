"""Encryption of small secrets at rest (TOTP seeds) with a key derived from SECRET_KEY."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"].encode()
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"anice-secrets-v1",
               info=b"totp").derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def seal_secret(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def open_secret(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
