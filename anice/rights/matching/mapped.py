"""The candidate index as one read-only file that every process of a machine maps.

The file holds what `MarkIndex` holds, flattened: per mark its id, registry version
(updated_at in microseconds), class bits, status and text; per entry its mark, key, shape,
sound, gram count and script; each table (grams, exact keys, shapes, sounds, anagrams, near
keys, vowel-blind keys, consonant outlines) as a sorted array of 64-bit key hashes, offsets
and a postings array. Lookups are binary searches (`numpy.searchsorted`) on the mapped
pages, so the operating system shares them between processes and a new process answers at
once. The candidate logic is `CandidateSource`'s, unchanged: the same marks are proposed.

Layout: ``ANICEIDX`` + header length (8 bytes, little-endian) + a JSON header (format,
registry version, counts, sections with offset/dtype/length, SHA-256 of the body, total
size), then the sections, each aligned to 64 bytes.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from .index import CandidateSource

MAGIC = b"ANICEIDX"
FORMAT = 1
ALIGN = 64
TABLES = ("grams", "exact", "shape", "sound", "letters", "near", "outline", "blind")
MAX_BITS = 63


class IndexFileError(Exception):
    """The index file is missing, truncated, corrupt or of another format."""


def stable_hash(key: str) -> int:
    """A 64-bit hash of `key`, the same in every process (Python's `hash` is salted)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


class StrColumn:
    """Strings of a mapped blob by position."""

    def __init__(self, offsets: np.ndarray, blob: memoryview):
        self.offsets, self.blob = offsets, blob
        # plain memoryviews: indexing gives Python ints without numpy's scalar overhead
        self._starts = memoryview(offsets).cast("B").cast("Q")

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i) -> str:
        starts = self._starts
        return str(self.blob[starts[i]:starts[i + 1]], "utf-8", "surrogatepass")

    def __iter__(self) -> Iterator[str]:
        offsets = self.offsets.tolist()
        for start, end in zip(offsets, offsets[1:], strict=False):
            yield str(self.blob[start:end], "utf-8", "surrogatepass")


class _Ints:
    def __init__(self, values: np.ndarray):
        self.values = values

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, i) -> int:
        return int(self.values[int(i)])


class _ClassSets:
    """A mark's classes as a frozenset, from its class bits."""

    def __init__(self, bits: np.ndarray):
        self.bits = bits

    def __getitem__(self, i) -> frozenset[int]:
        bits = int(self.bits[int(i)])
        return frozenset(c for c in range(1, MAX_BITS + 1) if bits >> c & 1)


def read_header(path: str) -> tuple[dict[str, Any], int]:
    """The file's header and where its body starts; IndexFileError when unreadable."""
    try:
        with open(path, "rb") as fh:
            start = fh.read(16)
            if len(start) < 16 or start[:8] != MAGIC:
                raise IndexFileError(f"{path}: not an ANICE index file")
            length = int.from_bytes(start[8:], "little")
            if length > 1 << 24:
                raise IndexFileError(f"{path}: header length {length} is not plausible")
            header = json.loads(fh.read(length))
    except OSError as exc:
        raise IndexFileError(f"{path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise IndexFileError(f"{path}: header unreadable ({exc})") from exc
    if header.get("format") != FORMAT:
        raise IndexFileError(f"{path}: format {header.get('format')}, this code reads {FORMAT}")
    body = 16 + length
    size = os.path.getsize(path)
    if size != body + header["body_bytes"]:
        raise IndexFileError(f"{path}: {size} bytes, the header says "
                             f"{body + header['body_bytes']} (truncated or overwritten)")
    return header, body


def verify(path: str) -> dict[str, Any]:
    """Check the body's SHA-256 against the header (read through the page cache)."""
    header, body = read_header(path)
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        fh.seek(body)
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    if digest.hexdigest() != header["sha256"]:
        raise IndexFileError(f"{path}: checksum mismatch (corrupt)")
    return header


class MappedIndex(CandidateSource):
    """A `MarkIndex` read from a mapped file: what `Matcher` needs, nothing in the heap."""

    def __init__(self, path: str, check: bool = True):
        header = verify(path) if check else read_header(path)[0]
        _, body = read_header(path)
        self.path, self.header = path, header
        self.registry = header["registry"]
        self.gram_cap = header["gram_cap"]
        with open(path, "rb") as fh:
            self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        view = memoryview(self._map)
        arrays = {}
        for name, s in header["sections"].items():
            arrays[name] = np.frombuffer(self._map, dtype=np.dtype(s["dtype"]), count=s["count"],
                                         offset=body + s["offset"])
        self.mark_id_array = arrays["mark_ids"]
        self.mark_updated = arrays["mark_updated"]
        self.mark_ids = _Ints(arrays["mark_ids"])
        self.class_bits = arrays["class_bits"]
        self.classes = _ClassSets(self.class_bits)
        self.active = arrays["active"]
        self.entry_mark = arrays["entry_mark"]
        self.entry_native = arrays["entry_native"]
        self._sizes = arrays["entry_size"]

        def strings(name):
            blob = header["sections"][f"{name}.blob"]
            return StrColumn(arrays[f"{name}.offsets"],
                             view[body + blob["offset"]:body + blob["offset"] + blob["count"]])

        self.texts = strings("texts")
        self.entry_key = strings("entry_key")
        self.entry_shape = strings("entry_shape")
        self.entry_sound = strings("entry_sound")
        self._tables = {name: (arrays[f"{name}.keys"], arrays[f"{name}.offsets"],
                               arrays[f"{name}.postings"]) for name in TABLES}

    def __len__(self) -> int:
        return len(self.mark_id_array)

    def _bucket(self, table: str, key_hash: int) -> np.ndarray:
        keys, offsets, postings = self._tables[table]
        i = int(np.searchsorted(keys, np.uint64(key_hash)))
        if i == len(keys) or int(keys[i]) != key_hash:
            return postings[:0]
        start, end = offsets[i:i + 2].tolist()
        return postings[start:end]

    def bucket(self, table: str, key: str):
        if not key:
            return ()
        return self._bucket(table, stable_hash(key)).tolist()

    def posting(self, gram: str):
        found = self._bucket("grams", stable_hash(gram))
        return found if len(found) else None

    def entry_sizes(self) -> np.ndarray:
        return self._sizes

    def positions(self, mark_ids: Iterable[int]) -> np.ndarray:
        """The mark numbers of the given right ids that the file holds."""
        wanted = np.fromiter(mark_ids, dtype=np.int64)
        at = np.searchsorted(self.mark_id_array, wanted)
        at = np.minimum(at, max(0, len(self) - 1))
        if not len(self):
            return np.zeros(0, np.int64)
        return at[self.mark_id_array[at] == wanted]

    def close(self) -> None:
        """Unmap (only when no array of the file is in use any more)."""
        try:
            self._map.close()
        except BufferError:
            pass  # a view is still alive: the mapping goes with the last reference
