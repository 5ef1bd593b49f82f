"""Rank the index's candidates with several measures and explain each score in plain words."""

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from ...text.brand import CONFUSABLES, DIGIT_FOLDS, UPPER_CONFUSABLES, strip_generic, tokens
from ...text.burmese import is_zawgyi
from .index import HAN, LATIN, PHONETIC, MarkIndex, Query, class_bits
from .measures import CONTAINED, MEASURES, Weights, measure


@dataclass
class Candidate:
    mark_id: object
    score: float
    # the reasons, or how to write them: only the candidates shown are explained
    why: list[str] | Callable[[], list[str]] = field(default_factory=list, repr=False)
    key: str = ""  # the normalised text it matched by: identical texts share it

    @property
    def reasons(self) -> list[str]:
        if callable(self.why):
            self.why = self.why()
        return self.why


def holder_key(owner: str) -> str:
    """One owner however the offices wrote its name: case and spacing left out."""
    return " ".join(owner.casefold().split())


def crowd(found: list[Candidate], limit: int, owners: Mapping | None = None) -> list[Candidate]:
    """The first `limit` of `found` (best first), one owner per identical text ahead.

    When several owners registered the same text, the best-ranked owner's registrations keep
    their places (a brand registered in several offices stays together) and the other owners'
    copies follow every other text: a page of ten holders of "Michael Lim" would hide
    "Michelin" from an officer who typed "Michelim" (host crowding, as search engines do for
    one site). `owners`: mark id -> owner; a mark without one is its own owner."""
    owners = owners or {}
    first, later = [], []
    holder: dict[str, object] = {}
    for c in found:
        who = owners.get(c.mark_id) or ("mark", c.mark_id)
        (first if holder.setdefault(c.key, who) == who else later).append(c)
    return (first + later)[:limit]


@dataclass
class _Best:
    score: float = 0.0
    how: str = ""
    key: str = ""  # the query string (key, title window or core) that gave the score
    mark_key: str = ""


