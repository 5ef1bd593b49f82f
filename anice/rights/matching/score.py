"""Rank the index's candidates with several measures and explain each score in plain words."""

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from doublemetaphone import doublemetaphone
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Levenshtein

from .index import MarkIndex, Query
from .normalize import (
    CONFUSABLES,
    DIGIT_FOLDS,
    UPPER_CONFUSABLES,
    loose,
    skeleton,
    strip_generic,
    tokens,
)

CLASS_AGREES = 4.0
CLASS_DIFFERS = -6.0
TITLE_FACTOR = 0.97
OTHER_WORDS_FACTOR = 0.85  # a window made of goods or generic words
# A Latin text read against a mark registered in another script: romanisation is lossy, so a
# short native mark romanises to many Latin strings by chance. Native text against a Latin mark
# keeps full weight (that is how a brand is written in the region's scripts).
CROSS_SCRIPT = 0.9
TIE = 0.01  # share of the plain spelling similarity that breaks ties between equal measures


@dataclass
class Candidate:
    mark_id: object
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass
class _Best:
    score: float = 0.0
    how: str = ""
    key: str = ""


@lru_cache(maxsize=262144)
def _phonetic(key: str) -> str:
    return doublemetaphone(key)[0] if key else ""


def _measure(qkey: str, mkey: str, best: _Best, factor: float = 1.0, where: str = "") -> None:
    """Keep the best of exact, edit, shape and sound similarity between two keys."""
    if qkey == mkey:
        scores = [(100.0, "exact")]
        spelling = 100.0
    else:
        spelling = max(fuzz.ratio(qkey, mkey), OSA.normalized_similarity(qkey, mkey) * 100)
        scores = [(spelling, "spelling")]
        sq, sm = skeleton(qkey), skeleton(mkey)
        scores.append((97.0 if sq == sm else fuzz.ratio(sq, sm) * 0.98, "shape"))
        lq, lm = loose(qkey), loose(mkey)
        scores.append((100.0 * 0.95 if lq == lm else fuzz.ratio(lq, lm) * 0.95, "sound"))
        if len(mkey) >= 4 and _phonetic(lq) == _phonetic(lm) and \
                Levenshtein.distance(lq, lm) <= max(1, len(lm) // 4):
            scores.append((88.0, "sound"))
    tie = spelling * TIE
    for s, how in scores:
        s = (s + tie) * factor
        if s > best.score:
            best.score, best.how, best.key = s, how + where, qkey


class Matcher:
    """Search a `MarkIndex` for the registered marks a text most likely copies."""

    def __init__(self, index: MarkIndex):
        self.index = index

    def search(self, text: str, classes=None, limit: int = 10,
               include_inactive: bool = False, pool: int = 200) -> list[Candidate]:
        q = Query.parse(text)
        if not q.keys:
            return []
        wanted = frozenset(int(c) for c in classes or ())
        idx = self.index
        by_mark: dict[int, tuple[float, _Best, int]] = {}
        seen: dict[tuple[str, int], _Best] = {}  # marks in several offices share a key
        for entry in idx.candidates(q, pool):
            number = idx.entry_mark[entry]
            if not include_inactive and not idx.active[number]:
                continue
            probe = (idx.entry_key[entry], idx.entry_native[entry])
            best = seen.get(probe)
            if best is None:
                best = seen[probe] = self._best(q, *probe)
            score = best.score + _class_bonus(wanted, idx.classes[number])
            if number not in by_mark or score > by_mark[number][0]:
                by_mark[number] = (score, best, entry)
        ranked = sorted(by_mark.items(), key=lambda kv: -kv[1][0])[:limit]
        return [Candidate(idx.mark_ids[n], round(max(0.0, min(100.0, s)), 1),
                          self._reasons(q, b, idx.texts[n], wanted, idx.classes[n],
                                        idx.active[n]))
                for n, (s, b, _e) in ranked]

    def _best(self, q: Query, mkey: str, native: int = 0) -> _Best:
        best = _Best()
        for k in q.keys:
            _measure(k, mkey, best, CROSS_SCRIPT if native and k not in q.native_keys else 1.0)
        if q.is_title:
            for w in q.windows:
                if abs(len(w) - len(mkey)) <= max(2, len(mkey) // 3):
                    factor = TITLE_FACTOR if w in q.plain_windows else OTHER_WORDS_FACTOR
                    if len(mkey) <= 3 and w != mkey:
                        factor *= 0.9
                    # a window that leaves most of the title's core unexplained says less
                    factor *= 0.9 + 0.1 * min(1.0, len(w) / max(1, q.core))
                    if native and w not in q.native_keys:
                        factor *= CROSS_SCRIPT
                    _measure(w, mkey, best, factor, " in title")
            if len(mkey) >= 5 and best.score < 90:
                partial = fuzz.partial_ratio(mkey, q.keys[-1]) * 0.92
                if partial > best.score:
                    best.score, best.how, best.key = partial, "contained", q.keys[-1]
        return best

    def _reasons(self, q: Query, best: _Best, mark_text: str, wanted, mark_classes,
                 active) -> list[str]:
        shown = mark_text.upper()
        what = {
            "exact": f"matches '{shown}'",
            "spelling": f"spelled like '{shown}' ({best.score:.0f}% similar)",
            "shape": f"looks like '{shown}' once look-alike letters are folded",
            "sound": f"sounds like '{shown}'",
            "contained": f"'{shown}' appears inside the listing title",
        }
        how = best.how.replace(" in title", "")
        reason = what.get(how, f"resembles '{shown}'")
        if best.how.endswith(" in title"):
            reason += " within the listing title"
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


def _class_bonus(wanted: frozenset, mark_classes: frozenset) -> float:
    if not wanted or not mark_classes:
        return 0.0
    return CLASS_AGREES if wanted & mark_classes else CLASS_DIFFERS


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
    if scripts:
        out.append("transliterating " + ", ".join(scripts) + " script")
    return out[:4]


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
