"""Key-encryption keys (KEKs): wrap and unwrap per-file data keys (DEKs).

A keyring holds KEKs by id; one is primary (new wraps use it), older ones stay until
nothing wrapped with them remains (``flask --app wsgi keys retire``). Sources: a key file
(embedded mode and production), or an external KMS through the ``Kms`` adapter.

A key file is created only by ``FileKeyring.create`` (``flask --app wsgi keys init``): a
missing file is an error, never a reason to make a new KEK that the stored keys do not use.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .stream import DecryptionError


class KeyringUnavailable(RuntimeError):
    """The KEKs cannot be used now: no key file, or the KMS does not answer."""


class KeyFileMissing(KeyringUnavailable):
    """No key file where the configuration says: create it (``keys init``) or mount it."""


class KeyringBusy(RuntimeError):
    """Another process is changing the keyring (rotate, retire, init) right now."""


@dataclass(frozen=True)
class WrappedKey:
    kek_id: str
    blob: bytes  # nonce (12) || AES-256-GCM(KEK, DEK, aad)


def new_dek() -> tuple[str, bytes]:
    """A fresh random 256-bit data key and its id."""
    return secrets.token_hex(8), AESGCM.generate_key(bit_length=256)


def dek_aad(evidence: str, dek_id: str) -> bytes:
    """A wrapped DEK only unwraps for the evidence item and key id it was made for."""
    return f"anice-dek|{evidence}|{dek_id}".encode()


class Keyring(ABC):
    @abstractmethod
    def primary_id(self) -> str: ...

    @abstractmethod
    def ids(self) -> list[str]: ...

    @abstractmethod
    def wrap(self, dek: bytes, aad: bytes) -> WrappedKey: ...

    @abstractmethod
    def unwrap(self, wrapped: WrappedKey, aad: bytes) -> bytes: ...


def _gcm_wrap(kek: bytes, dek: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(12)
    return nonce + AESGCM(kek).encrypt(nonce, dek, aad)


def _gcm_unwrap(kek: bytes, blob: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(kek).decrypt(blob[:12], blob[12:], aad)
    except InvalidTag:
        raise DecryptionError("the data key does not unwrap with this KEK") from None


class FileKeyring(Keyring):
    """KEKs in a JSON file (0600), outside the data folder: ``{"primary", "keys": {id: {...}}}``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._data = self._load()
        self._mtime = self._stat().st_mtime_ns

    @classmethod
    def create(cls, path: Path) -> FileKeyring:
        """Write a new key file with one KEK; FileExistsError if there is one already."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        kek_id = _new_id()
        ring = cls.__new__(cls)
        ring.path = path
        with ring._locked():
            if path.exists():
                raise FileExistsError(f"key file {path} already exists")
            ring._write({"primary": kek_id, "keys": {kek_id: _new_entry()}}, exclusive=True)
        return cls(path)

    def _stat(self) -> os.stat_result:
        try:
            return self.path.stat()
        except FileNotFoundError:
            raise KeyFileMissing(f"no key file at {self.path}: mount or restore it, or (a new "
                                 "deployment) create it with `flask --app wsgi keys init`"
                                 ) from None

    def _fresh(self) -> dict:
        """Re-read the file when another process (``keys rotate``) has changed it."""
        mtime = self._stat().st_mtime_ns
        if mtime != self._mtime:
            self._data, self._mtime = self._load(), mtime
        return self._data

    @contextlib.contextmanager
    def _locked(self):
        """Changes are read-modify-write: two at once would drop one's new KEK."""
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise KeyringBusy(f"the key file {self.path} is being changed by another "
                                  "process (keys rotate/retire/init): try again when it ends"
                                  ) from None
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def _load(self) -> dict:
        mode = self._stat().st_mode & 0o777
        if mode & 0o077:
            raise RuntimeError(f"key file {self.path} is readable by others (mode {mode:o}); "
                               "chmod 600 it")
        data = json.loads(self.path.read_text())
        if data.get("primary") not in data.get("keys", {}):
            raise RuntimeError(f"key file {self.path} has no primary key")
        return data

    def _write(self, data: dict, exclusive: bool = False) -> None:
        tmp = self.path.with_name(self.path.name + f".tmp{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(data, fh, indent=2)
            fh.flush()
            os.fsync(fh.fileno())
        if exclusive:
            try:
                os.link(tmp, self.path)  # never over an existing key file
            finally:
                tmp.unlink()
        else:
            os.replace(tmp, self.path)

    def _key(self, kek_id: str) -> bytes:
        entry = self._fresh()["keys"].get(kek_id)
        if entry is None:
            raise DecryptionError(f"KEK {kek_id} is not in the keyring")
        return base64.b64decode(entry["key"])

    def primary_id(self) -> str:
        return self._fresh()["primary"]

    def ids(self) -> list[str]:
        return list(self._fresh()["keys"])

    def wrap(self, dek: bytes, aad: bytes) -> WrappedKey:
        kek_id = self.primary_id()
        return WrappedKey(kek_id, _gcm_wrap(self._key(kek_id), dek, aad))

    def unwrap(self, wrapped: WrappedKey, aad: bytes) -> bytes:
        return _gcm_unwrap(self._key(wrapped.kek_id), wrapped.blob, aad)

    def rotate(self) -> str:
        """Add a new KEK and make it primary; older KEKs stay for reading."""
        with self._locked():
            self._data = self._load()
            kek_id = _new_id()
            self._data["keys"][kek_id] = _new_entry()
            self._data["primary"] = kek_id
            self._write(self._data)
            self._mtime = self._stat().st_mtime_ns
        return kek_id

    def retire(self, kek_id: str) -> None:
        """Remove a KEK (the caller checks that nothing is wrapped with it any more)."""
        with self._locked():
            self._data = self._load()
            if kek_id == self._data["primary"]:
                raise ValueError("the primary KEK cannot be retired")
            self._data["keys"].pop(kek_id, None)
            self._write(self._data)
            self._mtime = self._stat().st_mtime_ns


class Kms(ABC):
    """Adapter for an external KMS holding the KEKs (encrypt/decrypt small blobs).

    ``decrypt`` raises DecryptionError for a blob that does not open; any other exception
    is taken as the KMS being unreachable or refusing (KeyringUnavailable, a 503).
    """

    @abstractmethod
    def primary_key_id(self) -> str: ...

    @abstractmethod
    def encrypt(self, key_id: str, plaintext: bytes, aad: bytes) -> bytes: ...

    @abstractmethod
    def decrypt(self, key_id: str, blob: bytes, aad: bytes) -> bytes: ...

    def destroy_key(self, key_id: str) -> None:
        """Disable the key in the KMS, or schedule its deletion (``keys retire``)."""
        raise NotImplementedError(f"this KMS adapter cannot retire keys: disable {key_id} "
                                  "in the KMS itself")


class KmsKeyring(Keyring):
    """A keyring whose KEKs never leave the KMS."""

    def __init__(self, kms: Kms, known_ids: list[str] | None = None) -> None:
        self.kms = kms
        self._ids = list(known_ids or [self._call(kms.primary_key_id)])
        self._retired: set[str] = set()

    @staticmethod
    def _call(fn, *args):
        try:
            return fn(*args)
        except (DecryptionError, KeyringUnavailable, NotImplementedError):
            raise
        except InvalidTag:
            raise DecryptionError("the data key does not unwrap with this KMS key") from None
        except Exception as exc:  # noqa: BLE001 - any client error: the KMS is not usable now
            raise KeyringUnavailable(f"the KMS did not answer ({type(exc).__name__})") from exc

    def primary_id(self) -> str:
        return self._call(self.kms.primary_key_id)

    def ids(self) -> list[str]:
        ids = dict.fromkeys([*self._ids, self.primary_id()])
        return [k for k in ids if k not in self._retired]

    def wrap(self, dek: bytes, aad: bytes) -> WrappedKey:
        kek_id = self.primary_id()
        return WrappedKey(kek_id, self._call(self.kms.encrypt, kek_id, dek, aad))

    def unwrap(self, wrapped: WrappedKey, aad: bytes) -> bytes:
        if wrapped.kek_id in self._retired:
            raise DecryptionError(f"KEK {wrapped.kek_id} is not in the keyring")
        return self._call(self.kms.decrypt, wrapped.kek_id, wrapped.blob, aad)

    def retire(self, kek_id: str) -> None:
        """As ``FileKeyring.retire``: the KMS disables the key, the keyring forgets it (the
        caller checks that nothing is wrapped with it any more)."""
        if kek_id == self.primary_id():
            raise ValueError("the primary KEK cannot be retired")
        self._call(self.kms.destroy_key, kek_id)
        self._retired.add(kek_id)
        self._ids = [k for k in self._ids if k != kek_id]


def _new_id() -> str:
    return f"kek-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"


def _new_entry() -> dict:
    return {"key": base64.b64encode(AESGCM.generate_key(bit_length=256)).decode(),
            "created": datetime.now(UTC).isoformat()}


class StaticKeyring(Keyring):
    """KEKs given in the configuration (``ANICE_KEKS="id1:base64,id2:base64"``, first primary).

    For deployments whose secret store injects environment variables: rotate by putting a
    new key first, then ``keys rewrap``, then drop the old one once ``keys status`` shows it
    unused.
    """

    def __init__(self, spec: str) -> None:
        self._keys: dict[str, bytes] = {}
        for part in (p.strip() for p in spec.split(",") if p.strip()):
            kek_id, sep, encoded = part.partition(":")
            try:
                key = base64.b64decode(encoded, validate=True)
            except ValueError:
                key = b""
            if not sep or not kek_id or len(key) != 32:
                raise RuntimeError("ANICE_KEKS must be 'id:base64-of-32-bytes' entries separated "
                                   f"by commas (entry {kek_id or '?'!r} is not)")
            self._keys[kek_id] = key
        if not self._keys:
            raise RuntimeError("ANICE_KEKS is empty")
        self._primary = next(iter(self._keys))

    def primary_id(self) -> str:
        return self._primary

    def ids(self) -> list[str]:
        return list(self._keys)

    def wrap(self, dek: bytes, aad: bytes) -> WrappedKey:
        return WrappedKey(self._primary, _gcm_wrap(self._keys[self._primary], dek, aad))

    def unwrap(self, wrapped: WrappedKey, aad: bytes) -> bytes:
        key = self._keys.get(wrapped.kek_id)
        if key is None:
            raise DecryptionError(f"KEK {wrapped.kek_id} is not configured")
        return _gcm_unwrap(key, wrapped.blob, aad)
