"""Turn a brand text, as registered or as written by a counterfeiter, into comparable keys.

The one normaliser of brand text: matching (`normalize`, `variants`), correlation (seller
names), case search and the brand filter (`brand_key`) and reports (items grouped by
`brand_key`) all read brands through this module.

Everything here is table-driven: scripts, look-alike characters and generic words are data,
never a list of brands.
"""

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from .cjk import han_letters
from .scripts import romanise

# Unicode TR39 confusables that anyascii would transliterate by sound, not by shape
# (Cyrillic 'р' is 'r' to anyascii, but a counterfeiter uses it for 'p').
CONFUSABLES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
    "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i",
    "ј": "j", "ԁ": "d", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w", "ь": "b", "г": "r",
    "п": "n", "и": "u", "л": "n", "з": "3", "ч": "4", "б": "6",
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
    "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "γ": "y", "ς": "c",
    "ı": "i", "ł": "l", "ø": "o", "ſ": "s", "ɡ": "g", "ɑ": "a", "ǀ": "l", "|": "l",
})

# Capitals look like other Latin letters than their lower case does (Greek 'Ν' is 'N', 'ν' is 'v').
UPPER_CONFUSABLES = str.maketrans({
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n",
    "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x", "А": "a", "В": "b", "Е": "e", "К": "k",
    "М": "m", "Н": "h", "О": "o", "Р": "p", "С": "c", "Т": "t", "Х": "x", "Ѕ": "s", "І": "i",
    "Ј": "j", "Ү": "y", "Ԛ": "q", "Ԝ": "w",
})

# Look-alike digits and symbols inside a word. '1' stands for 'l' or 'i': both are tried.
DIGIT_FOLDS = {"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t",
               "8": "b", "9": "g", "@": "a", "$": "s", "€": "e", "!": "i"}
ALTERNATE_FOLDS = {"1": "i", "!": "l"}

# Letter pairs read as one letter; folded on both sides for a "skeleton" key.
PAIR_FOLDS = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("ii", "u"))

# Words sellers add around a brand, in the languages of the region. Phrases are matched as
# token sequences after normalisation.
GENERIC_PHRASES = """
original, ori, orig, genuine, authentic, auth, premium, new, newest, latest, replica, copy,
super copy, grade a, grade aa, grade aaa, aaa, aaaa, kw, kw1, high quality, best quality,
top quality, quality, hq, 1:1, mirror, mirror quality, oem, import, imported,
limited edition, official store, official shop, official, branded, hot sale, sale, promo,
style, inspired, look alike, lookalike, similar, version, model, type, brand, brandname,
discount, cheap, free shipping, ready stock, readystock, cod, fast delivery, 100%, 100,
real, legit, guaranteed, asli, murah, termurah, murah murah, baru, siap kirim, gratis ongkir,
chính hãng, hàng chính hãng, giá rẻ, hàng mới, mới, xách tay, siêu cấp, loại 1, rẻ,
ของแท้, แท้, ถูก, ราคาถูก, ขาย, ส่งฟรี, ของใหม่, ใหม่, ງາມ, ແທ້, ຂາຍ, ថ្មី, ពិត, ដើម, အစစ်,
正品, 原装, 原單, 高仿, 新款, 特价, 包邮, 正規品, 本物, 新品, 送料無料, 정품, 새상품, 무료배송
"""

# Goods words listing titles carry around the brand; dropped only from titles.
PRODUCT_WORDS = """
shoes shoe sneakers sneaker sandals bag bags handbag wallet belt watch watches cap hat shirt
tshirt t shirt tee jacket hoodie jeans dress perfume parfum cologne lipstick cream lotion serum
shampoo soap phone case charger cable earphones headphones battery tyre tire tyres tires oil
brake pads pad spare parts part helmet toy toys milk powder formula beer wine whisky drink
coffee tea snack noodles sauce medicine tablets capsule syrup pack box set bottle
for men women kids unisex size color colour black white red blue ready stock
sunglasses glasses eyewear backpack purse clutch tote luggage suitcase scarf socks boots
slippers heels loafers polo shorts pants trousers skirt sweater cardigan underwear bra
bracelet necklace earrings ring jewelry jewellery smartwatch strap band bluetooth wireless
earbuds speaker laptop tablet mouse keyboard power bank powerbank adapter screen protector
cover usb memory card sd flash drive camera lens printer ink toner console game games
controller makeup foundation mascara eyeliner powder blush toner cleanser moisturizer
sunscreen deodorant toothpaste toothbrush razor diapers diaper wipes vitamins supplement
pills capsules chocolate candy biscuits cookies chips juice water soda energy instant
rice detergent spark plug filter wiper bulb engine motor motorcycle car bike bicycle
spare sparepart accessories kit gift edition pcs piece pieces pair lot wholesale
tas sepatu jam tangan baju kaos minyak susu dep giay ao quan tui vi dong ho nuoc hoa sua
""".split()

