"""Read Chinese, Japanese and Korean brand spellings: Han folded, kana and hangul by rule.

- Han: a Chinese brand name is chosen for meaning or sound per character (耐克 for Nike), so
  it is not compared with the Latin spelling; traditional characters are folded to
  simplified (OpenCC's t2s table), so 香奈兒 and 香奈儿 are one mark, then read in pinyin.
- Kana (Hepburn): loanwords are written with small kana (シャ 'sha', ティ 'ti', ファ 'fa'),
  the small tsu doubles the next consonant and the long mark ー adds nothing. The spoken
  reading (`sound`) leaves out the vowels Japanese adds after a final consonant: アディダス
  'adidasu' is said 'adidas', スターバックス 'stabakks'; a final ル is an 'l' (シャネル 'shanel').
- Hangul (Revised Romanization, built from the jamo): ㅅ before ya/yo/yu is 'sh' (샤넬
  'shanel'), a final ㄹ before ㄹ is 'll'; the spoken reading writes ㅓ and ㅡ as 'u', as
  brand owners do (삼성 'samsung'), and leaves out the ㅡ Korean adds after a final consonant
  of a loanword (스타벅스 'stabuks').
"""

import re
from functools import lru_cache

from opencc import OpenCC

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
KANA_RUN = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fd\u30fe]+")
HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")

_BASE = """
ア a イ i ウ u エ e オ o カ ka キ ki ク ku ケ ke コ ko ガ ga ギ gi グ gu ゲ ge ゴ go
サ sa シ shi ス su セ se ソ so ザ za ジ ji ズ zu ゼ ze ゾ zo タ ta チ chi ツ tsu テ te ト to
ダ da ヂ ji ヅ zu デ de ド do ナ na ニ ni ヌ nu ネ ne ノ no ハ ha ヒ hi フ fu ヘ he ホ ho
バ ba ビ bi ブ bu ベ be ボ bo パ pa ピ pi プ pu ペ pe ポ po マ ma ミ mi ム mu メ me モ mo
ヤ ya ユ yu ヨ yo ラ ra リ ri ル ru レ re ロ ro ワ wa ヰ i ヱ e ヲ o ン n ヴ vu
ァ a ィ i ゥ u ェ e ォ o ャ ya ュ yu ョ yo ヮ wa ヵ ka ヶ ke
""".split()
KANA = dict(zip(_BASE[::2], _BASE[1::2], strict=True))
SMALL_Y = "ャュョ"
SMALL_VOWEL = "ァィゥェォヮ"
SOKUON = "ッ"
LONG = "ー"
# kana whose vowel Japanese adds after an English final consonant (ス 's', ク 'k', ト 't')
_EPENTHETIC_U = set("スクルブプフムグズツ")
_EPENTHETIC_O = set("トド")


def _katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


def _morae(word: str) -> list[tuple[str, str]]:
    """(kana, Latin) per mora: small kana join the one before; ッ doubles the next consonant."""
    out: list[tuple[str, str]] = []
    double = False
    for c in _katakana(word):
        if c == SOKUON:
            double = True
            continue
        if c in (LONG, "ヽ", "ヾ"):
            continue
        latin = KANA.get(c, "")
        if out and c in SMALL_Y and out[-1][1].endswith("i"):
            kana, prev = out.pop()
            stem = prev[:-1]
            latin = (stem + latin[1:]) if stem in ("sh", "ch", "j") else stem + latin
            out.append((kana + c, latin))
            continue
        if out and c in SMALL_VOWEL:
            kana, prev = out.pop()
            stem = "w" if prev == "u" else "" if prev in "aieo" else prev[:-1]
            if stem == "ts":
                stem = "t"  # ツァ 'tsa' is rare; トゥ, ティ 'tu', 'ti'
            out.append((kana + c, stem + latin))
            continue
        if double and latin and latin[0] not in "aiueon":
            latin = latin[0] + latin
        double = False
        out.append((c, latin))
    return out


def kana_word(word: str, sound: bool = False) -> str:
    """Hepburn reading of a kana word; with `sound`, without the added vowels."""
    morae = _morae(word)
    out: list[str] = []
    for k, (kana, latin) in enumerate(morae):
        if sound and len(kana) == 1:
            nxt = morae[k + 1][1] if k + 1 < len(morae) else ""
            before_consonant = bool(nxt) and nxt[0] not in "aiueoyw" and morae[k + 1][0] != "ン"
            at_end = not nxt
            if kana == "ル" and at_end and k:
                latin = "l"  # a final ル is an English final 'l' (a final 'r' is ー: スター)
            elif kana in _EPENTHETIC_U and (at_end or before_consonant) and (k or kana == "ス"):
                latin = latin[:-1]
            elif kana in _EPENTHETIC_O and at_end and k:
                latin = latin[:-1]
        out.append(latin)
    return "".join(out)


_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch",
             "k", "t", "p", "h")
_MEDIALS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
            "wo", "we", "wi", "yu", "eu", "ui", "i")
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
_SPOKEN_VOWEL = {"eo": "u", "yeo": "yu", "eu": "u"}  # Samsung, Hyundai, Kumho


def hangul_word(word: str, sound: bool = False) -> str:
    """Revised Romanization of a hangul word, loanword-friendly; see the module's doc."""
    out: list[str] = []
    prev_final = ""
    for c in word:
        s = ord(c) - 0xAC00
        initial, medial, final = _INITIALS[s // 588], _MEDIALS[s % 588 // 28], _FINALS[s % 28]
        if initial in ("s", "j", "ch") and medial[:1] == "y":
            medial = medial[1:]
            initial = "sh" if initial == "s" else initial
        if initial == "r" and prev_final == "l":
            initial = "l"
        if sound:
            if medial == "eu" and not final and initial and (out or initial == "s"):
                medial = ""  # 스 in 스타벅스: a vowel added after a final consonant
            medial = _SPOKEN_VOWEL.get(medial, medial)
        out.append(initial + medial + final)
        prev_final = final
    return "".join(out)


@lru_cache(maxsize=1)
def _t2s() -> OpenCC:
    return OpenCC("t2s")


def fold_han(text: str) -> str:
    """Traditional Chinese characters as simplified ones (香奈兒 -> 香奈儿)."""
    return _HAN.sub(lambda m: _t2s().convert(m.group()), text)


def has_han(text: str) -> bool:
    """Written (partly) in Chinese characters: read by meaning, not letter by letter."""
    return bool(_HAN.search(text))


def han_letters(text: str) -> str:
    """The Chinese characters of a text, folded to simplified (a key of their own: a character
    changed for one of another sound changes one letter here, a whole syllable in pinyin)."""
    return "".join(_HAN.findall(fold_han(text)))


def has_cjk(text: str) -> bool:
    return any("\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7a3" or "\uf900" <= c <= "\ufaff"
               for c in text)


def romanise(text: str, sound: bool = False) -> str:
    """Kana and hangul in Latin letters, Han folded to simplified (pinyin comes later)."""
    text = KANA_RUN.sub(lambda m: kana_word(m.group(), sound), text)
    text = HANGUL_RUN.sub(lambda m: hangul_word(m.group(), sound), text)
    return fold_han(text)
