"""Key material of a backup, in its own file sealed with a passphrase (Argon2id + AES-256-GCM).

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

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from flask import current_app

from .. import audit_keys
from ..crypto.keys import FileKeyring, StaticKeyring
from ..evidence import custody_report, runtime

FORMAT = "anice-keys-1"
# RFC 9106's second recommended option, with four times its memory: an export is opened
# rarely, so each guess of its passphrase may cost a guesser 256 MiB and most of a second.
ARGON2ID = {"name": "argon2id", "time_cost": 3, "memory_kib": 256 * 1024, "parallelism": 4}
# What a file may ask for: enough for any export ANICE wrote, never a memory or CPU bomb.
BOUNDS = {"time_cost": (1, 10), "memory_kib": (64 * 1024, 1024 * 1024), "parallelism": (1, 16),
          "n": (2**14, 2**20), "r": (1, 16), "p": (1, 4), "salt": (16, 64)}
# Exports of ANICE before 2026-12 (scrypt N=2^15): still opened, with advice to re-seal.
SCRYPT_CURRENT_N = 2**18
MIN_PASSPHRASE = 12


class KeyExportError(RuntimeError):
    pass


def _bounded(params: dict, name: str) -> int:
    value = params.get(name)
    low, high = BOUNDS[name]
    if type(value) is not int or not low <= value <= high:
        raise KeyExportError(f"the key export's KDF parameter {name} = {value!r} is outside "
                             f"{low}..{high}: refused (damaged or not made by ANICE)")
    return value


def _salt(params: dict) -> bytes:
    try:
        salt = base64.b64decode(params["salt"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise KeyExportError("the key export's KDF salt is missing or not base64") from None
    if not BOUNDS["salt"][0] <= len(salt) <= BOUNDS["salt"][1]:
        raise KeyExportError(f"the key export's KDF salt has {len(salt)} bytes: refused")
    return salt


def _kdf(passphrase: str, params: dict) -> bytes:
    """The key of an export, from parameters checked against ``BOUNDS`` before any work."""
    salt = _salt(params)
    if params.get("name") == "argon2id":
        time_cost, memory = _bounded(params, "time_cost"), _bounded(params, "memory_kib")
        lanes = _bounded(params, "parallelism")
        return hash_secret_raw(passphrase.encode(), salt, time_cost=time_cost,
                               memory_cost=memory, parallelism=lanes, hash_len=32,
                               type=Type.ID)
    if params.get("name") == "scrypt":
        n, r, p = _bounded(params, "n"), _bounded(params, "r"), _bounded(params, "p")
        if n & (n - 1):
            raise KeyExportError(f"the key export's scrypt n = {n} is not a power of two")
        return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode())
    raise KeyExportError(f"the key export's KDF {params.get('name')!r} is not known: refused")


def seal(material: dict, passphrase: str) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyExportError(f"the passphrase must have at least {MIN_PASSPHRASE} characters")
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    kdf = {**ARGON2ID, "salt": base64.b64encode(salt).decode()}
    key = _kdf(passphrase, kdf)
    sealed = AESGCM(key).encrypt(nonce, json.dumps(material).encode(), FORMAT.encode())
    return json.dumps({"format": FORMAT, "kdf": kdf,
                       "nonce": base64.b64encode(nonce).decode(),
                       "sealed": base64.b64encode(sealed).decode()}, indent=1).encode()


def _outer(blob: bytes) -> dict:
    try:
        outer = json.loads(blob)
    except ValueError as exc:
        raise KeyExportError(f"the key export is damaged: {exc}") from None
    if not isinstance(outer, dict) or outer.get("format") != FORMAT:
        raise KeyExportError(f"not an ANICE key export ({FORMAT})")
    if not isinstance(outer.get("kdf"), dict):
        raise KeyExportError("the key export is damaged: no KDF parameters")
    return outer


def open_sealed(blob: bytes, passphrase: str) -> dict:
    outer = _outer(blob)
    key = _kdf(passphrase, outer["kdf"])
    try:
        plain = AESGCM(key).decrypt(base64.b64decode(outer["nonce"]),
                                    base64.b64decode(outer["sealed"]), FORMAT.encode())
    except InvalidTag:
        raise KeyExportError("the passphrase is wrong or the key export was changed") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise KeyExportError(f"the key export is damaged: {exc}") from None
    return json.loads(plain)


def reseal_advice(blob: bytes) -> str | None:
    """Why an export that opens should be sealed again under today's KDF (else None)."""
    kdf = _outer(blob)["kdf"]
    if kdf.get("name") == "scrypt" and kdf.get("n", 0) < SCRYPT_CURRENT_N:
        return (f"this key export is sealed with scrypt N={kdf.get('n')}, weaker than "
                "today's Argon2id: re-seal it with `flask --app wsgi backup reseal-keys FILE`")
    return None


def collect() -> dict:
    """The key material this installation uses now."""
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
    write_private(path, json.dumps(data, indent=2).encode())
    return f"KEKs: {len(keks['keys'])} in {path} (primary {keks['primary']})"


def _replace(path: Path, content: bytes, what: str) -> str:
    if path.exists() and path.read_bytes().strip() == content.strip():
        return f"{what}: {path} already holds it"
    note = ""
    if path.exists():
        aside = path.with_name(f"{path.name}.replaced-{datetime.now(UTC):%Y%m%dT%H%M%S}")
        path.rename(aside)
        note = f" (the previous one kept as {aside.name})"
    write_private(path, content)
    return f"{what}: restored to {path}{note}"


def write_private(path: Path, content: bytes) -> None:
    """Replace ``path`` atomically with ``content``, readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
