"""What the evidence service may ask of an object store, and the keys it may use."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import BinaryIO, Protocol

KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9/_.-]{0,200}")
# Unfinished local objects are kept beside their key as `<key>.part-<random>`.
PART_MARKER = ".part-"


class StorageUnavailable(OSError):
    """The store cannot be reached, does not answer in time, or refuses to write (read-only,
    I/O error): the operation did not happen and may work later."""

    def __init__(self, message: str, errno: int | None = None) -> None:
        if errno is None:
            super().__init__(message)
        else:
            super().__init__(errno, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class StorageFull(StorageUnavailable):
    """No space left on the device (ENOSPC) or over quota (EDQUOT)."""


class ObjectWriter(Protocol):
    """One new object, written in order; nothing is visible before ``commit``."""

    def write(self, data: bytes) -> None: ...

    def commit(self) -> int: ...

    def abort(self) -> None: ...


class Storage(Protocol):
    """Ciphertext objects by key. Streams in and out; never holds an object in memory."""

    name: str

    def writer(self, key: str) -> ObjectWriter: ...

    def open(self, key: str) -> BinaryIO: ...

    def size(self, key: str) -> int: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def keys(self, prefix: str = "") -> Iterator[tuple[str, datetime]]: ...

    def sweep_unfinished(self, older_than: datetime) -> int: ...


def validate_key(key: str) -> str:
    """Return ``key`` if it is a safe object key, else raise ValueError.

    Keys become file paths in local storage, so anything that could climb out of the
    storage root or alias another key is refused: ``..``, empty or ``.`` segments, a
    leading or trailing ``/``, upper case, and the suffix used for unfinished parts.
    """
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        raise ValueError(f"invalid storage key {key!r}")
    if ".." in key or key.endswith("/") or PART_MARKER in key:
        raise ValueError(f"invalid storage key {key!r}")
    if any(segment in ("", ".") for segment in key.split("/")):
        raise ValueError(f"invalid storage key {key!r}")
    return key


def validate_prefix(prefix: str) -> str:
    """A listing prefix: empty, or the beginning of some valid key."""
    if prefix:
        validate_key(prefix + "x")
    return prefix
