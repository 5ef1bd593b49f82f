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
    out["grams"] = _pairs(part.postings, hashed=False)
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
        self.pairs: dict[str, tuple[list, list]] = {name: ([], []) for name in TABLES}
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
        for name in TABLES:
            hashes, entries = part[name]
            self.pairs[name][0].append(hashes)
            self.pairs[name][1].append(entries + np.uint32(entry_base))
        self.marks += len(part["mark_ids"])
        self.entries += len(part["entry_mark"])

    def _table(self, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Sorted distinct hashes, offsets into the postings, postings (ascending entries)."""
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
        for name in TABLES:
            keys, offsets, postings = self._table(name)
            sections += [(f"{name}.keys", keys), (f"{name}.offsets", offsets),
                         (f"{name}.postings", postings)]
        return _write(path, sections, {"format": FORMAT, "registry": registry,
                                       "marks": self.marks, "entries": self.entries,
                                       "gram_cap": self.gram_cap})


def _write(path: str, sections: list[tuple[str, np.ndarray]], header: dict) -> dict:
    layout, position = {}, 0
    for name, data in sections:
        layout[name] = {"offset": position, "dtype": data.dtype.str, "count": len(data)}
        position += -(-data.nbytes // ALIGN) * ALIGN
    header = {**header, "sections": layout, "body_bytes": position}
    digest = hashlib.sha256()
    with open(path, "wb") as fh:
        fh.write(_header_bytes({**header, "sha256": "0" * 64}))
        for _name, data in sections:
            raw = memoryview(np.ascontiguousarray(data)).cast("B")
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
