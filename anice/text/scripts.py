"""Romanise the scripts of the region the way brand names are spelled in them.

Thai and Lao here; Khmer (`khmer`), Burmese with Zawgyi (`burmese`), and kana, hangul and
Han (`cjk`) in their own modules. Everything else (Vietnamese diacritics, pinyin) is left to
anyascii in `brand.tokens`.

anyascii reads these scripts letter by letter, which is right for consonants but not for
vowels written before their consonant, vowels spelled with several signs (เ-ีย 'ia', เ-า 'ao',
ั-ว 'ua'), or the letters อ, ย and ว that are vowels in some places and consonants in others.
The rules below are the standard ones (Royal Thai General System, Lao as written in Laos),
kept as tables; tone marks and the short-vowel sign carry no letters, so a text written
without them (as often typed) reads the same.
"""

import re

from . import burmese, cjk, khmer

# Lao letters that have a Thai twin: the same rules then serve both scripts.
_LAO_AS_THAI = str.maketrans({
    "ກ": "ก", "ຂ": "ข", "ຄ": "ค", "ງ": "ง", "ຈ": "จ", "ສ": "ส", "ຊ": "ซ", "ຍ": "ย", "ດ": "ด",
    "ຕ": "ต", "ຖ": "ถ", "ທ": "ท", "ນ": "น", "ບ": "บ", "ປ": "ป", "ຜ": "ผ", "ຝ": "ฝ", "ພ": "พ",
    "ຟ": "ฟ", "ມ": "ม", "ຢ": "ย", "ຣ": "ร", "ລ": "ล", "ວ": "ว", "ຫ": "ห", "ອ": "อ", "ຮ": "ฮ",
    "ໜ": "น", "ໝ": "ม", "ະ": "ะ", "ັ": "ั", "າ": "า", "ຳ": "ำ", "ິ": "ิ", "ີ": "ี", "ຶ": "ึ",
    "ື": "ื", "ຸ": "ุ", "ູ": "ู", "ົ": "", "ໍ": "อ", "ເ": "เ", "ແ": "แ", "ໂ": "โ", "ໃ": "ใ",
    "ໄ": "ไ", "ຼ": "ล", "ຽ": "ย", "໌": "์", "່": "", "້": "", "໊": "", "໋": "",
})

# Aspiration (ข/ก, พ/ป, ท/ต) is not written in Latin brand names: both read as one letter.
CONSONANTS = {
    "ก": "k", "ข": "k", "ฃ": "k", "ค": "k", "ฅ": "k", "ฆ": "k", "ง": "ng", "จ": "ch",
    "ฉ": "ch", "ช": "ch", "ซ": "s", "ฌ": "ch", "ญ": "y", "ฎ": "d", "ฏ": "t", "ฐ": "t",
    "ฑ": "t", "ฒ": "t", "ณ": "n", "ด": "d", "ต": "t", "ถ": "t", "ท": "t", "ธ": "t",
    "น": "n", "บ": "b", "ป": "p", "ผ": "p", "ฝ": "f", "พ": "p", "ฟ": "f", "ภ": "p", "ม": "m",
    "ย": "y", "ร": "r", "ล": "l", "ว": "w", "ศ": "s", "ษ": "s", "ส": "s", "ห": "h", "ฬ": "l",
    "อ": "", "ฮ": "h", "ฤ": "rue", "ฦ": "lue",
}
VOWELS = {"ะ": "a", "ั": "a", "า": "a", "ำ": "am", "ิ": "i", "ี": "i", "ึ": "ue", "ื": "ue",
          "ุ": "u", "ู": "u", "เ": "e", "แ": "ae", "โ": "o", "ใ": "ai", "ไ": "ai", "ๅ": ""}
# Vowels spelled with several signs, read after the leading vowel is moved behind its
# consonant; longest first. The ี of เ-ีย is often left out when typing: เ-ย reads 'ia' too.
COMPOUNDS = (("เีย", "ia"), ("เือ", "uea"), ("เาะ", "o"), ("เา", "ao"), ("เย", "ia"),
             ("เอ", "oe"), ("เิ", "oe"), ("ัว", "ua"), ("ือ", "ue"))
PREPOSED = "เแโใไ"
SILENT = "\u0e4c"  # ์ thanthakhat: the letter under it is written but not pronounced
_MARKS = re.compile("[\u0e47-\u0e4b\u0e4e\u0e46\u0e2f]")  # tone marks, short-vowel sign, ๆ ฯ
_CLUSTER_FIRST = "กขคปผพบตทดฟ"  # obstruents that form a cluster with a following ร/ล/ว
_SONORANT = "งญนมยรลว"
_VOWEL_SIGN = "ะัาำิีึืุูๅ" + PREPOSED
_THAI_RUN = re.compile("[\u0e01-\u0e4f\u0e81-\u0edf]+")
_KHMER_RUN = re.compile("[\u1780-\u17dd]+")
_BURMESE_RUN = re.compile("[\u1000-\u109f]+")


