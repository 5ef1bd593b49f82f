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
from array import array
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .index import CandidateSource, MarkIndex

MAGIC = b"ANICEIDX"
FORMAT = 1
ALIGN = 64
CHUNK = 200_000  # marks per in-heap build step: bounds the builder's memory
TABLES = ("grams", "exact", "shape", "sound", "letters", "near", "outline", "blind")
MAX_BITS = 63


class IndexFileError(Exception):
    """The index file is missing, truncated, corrupt or of another format."""


def stable_hash(key: str) -> int:
    """A 64-bit hash of `key`, the same in every process (Python's `hash` is salted)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"),
                                          digest_size=8).digest(), "little")


# --- writing -------------------------------------------------------------------------

class _Strings:
    """Strings appended into one UTF-8 blob with offsets."""

    def __init__(self):
        self.blob = bytearray()
        self.offsets = array("Q", [0])

    def extend(self, texts: Iterable[str]) -> None:
        blob, offsets = self.blob, self.offsets
        for text in texts:
            blob += text.encode("utf-8", "surrogatepass")
            offsets.append(len(blob))


class _Pairs:
    """(key hash, entry) pairs of one table, gathered chunk by chunk."""

    def __init__(self):
        self.hashes: list[np.ndarray] = []
        self.entries: list[np.ndarray] = []

    def add(self, table: dict, base: int, hashed: bool) -> None:
        one_keys, one_entries, many_keys, many_counts, many = [], [], [], [], []
        for key, value in table.items():
            h = key if hashed else stable_hash(key)
            if isinstance(value, int):
                one_keys.append(h)
                one_entries.append(value)
            else:
                many_keys.append(h)
                many_counts.append(len(value))
                many.append(np.frombuffer(value, dtype=np.uint32))
        if one_keys:
            self.hashes.append(np.array(one_keys, dtype=np.uint64))
            self.entries.append(np.array(one_entries, dtype=np.uint32) + np.uint32(base))
        if many_keys:
            self.hashes.append(np.repeat(np.array(many_keys, dtype=np.uint64), many_counts))
            self.entries.append(np.concatenate(many) + np.uint32(base))

    def table(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sorted distinct hashes, offsets into the postings, postings (ascending entries)."""
        if not self.hashes:
            return (np.zeros(0, np.uint64), np.zeros(1, np.uint64), np.zeros(0, np.uint32))
        hashes = np.concatenate(self.hashes)
        entries = np.concatenate(self.entries)
        self.hashes, self.entries = [], []
        order = np.argsort(hashes, kind="stable")  # chunks come in entry order
        hashes, entries = hashes[order], entries[order]
        del order
        starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]])
        keys = hashes[starts]
        offsets = np.append(starts, len(hashes)).astype(np.uint64)
        return keys, offsets, entries


def _stable_key(key: str) -> int:
    return stable_hash(key)


