"""Receiving a file: seal while it streams in, hash and sniff the plaintext on the way.

An ``Intake`` is a write-only file object: the HTTP layer (multipart parser or raw body)
writes the upload into it chunk by chunk, and only ciphertext reaches storage.
"""

from __future__ import annotations

import hashlib
import secrets

from ..crypto.keys import Keyring, WrappedKey, dek_aad, new_dek
from ..crypto.stream import SEGMENT_SIZE, Header, SealingWriter
from ..errors import Invalid
from .media import SNIFF_BYTES


class Intake:
    def __init__(self, storage, keyring: Keyring, max_bytes: int) -> None:
        self.public_id = secrets.token_hex(16)
        self.storage_key = f"ev/{self.public_id[:2]}/{self.public_id}"
        self.dek_id, dek = new_dek()
        self._dek, self._keyring = dek, keyring
        self.wrapped: WrappedKey = keyring.wrap(dek, dek_aad(self.public_id, self.dek_id))
        self.max_bytes = max_bytes
        self.sha256 = hashlib.sha256()
        self.head = bytearray()
        self.storage = storage
        self._out = storage.writer(self.storage_key)
        self._sealer = SealingWriter(dek, Header.new(self.public_id, self.dek_id, SEGMENT_SIZE),
                                     self._out.write, self._observe)
        self.closed = False
        self.committed = False

    @property
    def size(self) -> int:
        return self._sealer.plaintext_size

    def _observe(self, data: bytes) -> None:
        if self._sealer.plaintext_size + len(data) > self.max_bytes:
            raise Invalid("file", f"is larger than the limit of {self.max_bytes:,} bytes")
        self.sha256.update(data)
        if len(self.head) < SNIFF_BYTES:
            self.head += data[: SNIFF_BYTES - len(self.head)]

    # The file-object methods werkzeug's multipart parser uses.
    def write(self, data: bytes) -> int:
        return self._sealer.write(bytes(data))

    def seek(self, *_args) -> int:
        return 0

    def tell(self) -> int:
        return self.size

    def read(self, *_args) -> bytes:
        return b""

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """Nothing to do: the parser closes containers it made; ``finish`` seals."""

    def finish(self) -> None:
        """Seal the last segment and make the object visible in storage."""
        if not self.closed:
            self._sealer.close()
            self._out.commit()
            self.closed = self.committed = True
            # A key rotation during a long upload: wrap under the primary KEK of now, so a
            # `keys retire` that counted usages meanwhile cannot orphan this item.
            if self._keyring.primary_id() != self.wrapped.kek_id:
                self.wrapped = self._keyring.wrap(self._dek, dek_aad(self.public_id,
                                                                     self.dek_id))
        self._dek = b""

    def discard(self) -> None:
        """Leave nothing behind: abort a pending upload or delete a committed object."""
        if self.committed:
            self.storage.delete(self.storage_key)
        else:
            self._out.abort()
        self.closed = True
