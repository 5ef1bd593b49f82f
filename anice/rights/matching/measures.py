"""Similarity of every query string with every candidate key at once (rapidfuzz `cdist`).

A counterfeit spelling is the mark after a few edits, read through some folding: look-alike
letters (shape), the romanisations of the region (sound), or only its consonants (a Thai or
Lao text typed without vowel signs). For each reading the edit distance is weighted: a vowel
written for another vowel and two neighbouring letters swapped cost less than other edits,
because that is how brand names are misspelled and misheard. The best reading gives the
score; agreement of the other readings adds to it (several weak clues beat one).
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from doublemetaphone import doublemetaphone
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA
from rapidfuzz.process import cdist

from ...text.brand import consonants, loose, skeleton, vowel_blind

# The measures, in the order of `Scores.how`.
EXACT, SPELLING, SHAPE, SOUND, OUTLINE, CONTAINED = range(6)
MEASURES = ("exact", "spelling", "shape", "sound", "outline", "contained")


@dataclass(frozen=True)
class Weights:
    """The few numbers of the ranking, in one place (see docs/rights.md)."""

    vowel: float = 0.5  # share of an edit's cost left out when only the vowels differ
    shape: float = 0.98  # a reading through look-alike letters
    sound: float = 0.95  # a reading through the region's romanisations
    outline: float = 0.9  # consonants only, for native-script queries
    phonetic: float = 0.85  # floor when the Double Metaphone codes agree
    agreement: float = 0.5  # weight of the mean of all readings beside the best one
    indel: bool = True  # also read the spelling with rapidfuzz's ratio (Indel distance)
    tie: float = 0.01  # share of the plain spelling similarity that breaks ties
    cross_script: float = 0.8  # Latin text read against a mark written in another script
    short_window: float = 0.9  # a title window that is not exactly a mark of <= 3 letters
    contained: float = 0.92  # a long mark inside the title
    title: float = 1.0  # a title window made of the title's core words
    other_words: float = 0.85  # a title window with goods or generic words
    coverage: float = 0.3  # share of a window's weight that depends on how much it explains
    class_agrees: float = 4.0
    class_differs: float = -6.0


@lru_cache(maxsize=262144)
def phonetic(key: str) -> str:
    return doublemetaphone(key)[0] if key else ""


def _lengths(strings: list[str]) -> np.ndarray:
    return np.fromiter(map(len, strings), dtype=np.float32, count=len(strings))


def weighted_similarity(rows: list[str], cols: list[str], vowel: float) -> np.ndarray:
    """1 - weighted edit distance / length, for every pair (rows x cols), in [0, 1].

    OSA counts a swap of neighbouring letters as one edit; the vowel-blind distance (every
    vowel read as 'a') does not count a vowel-for-vowel change, so mixing the two in the
    proportion `vowel` makes such a change cheaper than any other edit.
    """
    plain = cdist(rows, cols, scorer=OSA.distance, dtype=np.int32)
    blind = cdist(vowel_blind(rows), vowel_blind(cols), scorer=OSA.distance, dtype=np.int32)
    cost = (1 - vowel) * plain + vowel * np.minimum(blind, plain)
    norm = np.maximum(_lengths(rows)[:, None], _lengths(cols)[None, :])
    return np.clip(1 - cost / np.maximum(norm, 1), 0, 1)


@dataclass
class Scores:
    """Per pair (query string x candidate key): the combined score and the reading behind it."""

    score: np.ndarray  # 0-100
    how: np.ndarray  # index into MEASURES
    spelling: np.ndarray  # plain spelling similarity, 0-100


def measure(rows: list[str], native_rows: np.ndarray, cols: list[str], shapes: list[str],
            sounds: list[str], w: Weights) -> Scores:
    """Score every query string (`rows`) against every candidate key (`cols`).

    `shapes` and `sounds` are the candidates' skeleton and loose keys (kept by the index);
    `native_rows` marks the query strings read from a non-Latin script, for which the
    consonant outline counts.
    """
    plain = weighted_similarity(rows, cols, w.vowel)
    if w.indel:  # an added or dropped letter counted as half an edit
        plain = np.maximum(plain, cdist(rows, cols, scorer=fuzz.ratio, dtype=np.float32) / 100)
    shape = weighted_similarity([skeleton(r) for r in rows], shapes, w.vowel)
    row_sounds = [loose(r) for r in rows]
    sound = weighted_similarity(row_sounds, sounds, w.vowel)
    codes = np.array([phonetic(s) for s in row_sounds], dtype=object)
    col_codes = np.array([phonetic(s) for s in sounds], dtype=object)
    col_len = _lengths(cols)
    near = cdist(row_sounds, sounds, scorer=OSA.distance, dtype=np.int32) <= np.maximum(
        1, col_len // 4)[None, :]
    row_len = _lengths(rows)
    alike = ((codes[:, None] == col_codes[None, :]) & near & (col_len >= 4)[None, :]
             & (row_len >= 4)[:, None])
    sound = np.where(alike, np.maximum(sound, w.phonetic / w.sound), sound)
    readings = [np.zeros_like(plain), plain, shape * w.shape, sound * w.sound]
    mean = (plain + shape + sound) / 3
    if native_rows.any():
        outline = weighted_similarity([consonants(r) for r in rows],
                                      [consonants(c) for c in cols], 0.0)
        readings.append(np.where(native_rows[:, None], outline * w.outline, 0))
        mean = np.where(native_rows[:, None], (plain + shape + sound + outline) / 4, mean)
    else:
        readings.append(np.zeros_like(plain))
    stack = np.stack(readings)
    how = stack.argmax(axis=0)
    best = stack.max(axis=0)
    combined = (1 - w.agreement) * best + w.agreement * np.minimum(mean, best)
    exact = np.array(rows, dtype=object)[:, None] == np.array(cols, dtype=object)[None, :]
    combined = np.where(exact, 1.0, combined)
    how = np.where(exact, EXACT, how)
    return Scores((combined + w.tie * plain) * 100, how, plain * 100)
