"""Writing the shared index file (format in `mapped.py`): the marks indexed chunk by
chunk with `MarkIndex` (in several processes for a large registry), each table's (key hash,
entry) pairs gathered, sorted and written as sorted keys, offsets and postings."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import os
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

from .index import MarkIndex
from .mapped import ALIGN, FORMAT, MAGIC, TABLES, stable_hash

CHUNK = 200_000  # marks per in-heap build step: bounds the builder's memory
HEADER_ROOM = 1 << 16  # the JSON header takes about 5 KiB


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

    def extend_encoded(self, blob: bytes, offsets: np.ndarray) -> None:
        """Append another blob's strings (its offsets start at 0)."""
        base = len(self.blob)
        self.blob += blob
        self.offsets.extend((offsets[1:] + np.uint64(base)).tolist())


def _pairs(table: dict, hashed: bool) -> tuple[np.ndarray, np.ndarray]:
    """A table's (key hash, entry) pairs, entries ascending within a key."""
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
    hashes = [np.array(one_keys, dtype=np.uint64),
              np.repeat(np.array(many_keys, dtype=np.uint64), many_counts)]
    entries = [np.array(one_entries, dtype=np.uint32), *many]
    return np.concatenate(hashes), np.concatenate(entries)


def _csr(postings: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A part's gram postings as sorted key hashes, offsets and entries: 4 bytes an entry,
    a third of (hash, entry) pairs; the parts are merged without a global sort."""
    hashes = np.array([stable_hash(g) for g in postings], dtype=np.uint64)
    order = np.argsort(hashes)
    lists = list(postings.values())
    arrays = [np.frombuffer(lists[i], dtype=np.uint32) for i in order.tolist()]
    lengths = np.array([len(a) for a in arrays], dtype=np.int64)
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    entries = np.concatenate(arrays) if arrays else np.zeros(0, np.uint32)
    return hashes[order], offsets, entries


def _merge_csr(parts: list[tuple]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge the parts' (keys, offsets, entries), in part order: each key's entries ascend."""
    if not parts:
        return np.zeros(0, np.uint64), np.zeros(1, np.uint64), np.zeros(0, np.uint32)
    union = np.unique(np.concatenate([keys for keys, _, _ in parts]))
    starts = np.zeros(len(union) + 1, dtype=np.int64)
    for keys, offsets, _ in parts:  # keys are distinct within a part
        starts[1:][np.searchsorted(union, keys)] += np.diff(offsets)
    np.cumsum(starts, out=starts)
    filled = starts[:-1].copy()
    merged = np.empty(int(starts[-1]), dtype=np.uint32)
    while parts:
        keys, offsets, entries = parts.pop(0)
        at = np.searchsorted(union, keys)
        lengths = np.diff(offsets)
        shift = np.repeat(filled[at] - offsets[:-1], lengths)
        merged[np.arange(len(entries)) + shift] = entries
        filled[at] += lengths
    return union, starts.astype(np.uint64), merged


def _stable_key(key: str) -> int:
    return stable_hash(key)


def index_part(marks: list[tuple], gram_cap: int = 20000) -> dict[str, Any]:
    """One chunk of marks ((id, texts, classes, status, updated_us)) indexed, as plain arrays
    numbered from 0 (a separate process may do it: the result pickles)."""
    part = MarkIndex(gram_cap, key_hash=_stable_key)
    for mark_id, texts, classes, status, _updated in marks:
        part.add(mark_id, texts, classes, status)
    out: dict[str, Any] = {
        "mark_ids": np.array(part.mark_ids, dtype=np.int64),
        "updated": np.array([m[4] for m in marks], dtype=np.int64),
        "class_bits": np.frombuffer(part.class_bits, np.uint64).copy(),
        "active": np.frombuffer(part.active, np.uint8).copy(),
        "entry_mark": np.frombuffer(part.entry_mark, np.uint32).copy(),
        "entry_size": np.frombuffer(part.entry_size, np.uint16).copy(),
        "entry_native": np.frombuffer(part.entry_native, np.uint8).copy()}
    for name, column in (("texts", part.texts), ("key", part.entry_key),
                         ("shape", part.entry_shape), ("sound", part.entry_sound)):
        strings = _Strings()
        strings.extend(column)
        out["strings." + name] = (bytes(strings.blob),
                                  np.frombuffer(strings.offsets, np.uint64).copy())
    out["grams"] = _csr(part.postings)
    for name in TABLES[1:]:
        out[name] = _pairs(getattr(part, name), name in MarkIndex.HASHED)
    return out


class Builder:
    """Add marks (in ascending id order) or parts made by `index_part`, then `write`."""

    def __init__(self, gram_cap: int = 20000, chunk: int = CHUNK):
        self.gram_cap, self.chunk = gram_cap, chunk
        self.columns: dict[str, list[np.ndarray]] = {
            name: [] for name in ("mark_ids", "updated", "class_bits", "active", "entry_mark",
                                  "entry_size", "entry_native")}
        self.marks = self.entries = 0
        self.strings = {name: _Strings() for name in ("texts", "key", "shape", "sound")}
        self.pairs: dict[str, tuple[list, list]] = {name: ([], []) for name in TABLES[1:]}
        self.gram_parts: list[tuple] = []
        self._pending: list[tuple] = []

    def add(self, mark_id: int, texts, classes, status: str, updated_us: int) -> None:
        self._pending.append((mark_id, texts, classes, status, updated_us))
        if len(self._pending) >= self.chunk:
            self.add_part(index_part(self._pending, self.gram_cap))
            self._pending = []

    def add_part(self, part: dict[str, Any]) -> None:
        """Append a part: its marks and entries after those already added."""
        mark_base, entry_base = self.marks, self.entries
        for name, column in self.columns.items():
            values = part[name]
            column.append(values + np.uint32(mark_base) if name == "entry_mark" else values)
        for name, strings in self.strings.items():
            strings.extend_encoded(*part["strings." + name])
        keys, offsets, entries = part["grams"]
        self.gram_parts.append((keys, offsets, entries + np.uint32(entry_base)))
        for name in TABLES[1:]:
            hashes, entries = part[name]
            self.pairs[name][0].append(hashes)
            self.pairs[name][1].append(entries + np.uint32(entry_base))
        self.marks += len(part["mark_ids"])
        self.entries += len(part["entry_mark"])

    def _table(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sorted distinct hashes, offsets into the postings, postings (ascending entries)."""
        if name == "grams":
            return _merge_csr(self.gram_parts)
        hashes_list, entries_list = self.pairs.pop(name)
        hashes = np.concatenate(hashes_list) if hashes_list else np.zeros(0, np.uint64)
        entries = np.concatenate(entries_list) if entries_list else np.zeros(0, np.uint32)
        del hashes_list[:], entries_list[:]
        order = np.argsort(hashes, kind="stable")  # parts come in entry order
        hashes, entries = hashes[order], entries[order]
        del order
        starts = np.flatnonzero(np.r_[True, hashes[1:] != hashes[:-1]]) if len(hashes) else \
            np.zeros(0, np.int64)
        return hashes[starts], np.append(starts, len(hashes)).astype(np.uint64), entries

    def write(self, path: str, registry: dict[str, Any]) -> dict[str, Any]:
        """Write the file at `path` (fsynced); returns its header."""
        if self._pending:
            self.add_part(index_part(self._pending, self.gram_cap))
            self._pending = []
        dtypes = {"mark_ids": np.int64, "updated": np.int64, "class_bits": np.uint64,
                  "active": np.uint8, "entry_mark": np.uint32, "entry_size": np.uint16,
                  "entry_native": np.uint8}
        column = {name: np.concatenate(parts).astype(dtypes[name], copy=False) if parts
                  else np.zeros(0, dtypes[name]) for name, parts in self.columns.items()}
        sections: list[tuple[str, Any]] = [
            ("mark_ids", column["mark_ids"]), ("mark_updated", column["updated"]),
            ("class_bits", column["class_bits"]), ("active", column["active"]),
            ("entry_mark", column["entry_mark"]), ("entry_size", column["entry_size"]),
            ("entry_native", column["entry_native"])]
        for name, strings in self.strings.items():
            label = name if name == "texts" else f"entry_{name}"
            sections += [(f"{label}.offsets", np.frombuffer(strings.offsets, np.uint64)),
                         (f"{label}.blob", np.frombuffer(strings.blob, np.uint8))]
        del column

        def tables():
            for name in TABLES:  # one table's arrays at a time: written, then freed
                keys, offsets, postings = self._table(name)
                yield f"{name}.keys", keys
                del keys
                yield f"{name}.offsets", offsets
                del offsets
                yield f"{name}.postings", postings
                del postings

        return _write(path, itertools.chain(sections, tables()),
                      {"format": FORMAT, "registry": registry, "marks": self.marks,
                       "entries": self.entries, "gram_cap": self.gram_cap})


def _write(path: str, sections: Iterator[tuple[str, np.ndarray]], header: dict) -> dict:
    """Write the sections as they come after room for the header, then the header."""
    layout, position = {}, 0
    digest = hashlib.sha256()
    with open(path, "wb") as fh:
        fh.seek(HEADER_ROOM)
        for name, data in sections:
            raw = memoryview(np.ascontiguousarray(data)).cast("B")
            pad = b"\0" * (-len(raw) % ALIGN)
            layout[name] = {"offset": position, "dtype": data.dtype.str, "count": len(data)}
            digest.update(raw)
            digest.update(pad)
            fh.write(raw)
            fh.write(pad)
            position += len(raw) + len(pad)
            del raw, data
        header = {**header, "sections": layout, "body_bytes": position,
                  "sha256": digest.hexdigest()}
        head = _header_bytes(header)
        if len(head) > HEADER_ROOM:
            raise ValueError(f"index header of {len(head)} bytes exceeds {HEADER_ROOM}")
        fh.seek(0)
        fh.write(head)
        fh.flush()
        os.fsync(fh.fileno())
    return header


def _header_bytes(header: dict) -> bytes:
    """Magic, length, JSON padded with spaces to fill HEADER_ROOM (the body starts there)."""
    text = json.dumps(header, sort_keys=True).encode()
    text += b" " * max(0, HEADER_ROOM - 16 - len(text))
    return MAGIC + len(text).to_bytes(8, "little") + text


def _chunks(rows: Iterable[tuple], size: int) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build_file(path: str, marks: Iterable[tuple], registry: dict[str, Any],
               progress: Callable[[int], None] | None = None, processes: int = 1,
               gram_cap: int = 20000) -> dict[str, Any]:
    """Index `marks` ((id, texts, classes, status, updated_us), ids ascending) into `path`,
    chunk by chunk: in this process for a small registry, else in `processes` processes
    (0: one per CPU) while this one reads the marks and gathers the parts."""
    processes = processes or os.cpu_count() or 1
    builder = Builder(gram_cap)
    chunks = _chunks(marks, CHUNK)
    first = next(chunks, None)
    done = 0

    def add(part: dict) -> None:
        nonlocal done
        builder.add_part(part)
        done += len(part["mark_ids"])
        if progress:
            progress(done)

    if first is not None and (processes < 2 or len(first) < CHUNK):
        for chunk in itertools.chain([first], chunks):
            add(index_part(chunk, gram_cap))
    elif first is not None:
        context = multiprocessing.get_context("forkserver")  # none of this process's threads
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            pending: deque = deque()
            for chunk in itertools.chain([first], chunks):
                pending.append(pool.submit(index_part, chunk, gram_cap))
                while len(pending) > processes:  # bounded: the rows wait in the database
                    add(pending.popleft().result())
            while pending:
                add(pending.popleft().result())
    return builder.write(path, registry)
