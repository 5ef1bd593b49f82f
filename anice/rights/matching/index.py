"""In-memory candidate index over registered marks: n-grams, exact keys and sound-alike keys.

Sized for a million marks: postings are `array('I')` of entry numbers, one entry per
(mark, text), so a mark registered in several scripts has several entries.
"""

import sys
from array import array
from dataclasses import dataclass, field

import numpy as np

from ...text.brand import (
    collapse,
    consonants,
    han_key,
    is_native,
    join_letters,
    key_of,
    loose,
    native_tokens,
    skeleton,
    strip_generic,
    tokens,
    vowel_blind,
    weighted_variants,
)
from ...text.cjk import has_han

GRAM = 3
# Postings one gram lookup reads at most beyond the rare grams' (see gram_candidates).
GRAM_BUDGET = 400_000
SHORT = 8  # sound keys this long or shorter also get a one-deletion neighbourhood
PLAIN_SHORT = 5  # ... and plain keys this long or shorter
TITLE_WORDS = 3  # a text of this many words is also read word by word, as a listing title
CONSONANT_CAP = 400  # a consonant outline shared by more entries than this proposes none
NEAR_CAP = 60  # a two-deletion probe meeting more entries than this proposes none
# the script of a mark's text: Latin, a script read letter by letter (Thai, Khmer, kana...), or
# Chinese characters (a Chinese name is chosen per character, for sound or meaning)
LATIN, PHONETIC, HAN = 0, 1, 2


def deletions(key: str) -> set[str]:
    return {key[:i] + key[i + 1:] for i in range(len(key))} if len(key) > 2 else set()


def deletions2(key: str) -> set[str]:
    """Keys two letters shorter: with the index's one-deletion keys (symmetric delete), they
    meet marks two edits away (an added letter and a changed one, two added letters...)."""
    if len(key) < 5:
        return set()
    return {d2 for d in deletions(key) for d2 in deletions(d)}


def anagram(key: str) -> str:
    return "".join(sorted(key))


def class_bits(classes) -> int:
    """Classes 1-63 as bits of one integer (Nice has 45): the index filters and boosts
    candidates by class with one AND per candidate, no set and no database."""
    bits = 0
    for c in classes or ():
        if 1 <= int(c) <= 63:
            bits |= 1 << int(c)
    return bits


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
    """A query, prepared once: its keys, and for a listing title, its windows of tokens.

    `rows` lists every string to compare with the marks, with its weight: the query's keys
    weigh 1; a title's windows weigh less, the less of the title's core (the words that are
    not goods or generic words) they explain.
    """

    text: str
    keys: list[str]
    windows: list[str]
    is_title: bool
    native_keys: frozenset = frozenset()  # keys and windows read from a non-Latin script
    han: bool = False  # written in Chinese characters
    core: str = ""  # the key of a text of several words without its goods and generic words
    core_windows: list[str] = field(default_factory=list)  # windows of the core's words
    words: int = 0
    rows: list[str] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str, title_weight: float = 1.0, other_words: float = 0.85,
              coverage: float = 0.3) -> "Query":
        toks = join_letters(tokens(text))
        weighted = weighted_variants(text)
        han = has_han(text)
        if han and han_key(text):  # Chinese characters also compared as characters
            weighted = {**weighted, han_key(text): 1.0}
        keys = list(weighted)
        native = native_tokens(text)
        is_title = len(toks) >= TITLE_WORDS
        windows: dict[str, float] = {}
        native_keys: set[str] = set()
        if native and any(t in native for t in strip_generic(toks)):
            native_keys.update(keys)
        core = key_of(strip_generic(toks, products=True)) if len(toks) > 1 else ""
        core_windows: list[str] = []
        if is_title:
            # windows of the title without goods and generic words first; the rest score less
            stripped = strip_generic(toks, products=True)
            for n, base in enumerate((stripped, toks)):
                for size in range(1, 5):
                    for i in range(len(base) - size + 1):
                        w = key_of(base[i:i + size])
                        if w in windows:
                            continue
                        if native and any(t in native for t in base[i:i + size]):
                            native_keys.add(w)
                        if n == 0:
                            core_windows.append(w)
                        weight = title_weight if n == 0 else other_words
                        share = min(1.0, len(w) / max(1, len(core)))
                        windows[w] = weight * (1 - coverage + coverage * share)
        rows = dict(weighted)
        for w, weight in windows.items():
            rows.setdefault(w, weight)
        return cls(text, keys, list(windows), is_title, frozenset(native_keys), han,
                   core, core_windows, len(toks), list(rows), list(rows.values()))