class Builder:
    """Add marks (in ascending id order), then `write` the file."""

    def __init__(self, gram_cap: int = 20000, chunk: int = CHUNK):
        self.gram_cap, self.chunk = gram_cap, chunk
        self.mark_ids = array("q")
        self.updated = array("q")
        self.class_bits = array("Q")
        self.active = array("B")
        self.texts = _Strings()
        self.entry_mark = array("I")
        self.entry_size = array("H")
        self.entry_native = array("B")
        self.strings = {"key": _Strings(), "shape": _Strings(), "sound": _Strings()}
        self.pairs = {name: _Pairs() for name in TABLES}
        self._part = MarkIndex(gram_cap, key_hash=_stable_key)
        self._part_updated: list[int] = []

    def add(self, mark_id: int, texts, classes, status: str, updated_us: int) -> None:
        self._part.add(mark_id, texts, classes, status)
        self._part_updated.append(updated_us)
        if len(self._part) >= self.chunk:
            self._flush()

    def _flush(self) -> None:
        part = self._part
        if not len(part):
            return
        mark_base, entry_base = len(self.mark_ids), len(self.entry_mark)
        self.mark_ids.extend(part.mark_ids)
        self.updated.extend(self._part_updated)
        self.class_bits.extend(part.class_bits)
        self.active.extend(part.active)
        self.texts.extend(part.texts)
        self.entry_mark.extend(np.frombuffer(part.entry_mark, np.uint32) + np.uint32(mark_base))
        self.entry_size.extend(part.entry_size)
        self.entry_native.extend(part.entry_native)
        for name, column in (("key", part.entry_key), ("shape", part.entry_shape),
                             ("sound", part.entry_sound)):
            self.strings[name].extend(column)
        self.pairs["grams"].add(part.postings, entry_base, hashed=False)
        for name in TABLES[1:]:
            self.pairs[name].add(getattr(part, name), entry_base, name in MarkIndex.HASHED)
        self._part = MarkIndex(self.gram_cap, key_hash=_stable_key)
        self._part_updated = []

    def write(self, path: str, registry: dict[str, Any]) -> dict[str, Any]:
        """Write the file at `path` (fsynced); returns its header."""
        self._flush()
        sections: list[tuple[str, np.ndarray]] = [
            ("mark_ids", np.frombuffer(self.mark_ids, np.int64)),
            ("mark_updated", np.frombuffer(self.updated, np.int64)),
            ("class_bits", np.frombuffer(self.class_bits, np.uint64)),
            ("active", np.frombuffer(self.active, np.uint8)),
            ("texts.offsets", np.frombuffer(self.texts.offsets, np.uint64)),
            ("texts.blob", np.frombuffer(self.texts.blob, np.uint8)),
            ("entry_mark", np.frombuffer(self.entry_mark, np.uint32)),
            ("entry_size", np.frombuffer(self.entry_size, np.uint16)),
            ("entry_native", np.frombuffer(self.entry_native, np.uint8)),
        ]
        for name, strings in self.strings.items():
            sections += [(f"entry_{name}.offsets", np.frombuffer(strings.offsets, np.uint64)),
                         (f"entry_{name}.blob", np.frombuffer(strings.blob, np.uint8))]
        for name in TABLES:
            keys, offsets, postings = self.pairs[name].table()
            sections += [(f"{name}.keys", keys), (f"{name}.offsets", offsets),
                         (f"{name}.postings", postings)]
        layout, position = {}, 0
        for name, data in sections:
            layout[name] = {"offset": position, "dtype": data.dtype.str, "count": len(data)}
            position += -(-data.nbytes // ALIGN) * ALIGN
        digest = hashlib.sha256()
        header = {"format": FORMAT, "registry": registry, "marks": len(self.mark_ids),
                  "entries": len(self.entry_mark), "gram_cap": self.gram_cap,
                  "sections": layout, "body_bytes": position}
        with open(path, "wb") as fh:
            head = _header_bytes({**header, "sha256": "0" * 64})
            fh.write(head)
            for _name, data in sections:
                raw = data.tobytes()
                pad = b"\0" * (-len(raw) % ALIGN)
                digest.update(raw)
                digest.update(pad)
                fh.write(raw)
                fh.write(pad)
            header["sha256"] = digest.hexdigest()
            fh.seek(0)
            fh.write(_header_bytes(header))  # the same length: only the digest changed
            fh.flush()
            os.fsync(fh.fileno())
        return header


def _header_bytes(header: dict) -> bytes:
    text = json.dumps(header, sort_keys=True).encode()
    text += b" " * (-(len(text) + 16) % ALIGN)
    return MAGIC + len(text).to_bytes(8, "little") + text


def build_file(path: str, marks: Iterable[tuple], registry: dict[str, Any],
               progress: Callable[[int], None] | None = None,
               gram_cap: int = 20000) -> dict[str, Any]:
    """Index `marks` ((id, texts, classes, status, updated_us), ids ascending) into `path`."""
    builder = Builder(gram_cap)
    for n, (mark_id, texts, classes, status, updated_us) in enumerate(marks, 1):
        builder.add(mark_id, texts, classes, status, updated_us)
        if progress and n % 100_000 == 0:
            progress(n)
    return builder.write(path, registry)


# --- reading -------------------------------------------------------------------------

class StrColumn:
    """Strings of a mapped blob by position."""

    def __init__(self, offsets: np.ndarray, blob: memoryview):
        self.offsets, self.blob = offsets, blob

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i) -> str:
        i = int(i)
        start, end = self.offsets[i:i + 2].tolist()
        return str(self.blob[start:end], "utf-8", "surrogatepass")


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
