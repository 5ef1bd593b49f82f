"""Romanise Khmer the way brand names are spelled in it (UNGEGN-like, aspiration dropped).

A Khmer syllable is a consonant (with subscript consonants, coeng U+17D2 + consonant, for a
cluster), a dependent vowel whose sound depends on the consonant's series (a-series or
o-series), and a final consonant. A foreign brand is spelled phonetically, choosing the
consonant whose series gives the right vowel: ណៃគី 'naiki' (Nike), ហុងដា 'hongda' (Honda),
កូកាកូឡា 'koukakoula' (Coca-Cola). The loanword spellings ហ្វ 'f', ហ្គ 'g', ហ្ស 'z' and ប៉ 'p'
are read as such.
"""

import re
from functools import lru_cache

from .signs import read_signs

# consonant -> (Latin, series): 'a' (first series) or 'o' (second series)
CONSONANTS = {
    "ក": ("k", "a"), "ខ": ("k", "a"), "គ": ("k", "o"), "ឃ": ("k", "o"), "ង": ("ng", "o"),
    "ច": ("ch", "a"), "ឆ": ("ch", "a"), "ជ": ("ch", "o"), "ឈ": ("ch", "o"), "ញ": ("nh", "o"),
    "ដ": ("d", "a"), "ឋ": ("t", "a"), "ឌ": ("d", "o"), "ឍ": ("t", "o"), "ណ": ("n", "a"),
    "ត": ("t", "a"), "ថ": ("t", "a"), "ទ": ("t", "o"), "ធ": ("t", "o"), "ន": ("n", "o"),
    "ប": ("b", "a"), "ផ": ("p", "a"), "ព": ("p", "o"), "ភ": ("p", "o"), "ម": ("m", "o"),
    "យ": ("y", "o"), "រ": ("r", "o"), "ល": ("l", "o"), "វ": ("v", "o"), "ឝ": ("s", "a"),
    "ឞ": ("s", "a"), "ស": ("s", "a"), "ហ": ("h", "a"), "ឡ": ("l", "a"), "អ": ("", "a"),
}
# subscript consonants that do not decide the series of a cluster (the sonorants)
_NEUTRAL = set("ងញនមយរលវ")
# dependent vowel -> (a-series reading, o-series reading); longest first
VOWELS = (
    ("ុំ", "om", "um"), ("ាំ", "am", "oam"), ("ុះ", "oh", "uh"), ("េះ", "eh", "eh"),
    ("ោះ", "oh", "uoh"), ("ា", "a", "ea"), ("ិ", "e", "i"), ("ី", "ei", "i"),
    ("ឹ", "oe", "ue"), ("ឺ", "eu", "eu"), ("ុ", "o", "u"), ("ូ", "ou", "u"), ("ួ", "uo", "uo"),
    ("ើ", "aeu", "eu"), ("ឿ", "oea", "oea"), ("ៀ", "ie", "ie"), ("េ", "e", "e"),
    ("ែ", "ae", "eae"), ("ៃ", "ai", "ey"), ("ោ", "ao", "o"), ("ៅ", "au", "ov"),
    ("ំ", "am", "um"), ("ះ", "ah", "eah"),
)
INHERENT = {"a": "a", "o": "o"}  # a syllable without a written vowel
FINALS = {"ប": "p", "វ": "v", "ញ": "nh", "ង": "ng", "ក": "k", "ច": "ch", "ត": "t", "ស": "s",
          "ហ": "h", "រ": "r"}
# independent vowels
INDEPENDENT = {"ឥ": "e", "ឦ": "ei", "ឧ": "u", "ឩ": "u", "ឪ": "ov", "ឫ": "rue", "ឬ": "rueu",
               "ឭ": "lue", "ឮ": "lueu", "ឯ": "ae", "ឰ": "ai", "ឱ": "ao", "ឲ": "ao", "ឳ": "au"}