class Matcher:
    """Search a `MarkIndex` for the registered marks a text most likely copies."""

    def __init__(self, index: MarkIndex, weights: Weights | None = None):
        self.index = index
        self.weights = weights or Weights()

    def search(self, text: str, classes=None, limit: int = 10,
               include_inactive: bool = False, pool: int = 200,
               only_classes=None, exclude=None, owners: Mapping | None = None
               ) -> list[Candidate]:
        """The `limit` marks `text` most likely copies, best first, each with its reasons,
        one owner per identical text ahead (`crowd`; `owners`: mark id -> owner).

        `classes`: the goods' likely classes, a boost (agrees) or a penalty (differs);
        `only_classes`: a filter, marks of none of these classes are left out;
        `exclude`: mark numbers (positions in the index) to leave out, sorted."""
        found = self.ranked(text, classes, limit, include_inactive, pool, only_classes, exclude)
        return crowd(found, limit, owners)

    def ranked(self, text: str, classes=None, limit: int = 10,
               include_inactive: bool = False, pool: int = 200,
               only_classes=None, exclude=None) -> list[Candidate]:
        """The marks of the `limit` best distinct texts (normalised keys), best first, with
        at most `limit` marks of one text: what `crowd` needs to fill a page of `limit`."""
        w = self.weights
        q = Query.parse(text, w.title, w.other_words, w.coverage)
        if not q.keys:
            return []
        wanted = frozenset(int(c) for c in classes or ())
        only = class_bits(only_classes)
        idx = self.index
        # a filter leaves fewer marks: look at more candidates to keep `limit` of them
        entries = np.array(idx.candidates(q, pool * 3 if only else pool), dtype=np.int64)
        marks = np.frombuffer(idx.entry_mark, dtype=np.uint32)[entries]
        if exclude is not None and len(exclude):
            keep = ~np.isin(marks, exclude, assume_unique=False)
            entries, marks = entries[keep], marks[keep]
        if not include_inactive:
            keep = np.frombuffer(idx.active, dtype=np.uint8)[marks] == 1
            entries, marks = entries[keep], marks[keep]
        bits = np.frombuffer(idx.class_bits, dtype=np.uint64)[marks]
        if only:
            keep = (bits & np.uint64(only)) != 0
            entries, marks, bits = entries[keep], marks[keep], bits[keep]
        if not len(entries):
            return []
        keys = [idx.entry_key[e] for e in entries.tolist()]  # read once (a mapped file decodes)
        entry_col, col_entries = self._columns(entries, keys)
        col_score, col_row, col_how = self._score_columns(q, col_entries)
        total = col_score[entry_col].round(6)
        if wanted:
            total = total + _class_bonus(class_bits(wanted), bits, w)
        out = []
        for n, i in self._top(entries, keys, marks, total, limit).items():
            c = entry_col[i]
            best = self._best(q, col_score[c], col_row[c], col_how[c])
            best.mark_key = keys[i]
            out.append(Candidate(idx.mark_ids[n], round(max(0.0, min(100.0, float(total[i]))), 1),
                                 partial(self._explain, q, best, n, wanted), keys[i]))
        return out

    def _explain(self, q: Query, best: "_Best", n: int, wanted) -> list[str]:
        idx = self.index
        return self._reasons(q, best, idx.texts[n], wanted, idx.classes[n], idx.active[n])

    def _columns(self, entries: np.ndarray, keys: list[str]) -> tuple[np.ndarray, list[int]]:
        """Marks in several offices share a key: each distinct (key, script) is scored once.
        Returns each entry's column and each column's first entry."""
        idx = self.index
        native = np.frombuffer(idx.entry_native, dtype=np.uint8)[entries].tolist()
        columns: dict[tuple[str, int], int] = {}
        entry_col = np.fromiter(
            (columns.setdefault((key, n), len(columns))
             for key, n in zip(keys, native, strict=True)),
            dtype=np.int64, count=len(entries))
        _, first = np.unique(entry_col, return_index=True)
        return entry_col, entries[first].tolist()

    def _top(self, entries: np.ndarray, keys: list[str], marks: np.ndarray, total: np.ndarray,
             limit: int) -> dict[int, int]:
        """The marks of the best `limit` keys, at most `limit` of one key (mark number ->
        position of its best entry). Equal scores: the longer key first (a longer text that
        matches as well is less likely to match by chance: "Red Bull super copy" is RED BULL
        before BUL, which the title's core "bull" matches as exactly), then in the order of
        the keys, then of registration: never by chance. (A bound on all the copies read,
        4 x `limit`, lost recall@10 at 10M marks, 0.9734 -> 0.9698: with fewer distinct
        texts the page runs short of the right one.)"""
        totals, numbers = total.tolist(), entries.tolist()
        # Most pages are decided by the best few: walk those first (every entry scoring at
        # least the `2 * limit**2`-th best), and all of them only when the walk runs past
        # them without filling the page (a text with many copies).
        few = 2 * limit * limit
        if len(totals) > few:
            floor = np.partition(total, len(totals) - few)[len(totals) - few]
            ranked = self._walk(np.flatnonzero(total >= floor).tolist(), totals, keys,
                                numbers, marks, limit)
            if ranked is not None:
                return ranked
        return self._walk(range(len(numbers)), totals, keys, numbers, marks, limit,
                          complete=True)

    @staticmethod
    def _walk(some, totals: list, keys: list[str], numbers: list, marks: np.ndarray,
              limit: int, complete: bool = False) -> dict[int, int] | None:
        """`_top` over the entries `some`; None when they run out before the page is full
        (unless they are all the entries)."""
        order = sorted(some, key=lambda i: (-totals[i], -len(keys[i]), keys[i], numbers[i]))
        ranked: dict[int, int] = {}
        per_key: dict[str, int] = {}
        for i in order:
            n, key = int(marks[i]), keys[i]
            if n in ranked:
                continue
            seen = per_key.get(key)
            if seen is None and len(per_key) == limit:
                return ranked
            if seen == limit:
                continue
            per_key[key] = (seen or 0) + 1
            ranked[n] = i
        return ranked if complete else None

    @staticmethod
    def _best(q: Query, score: float, row: int, how: int) -> "_Best":
        if how == CONTAINED:
            return _Best(float(score), MEASURES[how], q.core)
        suffix = " in title" if row >= len(q.keys) else ""
        return _Best(float(score), MEASURES[how] + suffix, q.rows[row])

    def _score_columns(self, q: Query, col_entries: list[int]):
        """Per candidate key: the best score over the query's strings, which string gave it,
        and by which measure."""
        idx, w = self.index, self.weights
        cols = [idx.entry_key[e] for e in col_entries]
        col_script = np.array([idx.entry_native[e] for e in col_entries], dtype=np.uint8)
        native_col = col_script != LATIN
        native_row = np.array([r in q.native_keys for r in q.rows], dtype=bool)
        scores = measure(q.rows, native_row, cols, [idx.entry_shape[e] for e in col_entries],
                         [idx.entry_sound[e] for e in col_entries], w)
        factor = np.array(q.weights, dtype=np.float32)[:, None].repeat(len(cols), axis=1)
        # Latin text read against a mark registered in another script: romanisation is lossy,
        # so a short native mark romanises to many Latin strings by chance
        factor[np.ix_(~native_row, native_col)] *= w.cross_script
        # Chinese characters are chosen for their sound or meaning, not spelled letter by
        # letter: their pinyin is a weak clue for a text in another script (耐克 'naike', Nike;
        # a Thai or Khmer word romanised by chance), though a Chinese brand may be registered
        # in pinyin (海尔 Haier)
        other = col_script == (PHONETIC if q.han else HAN)
        factor[np.ix_(~native_row, col_script == HAN)] *= w.cross_script
        factor[np.ix_(native_row, other)] *= w.cross_script * w.cross_script
        windows = np.arange(len(q.rows)) >= len(q.keys)
        if windows.any():
            row_len = np.array([len(r) for r in q.rows])[:, None]
            col_len = np.array([len(c) for c in cols])[None, :]
            fits = np.abs(row_len - col_len) <= np.maximum(2, col_len // 3)
            factor[windows[:, None] & ~fits] = 0
            short = windows[:, None] & (col_len <= 3) & (scores.score < 100)
            factor[short] *= w.short_window
        total = scores.score * factor
        row = total.argmax(axis=0)
        span = np.arange(len(cols))
        best, how = total[row, span], scores.how[row, span]
        if q.core:
            best, how = self._contained(q, cols, best, how)
        return best, row, how

    def _contained(self, q: Query, cols: list[str], best: np.ndarray, how: np.ndarray):
        """A long mark inside a long title, wherever the title's words break."""
        w = self.weights
        # a mark of five letters or more, not longer than the title's core, not matched well
        lengths = np.array([len(c) for c in cols])
        long_cols = np.flatnonzero((lengths >= 5) & (lengths <= len(q.core)) & (best < 90))
        if not len(long_cols):
            return best, how
        partial = cdist([cols[i] for i in long_cols.tolist()], [q.core],
                        scorer=fuzz.partial_ratio, dtype=np.float32)[:, 0] * w.contained
        # weighed, like a title's windows, by how much of the text the mark explains
        partial *= 1 - w.coverage + w.coverage * lengths[long_cols] / len(q.core)
        better = partial > best[long_cols]
        best, how = best.copy(), how.copy()
        best[long_cols[better]] = partial[better]
        how[long_cols[better]] = CONTAINED
        return best, how

    def _reasons(self, q: Query, best: _Best, mark_text: str, wanted, mark_classes,
                 active) -> list[str]:
        shown = mark_text.upper()
        text = "the listing title" if q.words >= 3 else "the text"
        what = {
            "exact": f"matches '{shown}'",
            "spelling": f"spelled like '{shown}' ({best.score:.0f}% similar)",
            "shape": f"looks like '{shown}' once look-alike letters are folded",
            "sound": f"sounds like '{shown}'",
            "contained": (f"'{shown}' appears inside {text}"
                          if best.mark_key in best.key else
                          f"a spelling close to '{shown}' appears inside {text}"),
            "outline": f"has the consonants of '{shown}' (vowel signs left out)",
        }
        how = best.how.replace(" in title", "")
        reason = what.get(how, f"resembles '{shown}'")
        if best.how.endswith(" in title"):
            reason += f" within {text}"
        folds = _folds(q.text)
        if folds:
            reason += " after " + ", ".join(folds)
        reasons = [reason]
        dropped = _dropped_words(q.text)
        if dropped:
            reasons.append("ignoring the generic words " + ", ".join(f"'{w}'" for w in dropped))
        if wanted and mark_classes:
            agree = sorted(wanted & mark_classes)
            if agree:
                reasons.append("class " + ", ".join(map(str, agree))
                               + (" agrees" if len(agree) == 1 else " agree"))
            else:
                reasons.append("class " + ", ".join(map(str, sorted(wanted)))
                               + " differs from the mark's classes "
                               + ", ".join(map(str, sorted(mark_classes))))
        if not active:
            reasons.append("the right is no longer in force")
        return reasons


def _class_bonus(wanted: int, bits: np.ndarray, w: Weights) -> np.ndarray:
    """Per candidate: + when one of its classes is wanted, - when none is, 0 without
    classes (one AND of bit masks per candidate)."""
    agrees = (bits & np.uint64(wanted)) != 0
    return np.where(bits == 0, 0.0, np.where(agrees, w.class_agrees, w.class_differs))


def _folds(text: str) -> list[str]:
    """Plain-words account of the folding the query needed."""
    out: list[str] = []
    folded = unicodedata.normalize("NFKC", text)
    scripts: dict[str, None] = {}
    for ch in folded:
        if ord(ch) < 128:
            continue
        look = ch.translate(UPPER_CONFUSABLES).casefold().translate(CONFUSABLES)
        if look != ch:
            out.append(f"reading {unicodedata.name(ch, 'a look-alike').title()} as '{look}'")
        elif ch.isalpha():
            scripts.setdefault(unicodedata.name(ch, "OTHER").split()[0].title(), None)
    for ch in dict.fromkeys(folded.casefold()):
        if ch in DIGIT_FOLDS and any(c.isalpha() for c in folded):
            out.append(f"folding '{ch}' to '{DIGIT_FOLDS[ch]}'")
    scripts.pop("Latin", None)
    if "Myanmar" in scripts and is_zawgyi(folded):
        out.append("reading Zawgyi-encoded Myanmar text as Unicode")
    if scripts:
        names = dict.fromkeys(_SCRIPT_NAMES.get(s, s) for s in scripts)
        out.append("transliterating " + ", ".join(names) + " script")
    return out[:4]


# Unicode's first word of a letter's name, as the reasons name its script
_SCRIPT_NAMES = {"Cjk": "Chinese", "Hiragana": "Japanese", "Katakana": "Japanese",
                 "Hangul": "Korean"}


def _dropped_words(text: str) -> list[str]:
    toks = tokens(text)
    kept = strip_generic(toks)
    if kept == toks:
        return []
    remaining = list(kept)
    dropped = []
    for t in toks:
        if remaining and remaining[0] == t:
            remaining.pop(0)
        else:
            dropped.append(t)
    return dropped[:5]
