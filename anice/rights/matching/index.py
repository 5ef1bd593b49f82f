"""In-memory candidate index over registered marks: n-grams, exact keys and sound-alike keys.

Sized for a million marks: postings are `array('I')` of entry numbers, one entry per
(mark, text), so a mark registered in several scripts has several entries.
"""

from array import array
from dataclasses import dataclass

import numpy as np

from .normalize import (
    collapse,
    is_native,
    join_letters,
    key_of,
    loose,
    native_tokens,
    skeleton,
    strip_generic,
    tokens,
    variants,
)

GRAM = 3
SHORT = 8  # keys this long or shorter also get a one-deletion neighbourhood
CONSONANT_CAP = 400  # a consonant outline shared by more entries than this proposes none
_VOWELS = str.maketrans("", "", "aeiouy")


def deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))} if len(key) > 2 else set()


def anagram(key: str) -> str:
    return "".join(sorted(key))


def consonants(key: str) -> str:
    """The consonant outline of a key's sound: what survives vowel swaps and vowel slips."""
    return collapse(loose(key).translate(_VOWELS))


INACTIVE = frozenset({"expired", "refused", "cancelled", "withdrawn", "lapsed"})


def grams(key: str) -> set[str]:
    padded = f"^{key}$"
    if len(padded) <= GRAM:
        return {padded}
    return {padded[i:i + GRAM] for i in range(len(padded) - GRAM + 1)}


def entry_grams(key: str) -> set[str]:
    """Grams of a key and of its shape and sound keys, so a fold on either side still meets."""
    return grams(key) | grams(skeleton(key)) | grams(loose(key))


@dataclass
class Query:
    """A query, prepared once: its keys, and for a listing title, its windows of tokens."""

    text: str
    keys: list[str]
    windows: list[str]
    is_title: bool
    plain_windows: frozenset = frozenset()
    native_keys: frozenset = frozenset()  # keys and windows read from a non-Latin script
    core: int = 0  # length of the title's key without goods and generic words

    @classmethod
    def parse(cls, text: str) -> "Query":
        toks = join_letters(tokens(text))
        keys = variants(text)
        native = native_tokens(text)
        is_title = len(toks) >= 3
        windows: dict[str, None] = {}
        plain: set[str] = set()
        native_keys: set[str] = set()
        if native and any(t in native for t in strip_generic(toks)):
            native_keys.update(keys)
        core = 0
        if is_title:
            # windows of the title without goods and generic words first; the rest score less
            stripped = strip_generic(toks, products=True)
            core = len(key_of(stripped))
            for n, base in enumerate((stripped, toks)):
                for size in range(1, 5):
                    for i in range(len(base) - size + 1):
                        w = key_of(base[i:i + size])
                        if w not in windows and n == 0:
                            plain.add(w)
                        if native and any(t in native for t in base[i:i + size]):
                            native_keys.add(w)
                        windows.setdefault(w, None)
        return cls(text, keys, list(windows), is_title, frozenset(plain),
                   frozenset(native_keys), core)


