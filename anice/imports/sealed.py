"""Uploaded import files, sealed as evidence is: never in clear on disk.

An upload streams through ``SealedUpload`` (a write-only file object for werkzeug's
multipart parser) into the evidence storage under ``imports/``, encrypted with a fresh
data key (ANICE-EV1 segments) that the keyring wraps. ``SealedReader`` streams it back
as a seekable binary file for the importers; the job deletes it when it ends.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from typing import BinaryIO

from flask_babel import gettext

from ..crypto.keys import Keyring, WrappedKey, dek_aad, new_dek
from ..crypto.stream import SEGMENT_SIZE, Header, SealingWriter, open_stream
from ..errors import Invalid

PREFIX = "imports/"


def associated_id(upload_id: str) -> str:
    # Binds the object and its key to this upload: never mistaken for an evidence item.
    return f"import:{upload_id}"


class SealedUpload:
    """One upload being sealed into storage; ``finish`` makes it visible, ``discard``
    leaves nothing behind."""

    def __init__(self, storage, keyring: Keyring, max_bytes: int, filename: str = "") -> None:
        self.upload_id = secrets.token_hex(16)
        self.storage_key = f"{PREFIX}{self.upload_id[:2]}/{self.upload_id}"
        self.filename = filename
        self.dek_id, dek = new_dek()
        self._dek, self._keyring = dek, keyring
        self.wrapped: WrappedKey = keyring.wrap(dek, dek_aad(associated_id(self.upload_id),
                                                             self.dek_id))
        self.max_bytes = max_bytes
        self.storage = storage
        self._out = storage.writer(self.storage_key)
        header = Header.new(associated_id(self.upload_id), self.dek_id, SEGMENT_SIZE)
        self._sealer = SealingWriter(dek, header, self._out.write, self._observe)
        self.closed = self.committed = False

    @property
    def size(self) -> int:
        return self._sealer.plaintext_size

    def _observe(self, data: bytes) -> None:
        if self._sealer.plaintext_size + len(data) > self.max_bytes:
            raise Invalid("file", gettext("is larger than the limit of %(num)s bytes: split it "
                                          "into smaller files", num=f"{self.max_bytes:,}"))

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
        if not self.closed:
            self._sealer.close()
            self._out.commit()
            self.closed = self.committed = True
            if self._keyring.primary_id() != self.wrapped.kek_id:  # rotated meanwhile
                self.wrapped = self._keyring.wrap(
                    self._dek, dek_aad(associated_id(self.upload_id), self.dek_id))
        self._dek = b""

    def discard(self) -> None:
        if self.committed:
            self.storage.delete(self.storage_key)
        elif not self.closed:
            self._out.abort()
        self.closed = True


def seal_bytes(storage, keyring: Keyring, data: bytes, filename: str = "") -> SealedUpload:
    """Seal a file already in memory (tests, small uploads)."""
    upload = SealedUpload(storage, keyring, max(len(data), 1), filename)
    upload.write(data)
    upload.finish()
    return upload


class SealedReader(io.RawIOBase):
    """The plaintext of a sealed upload as a seekable binary stream.

    Reading checks every segment (a changed or truncated object raises DecryptionError);
    seeking backwards opens the object again, so the importers can sniff and re-read.
    """

    def __init__(self, storage, storage_key: str, dek: bytes, upload_id: str,
                 dek_id: str) -> None:
        super().__init__()
        self._storage, self._key = storage, storage_key
        self._dek, self._upload_id, self._dek_id = dek, upload_id, dek_id
        self._source: BinaryIO | None = None
        self._open()

    def _open(self) -> None:
        if self._source is not None:
            self._source.close()
        self._source = self._storage.open(self._key)
        self._segments: Iterator[bytes] = open_stream(
            self._source, self._dek, associated_id(self._upload_id), self._dek_id)
        self._pending = b""
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        while not self._pending:
            segment = next(self._segments, None)
            if segment is None:
                return 0
            self._pending = segment
        n = min(len(target), len(self._pending))
        target[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        self._pos += n
        return n

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_CUR:
            offset += self._pos
        elif whence != io.SEEK_SET:
            raise io.UnsupportedOperation("seek from the end of a sealed upload")
        if offset < self._pos:
            self._open()
        while self._pos < offset:
            if not self.read(min(offset - self._pos, SEGMENT_SIZE)):
                break
        return self._pos

    def close(self) -> None:
        if self._source is not None:
            self._source.close()
            self._source = None
        super().close()
