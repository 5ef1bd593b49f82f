"""Receiving a file: seal while it streams in, hash and sniff the plaintext on the way.

An ``Intake`` is a write-only file object: the HTTP layer (multipart parser or raw body)
writes the upload into it chunk by chunk, and only ciphertext reaches storage.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from contextlib import contextmanager

from flask_babel import gettext

from ..crypto.keys import Keyring, WrappedKey, dek_aad, new_dek
from ..crypto.stream import SEGMENT_SIZE, Header, SealingWriter
from ..errors import InsufficientStorage, Invalid, ServiceUnavailable
from ..storage import StorageFull, StorageUnavailable
from ..text.locales import N_
from .media import SNIFF_BYTES
from .quota import Allowance

log = logging.getLogger(__name__)

STORE_FULL = N_("The evidence store is full, so the file was not kept. Ask the system "
              "administrator to free or add space, then upload it again.")
STORE_DOWN = N_("The evidence store cannot be reached or did not answer in time, so the file "
              "was not kept. Try again in a few minutes.")


@contextmanager
def storage_errors(full: str = STORE_FULL, down: str = STORE_DOWN):
    """Storage faults as the domain errors the user is shown (507, 503), logged with the
    store's own reason."""
    try:
        yield
    except StorageFull as exc:
        log.error("evidence store full", extra={"reason": str(exc)})
        raise InsufficientStorage(gettext(full)) from exc
    except StorageUnavailable as exc:
        log.error("evidence store unavailable", extra={"reason": str(exc)})
        raise ServiceUnavailable(gettext(down)) from exc


class Intake:
    def __init__(self, storage, keyring: Keyring, max_bytes: int,
                 allowance: Allowance | None = None) -> None:
        self.public_id = secrets.token_hex(16)
        self.storage_key = f"ev/{self.public_id[:2]}/{self.public_id}"
        self.dek_id, dek = new_dek()
        self._dek, self._keyring = dek, keyring
        self.wrapped: WrappedKey = keyring.wrap(dek, dek_aad(self.public_id, self.dek_id))
        self.max_bytes = max_bytes
        self.allowance = allowance or Allowance(None)
        self.sha256 = hashlib.sha256()
        self.head = bytearray()
        self.storage = storage
        with storage_errors():
            self._out = storage.writer(self.storage_key)
            try:  # the header is written at once
                self._sealer = SealingWriter(dek, Header.new(self.public_id, self.dek_id,
                                                             SEGMENT_SIZE),
                                             self._out.write, self._observe)
            except BaseException:
                self._out.abort()
                raise
        self.closed = False
        self.committed = False
        self.held = False  # kept as a held upload (see duplicates.hold): never discarded

    @property
    def size(self) -> int:
        return self._sealer.plaintext_size

    def _observe(self, data: bytes) -> None:
        if self._sealer.plaintext_size + len(data) > self.max_bytes:
            raise Invalid("file", gettext("is larger than the limit of %(num)s bytes",
                                              num=f"{self.max_bytes:,}"))
        self.allowance.refuse_beyond(self._sealer.plaintext_size + len(data))
        self.sha256.update(data)
        if len(self.head) < SNIFF_BYTES:
            self.head += data[: SNIFF_BYTES - len(self.head)]

    # The file-object methods werkzeug's multipart parser uses.
    def write(self, data: bytes) -> int:
        with storage_errors():
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
            with storage_errors():
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
        """Leave nothing behind: abort a pending upload or delete a committed object.

        Never raises, so the error that made the upload fail is the one reported. What a
        store that is down keeps (a committed object, an open multipart upload) is removed
        by the orphan cleanup (``flask --app wsgi evidence cleanup``)."""
        if self.held:
            return
        self.closed = True
        try:
            if self.committed:
                self.storage.delete(self.storage_key)
            else:
                self._out.abort()
        except Exception as exc:  # noqa: BLE001 - see above
            log.warning("could not remove an unfinished upload; the cleanup job will",
                        extra={"key": self.storage_key, "error": type(exc).__name__})
