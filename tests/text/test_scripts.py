"""The region's scripts read by rule: Khmer, Burmese (and Zawgyi), Vietnamese, kana, hangul and
Chinese characters, as brand names are spelled in them."""

import pytest
from rapidfuzz.distance import OSA

from anice.text import brand, burmese, cjk, khmer
from anice.text.brand import han_key, loose, normalize, tokens, weighted_variants


@pytest.mark.parametrize(("word", "latin"), [
    ("ណៃគី", "naiki"),  # Nike: ណ a-series + ៃ 'ai', គ o-series + ី 'i'
    ("នីគី", "niki"),  # ន o-series: ី is 'i'
    ("សូនី", "souni"),  # ស a-series: ូ is 'ou'
    ("ស៊ុននី", "sunni"),  # ៊ makes ស o-series: ុ is 'u'; ន without a vowel closes 'sun'
    ("ហុងដា", "hongda"),  # ង closes the syllable; ដ a-series + ា 'a'
    ("កូកាកូឡា", "koukakoula"),
    ("ក្រុម", "krom"),  # coeng: ក្រ is a cluster
    ("កន", "kan"),  # a syllable without a written vowel: the a-series 'a'
    ("ប៉េបស៊ី", "pepsi"),  # ប៉ is the loanword 'p'
    ("ហ្វ៊ីលីព", "filip"),  # ហ្វ is the loanword 'f'
    ("ហ្គូហ្គល", "gougal"),  # ហ្គ 'g'
    ("ខេមបូឌា", "kemboudea"),  # ខ loses its aspiration; ឌ o-series + ា 'ea'
])
def test_khmer_by_rule(word, latin):
    assert khmer.romanise_word(word) == latin


def test_khmer_series_decides_the_vowel():
    assert khmer.romanise_word("កា") == "ka" and khmer.romanise_word("គា") == "kea"
    assert khmer.romanise_word("ម៉ា") == "ma"  # ៉ reads the o-series ម as a-series


def _sound_edits(a: str, b: str) -> int:
    return OSA.distance(loose(normalize(a)), loose(normalize(b)))


def test_khmer_brand_spellings_sound_like_the_latin_mark():
    assert _sound_edits("ណៃគី", "Nike") == _sound_edits("នីគី", "Nike") == 1  # the final 'i'
    assert _sound_edits("កូកាកូឡា", "Coca-Cola") == 0
    assert _sound_edits("ហុងដា", "Honda") == 0
    assert _sound_edits("តូយ៉ូតា", "Toyota") == 0
    assert _sound_edits("ស៊ុននី", "Sony") == 1


@pytest.mark.parametrize(("word", "latin"), [
    ("နိုက်ကီ", "naikki"),  # ို before a final: 'ai'; က် a final 'k'
    ("ဆမ်ဆောင်း", "samsaung"),  # ဆ 's'; ော before a final 'au'; း a tone, nothing
    ("ဟွန်ဒါ", "hunda"),  # ွ in a closed syllable is the vowel 'u'
    ("ကိုကာကိုလာ", "kokakola"),
    ("ဖော်", "po"),  # ဖ 'ph' is 'p'
    ("မြန်မာ", "myanma"),  # the medial ြ 'y'
    ("ရှဲလ်", "shel"),  # ရှ 'sh'
    ("ကမ္ဘာ", "kamba"),  # the stacked မ္ closes the first syllable
    ("သင်္ဘော", "thangbo"),  # kinzi င်္
    ("တိုယိုတာ", "toyota"),
])
def test_burmese_by_rule(word, latin):
    assert burmese.romanise_word(word) == latin


@pytest.mark.parametrize(("zawgyi", "unicode"), [
    ("ဆမ္ေဆာင္း", "ဆမ်ဆောင်း"),  # ေ typed before its consonant, ္ as asat
    ("ေျပာ", "ပြော"),  # ေ and ြ (Zawgyi U+103B) both before
    ("ျမန္မာ", "မြန်မာ"),
    ("ကမၻာ", "ကမ္ဘာ"),  # a stacked consonant of its own code point
    ("သဘၤော", "သင်္ဘော"),  # kinzi written after the consonant
    ("ဟြန္ဒါ", "ဟွန်ဒါ"),  # valid in both encodings: the detector's model decides
    ("ရွဲလ္", "ရှဲလ်"),
])
def test_zawgyi_is_recognised_and_read_as_unicode(zawgyi, unicode):
    assert burmese.is_zawgyi(zawgyi) and not burmese.is_zawgyi(unicode)
    assert burmese.zawgyi_to_unicode(zawgyi) == unicode
    assert normalize(zawgyi) == normalize(unicode)


