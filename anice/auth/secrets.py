"""Encryption of small secrets at rest (TOTP seeds, forms kept after a login ended) with
keys derived from SECRET_KEY."""

from __future__ import annotations

import base64
import os

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
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


def _form_key(salt: bytes) -> bytes:
    """A key for one kept form: SECRET_KEY and a per-form secret that only the browser
    holds (a database dump, or the key alone, opens nothing)."""
    secret = current_app.config["SECRET_KEY"].encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                info=b"anice-form-stash-v1").derive(secret)


def seal_form(plaintext: bytes, salt: bytes, aad: bytes) -> bytes:
    """AES-256-GCM; returns nonce (12 bytes) || ciphertext."""
    nonce = os.urandom(12)
    return nonce + AESGCM(_form_key(salt)).encrypt(nonce, plaintext, aad)


def open_form(sealed: bytes, salt: bytes, aad: bytes) -> bytes:
    """Raises cryptography's InvalidTag when the secret, the row or its binding differ."""
    return AESGCM(_form_key(salt)).decrypt(sealed[:12], sealed[12:], aad)
