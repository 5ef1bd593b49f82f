"""Romanise Myanmar (Burmese) the way brand names are spelled in it, and read Zawgyi text.

A Burmese syllable is a consonant, its medials (ျ ြ 'y', ွ 'w', ှ aspiration), a vowel, and a
final consonant killed by asat (်) or stacked under the next one (္, and kinzi င်္). Tone
marks (့ း) spell nothing. A foreign brand writes its final consonants as they are spelled in
Latin: ဆမ်ဆောင်း 'samsaung' (Samsung), နိုက်ကီ 'naikki' (Nike), ဟွန်ဒါ 'hunda' (Honda),
ကိုကာကိုလာ 'kokakola' (Coca-Cola). Aspiration is not written in Latin brand names: ခ 'k',
ဖ 'p', ထ 't'.

Much Burmese text is typed in Zawgyi, a font encoding that reuses the Myanmar block with
other meanings and stores the vowel ေ and the medial ြ before their consonant (as seen).
`is_zawgyi` recognises it by the sequences Unicode never has, and `zawgyi_to_unicode` maps
it back (after the mapping tables of Google's myanmar-tools / ICU "Zawgyi-my").
"""

import re
from functools import lru_cache

from myanmartools import ZawgyiDetector

from .signs import read_signs

CONSONANTS = {
    "က": "k", "ခ": "k", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "s", "ဇ": "z", "ဈ": "z",
    "ဉ": "ny", "ည": "ny", "ဋ": "t", "ဌ": "t", "ဍ": "d", "ဎ": "d", "ဏ": "n", "တ": "t", "ထ": "t",
    "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "p", "ဗ": "b", "ဘ": "b", "မ": "m", "ယ": "y",
    "ရ": "r", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h", "ဠ": "l", "အ": "", "ဿ": "ss",
}
INDEPENDENT = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "e", "ဩ": "aw", "ဪ": "aw",
               "၎": "lagaung", "၌": "hnaik", "၍": "ywe", "၏": "i"}
# vowel signs (in Unicode order) -> (open syllable, before a final consonant); longest first
VOWELS = (
    ("ော", "o", "au"), ("ေါ", "o", "au"),
    ("ို", "o", "ai"), ("ုံ", "on", "on"), ("ေ", "e", "e"), ("ဲ", "e", "e"), ("ာ", "a", "a"),
    ("ါ", "a", "a"), ("ိ", "i", "ei"), ("ီ", "i", "i"), ("ု", "u", "o"), ("ူ", "u", "u"),
    ("ံ", "an", "an"), ("ဴ", "u", "u"),
)
# the model's probability from which text valid in both encodings is read as Zawgyi
ZAWGYI_LIKELY = 0.85
ASAT, VIRAMA = "\u103a", "\u1039"
MEDIAL_Y = "\u103b\u103c"
MEDIAL_W, MEDIAL_H = "\u103d", "\u103e"
_TONES = re.compile("[\u1037\u1038\u104a\u104b]")
_VOWEL_CHARS = {c for v, _o, _c in VOWELS for c in v}