# clusters of loanwords: the sound of a letter Khmer has no consonant for
LOAN_CLUSTERS = {"ហ្វ": "f", "ហ្គ": "g", "ហ្ស": "z", "ហ្ល": "l", "ហ្ម": "m", "ហ្ន": "n",
                 "ហ្យ": "y", "ហ្រ": "r"}
COENG = "\u17d2"
TO_A = "\u17c9"  # musikatoan: o-series letter read as a-series (ប៉ 'p')
TO_O = "\u17ca"  # triisap: a-series letter read as o-series
SILENT = "\u17cd"  # toandakhiat: the letter under it is not pronounced
ROBAT = "\u17cc"  # a superscript 'r'
_SIGNS = re.compile("[\u17cb\u17ce\u17cf\u17d0\u17d1\u17d3\u17dd\u17d4-\u17d6\u17d8-\u17da]")
_VOWEL_CHARS = {c for v, _a, _o in VOWELS for c in v}


def _syllables(word: str) -> list[dict]:
    """Orthographic syllables: onset letters with their series, and the vowel signs after."""
    out: list[dict] = []
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if c in INDEPENDENT:
            out.append({"onset": INDEPENDENT[c], "series": "a", "vowel": "", "letter": "",
                        "independent": True})
            i += 1
            continue
        if c not in CONSONANTS:
            out.append({"onset": c, "series": "a", "vowel": "", "letter": "", "other": True})
            i += 1
            continue
        latin, series = CONSONANTS[c]
        letter = c
        i += 1
        if c == "ប" and i < n and word[i] == TO_A:
            latin = "p"  # ប៉ is the loanword 'p'
        while i + 1 < n and word[i] == COENG and word[i + 1] in CONSONANTS:
            sub = word[i + 1]
            loan = LOAN_CLUSTERS.get(c + COENG + sub) if latin == "h" and len(letter) == 1 else None
            sub_latin, sub_series = CONSONANTS[sub]
            if loan:
                latin = loan
            else:
                latin += sub_latin
                if sub_series == "o" and sub not in _NEUTRAL:
                    series = "o"
            letter += COENG + sub
            i += 2
        vowel = ""
        while i < n and (word[i] in _VOWEL_CHARS or word[i] in (TO_A, TO_O, SILENT, ROBAT)):
            sign = word[i]
            if sign == TO_A:
                series = "a"
            elif sign == TO_O:
                series = "o"
            elif sign == ROBAT:
                latin += "r"
            else:
                vowel += sign
            i += 1
        out.append({"onset": latin, "series": series, "vowel": vowel, "letter": letter})
    return out


def _vowel(signs: str, series: str) -> str:
    return read_signs(signs, VOWELS, series == "o")


@lru_cache(maxsize=65536)
def romanise_word(word: str, sound: bool = False) -> str:
    """Latin letters of one Khmer word (a run of Khmer letters)."""
    word = _SIGNS.sub("", word)
    syls = _syllables(word)
    if sound:  # drop the letters marked silent
        syls = [s for s in syls if SILENT not in s["vowel"]]
    out: list[str] = []
    open_syllable = False  # the last syllable out has a vowel and no final consonant yet
    for k, s in enumerate(syls):
        vowel = s["vowel"].replace(SILENT, "")
        if s.get("other") or s.get("independent"):
            out.append(s["onset"])
            open_syllable = bool(s.get("independent"))
            continue
        nxt = syls[k + 1] if k + 1 < len(syls) else None
        if not vowel and open_syllable and len(s["letter"]) == 1:
            # a consonant without a vowel after an open syllable closes it
            out.append(FINALS.get(s["letter"], s["onset"]))
            open_syllable = False
            continue
        out.append(s["onset"])
        if vowel:
            out.append(_vowel(vowel, s["series"]))
        elif (nxt is not None and not nxt.get("other")) or len(syls) == 1:
            out.append(INHERENT[s["series"]])  # ... and the next consonant may close it
        open_syllable = True
    return "".join(out)
