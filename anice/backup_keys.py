"""Key material of a backup, in its own file sealed with a passphrase (scrypt + AES-256-GCM).

The export holds the KEKs (key file or ``ANICE_KEKS``), the custody-report signing key and
the SECRET_KEY (it derives the key of the stored TOTP secrets). It is written apart from the
backup folder: a database dump plus this file, once opened, reads everything.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from flask import current_app

FORMAT = "anice-keys-1"
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
MIN_PASSPHRASE = 12


class KeyExportError(RuntimeError):
    pass


def _kdf(passphrase: str, salt: bytes, params: dict) -> bytes:
    return Scrypt(salt=salt, length=32, n=params["n"], r=params["r"], p=params["p"]).derive(
        passphrase.encode())


def seal(material: dict, passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyExportError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    key = _kdf(passphrase, salt, SCRYPT)
    sealed = AESGCM(key).encrypt(nonce, json.dumps(material).encode(), FORMAT.encode())
    return json.dumps({"format": FORMAT, "kdf": {"name": "scrypt", **SCRYPT,
                                                 "salt": base64.b64encode(salt).decode()},
                       "nonce": base64.b64encode(nonce).decode(),
                       "sealed": base64.b64encode(sealed).decode()}, indent=1).encode()


def open_sealed(blob: bytes, passphrase: str) -> dict:
    try:
        outer = json.loads(blob)
        if outer.get("format") != FORMAT:
            raise KeyExportError(f"not an ANICE key export ({FORMAT})")
        kdf = outer["kdf"]
        key = _kdf(passphrase, base64.b64decode(kdf["salt"]), kdf)
        plain = AESGCM(key).decrypt(base64.b64decode(outer["nonce"]),
                                    base64.b64decode(outer["sealed"]), FORMAT.encode())
    except InvalidTag:
        raise KeyExportError("the passphrase is wrong or the key export was changed") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyExportError(f"the key export is damaged: {exc}") from None
    return json.loads(plain)


def collect() -> dict:
    """The key material this installation uses now."""
    from . import audit_keys
    from .crypto.keys import FileKeyring, StaticKeyring
    from .evidence import custody_report, runtime

    ring = runtime.keyring()
    if isinstance(ring, FileKeyring):
        data = json.loads(ring.path.read_text())
        keks = {"primary": data["primary"], "keys": data["keys"]}
    elif isinstance(ring, StaticKeyring):
        keks = {"primary": ring.primary_id(),
                "keys": {k: {"key": base64.b64encode(v).decode()}
                         for k, v in ring._keys.items()}}
    else:
        raise KeyExportError("the KEKs live in a KMS and cannot be exported: back them up "
                             "in the KMS and run the backup with --without-keys")
    signing = custody_report.signing_key_path()
    audit_key_file = audit_keys.key_path()
    return {"keks": keks,
            "signing_key_pem": signing.read_text() if signing.exists() else None,
            # Without it a restored, keyed audit chain could be neither verified nor extended.
            "audit_keys_json": audit_key_file.read_text() if audit_key_file.exists() else None,
            "secret_key": current_app.config["SECRET_KEY"],
            "created_at": datetime.now(UTC).isoformat()}


def missing_keks(needed: list[str], material: dict | None) -> list[str]:
    """KEK ids the restored data needs that neither this installation nor the export has."""
    from .crypto.keys import FileKeyring, StaticKeyring
    from .evidence import runtime

    have = set(material["keks"]["keys"]) if material else set()
    if current_app.config.get("KEKS"):
        have |= set(StaticKeyring(current_app.config["KEKS"]).ids())
    else:
        # Read the key file only if it exists: opening a keyring would create one.
        path = Path(current_app.config.get("KEY_FILE") or runtime.default_key_file())
        if path.exists():
            have |= set(FileKeyring(path).ids())
    return sorted(set(needed) - have)


def install(material: dict) -> list[str]:
    """Put the exported keys in place; returns what was done, one line each."""
    from .crypto.keys import StaticKeyring
    from .evidence import custody_report, runtime

    done = []
    if current_app.config.get("KEKS"):
        ring = StaticKeyring(current_app.config["KEKS"])
        for kek_id, entry in material["keks"]["keys"].items():
            if kek_id not in ring.ids() or base64.b64encode(ring._keys[kek_id]).decode() \
                    != entry["key"]:
                raise KeyExportError(f"ANICE_KEKS lacks KEK {kek_id} of the backup (or holds "
                                     "another key under that id): add it to the secret store")
        done.append("KEKs: all present in ANICE_KEKS")
    else:
        path = Path(current_app.config.get("KEY_FILE") or runtime.default_key_file()).resolve()
        done.append(_merge_key_file(path, material["keks"]))
    current_app.extensions.pop("anice.keyring", None)
    if material.get("signing_key_pem"):
        path = custody_report.signing_key_path()
        done.append(_replace(path, material["signing_key_pem"].encode(), "signing key"))
        current_app.extensions.pop("anice.signing_key", None)
    if material.get("audit_keys_json"):
        from . import audit_keys

        done.append(_replace(audit_keys.key_path(), material["audit_keys_json"].encode(),
                             "audit key"))
    secret = material.get("secret_key")
    if secret and os.environ.get("SECRET_KEY"):
        if os.environ["SECRET_KEY"] != secret:
            done.append("WARNING: SECRET_KEY differs from the backup's: stored TOTP secrets "
                        "will not be readable until SECRET_KEY is set to the backed-up value")
    elif secret:
        path = Path(current_app.config["DATA_DIR"]) / "secret_key"
        done.append(_replace(path, secret.encode(), "secret key"))
    return done


def _merge_key_file(path: Path, keks: dict) -> str:
    data = {"primary": keks["primary"], "keys": {}}
    if path.exists():
        data = json.loads(path.read_text())
    for kek_id, entry in keks["keys"].items():
        have = data["keys"].get(kek_id)
        if have is not None and have["key"] != entry["key"]:
            raise KeyExportError(f"key file {path} holds another key under id {kek_id}")
        data["keys"][kek_id] = {"created": datetime.now(UTC).isoformat(), **entry}
    # The restored data was written under the backup's primary: keep using it.
    data["primary"] = keks["primary"]
    _write_private(path, json.dumps(data, indent=2).encode())
    return f"KEKs: {len(keks['keys'])} in {path} (primary {keks['primary']})"


def _replace(path: Path, content: bytes, what: str) -> str:
    if path.exists() and path.read_bytes().strip() == content.strip():
        return f"{what}: {path} already holds it"
    note = ""
    if path.exists():
        aside = path.with_name(f"{path.name}.replaced-{datetime.now(UTC):%Y%m%dT%H%M%S}")
        path.rename(aside)
        note = f" (the previous one kept as {aside.name})"
    _write_private(path, content)
    return f"{what}: restored to {path}{note}"


def _write_private(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