# Zawgyi code points -> Unicode (the usual mapping; stacked forms spell the lower consonant
# after a virama)
_ZAWGYI = {
    "\u1033": "\u102f", "\u1034": "\u1030", "\u1039": ASAT, "\u103a": "\u103b",
    "\u103b": "\u103c", "\u103c": "\u103d", "\u103d": "\u103e", "\u105a": "\u102b\u103a",
    "\u1060": VIRAMA + "က", "\u1061": VIRAMA + "ခ", "\u1062": VIRAMA + "ဂ", "\u1063": VIRAMA + "ဃ",
    "\u1065": VIRAMA + "စ", "\u1066": VIRAMA + "ဆ", "\u1067": VIRAMA + "ဆ", "\u1068": VIRAMA + "ဇ",
    "\u1069": VIRAMA + "ဈ", "\u106a": "ဉ", "\u106b": "ည", "\u106c": VIRAMA + "ဋ",
    "\u106d": VIRAMA + "ဌ", "\u106e": "ဍ\u1039ဍ", "\u106f": "ဍ\u1039ဎ", "\u1070": VIRAMA + "ဏ",
    "\u1071": VIRAMA + "တ", "\u1072": VIRAMA + "တ", "\u1073": VIRAMA + "ထ", "\u1074": VIRAMA + "ထ",
    "\u1075": VIRAMA + "ဒ", "\u1076": VIRAMA + "ဓ", "\u1077": VIRAMA + "န", "\u1078": VIRAMA + "ပ",
    "\u1079": VIRAMA + "ဖ", "\u107a": VIRAMA + "ဗ", "\u107b": VIRAMA + "ဘ", "\u107c": VIRAMA + "မ",
    "\u107d": "\u103b", "\u107e": "\u103c", "\u107f": "\u103c", "\u1080": "\u103c",
    "\u1081": "\u103c", "\u1082": "\u103c", "\u1083": "\u103c", "\u1084": "\u103c",
    "\u1085": VIRAMA + "လ", "\u1086": "ဿ", "\u1087": "\u103e", "\u1088": "\u103e\u102f",
    "\u1089": "\u103e\u1030", "\u108a": "\u103d\u103e", "\u108b": "\u1004\u103a\u1039\u102d",
    "\u108c": "\u1004\u103a\u1039\u102e", "\u108d": "\u1004\u103a\u1039\u1036",
    "\u108e": "\u102d\u1036", "\u108f": "န", "\u1090": "ရ", "\u1091": "ဏ\u1039ဍ",
    "\u1092": "ဋ\u1039ဌ", "\u1093": VIRAMA + "ဘ",
    "\u1094": "\u1037", "\u1095": "\u1037", "\u1096": VIRAMA + "တ\u103d", "\u1097": "ဋ\u1039ဋ",
    "\u1064": "\u1004\u103a\u1039",
}
# the code points the two encodings give other meanings or places to
_AMBIGUOUS = re.compile("[\u1031\u1039-\u103e]")
_ZAWGYI_ONLY = re.compile("[\u1033\u1034\u105a\u1060-\u1097]")
# before a consonant, as seen: Zawgyi's ေ, its ြ (U+103B and the variants), and both together
_PREPOSED = re.compile("((?:\u1031)?(?:[\u103b\u107e-\u1084])?(?:\u1031)?)([\u1000-\u1021])")
_KINZI_AFTER = re.compile("([\u1000-\u1021])(\u1004\u103a\u1039)")  # once mapped
# the order Unicode stores the signs of a syllable in
_ORDER = {c: n for n, c in enumerate(
    "\u1039\u103b\u103c\u103d\u103e\u1031\u102d\u102e\u102f\u1030\u1032\u102b\u102c"
    "\u1036\u1037\u103a\u1038")}


def is_zawgyi(text: str) -> bool:
    """Burmese text typed in the Zawgyi encoding: code points or orders Unicode never has,
    else the myanmar-tools model's verdict (for text valid in both, such as ဟြန္ဒါ)."""
    if _zawgyi_signs(text):
        return True
    if not _AMBIGUOUS.search(text):
        return False  # read the same in both encodings
    return _detector().get_zawgyi_probability(text) >= ZAWGYI_LIKELY


@lru_cache(maxsize=1)
def _detector() -> ZawgyiDetector:
    return ZawgyiDetector()