class MarkIndex:
    """Candidate generation only; `score.Matcher` ranks and explains the candidates."""

    def __init__(self, gram_cap: int = 20000):
        self.gram_cap = gram_cap
        self.mark_ids: list = []
        self.texts: list[str] = []
        self.classes: list[frozenset[int]] = []
        self.active = array("B")
        self.entry_mark = array("I")
        self.entry_key: list[str] = []
        self.entry_text = array("I")
        self.entry_size = array("H")
        self.entry_native = array("B")
        self.postings: dict[str, array] = {}
        self.exact: dict[str, object] = {}
        self.shape: dict[str, object] = {}
        self.sound: dict[str, object] = {}
        self.letters: dict[str, object] = {}
        # one-deletion neighbourhoods and consonant outlines, keyed by the (in-process) hash of
        # the string: an int key takes half the memory of a short str, a collision only adds a
        # candidate that the scorer then rejects
        self.near: dict[int, object] = {}
        self.outline: dict[int, object] = {}
        self._class_sets: dict[frozenset, frozenset] = {}

    def __len__(self) -> int:
        return len(self.mark_ids)

    def add(self, mark_id, texts, classes=(), status: str = "registered") -> None:
        """Register one mark with its word element(s), Nice classes and status."""
        if isinstance(texts, str):
            texts = [texts]
        number = len(self.mark_ids)
        self.mark_ids.append(mark_id)
        self.texts.append(texts[0] if texts else "")
        classes = frozenset(int(c) for c in classes or ())
        self.classes.append(self._class_sets.setdefault(classes, classes))
        self.active.append(0 if (status or "").lower() in INACTIVE else 1)
        for text in texts:
            key = collapse(key_of(tokens(text)))
            if key:
                self._add_entry(number, key, text is texts[0], is_native(text))

    def _add_entry(self, number: int, key: str, first: bool, native: bool = False) -> None:
        entry = len(self.entry_key)
        self.entry_mark.append(number)
        self.entry_key.append(key)
        self.entry_text.append(1 if first else 0)
        self.entry_native.append(1 if native else 0)
        gset = entry_grams(key)
        self.entry_size.append(min(len(gset), 65535))
        for g in gset:
            posting = self.postings.get(g)
            if posting is None:
                posting = self.postings[g] = array("I")
            posting.append(entry)
        for table, k in ((self.exact, key), (self.shape, skeleton(key)), (self.sound, loose(key)),
                         (self.letters, anagram(key))):
            _put(table, k, entry)
        if len(key) <= SHORT:
            for k in deletions(key) | {key}:
                _put(self.near, hash(k), entry)
        outline = consonants(key)
        if len(outline) >= 3:
            _put(self.outline, hash(outline), entry)

    def lookup(self, keys) -> list[int]:
        """Entries whose key, shape or sound equals one of `keys` exactly."""
        found: dict[int, None] = {}
        for k in keys:
            probes = [(self.exact, k), (self.shape, skeleton(k)), (self.sound, loose(k)),
                      (self.letters, anagram(k))]
            if len(k) <= SHORT + 1:
                probes += [(self.near, hash(d)) for d in deletions(k) | {k}]
            for table, probe in probes:
                for e in _get(table, probe):
                    found.setdefault(e, None)
            outline = consonants(k)
            if len(outline) >= 3:
                bucket = _get(self.outline, hash(outline))
                if len(bucket) <= CONSONANT_CAP:
                    found.update(dict.fromkeys(bucket))
        return list(found)

    def gram_candidates(self, keys, limit: int, containment: bool = False) -> list[int]:
        """Entries sharing the most grams with `keys`; rare grams only, common ones skipped."""
        qgrams: set[str] = set()
        for k in keys:
            qgrams |= entry_grams(k)
        lists = []
        for g in qgrams:
            posting = self.postings.get(g)
            if posting is not None and len(posting) <= self.gram_cap:
                lists.append(np.frombuffer(posting, dtype=np.uint32))
        if not lists:
            return []
        # count every entry's shared grams at once; views on the postings, nothing copied twice
        counts = np.bincount(np.concatenate(lists))
        del lists
        hit = np.flatnonzero(counts)
        pool = limit * 5
        if len(hit) > pool:
            hit = hit[np.argpartition(counts[hit], -pool)[-pool:]]
        shared = counts[hit].astype(np.float64)
        size = np.array([self.entry_size[e] for e in hit.tolist()], dtype=np.float64)
        if containment:
            rank = shared / size + shared / 1000
        else:
            rank = 2 * shared / (size + len(qgrams))
        order = np.argsort(-rank, kind="stable")[:limit]
        return hit[order].tolist()

    def candidates(self, query, limit: int = 200) -> list[int]:
        """Entry numbers worth scoring for `query` (text or `Query`), best guesses first."""
        q = query if isinstance(query, Query) else Query.parse(query)
        found: dict[int, None] = dict.fromkeys(self.lookup(q.keys[:3]))
        if q.is_title:
            found.update(dict.fromkeys(self.lookup(q.windows)))
        for e in self.gram_candidates(q.keys[:3], limit):
            found.setdefault(e, None)
        if q.is_title:
            for e in self.gram_candidates(q.windows, limit, containment=True):
                found.setdefault(e, None)
        return list(found)

    def memory_bytes(self) -> int:
        """A rough size of the index structures, for benchmarks."""
        import sys

        total = sum(sys.getsizeof(a) for a in (self.active, self.entry_mark, self.entry_text,
                                               self.entry_size, self.entry_native))
        total += sum(sys.getsizeof(g) + sys.getsizeof(p) for g, p in self.postings.items())
        total += sys.getsizeof(self.postings)
        for table in (self.exact, self.shape, self.sound, self.letters, self.near, self.outline):
            total += sys.getsizeof(table) + sum(sys.getsizeof(k) for k in table)
        total += sum(sys.getsizeof(k) for k in self.entry_key) + sys.getsizeof(self.entry_key)
        total += sum(sys.getsizeof(t) for t in self.texts) + sys.getsizeof(self.texts)
        total += sys.getsizeof(self.classes) + sys.getsizeof(self.mark_ids)
        return total


def _put(table: dict, key, entry: int) -> None:
    if not key:
        return
    current = table.get(key)
    if current is None:
        table[key] = entry
    elif isinstance(current, int):
        table[key] = array("I", (current, entry))
    else:
        current.append(entry)


def _get(table: dict, key):
    value = table.get(key)
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else value
