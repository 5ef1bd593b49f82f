"""The matching core on plain data: normalisation, candidates, scores and reasons."""

import random

import pytest

from anice.rights.matching import MarkIndex, Matcher, normalize, variants


@pytest.mark.parametrize(("text", "key"), [
    ("ADIDAS", "adidas"),
    ("Ａｄｉｄａｓ", "adidas"),  # full width
    ("Bia Sài Gòn", "biasaigon"),  # Vietnamese diacritics
    ("Hèrmès", "hermes"),
    ("Ѕамѕung", "samsung"),  # Cyrillic look-alikes
    ("Tіssot", "tisot"),  # Cyrillic i, repeats collapsed
    ("Νike", "nike"),  # Greek capital nu
    ("Louis  Vuitton!!", "louisvuiton"),
    ("Coca-Cola", "cocacola"),
    ("โตโยต้า", "toyota"),  # Thai, vowel written before its consonant
    ("อาดิดาส", "adidas"),  # Thai, silent vowel carrier
    ("ฮอนด้า", "honda"),
])
def test_normalize_scripts_and_homoglyphs(text, key):
    assert normalize(text) == key


@pytest.mark.parametrize(("text", "key"), [
    ("Khmer កូកាកូឡា", "kukakoula"),
    ("Burmese ကိုကာကိုလာ", "kiukakiula"),
    ("Lao ເບຍລາວ", "beglav"),
])
def test_other_scripts_become_latin(text, key):
    script, native = text.split(" ", 1)
    out = normalize(native)
    assert out.isascii() and out.isalpha(), script
    assert len(out) >= 4


@pytest.mark.parametrize(("text", "key"), [
    ("Ol4y", "olay"),
    ("Abs0lut", "absolut"),
    ("Nex1um", "nexium"),
    ("$amsung", "samsung"),
    ("@didas", "adidas"),
])
def test_variants_fold_lookalike_digits(text, key):
    assert key in variants(text)


def test_variants_keep_the_genuine_spelling():
    assert variants("7-Eleven")[0] == "7eleven"
    assert normalize("3M") == "3m"


@pytest.mark.parametrize(("text", "key"), [
    ("Rolex original", "rolex"),
    ("premium KFC", "kfc"),
    ("Gucci grade AAA", "guci"),
    ("Prada super copy 1:1", "prada"),
    ("Nike KW ORI", "nike"),
    ("Adidas asli murah", "adidas"),
    ("Omega chính hãng", "omega"),
    ("Rolex ของแท้", "rolex"),
    ("original", "original"),  # nothing but generic words: keep them
])
def test_generic_words_are_stripped(text, key):
    assert normalize(text) == key


@pytest.fixture
def matcher():
    index = MarkIndex()
    index.add(1, ["Adidas", "อาดิดาส"], [25, 18])
    index.add(2, "Nike", [25])
    index.add(3, "Nikon", [9])
    index.add(4, "Louis Vuitton", [18, 25])
    index.add(5, "Rolex", [14], status="expired")
    index.add(6, "Adidas", [9])
    index.add(7, "Samsung", [9])
    return Matcher(index)


def test_homoglyph_match_has_reasons(matcher):
    best = matcher.search("4did4s")[0]
    assert best.mark_id in (1, 6)
    assert "matches 'ADIDAS'" in best.reasons[0]
    assert "folding '4' to 'a'" in best.reasons[0]


def test_class_agreement_raises_the_score(matcher):
    results = matcher.search("Adidas", classes=[25])
    assert results[0].mark_id == 1
    assert "class 25 agrees" in results[0].reasons
    other = next(c for c in results if c.mark_id == 6)
    assert other.score < results[0].score
    assert any("differs" in r for r in other.reasons)


def test_native_script_query_finds_latin_mark(matcher):
    assert matcher.search("ไนกี้ ของแท้")[0].mark_id == 2
    assert matcher.search("อาดิดาส")[0].mark_id in (1, 6)


def test_mark_inside_a_listing_title(matcher):
    results = matcher.search("hot sale Louis Vuiton handbag 16GB free shipping", classes=[18])
    assert results[0].mark_id == 4
    assert "title" in results[0].reasons[0]


def test_generic_words_are_named_in_reasons(matcher):
    best = matcher.search("Samsung original KW")[0]
    assert best.mark_id == 7
    assert any("'original'" in r and "'kw'" in r for r in best.reasons)


def test_inactive_rights_are_left_out_unless_asked(matcher):
    assert all(c.mark_id != 5 for c in matcher.search("Rolex"))
    found = matcher.search("Rolex", include_inactive=True)
    assert found[0].mark_id == 5
    assert "no longer in force" in found[0].reasons[-1]


def test_nike_is_not_nikon(matcher):
    assert matcher.search("N1ke", classes=[25])[0].mark_id == 2
    assert matcher.search("Nikkon")[0].mark_id == 3


def test_empty_query_finds_nothing(matcher):
    assert matcher.search("") == []
    assert matcher.search(" -- ") == []


def _variant(rng: random.Random, mark: str) -> str:
    """A counterfeiter's spelling of ``mark``: one edit, a look-alike, or added words."""
    word = mark.lower()
    i = rng.randrange(len(word))
    how = rng.choice(["omit", "double", "swap", "homoglyph", "space", "generic", "title"])
    if how == "omit" and len(word) > 4:
        return word[:i] + word[i + 1:]
    if how == "double":
        return word[:i] + word[i] + word[i:]
    if how == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if how == "homoglyph":
        table = {"o": "0", "i": "1", "l": "1", "e": "3", "a": "4", "s": "5"}
        spots = [k for k, ch in enumerate(word) if ch in table]
        if spots:
            k = rng.choice(spots)
            return word[:k] + table[word[k]] + word[k + 1:]
    if how == "space" and len(word) > 3:
        return word[:i] + " " + word[i:]
    if how == "generic":
        return f"{word.upper()} original premium"
    return f"hot sale {word} bag free shipping cod"


def test_recall_on_generated_variants_among_distractors():
    """Brands of the demo data among random distractor words: self-contained, no dev set."""
    from anice.demo_data import RIGHT_HOLDERS

    rng = random.Random(11)
    index = MarkIndex()
    brands = sorted(RIGHT_HOLDERS)
    for n, brand in enumerate(brands):
        index.add(("B", n), brand.upper(), [25], "registered")
    letters = "abcdefghiklmnoprstuvy"
    for n in range(5000):
        fake = "".join(rng.choice(letters) for _ in range(rng.randint(4, 10)))
        index.add(("D", n), fake.upper(), [rng.randint(1, 45)], "registered")
    matcher = Matcher(index)
    hits = total = 0
    for n, brand in enumerate(brands):
        for _ in range(8):
            query = _variant(rng, brand)
            found = matcher.search(query, limit=10)
            total += 1
            hits += any(c.mark_id == ("B", n) for c in found)
    assert total == 8 * len(brands)
    assert hits / total >= 0.9, f"recall@10 {hits / total:.2f}"