def _reorder(word: str) -> str:
    """Move each leading vowel behind the consonant (or cluster) it is spoken after."""
    out: list[str] = []
    i = 0
    while i < len(word):
        c = word[i]
        if c in PREPOSED and i + 1 < len(word) and word[i + 1] in CONSONANTS:
            j = i + 1
            nxt = word[j + 1] if j + 1 < len(word) else ""
            after = word[j + 2] if j + 2 < len(word) else ""
            if word[j] == "ห" and nxt and nxt in _SONORANT:
                j += 1  # ห before a sonorant only marks the tone: one onset
            elif (word[j] in _CLUSTER_FIRST and nxt in "รลว"
                  and not (after and after in _VOWEL_SIGN + "อ")):
                j += 1  # เกรด 'kret': a cluster unless the ร/ล starts the next syllable
            out.append(word[i + 1:j + 1])
            out.append(c)
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _letters(word: str) -> str:
    """Latin letters of a reordered Thai word: vowels, the letters that may be vowels, and the
    vowels a syllable has without writing them ('o' in คน 'kon', 'a' in ขนม 'kanom')."""
    out: list[str] = []
    bare = False  # the last letter out starts a syllable whose vowel is not written yet
    i = 0
    n = len(word)
    while i < n:
        for seq, latin in COMPOUNDS:
            if word.startswith(seq, i):
                out.append(latin)
                i += len(seq)
                if seq.startswith("เ") and word[i:i + 1] == "ว":
                    out.append("o")  # เ-ียว 'iao', เ-ว 'eo'
                    i += 1
                bare = False
                break
        else:
            c = word[i]
            nxt = word[i + 1] if i + 1 < n else ""
            prev = out[-1][-1:] if out else ""
            vowel_before = prev in ("a", "e", "i", "o", "u")
            if c == "อ":
                # a carrier at the start of a syllable, the vowel 'o' after a bare consonant
                out.append("o" if out and not vowel_before and nxt not in _VOWEL_SIGN else "")
                bare = False
            elif c in "ยว" and vowel_before and (not nxt or nxt not in _VOWEL_SIGN):
                out.append("i" if c == "ย" else "o")  # ลุย 'lui', ลาว 'lao'
                bare = False
            elif c == "ห" and nxt and nxt in _SONORANT and (not out or vowel_before):
                pass  # หม, หน, หล...: a tone marker before a sonorant
            elif c in CONSONANTS:
                onset = bool(nxt) and nxt in _VOWEL_SIGN + "อ"
                if bare and not _cluster(word[i - 1], c, onset):
                    out.append("a" if onset else "o")
                bare = onset or not (bare or vowel_before)
                out.append(CONSONANTS[c])
            else:
                out.append(VOWELS.get(c, c))
                bare = False
            i += 1
    return "".join(out)


def _cluster(first: str, second: str, onset: bool) -> bool:
    """Two consonants spoken together: กร, คล, ปร... (and ส before an onset, as in the
    English clusters st-, sp-, sk- of brand names)."""
    return onset and (first in _CLUSTER_FIRST and second in "รลว" or first == "ส")


# Spellings that differ from their Thai twin: Lao writes the short e and ae of a closed
# syllable with ັ (ເປັບ 'pep', Thai เป็ป) and the vowel ua with ົ (ຫົວ 'hua', Thai หัว).
_LAO_SHORT_E = re.compile("([ເແ][ກ-ຮໜໝ]{1,2})ັ")
_LAO_UA = re.compile("ົວ")
# NFKC (the brand normaliser's first step) splits sara am (ำ, ຳ) into nikhahit + aa: joined again.
_AM = (("ํา", "ำ"), ("ໍາ", "ຳ"))


def _thai_word(word: str, sound: bool) -> str:
    for split, joined in _AM:
        word = word.replace(split, joined)
    if any("຀" <= c <= "໿" for c in word):
        word = _LAO_UA.sub("ັວ", _LAO_SHORT_E.sub(r"\1", word))
    word = _MARKS.sub("", word.translate(_LAO_AS_THAI))
    if sound:
        word = re.sub(f".{SILENT}", "", word)
    else:
        word = word.replace(SILENT, "")
    return _letters(_reorder(word))


def has_thai(text: str) -> bool:
    return any("\u0e00" <= c <= "\u0eff" for c in text)


def romanise(text: str, sound: bool = False) -> str:
    """Thai, Lao, Khmer, Burmese, kana and hangul words in Latin letters, Han characters
    folded to simplified; other text unchanged.

    ``sound`` is the reading as spoken: without the letters marked silent (Thai and Lao ์,
    Khmer ៍: จันทร์ 'chan'), and without the vowels Japanese and Korean add after a final
    consonant (アディダス 'adidas'). By default silent letters are kept, because a brand's
    Thai spelling writes its Latin letters that way (หลุยส์ 'Louis').
    """
    if has_thai(text):
        text = _THAI_RUN.sub(lambda m: _thai_word(m.group(), sound), text)
    if any("\u1780" <= c <= "\u17ff" for c in text):
        text = _KHMER_RUN.sub(lambda m: khmer.romanise_word(m.group(), sound), text)
    if any("\u1000" <= c <= "\u109f" for c in text):
        text = _BURMESE_RUN.sub(lambda m: burmese.romanise_word(m.group()), text)
    if cjk.has_cjk(text):
        text = cjk.romanise(text, sound)
    return text
