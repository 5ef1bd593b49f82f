"""Streaming authenticated encryption of evidence (format ANICE-EV1).

Pure functions on byte streams, no database or HTTP. The layout is documented in
docs/evidence-encryption.md:

    object  = header || segment_0 || ... || segment_n
    header  = b"ANICEEV1" || uint16 length || canonical JSON {v, evidence, dek, seg, prefix}
    segment = AES-256-GCM(DEK, nonce_i, plaintext_i, aad=header) (ciphertext || 16-byte tag)
    nonce_i = prefix (7 random bytes) || uint32 i || last flag (0x00 / 0x01)

Every plaintext segment is ``seg`` bytes except the last (1..seg bytes; 0 only for an
empty file). The counter and last flag in the nonce make reordering, dropping,
duplicating and truncating segments fail; the header (with the evidence id) in the
associated data makes a ciphertext fail under any other evidence id.
"""

from __future__ import annotations

import base64
import json
import os
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"ANICEEV1"
VERSION = 1
SEGMENT_SIZE = 64 * 1024
TAG = 16
PREFIX_LEN = 7
MAX_HEADER = 1024


class DecryptionError(Exception):
    """The ciphertext is not what was sealed for this evidence (or the key is wrong)."""


@dataclass(frozen=True)
class Header:
    evidence: str
    dek: str
    seg: int
    prefix: bytes
    v: int = VERSION

    def encode(self) -> bytes:
        body = json.dumps({"v": self.v, "evidence": self.evidence, "dek": self.dek,
                           "seg": self.seg, "prefix": base64.b64encode(self.prefix).decode()},
                          sort_keys=True, separators=(",", ":")).encode()
        return MAGIC + struct.pack(">H", len(body)) + body

    @classmethod
    def new(cls, evidence: str, dek_id: str, seg: int = SEGMENT_SIZE) -> Header:
        return cls(evidence=evidence, dek=dek_id, seg=seg, prefix=os.urandom(PREFIX_LEN))


def read_header(source: BinaryIO) -> tuple[Header, bytes]:
    """Parse the header at the start of ``source``; returns it and its exact bytes."""
    start = _read_exact(source, len(MAGIC) + 2)
    if len(start) < len(MAGIC) + 2 or start[:len(MAGIC)] != MAGIC:
        raise DecryptionError("not an ANICE evidence object (bad magic)")
    (length,) = struct.unpack(">H", start[len(MAGIC):])
    if length > MAX_HEADER:
        raise DecryptionError("header too long")
    body = _read_exact(source, length)
    try:
        data = json.loads(body)
        header = Header(evidence=data["evidence"], dek=data["dek"], seg=int(data["seg"]),
                        prefix=base64.b64decode(data["prefix"]), v=int(data["v"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise DecryptionError("unreadable header") from exc
    if header.v != VERSION or len(header.prefix) != PREFIX_LEN or not 0 < header.seg <= 1 << 24:
        raise DecryptionError("unsupported header")
    return header, start + body


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter >= 1 << 32:
        raise ValueError("too many segments")
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class SealingWriter:
    """A file-like sink: plaintext written to it leaves as sealed segments via ``emit``.

    Holds at most one segment plus one write's worth of plaintext, whatever the size.
    """

    def __init__(self, dek: bytes, header: Header, emit: Callable[[bytes], None],
                 observe: Callable[[bytes], None] | None = None) -> None:
        self._aead = AESGCM(dek)
        self._header = header
        self._aad = header.encode()
        self._emit = emit
        self._observe = observe
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        self.plaintext_size = 0
        emit(self._aad)

    def write(self, data: bytes) -> int:
        if self._closed:
            raise ValueError("write after close")
        if self._observe:
            self._observe(data)
        self._buffer += data
        self.plaintext_size += len(data)
        seg = self._header.seg
        # Seal a full segment only once more data follows: the last one is sealed on close.
        while len(self._buffer) > seg:
            self._seal(bytes(self._buffer[:seg]), last=False)
            del self._buffer[:seg]
        return len(data)

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True

    def _seal(self, chunk: bytes, last: bool) -> None:
        nonce = _nonce(self._header.prefix, self._counter, last)
        self._emit(self._aead.encrypt(nonce, chunk, self._aad))
        self._counter += 1


def seal_stream(source: BinaryIO, sink: Callable[[bytes], None], dek: bytes, header: Header,
                chunk: int = SEGMENT_SIZE) -> int:
    """Seal everything readable from ``source``; returns the plaintext size."""
    writer = SealingWriter(dek, header, sink)
    while data := source.read(chunk):
        writer.write(data)
    writer.close()
    return writer.plaintext_size


def sealed_size(header_length: int, plaintext_size: int, seg: int) -> int:
    """The exact size of a sealed object: header, then every segment with its tag (an empty
    file still has one, empty, last segment)."""
    segments = max(1, -(-plaintext_size // seg))
    return header_length + plaintext_size + segments * TAG


def open_stream(source: BinaryIO, dek: bytes, evidence: str, dek_id: str | None = None,
                object_size: int | None = None,
                plaintext_size: int | None = None) -> Iterator[bytes]:
    """Yield the plaintext segments of a sealed object, checking every one.

    Raises DecryptionError on any tampering, a wrong key, or the wrong evidence id; a
    consumer must treat data yielded before an error as untrusted (for a truncated
    stream the error comes at the end, unless ``object_size`` and ``plaintext_size`` are
    given: a cut or extended object is then refused before the first segment).
    """
    header, aad = read_header(source)
    if header.evidence != evidence or (dek_id is not None and header.dek != dek_id):
        raise DecryptionError("this object belongs to another evidence item or key")
    if object_size is not None and plaintext_size is not None:
        expected = sealed_size(len(aad), plaintext_size, header.seg)
        if object_size != expected:
            raise DecryptionError(f"the object is {object_size} bytes, {expected} expected "
                                  "(cut short or extended)")
    aead = AESGCM(dek)
    size = header.seg + TAG
    counter = 0
    current = _read_exact(source, size)
    while True:
        following = _read_exact(source, size) if len(current) == size else b""
        if len(current) < size and source.read(1):
            raise DecryptionError("data after the last segment")
        last = not following
        if len(current) < TAG:
            raise DecryptionError("truncated object")
        try:
            yield aead.decrypt(_nonce(header.prefix, counter, last), current, aad)
        except InvalidTag:
            raise DecryptionError(f"segment {counter} failed authentication") from None
        if last:
            return
        counter += 1
        current = following


def _read_exact(source: BinaryIO, n: int) -> bytes:
    """Read n bytes, or fewer only at the end of the stream."""
    parts, remaining = [], n
    while remaining:
        data = source.read(remaining)
        if not data:
            break
        parts.append(data)
        remaining -= len(data)
    return b"".join(parts)