UNIT_TOKEN = re.compile(r"^\d+(?:[.,]\d+)?(?:ml|l|g|kg|gb|tb|mm|cm|m|pcs|pc|x|mah|w|v)?$")

_NON_WORD = re.compile(r"[^a-z0-9@$€!&]+")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def tokens(text: str, sound: bool = False) -> tuple[str, ...]:
    """Lower-case Latin tokens of any text: NFKC, case folding, confusables, transliteration.

    ``sound``: Thai and Lao letters marked silent are left out (see `scripts.romanise`).
    """
    text = unicodedata.normalize("NFKC", text or "").translate(UPPER_CONFUSABLES)
    text = romanise(text.casefold().translate(CONFUSABLES), sound)
    text = anyascii(text).lower()
    # keep look-alike symbols inside words, drop them elsewhere; '&' only when written against
    # a letter (H&M, AT&T), where it is part of the mark
    text = re.sub(r"[@$€!]+(?![a-z0-9])", " ", text)
    text = re.sub(r"(?<![a-z0-9])&+(?![a-z0-9])", " ", text)
    return tuple(t for t in _NON_WORD.split(text) if t)


def is_native(text: str) -> bool:
    """Written (partly) in a non-Latin script; Greek and Cyrillic count as Latin look-alikes."""
    return any(c.isalpha() and "\u0530" <= c and not "\u1e00" <= c <= "\u1eff"
               and not "\uff00" <= c <= "\uffef" for c in text)


def native_tokens(text: str) -> frozenset[str]:
    """The tokens of a text that come from words in a non-Latin script."""
    out: set[str] = set()
    for chunk in (text or "").split():
        if is_native(chunk):
            out.update(tokens(chunk))
    return frozenset(out)


def join_letters(toks: tuple[str, ...]) -> tuple[str, ...]:
    """Runs of single letters ('N I K E') are one spaced-out word."""
    out: list[str] = []
    run: list[str] = []
    for t in (*toks, ""):
        if len(t) == 1:
            run.append(t)
            continue
        if len(run) >= 2:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if t:
            out.append(t)
    return tuple(out)


def collapse(key: str) -> str:
    return _REPEATS.sub(r"\1", key)


def _phrase_table() -> dict[int, set[tuple[str, ...]]]:
    table: dict[int, set[tuple[str, ...]]] = {}
    for phrase in GENERIC_PHRASES.replace("\n", " ").split(","):
        toks = tokens(phrase)
        if toks:
            table.setdefault(len(toks), set()).add(toks)
    return table


_GENERIC = _phrase_table()
_PRODUCT = {t for w in PRODUCT_WORDS for t in tokens(w)}


def strip_generic(toks: tuple[str, ...], *, products: bool = False) -> tuple[str, ...]:
    """Drop generic words (and, for titles, goods words and quantities); keep all if none left."""
    out: list[str] = []
    i = 0
    while i < len(toks):
        for n in (3, 2, 1):
            if tuple(toks[i:i + n]) in _GENERIC.get(n, ()):
                i += n
                break
        else:
            t = toks[i]
            if not (products and (t in _PRODUCT or UNIT_TOKEN.match(t))):
                out.append(t)
            i += 1
    return tuple(out) or toks


def fold_digits(key: str, alternate: bool = False) -> str:
    """Read look-alike digits and symbols as letters, in a word that has letters."""
    if not any(c.isalpha() for c in key):
        return key
    table = {**DIGIT_FOLDS, **(ALTERNATE_FOLDS if alternate else {})}
    return "".join(table.get(c, c) for c in key)


def fold_tokens(toks: tuple[str, ...], alternate: bool = False) -> tuple[str, ...]:
    return tuple(fold_digits(t, alternate) for t in toks)


@lru_cache(maxsize=262144)
def skeleton(key: str) -> str:
    """Shape key: look-alike digits, letter pairs and l/i folded, repeats collapsed."""
    key = fold_digits(key, alternate=True)
    for pair, single in PAIR_FOLDS:
        key = key.replace(pair, single)
    return collapse(key.replace("l", "i"))


def key_of(toks: tuple[str, ...]) -> str:
    return collapse("".join(toks))


def normalize(text: str, strip: bool = True) -> str:
    """The comparison key: transliterated, folded, without spaces, punctuation or repeats."""
    toks = tokens(text)
    return key_of(strip_generic(toks) if strip else toks)