def _zawgyi_signs(text: str) -> bool:
    if _ZAWGYI_ONLY.search(text):
        return True
    for m in re.finditer("[\u1031\u103b]", text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        ok_before = bool(before) and ("\u1000" <= before <= "\u1021"
                                      or before in "\u103b\u103c\u103d\u103e")
        if m.group() == "\u1031" and not ok_before:
            return True  # a Unicode ေ follows its consonant
        if m.group() == "\u103b" and not ok_before and "\u1000" <= after <= "\u1021":
            return True  # Zawgyi's ြ stands before its consonant
    # Zawgyi's asat is U+1039, which Unicode uses only between two consonants
    return bool(re.search("\u1039(?![\u1000-\u1021])", text))


def zawgyi_to_unicode(text: str) -> str:
    """Zawgyi text in Unicode's code points and order."""
    text = _PREPOSED.sub(lambda m: m.group(2) + m.group(1), text)
    text = "".join(_ZAWGYI.get(c, c) for c in text)
    # Zawgyi writes kinzi (င်္) after the consonant it stands before
    text = _KINZI_AFTER.sub(lambda m: m.group(2) + m.group(1), text)
    return _reorder_signs(text)


def _reorder_signs(text: str) -> str:
    """Put the signs after each consonant in Unicode's order (typing order varies)."""
    out: list[str] = []
    signs: list[str] = []
    for c in text + " ":
        if c in _ORDER and c != VIRAMA and not (c == ASAT and not signs):
            signs.append(c)
            continue
        out.extend(sorted(signs, key=_ORDER.__getitem__))
        signs = []
        out.append(c)
    return "".join(out)[:-1]


def _syllables(word: str) -> list[dict]:
    """Consonants with their medials and vowel signs; a consonant under asat or virama is
    the final of the syllable before."""
    out: list[dict] = []
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if c not in CONSONANTS:
            out.append({"onset": INDEPENDENT.get(c, c), "vowel": "", "final": "",
                        "other": True})
            i += 1
            continue
        i += 1
        medials = ""
        while i < n and word[i] in MEDIAL_Y + MEDIAL_W + MEDIAL_H:
            medials += word[i]
            i += 1
        vowel = ""
        while i < n and word[i] in _VOWEL_CHARS:
            vowel += word[i]
            i += 1
        killed = i < n and word[i] in (ASAT, VIRAMA)
        if killed and out and not vowel and not medials:
            out[-1]["final"] += CONSONANTS[c]
            i += 1
            if i < n and word[i] == VIRAMA:  # kinzi: င်္
                i += 1
            continue
        if killed:  # a vowel sign with asat (ော်): the asat only marks the tone
            i += 1
        out.append({"onset": _onset(c, medials), "vowel": vowel, "final": "",
                    "w": MEDIAL_W in medials})
    return out


def _onset(c: str, medials: str) -> str:
    latin = CONSONANTS[c]
    if MEDIAL_H in medials and c in "ရယ":
        return "sh"  # ရှ, ယှ, လျှ: 'sh'
    if any(m in medials for m in MEDIAL_Y):
        if c in "ကခ":
            return "ky"
        if c == "ဂ":
            return "j"
        if c == "လ" and MEDIAL_H in medials:
            return "sh"
        latin += "y"
    return latin


def _vowel(signs: str, closed: bool) -> str:
    return read_signs(signs, VOWELS, closed)


@lru_cache(maxsize=65536)
def romanise_word(word: str) -> str:
    """Latin letters of one Burmese word (a run of Myanmar letters, Unicode or Zawgyi)."""
    if is_zawgyi(word):
        word = zawgyi_to_unicode(word)
    word = _TONES.sub("", word)
    out: list[str] = []
    for s in _syllables(word):
        if s.get("other"):  # an independent vowel, a digit
            out.append(s["onset"] + s["final"])
            continue
        closed = bool(s["final"])
        vowel = _vowel(s["vowel"], closed)
        onset = s["onset"]
        if s.get("w"):
            # ွ is 'w' before a vowel, and the vowel 'u' of a closed syllable (ဟွန် 'hun')
            onset, vowel = (onset, "u" + vowel) if closed and not vowel else (onset + "w", vowel)
        if not vowel:
            vowel = "a"  # the inherent vowel
        out.append(onset + vowel + s["final"])
    return "".join(out)