@pytest.mark.parametrize(("marked", "bare"), [
    ("Trung Nguyên", "Trung Nguyen"), ("Kinh Đô", "Kinh Do"), ("Điện Máy Xanh", "dien may xanh"),
    ("Hảo Hảo", "Hao Hao"), ("Bảo Việt", "BAO VIET"),
])
def test_vietnamese_with_and_without_diacritics_read_the_same(marked, bare):
    assert normalize(marked) == normalize(bare)


@pytest.mark.parametrize(("vietnamese", "brand"), [
    ("Hon-đa", "Honda"), ("Sam Sung", "Samsung"), ("Cô-ca Cô-la", "Coca-Cola"), ("Pép-si", "Pepsi"),
])
def test_vietnamese_spellings_of_foreign_brands(vietnamese, brand):
    assert normalize(vietnamese) == normalize(brand)


def test_nich_sounds_like_nike():
    assert _sound_edits("Ních", "Nike") == 0  # a final 'ch' is said 'k' in Vietnamese


def test_traditional_chinese_is_folded_to_simplified():
    assert cjk.fold_han("香奈兒") == "香奈儿"
    assert cjk.fold_han("可口可樂") == "可口可乐"
    assert normalize("香奈兒") == normalize("香奈儿") and normalize("勞力士") == normalize("劳力士")
    assert normalize("耐克 正品") == normalize("耐克")  # 'genuine' is a generic word
    assert han_key("香奈兒 正品") == "香奈儿" and han_key("Nike") == ""


@pytest.mark.parametrize(("word", "latin", "spoken"), [
    ("ナイキ", "naiki", "naiki"),
    ("シャネル", "shaneru", "shanel"),  # small ャ joins シ: 'sha'; a final ル is an 'l'
    ("ティファニー", "tifani", "tifani"),  # ティ 'ti', ファ 'fa', ー adds nothing
    ("グッチ", "gucchi", "gucchi"),  # small ッ doubles the next consonant
    ("アディダス", "adidasu", "adidas"),  # the vowel Japanese adds after a final 's'
    ("スターバックス", "sutabakkusu", "stabakks"),
    ("サムスン", "samusun", "samsun"),
    ("トヨタ", "toyota", "toyota"),
    ("ないき", "naiki", "naiki"),  # hiragana
])
def test_kana_by_rule(word, latin, spoken):
    assert cjk.kana_word(word) == latin
    assert cjk.kana_word(word, sound=True) == spoken


@pytest.mark.parametrize(("word", "latin", "spoken"), [
    ("나이키", "naiki", "naiki"),
    ("삼성", "samseong", "samsung"),  # ㅓ said 'u', as the brand owner writes it
    ("샤넬", "shanel", "shanel"),  # ㅅ before ya: 'sha'
    ("스타벅스", "seutabeokseu", "stabuks"),  # ㅡ added after a final consonant left out
    ("코카콜라", "kokakolla", "kokakolla"),  # ㄹㄹ 'll'
    ("현대", "hyeondae", "hyundae"),
])
def test_hangul_by_rule(word, latin, spoken):
    assert cjk.hangul_word(word) == latin
    assert cjk.hangul_word(word, sound=True) == spoken


def test_spoken_readings_are_variants():
    assert weighted_variants("アディダス") == {"adidasu": 1.0, "adidas": 0.95}
    assert "samsung" in weighted_variants("삼성")
    assert tokens("ルイ・ヴィトン") == ("rui", "viton")


@pytest.mark.parametrize(("word", "latin"), [
    ("ຊຳຊຸງ", "samsung"),  # sara am, split by NFKC into nikhahit + aa, read as 'am'
    ("ซำซุง", "samsung"),  # the same in Thai
    ("ເປັບຊີ່", "pebsi"),  # Lao's short e of a closed syllable: ເ-ັ (Thai เ-็)
    ("ໄຮເນເກັ້ນ", "haineken"),
    ("ຫົວເວີຍ", "huawia"),  # ົວ is 'ua' (Thai ัว)
    ("ກົດ", "kod"),  # ົ alone: the short o of a closed syllable, as Thai leaves it unwritten
    ("ໂຕໂຍຕ້າ", "toyota"),
])
def test_lao_spellings_that_differ_from_their_thai_twin(word, latin):
    assert brand.variants(word)[0] == latin