class CandidateSource:
    """Candidate generation over tables reached through `bucket`, `posting` and
    `entry_sizes`: the same logic for the in-heap index and the mapped file."""

    gram_cap: int

    def lookup(self, keys, near: bool = True) -> list[int]:
        """Entries whose key, shape or sound equals one of `keys`; with `near`, also those whose
        sound is one or two edits away or whose consonant outline is the same (when few marks
        share it)."""
        bucket = self.bucket
        found: dict[int, None] = {}
        for k in keys:
            sound = loose(k)
            probes = [("exact", k), ("shape", skeleton(k)), ("sound", sound)]
            if near:
                probes.append(("letters", anagram(k)))
                if len(sound) <= SHORT + 1:
                    probes += [("near", d) for d in deletions(sound) | {sound}]
                if len(k) <= PLAIN_SHORT + 1:
                    probes += [("near", d) for d in deletions(k) | {k}]
            for table, probe in probes:
                for e in bucket(table, probe):
                    found.setdefault(int(e), None)
            if not near:
                continue
            if len(sound) <= SHORT + 2:
                for d in deletions2(sound):
                    entries = bucket("near", d)
                    if len(entries) <= NEAR_CAP:
                        found.update(dict.fromkeys(map(int, entries)))
            if 3 <= len(sound) <= SHORT + 1:
                blind = vowel_blind([sound])[0]
                for d in deletions(blind) | {blind}:
                    entries = bucket("blind", d)
                    if len(entries) <= NEAR_CAP:
                        found.update(dict.fromkeys(map(int, entries)))
            outline = consonants(k)
            if len(outline) >= 3:
                entries = bucket("outline", outline)
                if len(entries) <= CONSONANT_CAP:
                    found.update(dict.fromkeys(map(int, entries)))
        return list(found)

    def gram_candidates(self, keys, limit: int, containment: bool = False) -> list[int]:
        """Entries sharing the most grams with `keys`; rare grams only, common ones skipped."""
        qgrams: set[str] = set()
        for k in keys:
            qgrams |= entry_grams(k)
        # Rare grams always; then the commoner ones, rarest first, while the postings read stay
        # within a budget: in a big registry a misspelt brand may share only common grams
        # with its mark (at 10M marks "ralp lauren" shares none under the cap with "ralph
        # lauren"), and the budget bounds what a query reads however big the registry grows.
        found_lists = sorted((p for p in map(self.posting, qgrams) if p is not None), key=len)
        lists, total = [], 0
        for posting in found_lists:
            if len(posting) > self.gram_cap and total + len(posting) > GRAM_BUDGET:
                break
            lists.append(posting)
            total += len(posting)
        if not lists:
            return []
        # count every entry's shared grams at once; views on the postings, nothing copied twice
        flat = np.concatenate(lists)
        del lists
        sizes = self.entry_sizes()
        # Sort unless the postings outnumber the entries: a table of counts over every entry
        # costs its allocation and scan whatever the query (about 70 ms at 10M marks, where
        # merging 700,000 sorted postings takes about 10 ms; docs/performance.md).
        pool = limit * 5
        if len(flat) < len(sizes):
            # Most entries share one gram only: those sharing more are the repeats of the
            # sorted postings, counted apart (a fraction of all); all only when too few.
            flat.sort(kind="stable")  # each posting is sorted: Timsort merges the runs
            repeats = flat[1:][flat[1:] == flat[:-1]]
            hit, shared = _runs(repeats)
            if len(hit) >= pool:
                shared += 1
            else:
                hit, shared = _runs(flat)
        else:
            counts = np.bincount(flat)
            found = np.flatnonzero(counts)
            counts = counts[found]
            many = counts > 1  # most entries share one gram only: skip them early
            hit, shared = (found[many], counts[many]) if many.sum() >= pool else (found, counts)
        del flat
        shared = shared.astype(np.float32)
        size = sizes[hit]
        if containment:
            rank = shared / size + shared / 1000
        else:
            rank = 2 * shared / (size + len(qgrams))
        if len(hit) > limit:
            top = np.argpartition(-rank, limit)[:limit]
            hit, rank = hit[top], rank[top]
        return hit[np.argsort(-rank, kind="stable")].tolist()

    def candidates(self, query, limit: int = 200) -> list[int]:
        """Entry numbers worth scoring for `query` (text or `Query`), best guesses first."""
        q = query if isinstance(query, Query) else Query.parse(query)
        keys = q.keys[:4] + ([q.core] if q.core else [])
        found: dict[int, None] = dict.fromkeys(self.lookup(keys))
        if q.is_title:
            found.update(dict.fromkeys(self.lookup(q.windows, near=False)))
        for e in self.gram_candidates(q.keys[:3], limit):
            found.setdefault(e, None)
        if q.core:
            for e in self.gram_candidates([q.core], limit // 2):
                found.setdefault(e, None)
        if q.is_title:
            for e in self.gram_candidates(q.core_windows, limit, containment=True):
                found.setdefault(e, None)
        return list(found)



class MarkIndex(CandidateSource):
    """Candidate generation only; `score.Matcher` ranks and explains the candidates."""

    # tables keyed by a hash of the key rather than the key (half the memory of a short str)
    HASHED = frozenset({"near", "outline", "blind"})

    def __init__(self, gram_cap: int = 20000, key_hash=hash):
        self.gram_cap = gram_cap
        # `hash` is salted per process; the shared index file (mapped.py) passes a stable one
        self.key_hash = key_hash
        self.mark_ids: list = []
        self.texts: list[str] = []
        self.classes: list[frozenset[int]] = []
        self.class_bits = array("Q")  # per mark, its classes as bits (class_bits)
        self.active = array("B")
        self.entry_mark = array("I")
        self.entry_key: list[str] = []
        self.entry_shape: list[str] = []  # skeleton(key), the same object when equal
        self.entry_sound: list[str] = []  # loose(key)
        self.entry_text = array("I")
        self.entry_size = array("H")
        self.entry_native = array("B")  # the mark's script: LATIN, PHONETIC or HAN
        self.postings: dict[str, array] = {}
        self.exact: dict[str, object] = {}
        self.shape: dict[str, object] = {}
        self.sound: dict[str, object] = {}
        self.letters: dict[str, object] = {}
        # one-deletion neighbourhoods of the sound keys and consonant outlines, keyed by the
        # (in-process) hash of the string: an int key takes half the memory of a short str,
        # a collision only adds a candidate that the scorer then rejects
        self.near: dict[int, object] = {}
        self.outline: dict[int, object] = {}
        self.blind: dict[int, object] = {}
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
        self.class_bits.append(class_bits(classes))
        self.active.append(0 if (status or "").lower() in INACTIVE else 1)
        for text in texts:
            native = HAN if has_han(text) else PHONETIC if is_native(text) else LATIN
            keys = dict.fromkeys((collapse(key_of(tokens(text))),))
            if native:  # a native mark also as spoken (Thai without its silent letters...)
                keys[collapse(key_of(tokens(text, sound=True)))] = None
            if native == HAN:  # ... and in Chinese characters
                keys[han_key(text)] = None
            for key in keys:
                if key:
                    self._add_entry(number, key, text is texts[0], native)

    def _add_entry(self, number: int, key: str, first: bool, native: int = LATIN) -> None:
        entry = len(self.entry_key)
        shape, sound = skeleton(key), loose(key)
        self.entry_mark.append(number)
        self.entry_key.append(key)
        self.entry_shape.append(key if shape == key else shape)
        self.entry_sound.append(key if sound == key else shape if sound == shape else sound)
        self.entry_text.append(1 if first else 0)
        self.entry_native.append(native)
        gset = grams(key) | grams(shape) | grams(sound)
        self.entry_size.append(min(len(gset), 65535))
        for g in gset:
            posting = self.postings.get(g)
            if posting is None:
                posting = self.postings[g] = array("I")
            posting.append(entry)
        for table, k in ((self.exact, key), (self.shape, shape), (self.sound, sound),
                         (self.letters, anagram(key))):
            _put(table, k, entry)
        near = deletions(sound) | {sound} if len(sound) <= SHORT else set()
        if len(key) <= PLAIN_SHORT:  # a short key's sound key folds too much (kfc -> kfk)
            near |= deletions(key) | {key}
        key_hash = self.key_hash
        for k in near:
            _put(self.near, key_hash(k), entry)
        if 4 <= len(sound) <= SHORT:  # vowels written for others and one more edit
            blind = vowel_blind([sound])[0]
            for k in deletions(blind) | {blind}:
                _put(self.blind, key_hash(k), entry)
        outline = consonants(key)
        if len(outline) >= 3:
            _put(self.outline, key_hash(outline), entry)

    def bucket(self, table: str, key: str):
        """The entries of `table` (exact, shape, sound, letters, near, blind, outline) under
        `key`: a tuple or an array of entry numbers."""
        if table in self.HASHED:
            return _get(getattr(self, table), self.key_hash(key))
        return _get(getattr(self, table), key)

    def posting(self, gram: str):
        """The entries holding `gram`, as a uint32 array, or None."""
        found = self.postings.get(gram)
        return None if found is None else np.frombuffer(found, dtype=np.uint32)

    def entry_sizes(self) -> np.ndarray:
        return np.frombuffer(self.entry_size, dtype=np.uint16)

    def memory_bytes(self) -> int:
        """A rough size of the index structures, for benchmarks."""
        total = sum(sys.getsizeof(a) for a in (self.active, self.class_bits, self.entry_mark,
                                               self.entry_text, self.entry_size,
                                               self.entry_native))
        total += sum(sys.getsizeof(g) + sys.getsizeof(p) for g, p in self.postings.items())
        total += sys.getsizeof(self.postings)
        for table in (self.exact, self.shape, self.sound, self.letters, self.near, self.outline,
                      self.blind):
            total += sys.getsizeof(table) + sum(sys.getsizeof(k) for k in table)
            total += sum(sys.getsizeof(v) for v in table.values() if not isinstance(v, int))
        for keys in (self.entry_key, self.entry_shape, self.entry_sound):
            total += sys.getsizeof(keys) + sum(
                sys.getsizeof(k) for n, k in enumerate(keys)
                if keys is self.entry_key or k is not self.entry_key[n])
        total += sum(sys.getsizeof(t) for t in self.texts) + sys.getsizeof(self.texts)
        total += sys.getsizeof(self.classes) + sys.getsizeof(self.mark_ids)
        return total


def _runs(ordered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array and how often each occurs (``np.unique`` with
    counts, without sorting again)."""
    if not len(ordered):
        return ordered, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    counts = np.empty(len(starts), dtype=np.int64)
    np.subtract(starts[1:], starts[:-1], out=counts[:-1])
    counts[-1] = len(ordered) - starts[-1]
    return ordered[starts], counts


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