# Aspirated and doubled romanisations that mean one Latin consonant in a brand spelling.
# Thai, Lao and Khmer have no 'g', 'v', 'z' or 'j' sound of their own: a brand's g is written
# ก (k), its v ว (w), its z ซ (s), its j จ (ch); an initial 'x' is said 's' (pinyin, English)
# and an initial 'u' 'yu' (ยู).
# English spellings of sounds: 'ph' is an 'f', and a final '-er' is said like an 'a' (Anker,
# 'anka'); 'ee' for 'i' and 'oo' for 'u' are read in `variants`, before repeats collapse.
_LOOSE = (("yu", "u"), ("ai", "i"), ("kh", "k"), ("ph", "f"),
          ("th", "t"), ("ch", "c"), ("ck", "k"), ("ou", "o"), ("ue", "u"), ("ie", "i"),
          ("iu", "u"), ("w", "v"), ("q", "k"), ("x", "ks"), ("z", "s"), ("y", "i"), ("j", "g"),
          ("g", "k"))
_ENGLISH_VOWELS = re.compile("ee|oo")  # 'feela' is said 'fila', 'armoor' 'armur'
_FINAL_R = re.compile("(?<=[^aeiouy])(?:er|ar|or)$")
_NG = re.compile("ng(?![aeiouy])")  # a final ง, or 'ng' before a consonant: one nasal
_NO_VOWELS = str.maketrans("", "", "aeiouy")


@lru_cache(maxsize=262144)
def loose(key: str) -> str:
    """A sound-alike spelling: the romanisations of the region mapped to plain Latin letters."""
    key = fold_digits(key)
    if key.startswith("x"):
        key = "s" + key[1:]
    key = _FINAL_R.sub("a", _NG.sub("n", key))
    for a, b in _LOOSE:
        key = key.replace(a, b)
    key = re.sub(r"(?<=[^aeiou])e$", "", key)  # a silent final e is not written in Thai
    return collapse(key.replace("c", "k"))


_BLIND = str.maketrans("eiouy", "aaaaa")


def vowel_blind(keys: list[str]) -> list[str]:
    """Every vowel as 'a' (a vowel written for another costs nothing there), for many keys at
    once: one translation of the joined keys."""
    return "\n".join(keys).translate(_BLIND).split("\n")


@lru_cache(maxsize=262144)
def consonants(key: str) -> str:
    """The consonant outline of a key's sound: what survives vowel swaps, and what a Thai or
    Lao text typed without its vowel signs still spells."""
    return collapse(loose(key).translate(_NO_VOWELS))


# A key read from the text as spoken rather than as written counts a little less.
RESPELLED = 0.95


def variants(text: str) -> list[str]:
    """Distinct candidate keys for a query: plain, generic-stripped, digit-folded, and the
    readings of `respellings`."""
    return list(weighted_variants(text))


@lru_cache(maxsize=65536)
def weighted_variants(text: str) -> dict[str, float]:
    """`variants` with the weight of each: 1 for the text as written (look-alike digits read
    as letters included), `RESPELLED` for the Thai or Lao reading without silent letters and
    the English reading of 'ee' as 'i' and 'oo' as 'u' (feela, 'fila')."""
    toks = tokens(text)
    seen: dict[str, float] = {}
    for base in (strip_generic(toks), toks):
        for v in (base, fold_tokens(base), fold_tokens(base, alternate=True)):
            if v:
                seen.setdefault(key_of(v), 1.0)
    spoken = tokens(text, sound=True)
    if spoken != toks:
        seen.setdefault(key_of(strip_generic(spoken)), RESPELLED)
    english = tuple(_ENGLISH_VOWELS.sub(lambda m: {"ee": "i", "oo": "u"}[m.group()], t)
                    for t in strip_generic(toks))
    if english != strip_generic(toks):
        seen.setdefault(key_of(english), RESPELLED)
    return seen


def han_key(text: str) -> str:
    """The Chinese characters of a text's words that are not generic words (正品), folded to
    simplified: a second key of a text in Chinese characters, compared character by character."""
    words = [w for w in (text or "").split()
             if not (toks := tokens(w)) or toks not in _GENERIC.get(len(toks), ())]
    return collapse(han_letters(" ".join(words)))


BRAND_KEY_MAX = 200  # SeizureItem.brand_key


def brand_key(text: str) -> str:
    """The folded reading a seizure's brand is stored, filtered and grouped by: the matcher's
    key (`normalize`: scripts, accents, look-alike letters, generic words) read by shape
    (`skeleton`), so "NIKE", "NlKE", "Nlke" and "N1KE" give one key ("nike")."""
    key = skeleton(normalize(text))
    return (key or (text or "").casefold().strip())[:BRAND_KEY_MAX]
